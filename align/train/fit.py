"""The fits of training: logistic regression by Newton's method (the bead classifier, the cheap
first pass, and the Platt scaling of adequacy) and the isotonic map of the confidences."""
from __future__ import annotations

from typing import Sequence

import numpy as np

from ..features import logit
from ..qe import Calibration


def logreg(X: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 25
            ) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method (IRLS) with an L2 penalty; returns (w, b)."""
    Xb = np.hstack([X, np.ones((len(X), 1))]).astype(np.float64)
    w = np.zeros(Xb.shape[1])
    reg = np.full(Xb.shape[1], l2)
    reg[-1] = 1e-6
    for _ in range(iterations):
        z = np.clip(Xb @ w, -30, 30)
        p = 1 / (1 + np.exp(-z))
        g = Xb.T @ (p - y) + reg * w
        H = (Xb * (p * (1 - p))[:, None]).T @ Xb + np.diag(reg)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w[:-1], float(w[-1])


def isotonic(x: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Pool-adjacent-violators fit of y on x; knots for ``np.interp`` (at most ~200)."""
    order = np.argsort(x, kind="stable")
    xs, ys = np.asarray(x, float)[order], np.asarray(y, float)[order]
    vals, wts, lefts, rights = [], [], [], []
    for xv, yv in zip(xs, ys):
        vals.append(yv)
        wts.append(1.0)
        lefts.append(xv)
        rights.append(xv)
        while len(vals) > 1 and vals[-2] >= vals[-1]:
            v = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / (wts[-2] + wts[-1])
            w = wts[-2] + wts[-1]
            r = rights[-1]
            vals.pop(); wts.pop(); lefts.pop(); rights.pop()
            vals[-1], wts[-1], rights[-1] = v, w, r
    kx, ky = [], []
    for v, lft, r in zip(vals, lefts, rights):
        kx += [lft, r]
        ky += [v, v]
    if len(kx) > 400:
        keep = np.unique(np.linspace(0, len(kx) - 1, 400).astype(int))
        kx, ky = [kx[i] for i in keep], [ky[i] for i in keep]
    return [float(v) for v in kx], [float(v) for v in ky]


def fit_calibration(positive: Sequence[float], negative: Sequence[float],
                    model_sha256: str = "") -> Calibration:
    """Platt scaling of model probabilities: translations (``positive``) against
    non-translations (``negative``), the two classes weighted equally. Deterministic."""

    x = np.concatenate([logit(positive), logit(negative)])
    y = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    w = np.concatenate([np.full(len(positive), 0.5 / len(positive)),
                        np.full(len(negative), 0.5 / len(negative))])
    a, b = 1.0, -float(np.average(x, weights=w))
    for _ in range(100):  # Newton's method on the weighted log-loss, tiny ridge for safety
        z = np.clip(a * x + b, -500, 500)
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        grad = np.array([np.sum(w * g * x) + 1e-6 * a, np.sum(w * g)])
        h = w * p * (1 - p)
        hess = np.array([[np.sum(h * x * x) + 1e-6, np.sum(h * x)],
                         [np.sum(h * x), np.sum(h) + 1e-12]])
        step = np.linalg.solve(hess, grad)
        a, b = a - float(step[0]), b - float(step[1])
        if np.max(np.abs(step)) < 1e-10:
            break
    return Calibration(a, b, model_sha256, len(positive) + len(negative))
