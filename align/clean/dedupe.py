"""Deduplication: exact (by a hash of normalised text) and near-duplicates (MinHash).

Both are deterministic: the same input in the same order always keeps the same pairs. A pair
is remembered by a 128-bit digest, so the exact index costs a few dozen bytes per distinct pair
whatever the text length. ``align clean`` folds case, punctuation, digits and whitespace
(as bifixer does); ``--dedupe`` of the corpus-writing commands (``align.formats.filter_pairs``)
uses the same :class:`Dedupe` on text that differs only in whitespace and line breaks, since
it promises exact repeats.
"""
from __future__ import annotations

import hashlib
import re
from typing import Any, Callable, Iterable

# fold() works on UTF-8 bytes, where one C-level translate does most of it: ASCII
# punctuation, symbols and whitespace deleted, ASCII digits made 0; then the common non-ASCII
# punctuation (quotes, dashes, ellipsis, no-break and thin spaces) removed as byte strings.
_ASCII_DROP = bytes(b for b in range(128) if not chr(b).isalnum())
_ASCII_TABLE = bytes.maketrans(b"123456789", b"000000000")
_WIDE_DROP = tuple(c.encode("utf-8") for c in
                   "«»‹›“”„‟‘’‚‛—–‐‑‒―…·•№\u00a0\u2009\u202f\u2002\u2003\u200a\u2007\u2008"
                   "\u3000¡¿§©®™°")

_WIDE_RE = re.compile(b"|".join(re.escape(m) for m in _WIDE_DROP))

def fold(text: str) -> bytes:
    """``text`` for comparison only, as UTF-8 bytes: case folded, every digit a ``0``,
    punctuation, quotes and whitespace removed (``"Hello, world!"`` and ``«hello world»`` fold
    alike). Fast: byte translation, not a regular expression."""
    return fold_folded(text.casefold())


def fold_folded(low: str) -> bytes:
    """:func:`fold` of text already case folded (``str.casefold``)."""
    data = low.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE, _ASCII_DROP)
    if not data.isascii():
        data = _WIDE_RE.sub(b"", data)
    return data


def digest(en: bytes | str, ru: bytes | str) -> bytes:
    """A 128-bit digest of the two sides (kept apart, so ``a|bc`` is not ``ab|c``)."""
    if isinstance(en, str):
        en = en.encode("utf-8", "surrogatepass")
    if isinstance(ru, str):
        ru = ru.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(en + b"\x00" + ru, digest_size=16).digest()


def normalised_key(en: str, ru: str) -> bytes:
    """The key of ``align clean``'s ``duplicate`` rule: both sides :func:`fold`-ed."""
    return digest(fold(en), fold(ru))


class Dedupe:
    """Remembers the pairs seen so far; :meth:`first` says which earlier pair one repeats.

    ``key`` maps the two sides to a digest (:func:`normalised_key`, or the whitespace-only key
    of ``--dedupe``, :func:`align.formats.pair_key`); the first pair with a key is kept.
    """

    def __init__(self, key: Callable[[str, str], bytes] = normalised_key) -> None:
        self.key = key
        self._first: dict[bytes, int] = {}

    def first(self, en: str, ru: str, number: int = 0) -> int | None:
        """The number of the earlier pair with the same key, or ``None`` (then this pair,
        ``number``, is remembered as the first)."""
        return self.first_key(self.key(en, ru), number)

    def first_key(self, key: bytes, number: int = 0) -> int | None:
        """:meth:`first` for a pair whose key is already computed."""
        earlier = self._first.get(key)
        if earlier is None:
            self._first[key] = number
        return earlier


def shingles(en: str, ru: str, size: int = 5) -> set[bytes]:
    """The character ``size``-grams of both :func:`fold`-ed sides (sides marked apart), as
    bytes for MinHash; a side shorter than ``size`` is one shingle. Characters, not words: a
    word added or dropped changes a few of a sentence's shingles, not most of them."""
    out: set[bytes] = set()
    for mark, text in ((b"e:", en), (b"r:", ru)):
        folded = fold(text).decode("utf-8", "surrogatepass")
        if len(folded) <= size:
            out.add(mark + folded.encode("utf-8", "surrogatepass"))
            continue
        out.update(mark + folded[i:i + size].encode("utf-8", "surrogatepass")
                   for i in range(len(folded) - size + 1))
    return out


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError:
        from ..errors import AlignError

        raise AlignError("near-duplicate detection needs datasketch: "
                         "pip install 'align[clean]'") from None
    return datasketch


#: The default Jaccard similarity of near-duplicates. 64 permutations estimate it within about
#: 0.05, so a pair one word away from another (true Jaccard 0.8-0.9) needs a bound below that.
NEAR_THRESHOLD = 0.7


class NearDuplicates:
    """Groups near-duplicate pairs with MinHash LSH and picks the best-scored of each group.

    Call :meth:`add` for every candidate pair in input order (``number`` increasing), then
    :meth:`losers` for the numbers of the pairs to drop, each with the number of the pair kept
    in its place. A pair joins the group of the earliest kept pair whose estimated Jaccard
    similarity (character 5-grams of both folded sides) is at least ``threshold``; within a group the
    highest score wins, the earliest on a tie, and a pair without a score loses to any scored
    one. MinHash uses a fixed seed, datasketch's ``affine32`` scheme and SHA-1 hashing: the same input gives the same
    groups on every machine.
    """

    def __init__(self, threshold: float = NEAR_THRESHOLD, num_perm: int = 64) -> None:
        ds = _datasketch()
        self.threshold = threshold
        self.num_perm = num_perm
        self._minhash = ds.MinHash
        # One set of permutations for all (making them is most of a MinHash's cost).
        template = ds.MinHash(num_perm=num_perm, seed=1, scheme="affine32")
        self._permutations, self._scheme = template.permutations, template.scheme
        # Weighted against misses: every candidate is checked on its estimate below, so a
        # false candidate costs a comparison, a missed one a duplicate left in.
        self._lsh = ds.MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
        self._hashes: dict[int, Any] = {}
        self._groups: dict[int, list[tuple[float, int]]] = {}

    def add(self, number: int, en: str, ru: str, score: float | None) -> None:
        import numpy as np

        mh = self._minhash(num_perm=self.num_perm, permutations=self._permutations,
                           scheme=self._scheme)
        mh.update_batch(sorted(shingles(en, ru)))
        rank = float("-inf") if score is None else float(score)
        candidates = sorted(self._lsh.query(mh))
        for leader in candidates:
            # The estimate itself, not only the LSH bucket: a bucket is a looser match.
            if float(np.mean(self._hashes[leader] == mh.hashvalues)) >= self.threshold:
                self._groups[leader].append((rank, number))
                return
        self._lsh.insert(number, mh)
        self._hashes[number] = mh.hashvalues
        self._groups[number] = [(rank, number)]

    def losers(self) -> dict[int, int]:
        """``{dropped number: kept number}`` over every group of two or more."""
        out: dict[int, int] = {}
        for members in self._groups.values():
            if len(members) < 2:
                continue
            best = max(members, key=lambda m: (m[0], -m[1]))[1]
            out.update((n, best) for _, n in members if n != best)
        return out


def near_duplicate_losers(items: Iterable[tuple[int, str, str, float | None]],
                          threshold: float = NEAR_THRESHOLD) -> dict[int, int]:
    """:class:`NearDuplicates` over ``(number, en, ru, score)`` items."""
    index = NearDuplicates(threshold)
    for number, en, ru, score in items:
        index.add(number, en, ru, score)
    return index.losers()
