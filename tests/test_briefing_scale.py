"""The briefing's cost follows what it shows (a few quotes per theme), not the corpus size."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import listenlens as ll
from listenlens.briefing.quotes import QuotePicker
from listenlens.provenance import consent as consent_module
from listenlens.synthetic import make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> ll.Corpus:
    root = tmp_path_factory.mktemp("scale") / "corpus"
    make_corpus(root, n_units=600, seed=3)
    return ll.load(root, progress=False)


class Counted:
    """An iterable of ids that counts how many were read."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.read = 0

    def __iter__(self) -> Iterator[str]:
        for uid in self.ids:
            self.read += 1
            yield uid


def test_picker_reads_only_as_many_units_as_it_needs(corpus: ll.Corpus) -> None:
    ids = [u.unit_id for u in corpus.unit_records if u.role != "facilitator"]
    picker = QuotePicker(corpus)
    counted = Counted(ids)
    lazy = picker.pick(counted, 2)
    assert len(lazy) == 2
    assert counted.read < len(ids) // 4  # a few units read, not the whole theme
    assert QuotePicker(corpus).pick(list(ids), 2) == lazy  # same quotes as from a list


def test_picker_prefers_readable_lengths_in_the_order_given(corpus: ll.Corpus) -> None:
    units = [u for u in corpus.unit_records if u.role != "facilitator"]
    short = [u.unit_id for u in units if len(u.text) < 40]
    good = [u.unit_id for u in units if 40 <= len(u.text) <= 320]
    assert short and len(good) > 10
    picked = QuotePicker(corpus).pick(short[:5] + good, 3)
    assert [q.unit_id for q in picked][0] in good  # a short one only when nothing else is left
    only_short = QuotePicker(corpus).pick(short[:5], 1)
    assert [q.unit_id for q in only_short] == short[:1]


def test_provenance_consent_rule_is_asked_once_per_consent_and_role(
        corpus: ll.Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = consent_module.quotable

    def counting(frame):
        calls.append(len(frame))
        return real(frame)

    monkeypatch.setattr(consent_module, "quotable", counting)
    picker = QuotePicker(corpus)
    units = list(corpus.unit_records)
    allowed = [picker.allowed(u) for u in units]
    pairs = {(u.consent, u.role) for u in units if u.consent == "quote" and u.role != "facilitator"}
    assert len(calls) == len(pairs) < len(units)
    assert allowed == [picker.allowed(u) for u in units] and any(allowed)
