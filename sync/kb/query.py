"""The FTS5 MATCH expression for a user's query, built so that user text is never syntax.

Every token reaches FTS5 inside double quotes, and tokens only ever hold letters, digits and
Chinese characters (the segmenter drops everything else), so an unbalanced quote, ``AND``,
``NEAR``, ``*``, ``-``, ``:`` or a column name typed by the user is a plain word or nothing.
The only operators in the expression are the ones written here: OR, AND, parentheses and the
prefix star on the Latin word still being typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sync.kb.segment import QueryTerm

# A query longer than this is a pasted paragraph: its codes and rarest words say enough (the
# index keeps those, ``KbIndex``), and every extra OR branch is another posting list to merge.
MAX_TERMS = 16


@dataclass(frozen=True, slots=True)
class MatchGroup:
    """One query term as FTS5 syntax, with the token runs it may match (for frequency guesses
    and for how well an article matched); ``fallbacks`` are weaker stand-ins for a word the
    index lacks (a homophone's correction, or its characters, all of them), each a set of
    tokens an article must all hold."""

    expression: str
    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool
    word: str = ""  # the Chinese word as typed (after folding), for typo windows
    fallbacks: tuple[tuple[str, ...], ...] = ()
    variant: bool = False  # a second Simplified form's word: dropped if no article holds it

    def with_synonyms(self, runs: Sequence[tuple[str, ...]]) -> MatchGroup:
        """This group, also matched in full by each token run of ``runs`` (a spoken form's
        article words)."""
        fresh = [run for run in runs if run and run not in self.alternatives]
        if not fresh:
            return self
        choices = [self.expression, *(quoted(run) for run in fresh)]
        return MatchGroup(
            "(" + " OR ".join(choices) + ")",
            (*self.alternatives, *fresh),
            self.prefix,
            self.word,
            self.fallbacks,
            self.variant,
        )

    def with_fallbacks(self, fallbacks: Sequence[tuple[str, ...]]) -> MatchGroup:
        """This group, also matched by each of ``fallbacks`` (its tokens AND'ed)."""
        if not fallbacks:
            return self
        choices = [self.expression]
        for tokens in fallbacks:
            all_of = " AND ".join(quoted([token]) for token in tokens)
            choices.append(all_of if len(tokens) == 1 else f"({all_of})")
        return MatchGroup(
            "(" + " OR ".join(choices) + ")",
            self.alternatives,
            self.prefix,
            self.word,
            (*self.fallbacks, *fallbacks),
            self.variant,
        )


def quoted(tokens: Sequence[str]) -> str:
    """Tokens as one FTS5 phrase (user text is never syntax)."""
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _useful(term: QueryTerm) -> bool:
    # A lone Latin letter (the "t" of won't, an "a" typed on its own) matches too much to help.
    return term.cjk or len(term.phrase) > 1 or len(term.phrase[0]) > 1 or term.phrase[0].isdigit()


def match_groups(terms: Sequence[QueryTerm], *, open_end: bool, prefix: bool) -> list[MatchGroup]:
    """One group per distinct useful term, in the order typed (all of them: a long text is
    cut down by weight in ``KbIndex``).

    ``open_end`` says the user is still typing the last word: with ``prefix`` a Latin last
    word becomes a prefix query (printe matches printer). Chinese words are never prefixes: an
    IME commits whole words, and the sub-words of long words are indexed already.
    """
    kept: list[QueryTerm] = []
    seen: set[tuple[str, ...]] = set()
    for term in terms:
        if term.phrase in seen or not _useful(term):
            continue
        seen.add(term.phrase)
        kept.append(term)
    groups: list[MatchGroup] = []
    for term in kept:
        typing = prefix and open_end and term is terms[-1] and not term.cjk
        # A one-character prefix ("e 1"* while E-17 is typed) walks most of the index.
        star = "*" if typing and len(term.phrase[-1]) > 1 else ""
        runs: list[tuple[str, ...]] = [term.phrase]
        choices = [quoted(term.phrase) + star]
        if term.joined:
            runs.append((term.joined,))
            choices.append(quoted([term.joined]) + ("*" if typing and len(term.joined) > 2 else ""))
        for alternative in term.alternatives:
            runs.append((alternative,))
            choices.append(quoted([alternative]))
        expression = choices[0] if len(choices) == 1 else "(" + " OR ".join(choices) + ")"
        word = term.phrase[0] if term.cjk else ""
        groups.append(MatchGroup(expression, tuple(runs), bool(star), word, (), term.variant))
    return groups


def any_of(groups: Sequence[MatchGroup]) -> str:
    return " OR ".join(group.expression for group in groups)


def narrowed(narrowing: Sequence[MatchGroup], groups: Sequence[MatchGroup]) -> str:
    """Articles holding one of the ``narrowing`` (rare) terms, ranked by all of ``groups``.

    BM25 scores every phrase in the expression, so the common words still order the results;
    they just no longer pull every article that holds them into the ranking.
    """
    if len(narrowing) >= len(groups):
        return any_of(groups)
    return f"({any_of(narrowing)}) AND ({any_of(groups)})"
