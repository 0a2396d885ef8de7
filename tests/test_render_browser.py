"""Real rendering: the HTML briefing opened in headless Chromium.

Chromium loads the saved page from a ``file://`` URL, dumps its DOM and takes a screenshot, with
console messages logged to stderr and every network event written to a NetLog. The checks:

- no console message at all (the page has no scripts, so any message is a problem; a blocked
  request shows up here as a Content-Security-Policy violation);
- no network request started by the page (NetLog requests whose isolation key is the
  ``file://`` page; Chromium's own background requests are not the page's);
- the text of a known quote is in the rendered DOM, and the hostile ``<script>`` quote is text;
- the screenshot exists and is not blank.

Two negative controls prove the checks can fail: a page with an external image and no CSP
(caught by the NetLog) and the same with the CSP (caught on the console).

Chromium comes from the Debian ``chromium`` package, installed by the README's test command
(``make test`` runs ``make browser``, which installs it with apt-get when run as root). These tests
only look for it (``$LISTENLENS_CHROMIUM``, then ``chromium`` / ``chromium-browser`` on the path):
when it is missing they fail in CI (``CI`` set) and skip locally, saying how to install it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from briefing_pages import KNOWN_QUOTE, SCRIPT_QUOTE, hand_made_content
from listenlens.briefing import Briefing, render_html

pytestmark = pytest.mark.browser

_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
          "--no-first-run", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0"]


def _find_chromium() -> str | None:
    """The Chromium binary to use: ``$LISTENLENS_CHROMIUM`` if set, else the first on the path."""
    configured = os.environ.get("LISTENLENS_CHROMIUM")
    if configured:
        return shutil.which(configured)
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


MISSING = ("headless Chromium is not installed: `make browser` installs it (as root, with "
           "`apt-get install -y chromium`), or set LISTENLENS_CHROMIUM to its path")


def require_chromium() -> str:
    """The Chromium binary, or a clear reason: a failure in CI (``CI`` set), a skip elsewhere."""
    found = _find_chromium()
    if found:
        return found
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"browser rendering tests cannot run in CI: {MISSING}")
    pytest.skip(MISSING)


@pytest.fixture(scope="session")
def chromium() -> str:
    return require_chromium()


@dataclass
class Render:
    dom: str
    console: list[str]
    page_requests: list[str]
    screenshot: Path | None


def _page_requests(netlog: Path) -> list[str]:
    """URLs the page itself asked for (not Chromium's background traffic)."""
    data = json.loads(netlog.read_text(encoding="utf-8"))
    start = data["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in data["events"]:
        params = event.get("params") or {}
        if event.get("type") != start or "url" not in params:
            continue
        key = str(params.get("network_isolation_key", ""))
        if key.startswith("file://") or params.get("initiator") == "null":
            urls.append(str(params["url"]))
    return urls


def render(chromium: str, page: Path, work: Path, *, screenshot: bool = False) -> Render:
    """Open ``page`` in headless Chromium: DOM, console messages, page requests, screenshot."""
    work.mkdir(parents=True, exist_ok=True)
    netlog = work / "netlog.json"
    args = [chromium, *_FLAGS, f"--user-data-dir={work / 'profile'}",
            f"--log-net-log={netlog}", "--dump-dom", page.resolve().as_uri()]
    run = subprocess.run(args, capture_output=True, text=True, timeout=45)
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    shot = None
    if screenshot:
        shot = work / "screenshot.png"
        subprocess.run([chromium, *_FLAGS, f"--user-data-dir={work / 'profile2'}",
                        "--hide-scrollbars", "--window-size=1200,2200",
                        f"--screenshot={shot}", page.resolve().as_uri()],
                       capture_output=True, text=True, timeout=45, check=True)
    return Render(run.stdout, console, _page_requests(netlog), shot)


@pytest.fixture(scope="module")
def briefing_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Briefing(hand_made_content()).save(tmp_path_factory.mktemp("b") / "briefing.html")


def test_briefing_renders_cleanly(chromium: str, briefing_page: Path, tmp_path: Path) -> None:
    r = render(chromium, briefing_page, tmp_path, screenshot=True)
    assert r.console == [], "console messages:\n" + "\n".join(r.console)
    assert r.page_requests == [], f"the page made network requests: {r.page_requests}"
    assert KNOWN_QUOTE in r.dom
    assert "<script>alert" not in r.dom and "&lt;script&gt;alert" in r.dom
    assert r.dom.count("<script") == 1  # only the inert JSON evidence block
    from PIL import Image

    assert r.screenshot is not None and r.screenshot.stat().st_size > 20_000
    with Image.open(r.screenshot) as img:
        assert img.size == (1200, 2200)
        colours = img.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert len(colours) > 50, "screenshot looks blank"


def test_briefing_prints_to_pdf(chromium: str, briefing_page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "briefing.pdf"
    subprocess.run([chromium, *_FLAGS, f"--user-data-dir={tmp_path / 'profile'}",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    briefing_page.resolve().as_uri()],
                   capture_output=True, text=True, timeout=45, check=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # a multi-page printed briefing


def test_negative_control_external_request_is_caught(chromium: str, briefing_page: Path,
                                                     tmp_path: Path) -> None:
    page = briefing_page.read_text(encoding="utf-8")
    leak = '<img src="http://127.0.0.1:9/pixel.png" alt="tracker">'
    no_csp = tmp_path / "no-csp.html"
    no_csp.write_text(page.replace('<meta http-equiv="Content-Security-Policy"', "<meta x")
                      .replace("</main>", leak + "</main>"), encoding="utf-8")
    assert "http://127.0.0.1:9/pixel.png" in render(chromium, no_csp, tmp_path / "a").page_requests

    with_csp = tmp_path / "with-csp.html"
    with_csp.write_text(page.replace("</main>", leak + "</main>"), encoding="utf-8")
    r = render(chromium, with_csp, tmp_path / "b")
    assert r.page_requests == []
    assert any("Content Security Policy" in line for line in r.console)


def test_hostile_quote_stays_text_in_the_dom(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "hostile.html"
    page.write_text(render_html(hand_made_content()), encoding="utf-8")
    r = render(chromium, page, tmp_path / "r")
    assert r.console == []
    # the browser's own serialisation of the text node carries the quote, escaped
    assert SCRIPT_QUOTE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") in r.dom


def test_missing_chromium_fails_in_ci_and_skips_locally(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to find on the path
    monkeypatch.setenv("LISTENLENS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    assert _find_chromium() is None
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        require_chromium()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        require_chromium()


def test_chromium_is_found_on_the_path_or_where_configured(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("LISTENLENS_CHROMIUM", raising=False)
    assert _find_chromium() == str(fake)
    other = tmp_path / "elsewhere" / "my-chromium"
    other.parent.mkdir()
    other.write_bytes(fake.read_bytes())
    other.chmod(0o755)
    monkeypatch.setenv("LISTENLENS_CHROMIUM", str(other))
    assert _find_chromium() == str(other) and require_chromium() == str(other)
