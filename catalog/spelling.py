"""Closest known word by trigram similarity, measured the way PostgreSQL's pg_trgm does.

A word's trigrams are those of the word padded with two spaces in front and one behind
(`lama` -> `  l`, ` la`, `lam`, `ama`, `ma `); similarity is shared / all distinct trigrams.
The search uses it to correct a query word against the catalog's own tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from django.db import connection

from catalog.models import CatalogModel

# pg_trgm's default `similarity_threshold`: below it two words are unrelated.
MIN_SIMILARITY = 0.3
# Candidates PostgreSQL returns per suspect word.
SIMILAR_WORDS = 20
# Letters and digits are separate tokens: "qwen3" -> "qwen 3", "70b" -> "70 b".
WORD = re.compile(r"[a-z]+|[0-9]+")


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


def candidates_sql(suspects: list[str], last: str) -> tuple[str, list[str]]:
    """PostgreSQL: the catalog's words like each suspect (pg_trgm `%`, similarity >= 0.3),
    and one that the last word starts, from catalog_search_word (migration 0005)."""
    like = (
        "(SELECT word FROM catalog_search_word WHERE word %% %s "
        f"ORDER BY similarity(word, %s) DESC LIMIT {SIMILAR_WORDS})"
    )
    sql = " UNION ALL ".join([like] * len(suspects))
    sql += " UNION ALL (SELECT word FROM catalog_search_word WHERE word LIKE %s LIMIT 1)"
    return sql, [w for word in suspects for w in (word, word)] + [f"{last}%"]


def _vocabulary(suspects: list[str], last: str) -> Counter[str]:
    """Catalog words to correct `suspects` against, with how often each occurs."""
    if connection.vendor != "postgresql":
        # SQLite serves small catalogs: every row's words are candidates.
        rows = CatalogModel.objects.filter(is_active=True).values_list("search_text", flat=True)
        return Counter(word for row in rows for word in row.split())
    with connection.cursor() as cursor:
        cursor.execute(*candidates_sql(suspects, last))
        return Counter(word for (word,) in cursor.fetchall())


def corrected_text(text: str) -> str:
    """`text` with each unknown word replaced by the closest catalog token, or ""."""
    words = text.lower().split()[:10]
    tokens = [token for word in words for token in WORD.findall(word)]
    # Numbers and short words are versions and sizes ("4", "70b"), never misspelt names.
    suspects = sorted({t for t in tokens if t.isalpha() and len(t) >= 3})
    if not suspects:
        return ""
    vocabulary = _vocabulary(suspects, tokens[-1])
    fixes = {}
    for word in suspects:
        typed_so_far = word == tokens[-1] and any(known.startswith(word) for known in vocabulary)
        if word in vocabulary or typed_so_far:
            continue
        best = closest(word, vocabulary)
        if best:
            fixes[word] = best
    if not fixes:
        return ""
    return " ".join(WORD.sub(lambda m: fixes.get(m.group(), m.group()), word) for word in words)
