"""Shared by the briefing tests: a hand-made briefing content model (with hostile transcript
text) and a small HTML parser for the structure, accessibility and safety checks."""

from __future__ import annotations

from html.parser import HTMLParser

from listenlens.briefing import (
    Appendix,
    Ask,
    BriefingContent,
    Credit,
    Difference,
    Figure,
    Quote,
    Scope,
    Shift,
    ThemeSummary,
)
from listenlens.briefing.charts import themes_chart

SCRIPT_QUOTE = 'The form said <script>alert("x")</script> & <b>bold</b> — we need a ramp.'
KNOWN_QUOTE = "The 42 bus never comes on time, so I miss my hospital appointments."

#: The h2 sections of a briefing, in the order issue 7 asks for.
SECTIONS = ["Who we heard from", "What people raised most", "How priorities changed",
            "Differences between communities", "What people asked for", "In their own words",
            "How this briefing was made", "Provenance appendix", "Thank you"]


def _quote(uid: str, text: str, community: str, n: int) -> Quote:
    return Quote(uid, text, community, "2024-03-0" + str(n), f"Participant {n}", f"e0{n}",
                 f"e0{n}.txt", ((10, 10 + len(text)),))


def hand_made_content() -> BriefingContent:
    """A small but complete briefing, including hostile transcript text."""
    q1 = _quote("u-aaa", KNOWN_QUOTE, "Northfield", 1)
    q2 = _quote("u-bbb", SCRIPT_QUOTE, "Riverside <Tenants>", 2)
    q3 = _quote("u-ccc", "Please could you put a bench at the stop.", "Northfield", 3)
    themes = (
        ThemeSummary("t-transport", "Buses & transport", "12 people raised this at 4 events.",
                     12, 4, 2, 0.4, "Raised at 4 events by 2 communities: Northfield (3), "
                     "Riverside <Tenants> (1).", ("bus", "stop"), (q1, q3)),
        ThemeSummary("t-access", "Access <ramps>", "7 people raised this at 2 events.", 7, 2, 1,
                     0.23, "Raised at 2 events by 1 community: Riverside <Tenants> (2).",
                     ("ramp",), (q2,)),
    )
    return BriefingContent(
        title="Health & care: what we heard <2024>",
        subtitle="Prepared for the <commissioning> board",
        scope=Scope(6, ("Northfield", "Riverside <Tenants>"), "2024-01-10", "2024-06-30", 30, 210),
        themes=themes,
        shifts=(Shift("Transport was raised more in spring than in winter.", "up",
                      (("Then (Q1 2024)", "20%"), ("Now (Q2 2024)", "40%")),
                      "The 95% range of the change runs from 5 to 35 points.", "t-transport",
                      "Buses & transport <all>"),
                Shift("Access held steady.", "steady", (("Then (Q1 2024)", "10%"),), "",
                      "t-access", "Access <ramps>")),
        differences=(Difference("Riverside <Tenants>", "Riverside <Tenants> raised access "
                                "more than others.", "t-access"),),
        asks=(Ask("t-transport", "Buses & transport", 5, 2,
                  "5 people in 2 communities asked for something to change.", (q3,)),),
        methods=("We grouped what people said by subject.",),
        limitations=("Not a random sample.",),
        appendix=Appendix("abc123", (("e01.txt", "f" * 64),), (("listenlens", "0.1"),),
                          (("themes.seed", "0"),)),
        credits=(Credit("Northfield", 3, 18, "2024-01-10", "2024-06-30"),
                 Credit("Riverside <Tenants>", 3, 12, "2024-02-01", "2024-05-01")),
        charts=(themes_chart(themes),),
        figures=(Figure("theme-count:t-transport", "theme_speakers", 12, ("u-aaa", "u-ccc"),
                        theme_id="t-transport"),),
        listenlens_version="0.1.0.dev0",
    )


class _Structure(HTMLParser):
    """Collects what the accessibility and safety checks need from an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.images: list[dict[str, str | None]] = []
        self.th: list[dict[str, str | None]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.urls: list[str] = []
        self.metas: list[dict[str, str | None]] = []
        self._heading: int | None = None
        self._script = False
        self.text: list[str] = []
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = int(tag[1])
            self.headings.append((self._heading, ""))
        elif tag == "img":
            self.images.append(a)
        elif tag == "th":
            self.th.append(a)
        elif tag == "script":
            self.scripts.append(a)
            self._script = True
        elif tag == "meta":
            self.metas.append(a)
        for key in ("src", "href", "srcset", "action", "data", "poster"):
            if a.get(key):
                self.urls.append(str(a[key]))

    def handle_endtag(self, tag: str) -> None:
        if tag.startswith("h") and tag[1:].isdigit():
            self._heading = None
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script:
            self.script_text.append(data)
            return
        self.text.append(data)
        if self._heading is not None:
            level, text = self.headings[-1]
            self.headings[-1] = (level, text + data)


def parse(html: str) -> _Structure:
    p = _Structure()
    p.feed(html)
    return p


def check_heading_order(levels: list[int]) -> None:
    assert levels[0] == 1 and levels.count(1) == 1
    for prev, cur in zip(levels, levels[1:]):
        assert cur <= prev + 1, f"heading level jumps from h{prev} to h{cur}"
