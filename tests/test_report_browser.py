"""The HTML report in a real browser: headless Chromium renders it to a screenshot and a DOM.

Checks that the page has content (the DOM and the pixels), raises no script error, and asks
the network for nothing. Needs Chromium (Debian: ``apt-get install chromium``; `.ci/run`
installs it where it can); skipped with that message where it is not installed.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import SampleReport

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    # Console messages (and uncaught errors) go to stderr; --v=1 also logs every network
    # request; no host resolves, so a page that needed the network would visibly break.
    "--enable-logging=stderr",
    "--v=1",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
# The browser's own housekeeping (time sync, update checks, accounts) despite the flags
# above: requests of the browser process, not of the page.
BROWSER_HOSTS = re.compile(r"(^|\.)(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$")
REQUEST = re.compile(r"NotifyBeforeURLRequest: (\S+)")
CONSOLE = re.compile(r":CONSOLE[:(\]]")


def browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium not installed: apt-get install chromium")


def run_browser(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [browser(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def decode_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and the unfiltered RGB(A) rows of an 8-bit PNG (stdlib only)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, []
    width = height = colour = depth = 0
    while pos < len(data):
        (size,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + size]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + size
    assert depth == 8 and colour in (2, 6), (depth, colour)
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    previous = bytearray(stride)
    rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        previous = line
    if bpp == 4:  # drop alpha
        rows = [bytes(b for i, b in enumerate(row) if i % 4 != 3) for row in rows]
    return width, height, rows


def pixels(rows: list[bytes]) -> set[tuple[int, int, int]]:
    return {(row[i], row[i + 1], row[i + 2]) for row in rows[::4] for i in range(0, len(row), 12)}


@pytest.fixture(scope="module")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, sample_report: SampleReport
) -> dict[str, object]:
    browser()  # skip early when there is none
    folder = tmp_path_factory.mktemp("browser")
    page = folder / "report.html"
    shutil.copy(sample_report.html, page)
    png = folder / "report.png"
    shot = run_browser(page, folder / "profile", f"--screenshot={png}", "--window-size=1280,2000")
    dom = run_browser(page, folder / "profile", "--dump-dom")
    phone = folder / "phone.png"
    small = run_browser(page, folder / "profile", f"--screenshot={phone}", "--window-size=390,844")
    return {
        "png": png,
        "phone": phone,
        "dom": dom.stdout,
        "logs": shot.stderr + dom.stderr + small.stderr,
    }


def test_screenshot_is_not_blank(rendered: dict[str, object]) -> None:
    png = rendered["png"]
    assert isinstance(png, Path) and png.is_file()
    assert png.stat().st_size > 30_000  # a blank 1280×2000 page is a few kB
    width, height, rows = decode_png(png)
    assert (width, height) == (1280, 2000)
    colours = pixels(rows)
    assert len(colours) > 50  # text, cards, charts: not one flat colour
    assert len(set(rows)) > 200  # and not a few repeated lines
    # The failed checks are drawn red (#c62828 on #fdecea).
    assert any(r > 150 and g < 90 and b < 90 for r, g, b in colours)


def test_phone_screenshot_is_not_blank(rendered: dict[str, object]) -> None:
    phone = rendered["phone"]
    assert isinstance(phone, Path)
    width, _, rows = decode_png(phone)
    assert width == 390
    assert len(pixels(rows)) > 20


def test_dom_has_the_report(rendered: dict[str, object]) -> None:
    dom = str(rendered["dom"])
    assert "<title>店铺体检报告 · 默认 · 2026-11-20</title>" in dom
    for text in ("基础服务考核分", "2.95", "今日待办", "待跟进揽收订单", "失分最多的 3 项", "诊断"):
        assert text in dom, text
    assert dom.count("<svg") == 10  # five charts, each for the page and for a phone


def test_no_script_error_or_console_message(rendered: dict[str, object]) -> None:
    logs = str(rendered["logs"])
    assert "Uncaught" not in logs
    assert not [line for line in logs.splitlines() if CONSOLE.search(line)]


def test_the_page_requests_nothing_from_the_network(rendered: dict[str, object]) -> None:
    requested = REQUEST.findall(str(rendered["logs"]))
    from_page = [u for u in requested if not BROWSER_HOSTS.search(urlsplit(u).hostname or "")]
    assert from_page == []


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """The same log checks catch a page with a script error and a network resource."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html><body><p>x</p><img src="https://cdn.example.com/x.png">'
        '<script>throw new Error("boom")</script></body></html>',
        encoding="utf-8",
    )
    done = run_browser(bad, tmp_path / "profile", f"--screenshot={tmp_path / 'bad.png'}")
    assert "Uncaught Error: boom" in done.stderr
    assert [line for line in done.stderr.splitlines() if CONSOLE.search(line)]
    requested = REQUEST.findall(done.stderr)
    if requested:  # this Chromium logs requests at --v=1
        assert "https://cdn.example.com/x.png" in requested


# ------------------------------------------------------------- a phone, and print (SPEC §14)

PHONE = (390, 844)
# Everything the phone tests check, measured in one pass: the page's width, each chart (the
# drawing shown, its box and its card's, every label's box), the tables' scroll boxes, the
# lists folded or not.
MEASURE = """(() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  const rows = [...document.querySelectorAll('details tbody tr')];
  return {
    viewport: window.innerWidth,
    scrollWidth: document.documentElement.scrollWidth,
    // elements reaching past the screen's right edge, outside the tables' scroll boxes
    outside: [...document.querySelectorAll('body *')]
      .filter(e => !e.closest('.table-wrap') && e.getBoundingClientRect().right > WIDTH + 0.5)
      .map(e => e.tagName + '#' + e.id),
    charts: [...document.querySelectorAll('figure')].map(f => {
      const shown = [...f.querySelectorAll('svg')].filter(s => s.checkVisibility());
      return {id: f.id, card: box(f), shown: shown.map(s => ({
        id: s.id, box: box(s), viewBox: s.viewBox.baseVal.width,
        texts: [...s.querySelectorAll('text')].filter(t => t.textContent.trim())
          .map(t => ({text: t.textContent, box: box(t)}))}))};
    }),
    tables: [...document.querySelectorAll('.table-wrap')].map(w => ({
      id: w.closest('details').id, overflow: getComputedStyle(w).overflowX,
      scrollWidth: w.scrollWidth, clientWidth: w.clientWidth, card: box(w.closest('details'))})),
    rows: rows.length,
    hiddenRows: rows.filter(tr => !tr.checkVisibility()).length,
    folded: document.querySelectorAll('details:not([open])').length,
    backgrounds: [...document.querySelectorAll('*')].map(e => getComputedStyle(e).backgroundColor)
      .filter(c => c !== 'rgba(0, 0, 0, 0)'),
  };
})()"""


def measure(page: Path, profile: Path) -> dict[str, Any]:
    from tests.devtools import DevTools

    flags = tuple(f for f in FLAGS if not f.startswith(("--enable-logging", "--v=")))
    with DevTools(browser(), profile, flags) as tab:
        tab.open(page, *PHONE, mobile=True)
        screen = tab.evaluate(MEASURE.replace("WIDTH", str(PHONE[0])))
        tab.media("print")
        printed = tab.evaluate(MEASURE.replace("WIDTH", str(PHONE[0])))
        tab.media("")
        # The print script, for engines whose print style sheet cannot unfold <details>.
        tab.evaluate("dispatchEvent(new Event('beforeprint'))")
        before = tab.evaluate("document.querySelectorAll('details:not([open])').length")
        tab.evaluate("dispatchEvent(new Event('afterprint'))")
        after = tab.evaluate("document.querySelectorAll('details:not([open])').length")
    return {"screen": screen, "print": printed, "script": (before, after)}


@pytest.fixture(scope="module")
def phone(tmp_path_factory: pytest.TempPathFactory, sample_report: SampleReport) -> dict[str, Any]:
    browser()
    folder = tmp_path_factory.mktemp("phone")
    return measure(sample_report.html, folder / "profile")


def test_a_phone_does_not_scroll_sideways(phone: dict[str, Any]) -> None:
    screen = phone["screen"]
    assert screen["viewport"] == 390
    assert screen["scrollWidth"] <= screen["viewport"]
    assert screen["outside"] == []


def test_a_phone_sees_each_chart_drawn_for_it_within_its_card(phone: dict[str, Any]) -> None:
    charts = phone["screen"]["charts"]
    assert [c["id"] for c in charts] == [
        f"chart-{n}-figure" for n in ("dsr", "breakdown", "pickup", "misses", "refunds")
    ]
    for chart in charts:
        (svg,) = chart["shown"]  # one drawing shown: the phone's
        assert svg["id"].endswith("-narrow") and svg["viewBox"] == 360
        card, box = chart["card"], svg["box"]
        assert card["left"] <= box["left"] and box["right"] <= card["right"], chart["id"]
        # drawn near 1:1, so its 12-13 px labels stay readable (not a 1000-unit chart shrunk)
        assert box["width"] / svg["viewBox"] > 0.9, chart["id"]
        # axes and legends inside the drawing: nothing cut at its edges
        assert len(svg["texts"]) > 5, chart["id"]
        for text in svg["texts"]:
            t = text["box"]
            assert box["left"] - 0.5 <= t["left"] and t["right"] <= box["right"] + 0.5, text
            assert box["top"] - 0.5 <= t["top"] and t["bottom"] <= box["bottom"] + 0.5, text


def test_wide_tables_scroll_inside_their_card(phone: dict[str, Any]) -> None:
    tables = phone["screen"]["tables"]
    wide = [t for t in tables if t["scrollWidth"] > t["clientWidth"] + 1]
    assert wide, "the sample has tables wider than a phone"
    for table in tables:
        assert table["overflow"] == "auto"
        assert table["card"]["right"] <= 390, table["id"]


def test_printing_unfolds_every_list(phone: dict[str, Any]) -> None:
    screen, printed = phone["screen"], phone["print"]
    assert screen["folded"] > 0 and screen["hiddenRows"] > 100  # long lists start folded
    assert printed["rows"] == screen["rows"] > 400
    assert printed["hiddenRows"] == 0


def test_printing_shows_the_page_drawings_on_white(phone: dict[str, Any]) -> None:
    printed = phone["print"]
    for chart in printed["charts"]:
        (svg,) = chart["shown"]
        assert not svg["id"].endswith("-narrow"), chart["id"]
    for colour in printed["backgrounds"]:  # no ink on backgrounds: white or near it
        channels = [float(v) for v in re.findall(r"[\d.]+", colour)[:3]]
        assert min(channels) >= 240, colour


def test_the_print_script_unfolds_and_folds_back(phone: dict[str, Any]) -> None:
    folded = phone["screen"]["folded"]
    assert phone["script"] == (0, folded)


def test_long_ids_do_not_widen_a_phone_page(tmp_path: Path, sample_report: SampleReport) -> None:
    from dataclasses import replace

    from tmallcli.render.html import render_html
    from tmallcli.render.report import ShopSummary

    browser()
    long = "3205" * 30  # one unbroken 120-character word
    shop = replace(
        sample_report.shop,
        category=long,
        files={"orders": [f"/exports/{long}/订单-{long}.csv"]},
    )
    page = tmp_path / "long.html"
    page.write_text(render_html(ShopSummary(shop), "zh"), encoding="utf-8")
    assert long in page.read_text(encoding="utf-8")
    screen = measure(page, tmp_path / "profile")["screen"]
    assert screen["scrollWidth"] <= screen["viewport"] == 390
    assert screen["outside"] == []
