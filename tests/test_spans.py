import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from listenlens.spans import (
    collapse_ws,
    line_of,
    normalise_newlines,
    source_spans,
    span_text,
    text_map,
    unescape,
)


def test_span_text_joins_collapses_and_unescapes():
    src = 'Ann: "fish &amp; chips"\n  tonight'
    assert span_text(src, [(6, 23), (23, 33)], "html") == "fish & chips\" tonight"
    assert span_text('say ""hi""', [(0, 10)], "csv") == 'say "hi"'
    assert span_text(r"caf\u00e9 \"x\"", [(0, 15)], "json") == 'café "x"'


def test_unknown_escape_is_an_error():
    with pytest.raises(ValueError):
        unescape("x", "rot13")


def test_newlines_and_lines():
    assert normalise_newlines("a\r\nb\rc\n") == "a\nb\nc\n"
    assert line_of("a\nb\nc", 0) == 1
    assert line_of("a\nb\nc", 2) == 2


@pytest.mark.parametrize("escape,raw", [
    ("none", "  we  need\n\tbuses  "),
    ("csv", 'she said ""no""  twice'),
    ("html", "fish&nbsp;&amp; chips &lt;3 &unknown; x"),
    ("json", r"line\nbreak \"q\" caf\u00e9 \ud83d\ude00 end"),
])
def test_text_map_agrees_with_span_text(escape, raw):
    src = "XX" + raw + "YY"
    spans = [(2, 2 + len(raw))]
    text, where = text_map(src, spans, escape)
    assert text == span_text(src, spans, escape)
    assert len(where) == len(text)
    # every mapped range lies inside the span
    assert all(2 <= s < e <= 2 + len(raw) for s, e in where)
    # any sub-range of the text maps back to spans that re-derive it
    for a in range(len(text)):
        for b in range(a + 1, len(text) + 1, max(1, len(text) // 5)):
            sub = text[a:b].strip()
            if not sub:
                continue
            a2 = a + (len(text[a:b]) - len(text[a:b].lstrip()))
            b2 = a2 + len(sub)
            assert span_text(src, source_spans(src, where, a2, b2), escape) == sub


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
       st.integers(0, 40), st.integers(0, 40))
def test_text_map_property(raw, cut1, cut2):
    spans = [(0, min(cut1, len(raw))), (min(cut1, len(raw)), len(raw))]
    text, where = text_map(raw, spans)
    assert text == span_text(raw, spans) == collapse_ws(raw)
    lo, hi = sorted((min(cut2, len(text)), min(cut1, len(text))))
    sub = text[lo:hi]
    if sub.strip() and sub == sub.strip():
        assert span_text(raw, source_spans(raw, where, lo, hi)) == sub
