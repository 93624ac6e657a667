"""Bounded "是不是…" guesses: the close name for a misspelt unit, id or area.

A guess compares the word with candidates by :class:`difflib.SequenceMatcher`,
which costs one comparison per candidate. Unbounded, a thousand files with a
misspelt ``unit:`` against a plan of ten thousand units cost ten million of
them. Here the work per run is bounded, whatever the data:

- a name that is a candidate once NFKC-normalised (``７.１`` for ``7.1``) is
  answered without any comparison;
- candidates are indexed by character once per run; a guess ranks them by the
  characters they share with the word (an upper bound of the similarity) and
  compares at most :data:`COMPARISONS` of them, best bound first;
- a misspelling seen before is answered from a memo;
- at most :data:`GUESSES` distinct guesses are made per :class:`Suggester`
  (one run of the checks); past that, hints say nothing rather than cost time.

This module does not read files or print; it returns names.
"""

from __future__ import annotations

import difflib
import heapq
import unicodedata
from collections import Counter
from collections.abc import Collection, Sequence

GUESSES = 200
"""Distinct guesses per run; past this many a hint carries no "是不是"."""

COMPARISONS = 32
"""Full comparisons per guess, taken in order of the character-overlap bound."""


def plain(word: str) -> str:
    """What a Chinese input method types (７.１, full-width letters) as the plan writes it (7.1)."""
    return unicodedata.normalize("NFKC", word).strip()


class _Pool:
    """One set of candidates, indexed by length and character for cheap ranking."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.members = frozenset(names)
        # length → character → [names holding it at least once, at least twice, …]: the shared
        # count of a candidate is then how many of the word's lists hold it, counted in C.
        self._index: dict[int, dict[str, list[list[str]]]] = {}
        for name in names:
            chars = self._index.setdefault(len(name), {})
            for ch, count in Counter(name).items():
                lists = chars.setdefault(ch, [])
                while len(lists) < count:
                    lists.append([])
                for level in range(count):
                    lists[level].append(name)
        self.memo: dict[tuple[str, float, frozenset[str]], str | None] = {}

    def _ranked(self, word: str, cutoff: float, exclude: frozenset[str]) -> list[tuple[float, str]]:
        """The :data:`COMPARISONS` candidates sharing most characters with ``word``, with that bound.

        The bound is SequenceMatcher.quick_ratio: no alignment matches more characters than the
        two strings share. Within one length the bound orders as the shared count does.
        """
        wanted = Counter(word).items()
        found: list[tuple[float, str]] = []
        for length, chars in self._index.items():
            shared: Counter[str] = Counter()
            for ch, want in wanted:
                for names in chars.get(ch, ())[:want]:
                    shared.update(names)
            for name, count in shared.most_common(COMPARISONS + len(exclude)):
                score = 2.0 * count / (len(word) + length)
                if score < cutoff:
                    break
                if name not in exclude:
                    found.append((score, name))
        return heapq.nlargest(COMPARISONS, found, key=lambda pair: pair[0])

    def close(self, word: str, cutoff: float, exclude: frozenset[str]) -> str | None:
        """The candidate most like ``word`` with a ratio ≥ ``cutoff``, as difflib would rank it,
        comparing only the :data:`COMPARISONS` candidates that share the most characters."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)  # as difflib.get_close_matches does: the word is seq2
        best: tuple[float, str] | None = None
        for bound, name in self._ranked(word, cutoff, exclude):
            if best is not None and bound < best[0]:
                break  # ranked by bound: nothing further can beat what is found
            matcher.set_seq1(name)
            score = matcher.ratio()
            if score >= cutoff and (best is None or (score, name) > best):
                best = (score, name)
        return best[1] if best else None


def _within(exclude: Collection[str], pool: _Pool) -> frozenset[str]:
    """The excluded names that are candidates, walking the smaller side (a report may hold 150 000 keys)."""
    if not exclude:
        return frozenset()
    if len(exclude) < len(pool.names):
        return frozenset(n for n in exclude if n in pool.members)
    return frozenset(n for n in pool.names if n in exclude)


class Suggester:
    """The guesses of one run of the checks: memo per misspelling and a cap on distinct guesses."""

    def __init__(self, guesses: int = GUESSES) -> None:
        self._left = guesses
        self._pools: dict[tuple[str, ...], _Pool] = {}
        self._last: tuple[Sequence[str], _Pool] | None = None

    def _pool(self, candidates: Sequence[str]) -> _Pool:
        # The same list asked again (a rule's loop over 10 000 tasks) is found without a copy.
        if self._last is not None and self._last[0] is candidates:
            return self._last[1]
        names = tuple(dict.fromkeys(candidates))
        pool = self._pools.get(names)
        if pool is None:
            pool = self._pools[names] = _Pool(names)
        self._last = (candidates, pool)
        return pool

    @property
    def spent(self) -> bool:
        """No guesses left: callers may skip preparing candidates."""
        return self._left <= 0

    def close(
        self, word: str, candidates: Sequence[str], cutoff: float = 0.5, exclude: Collection[str] = ()
    ) -> str | None:
        """The candidate ``word`` was likely meant to be, or ``None``.

        ``exclude``: candidates not to offer (an id the report already has). ``candidates`` is
        indexed once per run and found again by identity: pass a list that does not change.
        """
        pool = self._pool(candidates)
        if (fixed := plain(word)) != word and fixed in pool.members:
            return fixed
        if self.spent and not pool.memo:
            return None
        kept = _within(exclude, pool)
        key = (word, cutoff, kept)
        if key in pool.memo:
            return pool.memo[key]
        if self.spent:
            return None
        self._left -= 1
        found = pool.memo[key] = pool.close(word, cutoff, kept)
        return found

    def hint(self, word: str, candidates: Sequence[str], cutoff: float = 0.5, exclude: Collection[str] = ()) -> str:
        """``是不是“…”？`` for the close candidate, or nothing."""
        found = self.close(word, candidates, cutoff, exclude)
        return f"是不是“{found}”？" if found else ""
