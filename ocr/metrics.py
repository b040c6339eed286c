"""Character error rate, the benchmark's measure, with optional variant folding."""

from __future__ import annotations

from collections.abc import Callable


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance between two strings.

    Hand-written (two rows of dynamic programming) rather than a dependency: the pages are
    a few hundred characters and this is the only use.
    """
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def comparable(text: str) -> str:
    """The text without whitespace: line breaks and spacing are layout, not characters."""
    return "".join(text.split())


def cer(
    reference: str, hypothesis: str, fold: Callable[[str], str] | None = None
) -> tuple[int, int]:
    """Errors and reference length (whitespace ignored); ``fold`` maps both sides first."""
    ref, hyp = comparable(reference), comparable(hypothesis)
    if fold:
        ref, hyp = fold(ref), fold(hyp)
    return edit_distance(ref, hyp), len(ref)
