"""Closest known word by trigram similarity, measured the way PostgreSQL's pg_trgm does.

A word's trigrams are those of the word padded with two spaces in front and one behind
(`lama` -> `  l`, ` la`, `lam`, `ama`, `ma `); similarity is shared / all distinct trigrams.
The search uses it to correct a query word against the catalog's own tokens.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

# pg_trgm's default `similarity_threshold`: below it two words are unrelated.
MIN_SIMILARITY = 0.3


@lru_cache(maxsize=4096)
def trigrams(word: str) -> frozenset[str]:
    padded = f"  {word} "
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb)


def closest(word: str, vocabulary: Counter[str]) -> str | None:
    """The most similar word of `vocabulary`; ties go to the more common one."""
    scored = ((similarity(word, known), count, known) for known, count in vocabulary.items())
    score, _, best = max(scored, default=(0.0, 0, ""))
    return best if score >= MIN_SIMILARITY else None
