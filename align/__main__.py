"""``python -m align`` runs the command line, like the ``align`` script."""
from .cli import main

if __name__ == "__main__":
    main(prog_name="align")
