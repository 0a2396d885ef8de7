"""Which words an export may show: only words enough people who agreed to be quoted used.

Theme keywords and labels are made from transcript words. A word only one speaker used can point
at that speaker, and a speaker whose consent is ``aggregate`` (count me, do not show my words) or
``paraphrase`` (say what I meant, not how I said it) did not agree to have their words printed.
So the **wording rule**: a keyword or label word is shown for a theme only when at least
:data:`MIN_PEOPLE` distinct people *whose consent is* ``quote`` used it in the theme's units.

- a *person* is a speaker pseudonym at one event (``event_id``, ``speaker_id``); a unit with no
  speaker written counts as a person of its own; facilitators are not counted;
- a word is *used* when it occurs in the unit's text as a whole word (case-insensitive; a
  two-word keyword must occur as that phrase);
- common words (English stop words) in a label need no support; every other word does;
- a keyword that fails is dropped; a label with a word that fails is replaced by the theme's
  shown keywords (``"bus; fares"``), or by the theme id when none is left;
- a label a researcher chose (renamed, pinned, or a codebook theme's name) is theirs, not a
  participant's, and is shown as it is.

:func:`allowed_words` applies the rule; :func:`shown_keywords` and :func:`shown_label` are what
the tables, the briefing and the community summaries print, and ``verify`` re-applies the same
rule to every keyword an export shows.

>>> from types import SimpleNamespace as U
>>> units = [U(unit_id=f"u{i}", event_id="e1", speaker_id=s, role="participant", consent=c,
...            text=t) for i, (s, c, t) in enumerate([("A", "quote", "The bus is late"),
...            ("B", "quote", "That bus again"), ("C", "aggregate", "Zorblax bus")])]
>>> shown_keywords(["bus", "zorblax"], units)
('bus',)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["MIN_PEOPLE", "UNNAMED", "WORDING_RULE", "allowed_words", "shown_keywords", "shown_label",
           "word_people", "label_words", "theme_wording", "ShownThemes"]

#: Distinct quote-consenting people who must have used a word before an export shows it.
MIN_PEOPLE = 2
#: The label of a theme none of whose words may be shown (and that has no id to show).
UNNAMED = "Unnamed theme"
#: The rule in one sentence (for methods sections and reports).
WORDING_RULE = (f"Keywords and labels use only words at least {MIN_PEOPLE} people who agreed to "
                "be quoted used in the theme.")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    try:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    except ImportError:  # pragma: no cover - scikit-learn is a dependency
        return frozenset({"the", "a", "an", "and", "or", "of", "in", "on", "to", "for", "at"})
    return frozenset(ENGLISH_STOP_WORDS)


def _norm(text: str) -> str:
    return " ".join(str(text).lower().replace("’", "'").split())


@lru_cache(maxsize=4096)
def _pattern(word: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in _norm(word).split()]
    return re.compile(r"(?<![\w'])" + r"\s+".join(parts) + r"(?![\w'])")


def _person(unit: Any) -> tuple[str, str] | None:
    if getattr(unit, "role", "") == "facilitator":
        return None
    return (str(unit.event_id), str(unit.speaker_id or unit.unit_id))


def word_people(word: str, units: Iterable[Any]) -> int:
    """How many distinct quote-consenting people used ``word`` in ``units``."""
    return _people_using(word, _speakers(units))


def _speakers(units: Iterable[Any]) -> list[tuple[tuple[str, str], str]]:
    """(person, normalised text) of every quote-consenting participant's unit."""
    return [(p, _norm(u.text)) for u in units
            if u.consent == "quote" and (p := _person(u)) is not None]


def _people_using(word: str, spoken: Sequence[tuple[tuple[str, str], str]],
                  enough: int | None = None) -> int:
    """Distinct people whose text has ``word``; the count stops at ``enough`` when given."""
    pattern = _pattern(word)
    people: set[tuple[str, str]] = set()
    for person, text in spoken:
        if person not in people and pattern.search(text):
            people.add(person)
            if enough is not None and len(people) >= enough:
                break
    return len(people)


def allowed_words(words: Iterable[str], units: Sequence[Any], *,
                  min_people: int = MIN_PEOPLE) -> dict[str, bool]:
    """For each word (or phrase): whether the wording rule lets an export show it, judged on
    the units it would describe (each text is normalised once, and the search for a word stops
    once ``min_people`` people used it)."""
    spoken = _speakers(units)
    return {w: _people_using(w, spoken, enough=max(int(min_people), 1)) >= min_people
            for w in words}


def shown_keywords(keywords: Iterable[str], units: Sequence[Any], *,
                   min_people: int = MIN_PEOPLE) -> tuple[str, ...]:
    """The keywords an export may show, in their order."""
    kws = [str(k) for k in keywords if str(k).strip()]
    ok = allowed_words(kws, units, min_people=min_people)
    return tuple(k for k in kws if ok[k])


def label_words(label: str) -> list[str]:
    """The words of a label that need support (not stop words, not numbers)."""
    tokens = re.findall(r"[\w']+", _norm(label))
    return [t for t in tokens if t not in _stop_words() and not t.isdigit() and len(t) > 1]


def shown_label(label: str, units: Sequence[Any], keywords: Sequence[str] = (), *,
                fallback: str = "", min_people: int = MIN_PEOPLE) -> str:
    """``label`` when every word of it passes the wording rule; otherwise the shown keywords
    joined with ``"; "`` (at most three), else ``fallback``."""
    ok = allowed_words(label_words(label), units, min_people=min_people)
    if all(ok.values()):
        return label
    kws = shown_keywords(keywords, units, min_people=min_people)[:3]
    return "; ".join(kws) if kws else (fallback or UNNAMED)


def theme_wording(themes: Any, *, min_people: int = MIN_PEOPLE
                  ) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Theme id -> (label, keywords) as an export may show them.

    ``themes`` is a fitted themes object (``corpus``, ``table`` with ``theme_id``, ``label`` and
    optionally ``keywords``, ``assignments``). A label the researcher chose (renamed, pinned or
    from a codebook: ``themes.pinned``) is the researcher's wording and is kept as it is; every
    other label and every keyword follows the wording rule on the theme's primary units. An
    object that does not say which labels are pinned was not made by listenlens's theme finder:
    its labels and keywords are its maker's, and nothing is returned for it (no rule applied).
    """
    corpus, table, asg = themes.corpus, themes.table, themes.assignments
    if not hasattr(themes, "pinned"):  # not made by the theme finder: the caller's own names
        return {}
    if "primary" in asg.columns:
        asg = asg[asg["primary"].astype(bool)]
    members: dict[str, list[str]] = {}
    for uid, tid in zip(asg["unit_id"].astype(str), asg["theme_id"].astype(str)):
        members.setdefault(tid, []).append(uid)
    by_id = {u.unit_id: u for u in corpus.unit_records}
    pinned = dict(getattr(themes, "pinned", None) or {})
    has_keywords = "keywords" in table.columns
    out: dict[str, tuple[str, tuple[str, ...]]] = {}
    for row in table.to_dict("records"):
        tid, label = str(row["theme_id"]), str(row["label"])
        units = [by_id[u] for u in members.get(tid, []) if u in by_id]
        raw = row.get("keywords") if has_keywords else None
        raw_kws = [str(k) for k in list(raw)] if raw is not None and not isinstance(raw, str) \
            else []
        kws = shown_keywords(raw_kws, units, min_people=min_people)
        if pinned.get(tid) != label:
            label = shown_label(label, units, kws, fallback=tid, min_people=min_people)
        out[tid] = (label, kws)
    return out


class ShownThemes:
    """Fitted themes as an export may show them: :attr:`table` has its labels and keywords
    through the wording rule (:func:`theme_wording`); every other attribute is the themes'
    own (read-only view, nothing is copied or changed).

    Give it to :func:`listenlens.track` so that trend tables, shift sentences and charts name
    themes with shown labels too.
    """

    def __init__(self, themes: Any, *, min_people: int = MIN_PEOPLE):
        self.themes = themes
        wording = theme_wording(themes, min_people=min_people)
        table = themes.table.copy()
        ids = table["theme_id"].astype(str)
        table["label"] = [wording[t][0] if t in wording else lab
                          for t, lab in zip(ids, table["label"])]
        if "keywords" in table.columns:
            table["keywords"] = [list(wording[t][1]) if t in wording else k
                                 for t, k in zip(ids, table["keywords"])]
        self.table = table

    def __getattr__(self, name: str) -> Any:
        if name == "themes":  # not set yet (e.g. while unpickling)
            raise AttributeError(name)
        return getattr(self.themes, name)
