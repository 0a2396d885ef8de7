"""Who a ``Label:`` at the start of a typed note is: a person, a topic, or the note's writer.

In transcripts, ``Name:`` starts a turn. In notes typed in Markdown or Word, the same shape also
heads a topic (``Pension Credit: ...``, ``Adaptations: ...``, ``Positive: ...``) or marks the
writer's own remark (``Me: ...``). Read as speakers, each would count as one more person in
speaker-weighted figures. For notes formats (``md``, ``docx``) the loader decides, in order:

1. a label the event's consent roster names (a row of consent.csv for that speaker) is a
   **person**, whatever it looks like;
2. ``Me``, ``Myself``, ``I``, ``Scribe``, ``Us``, ``We`` is the **writer**: kept as the unit's
   speaker label with role ``facilitator`` (the writer is not a participant), and
   ``extra["speaker_as"] == "note-taker"``;
3. a label with a topic word (``pension``, ``credit``, ``positive``, ``concerns``,
   ``adaptations``, ... see :data:`TOPIC_WORDS`) or a word of seven letters or more ending like
   a topic noun (``-tion``, ``-sion``, ``-ment``, ``-ness``, ``-ity``, ``-ive``, ``-ism``,
   ``-ship``, plurals too) is a **topic**: the unit gets no speaker, the label is appended to
   its ``context`` and kept in ``extra["label"]``;
4. anything else is a **person**, as before.

Each label treated as a topic or as the writer is reported once per file in the load report
(:attr:`listenlens.Corpus.warnings`). Transcript formats (txt, vtt, srt, tables) are unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Collection

__all__ = ["NOTE_FORMATS", "TOPIC_WORDS", "WRITER_LABELS", "label_kind"]

#: Formats whose ``Label:`` prefixes are checked (typed notes, not transcripts).
NOTE_FORMATS = frozenset({"md", "docx"})
#: Labels that mean the person who typed the notes.
WRITER_LABELS = frozenset({"me", "myself", "i", "scribe", "us", "we"})
#: Words that make a label a topic heading rather than a name.
TOPIC_WORDS = frozenset(["positive", "positives", "negative", "negatives", "pros", "cons", "plus", "minus", "good", "bad", "concern", "concerns", "issue", "issues", "problem", "problems", "idea", "ideas", "action", "actions", "feedback", "comment", "comments", "question", "questions", "answer", "answers", "response", "responses", "background", "context", "suggestion", "suggestions", "recommendation", "recommendations", "priority", "priorities", "barrier", "barriers", "support", "services", "service", "housing", "transport", "travel", "health", "money", "cost", "costs", "bills", "energy", "food", "benefit", "benefits", "pension", "pensions", "credit", "repairs", "repair", "adaptations", "adaptation", "access", "safety", "parking", "buses", "bus", "education", "school", "schools", "jobs", "employment", "welfare", "council", "rent", "heating", "damp", "mould", "crime", "noise", "litter", "parks", "wellbeing", "loneliness", "isolation", "overall", "general", "other", "misc", "miscellaneous", "outcome", "outcomes", "summary", "theme", "themes", "topic", "topics", "point", "points", "aside", "update", "updates", "quote", "quotes", "key", "takeaway", "takeaways", "learning", "learnings", "challenge", "challenges", "need", "needs", "worry", "worries", "hope", "hopes"])
_TOPIC_SUFFIX = re.compile(r"(?:tion|sion|ment|ness|ity|ities|ive|ism|ship)s?$")
_WORD = re.compile(r"[^\W\d_]+")


def _topic_word(word: str) -> bool:
    w = word.casefold()
    return w in TOPIC_WORDS or (len(w) >= 7 and bool(_TOPIC_SUFFIX.search(w)))


def label_kind(label: str, roster: Collection[str] = ()) -> str:
    """``"person"``, ``"writer"`` or ``"topic"`` for a note's ``Label:`` (see the module
    docstring); ``roster`` holds the event's consent-roster labels, normalised.

    >>> [label_kind(x) for x in ("Amina", "Pension Credit", "Positive", "Me", "Clive")]
    ['person', 'topic', 'topic', 'writer', 'person']
    >>> label_kind("Florence Action", roster={"florence action"})
    'person'
    """
    from ..ids import normalise_label

    norm = normalise_label(label)
    if norm in roster:
        return "person"
    if norm in WRITER_LABELS:
        return "writer"
    if any(_topic_word(w) for w in _WORD.findall(label)):
        return "topic"
    return "person"
