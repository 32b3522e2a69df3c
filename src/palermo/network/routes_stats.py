"""The significance tests of routes and hotspots: one-sided upper-tail p-values and the Benjamini-Hochberg
false-discovery correction (q-values), over scipy's distributions."""

from __future__ import annotations

from collections.abc import Sequence

from scipy.stats import binom, poisson


def binomial_upper(k: int, n: int, p: float) -> float:
    """P(X >= k) for X ~ Binomial(n, p): how surprising ``k`` flagged of ``n`` are at the base share ``p``."""
    if k <= 0:
        return 1.0
    return float(binom.sf(k - 1, n, p))


def poisson_upper(k: int, expected: float) -> float:
    """P(X >= k) for X ~ Poisson(expected): how surprising ``k`` flagged crossings are where ``expected`` were due."""
    if k <= 0:
        return 1.0
    if expected <= 0:
        return 0.0
    return float(poisson.sf(k - 1, expected))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """The q-value of each p-value (Benjamini-Hochberg step-up): the smallest false-discovery rate at which it is
    reported. A finding with q <= alpha is one of a set in which at most alpha are expected to be false."""
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    q = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        q[i] = min(1.0, running)
    return q
