"""The knobs of training, in one frozen record (recorded in the model's info)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    """Knobs of ``align model train``; the defaults build the shipped model."""

    vocab_size: int = 8000
    em_iterations: int = 5
    prune_min: float = 0.005
    prune_top: int = 64
    emb_dim: int = 48
    heldout_every: int = 10  # every 10th block of 50 consecutive pairs trains the weights
    seed: int = 13
    # the structured stage: synthetic documents (rounds of fresh perturbations of the held-out
    # pairs), perceptron epochs, step size and the loss margin of each wrong bead
    struct_rounds: int = 16
    struct_epochs: int = 6
    struct_rate: float = 0.05
    struct_margin: float = 1.0
