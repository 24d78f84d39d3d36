"""Screenshots of the review page for the README, made in headless Chromium (not by hand).

Aligns one document of the dev benchmark (``wmt22/hard/ecommerce_ru_1``: a product page with
a caption and a link line inserted on one side) with ``align sentences``, writes its review
page with ``align review``, and saves two screenshots:

* ``review-weakest.png``: the page as it opens, weakest beads first;
* ``review-edited.png``: in document order after a few decisions made with the keyboard (the
  weakest bead rejected, the next accepted, a bead of one English and two Russian sentences
  split), the focused row showing its sentence
  buttons.

    python benchmarks/review_screenshots.py [--out docs] [--shared ../shared]

Needs ``../shared``, selenium, and Chromium with chromedriver.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from review import ALIGN, browser  # noqa: E402

DOC = Path("data/bench/wmt22/hard/ecommerce_ru_1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    doc = args.shared / DOC
    en, ru = doc.with_suffix(".en"), doc.with_suffix(".ru")
    work = Path(tempfile.mkdtemp(prefix="review-shots-"))
    align, page = work / f"{doc.name}.align", work / "review.html"
    subprocess.run(ALIGN + ["sentences", str(en), str(ru), "-o", str(align)], check=True)
    subprocess.run(ALIGN + ["review", str(align), "--en", str(en), "--ru", str(ru), "-o",
                            str(page)], check=True)
    args.out.mkdir(parents=True, exist_ok=True)
    driver = browser()
    try:
        driver.set_window_size(1280, 760)
        driver.get(page.as_uri())
        driver.save_screenshot(str(args.out / "review-weakest.png"))
        keys = driver.find_element("tag name", "body")
        keys.send_keys("r")                       # the weakest bead is not a translation
        keys.send_keys("a")                       # the next one is right
        driver.find_element("css selector", "#order option[value=doc]").click()
        driver.execute_script(
            "var rows = document.querySelectorAll('#rows .row');"
            "for (var i = 0; i < rows.length; i++) if (rows[i].textContent.indexOf("
            "'Benefits') >= 0) { rows[i].click(); break; }")
        keys.send_keys("s")                       # two Russian sentences: split the bead
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(args.out / "review-edited.png"))
    finally:
        driver.quit()
    for name in ("review-weakest.png", "review-edited.png"):
        path = args.out / name
        print(f"{path} ({path.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
