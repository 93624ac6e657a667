"""The HTML report: pure checks on the string, then a real headless Chromium over the DevTools Protocol.

The browser tests drive Debian's ``/usr/bin/chromium`` with a minimal stdlib
websocket client (no package that downloads a browser) and skip when it is
absent. They load the page from a file:// URL and assert: no request to
anything but file:/data:/about:, no exception or console error, no dialog
(the injected ``alert(1)`` never runs), the 10 projects with their percentages
in the live DOM, and a screenshot that is not blank and shows the lights'
colours.

``MINSHENG_WRITE_SCREENSHOT=1 python -m pytest tests/test_html.py -k screenshot``
rewrites ``docs/dashboard.png`` (the README's picture) at ``--as-of 2024-07-31``.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import time
import zlib
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from minsheng.compute import StatusReport, build_status
from minsheng.project import open_project
from minsheng.render.fmt import pct
from minsheng.render.html import status_html
from minsheng.render.view import EXAMPLE_NOTE, status_dict, summary_sentence
from tests.conftest import DATA, ROOT, SMALL

AS_OF = dt.date(2024, 7, 31)
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "docs" / "dashboard.png"
EVIL_SCRIPT = "<script>alert(1)</script>"
EVIL_ATTR = '" onmouseover="x'
EVIL = EVIL_SCRIPT + EVIL_ATTR


def report_of(data: Path, as_of: dt.date = AS_OF, since: dt.date | None = None) -> StatusReport:
    project = open_project(data)
    assert not project.errors, project.errors
    return build_status(project.dataset(None, as_of), as_of, since)


def _yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _replace_line(text: str, prefix: str, line: str) -> str:
    """Replace the first line starting with ``prefix`` by ``line``."""
    lines = text.split("\n")
    n = next(i for i, old in enumerate(lines) if old.startswith(prefix))
    lines[n] = line
    return "\n".join(lines)


def evil_data(tmp_path: Path) -> Path:
    """The shipped data with hostile text in the plan title, task 1's name and description, and a unit's problems."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    plan = data / "plan-2024.yaml"
    text = plan.read_text(encoding="utf-8")
    text = _replace_line(text, "title: ", f"title: {_yaml_quoted(EVIL)}")
    text = _replace_line(text, "    name: 城市道路提升工程", f"    name: {_yaml_quoted(EVIL)}")
    text = _replace_line(
        text, "    description: 对荣宁道", f"    description: {_yaml_quoted(EVIL + '对荣宁道等道路翻修改造')}"
    )
    plan.write_text(text, encoding="utf-8")
    ledger = data / "progress" / "区交运局.yaml"
    # a YAML double-quoted scalar: \e and \a are control characters, \n a line break
    problems = EVIL.replace('"', '\\"') + "\\e[31m红字\\a\\n第二行 & <marquee>粗</marquee>"
    text = _replace_line(ledger.read_text(encoding="utf-8"), "    problems: 7月强降雨", f'    problems: "{problems}"')
    ledger.write_text(text, encoding="utf-8")
    return data


class Page(HTMLParser):
    """Collects what the tests look at: every tag and attribute, the project rows and their percents."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.rows: dict[str, str] = {}
        self.text: list[str] = []
        self._task: str | None = None
        self._in_pct = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]
        a = dict(attrs)
        if tag == "tr" and a.get("data-task") is not None:
            self._task = a["data-task"]
        if tag == "td" and self._task is not None and "pct" in (a.get("class") or "").split():
            self._in_pct = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._in_pct = False
        if tag == "tr":
            self._task = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_pct and self._task is not None:
            self.rows[self._task] = self.rows.get(self._task, "") + data


def parse(doc: str) -> Page:
    page = Page()
    page.feed(doc)
    page.close()
    return page


# --- pure tests ---------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> StatusReport:
    return report_of(DATA)


def test_projects_and_percentages_match_the_json(shipped: StatusReport) -> None:
    doc = status_html(shipped)
    page = parse(doc)
    tasks = status_dict(shipped)["tasks"]
    assert len(tasks) == 10
    assert page.rows == {t["id"]: pct(t["completion"]) for t in tasks}
    assert list(page.rows) == [t["id"] for t in tasks]
    assert f'<b id="completion">{pct(shipped.completion)}</b>' in doc
    assert f'<b id="time-progress">{pct(shipped.time_progress)}</b>' in doc


def test_document_shape(shipped: StatusReport) -> None:
    doc = status_html(shipped)
    assert doc.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert '<meta charset="utf-8">' in doc
    assert "@page{size:A4;" in doc and "break-inside:avoid" in doc
    assert '"Noto Sans CJK SC"' in doc and "sans-serif" in doc
    assert summary_sentence(shipped) in doc
    assert EXAMPLE_NOTE in doc and shipped.example
    page = parse(doc)
    text = "".join(page.text)
    # every lagging indicator, every reporting unit, the trend of every project
    for row in shipped.lagging():
        assert f'data-indicator="{row.indicator.id}"' in doc
    for unit in shipped.units:
        assert f'data-unit="{unit.unit}"' in doc
        assert (shipped.texts[unit.unit].summary or "") in text
    assert doc.count('<figure data-task="') == 10
    # overall (drawn twice: wide, and narrow for a phone; CSS shows one) + 10 projects
    assert doc.count('<polyline class="actual"') == 12
    # the lights carry words, not only colour
    for label in ("绿灯", "黄灯", "红灯", "严重滞后", "滞后", "超序时"):
        assert label in text
    assert "各单位均已报送2024年6月进展" in text


def test_no_network_no_script(shipped: StatusReport) -> None:
    doc = status_html(shipped)
    page = parse(doc)
    assert "http://" not in doc and "https://" not in doc
    assert not re.search(r"url\(", doc, re.IGNORECASE)
    assert "@import" not in doc
    for name, value in page.attrs:
        if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
            pytest.fail(f"unexpected {name}={value!r}")
        assert not name.startswith("on"), name
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(page.tags)


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    report = report_of(evil_data(tmp_path))
    assert EVIL in report.plan.title and EVIL in (report.texts["区交运局"].problems or "")
    doc = status_html(report)
    assert EVIL_SCRIPT not in doc and EVIL_ATTR not in doc
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x" in doc
    assert "\x1b" not in doc and "\x07" not in doc
    page = parse(doc)
    assert "script" not in page.tags and "marquee" not in page.tags
    assert all(not name.startswith("on") for name, _ in page.attrs)
    # the title, the task name (cells, chart captions) and description (a title="…" attribute) all arrive as text
    text = "".join(page.text)
    assert text.count(EVIL_SCRIPT) >= 4
    assert any(name == "title" and value.startswith(EVIL) for name, value in page.attrs)
    # the terminal escape is gone whole, the line break kept, the markup shown as typed
    assert "x红字\n第二行 & <marquee>粗</marquee>" in text and "[31m" not in text


def test_hostile_unit_name_is_escaped(tmp_path: Path) -> None:
    bad = "X局<marquee>\"'&"
    data = tmp_path / "small"
    shutil.copytree(SMALL, data)
    for path in data.rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("甲局", bad), encoding="utf-8")
    (data / "progress" / "甲局.yaml").rename(data / "progress" / f"{bad}.yaml")
    report = report_of(data, dt.date(2025, 7, 31))
    doc = status_html(report)
    assert bad not in doc
    assert 'data-unit="X局&lt;marquee&gt;&quot;&#x27;&amp;"' in doc
    assert "<h3>X局&lt;marquee&gt;&quot;&#x27;&amp;</h3>" in doc
    assert "marquee" not in parse(doc).tags
    assert EXAMPLE_NOTE not in doc  # the small plan's ledgers are not marked as examples
    assert "各单位均已报送2025年第2季度进展" in "".join(parse(doc).text)


def test_since_and_empty_trend() -> None:
    moved = status_html(report_of(DATA, AS_OF, dt.date(2024, 6, 30)))
    assert 'id="since"' in moved and '<th class="num">变化</th>' in moved
    early = status_html(report_of(DATA, dt.date(2024, 2, 1)))
    assert "暂无走势" in early
    assert early.count("<tr data-task=") == 10


def test_missing_reports_and_since_on_a_quarterly_plan() -> None:
    report = report_of(SMALL, dt.date(2025, 10, 15), dt.date(2025, 4, 1))
    doc = status_html(report)
    text = "".join(parse(doc).text)
    assert [u.unit for u in report.missing_units()] == ["甲局", "乙中心", "丙办"]
    assert "未报送2025年第3季度进展的单位（3个）" in text
    assert doc.count('<section class="unit is-missing"') == 3
    assert 'class="tag at-end"' in doc  # 序时进度 100%: the label stays inside the gauge
    assert EXAMPLE_NOTE not in doc


def test_pure_and_deterministic(shipped: StatusReport) -> None:
    assert status_html(shipped) == status_html(shipped)


def test_line_breaks_and_control_characters(shipped: StatusReport) -> None:
    unit = "区住建局"
    texts = dataclasses.replace(shipped.texts[unit], summary="甲\n乙\x00\x1b]0;title\x07丙", next_steps=None)
    doc = status_html(dataclasses.replace(shipped, texts={**shipped.texts, unit: texts}))
    assert "<dd>甲\n乙丙</dd>" in doc
    assert "<dt>下步计划</dt><dd>（未填写）</dd>" in doc


# --- the real browser ---------------------------------------------------------

_skip_without_chromium = pytest.mark.skipif(
    # In CI (.ci/run installs it) a missing browser must fail, not quietly skip.
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="/usr/bin/chromium not installed (apt-get install -y chromium fonts-noto-cjk)",
)


def needs_chromium(test: Callable[..., None]) -> Callable[..., None]:
    return pytest.mark.browser(_skip_without_chromium(test))


ALLOWED_SCHEMES = ("file:", "data:", "about:")
LOADED = ("Page.loadEventFired", "Page.javascriptDialogOpening")


class DevTools:
    """A minimal Chrome DevTools Protocol client over a stdlib websocket (RFC 6455, client side)."""

    def __init__(self, port: int, path: str) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("DevTools closed the handshake")
            self.buf += chunk
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        assert head.split(b"\r\n", 1)[0].split()[1] == b"101", head
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _exact(self, n: int) -> bytes:
        while len(self.buf) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buf)))
            if not chunk:
                raise ConnectionError("DevTools connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def _send(self, payload: bytes, opcode: int = 1) -> None:
        n = len(payload)
        head = bytes([0x80 | opcode])
        if n < 126:
            head += bytes([0x80 | n])
        elif n < 1 << 16:
            head += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            head += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _message(self) -> dict[str, Any]:
        parts = []
        while True:
            b0, b1 = self._exact(2)
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else b""
            data = self._exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            opcode = b0 & 0x0F
            if opcode == 0x9:  # ping
                self._send(data, 0xA)
                continue
            if opcode == 0x8:
                raise ConnectionError("DevTools closed the connection")
            parts.append(data)
            if b0 & 0x80:
                return json.loads(b"".join(parts))

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.next_id += 1
        msg: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self._send(json.dumps(msg).encode())
        while True:
            reply = self._message()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, methods: tuple[str, ...], session: str, since: int = 0, timeout: float = 15) -> int:
        """Index in :attr:`events` of the first event from ``since`` on of one of ``methods`` in ``session``."""
        deadline = time.monotonic() + timeout
        seen = since
        while True:
            for n in range(seen, len(self.events)):
                event = self.events[n]
                if event.get("method") in methods and event.get("sessionId") == session:
                    return n
            seen = len(self.events)
            if time.monotonic() > deadline:
                raise TimeoutError(methods)
            self.events.append(self._message())

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")


class Browser:
    """One headless Chromium for the module; each page gets a fresh tab with Network/Runtime/Log/Page on."""

    def __init__(self, profile: Path) -> None:
        self.log = (profile.parent / "chromium.log").open("wb")
        self.proc = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-port=0",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        active = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 20
        while not (active.exists() and len(active.read_text().split()) >= 2):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.05)
        port, path = active.read_text().split()[:2]
        self.cdp = DevTools(int(port), path)
        self.targets: dict[str, str] = {}

    def open(self, url: str, width: int = 1280, height: int = 2000, mobile: bool = False) -> str:
        """A new tab on ``url``, loaded; returns its session id."""
        target = self.cdp.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.cdp.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.cdp.call(f"{domain}.enable", {}, session)
        self.cdp.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session,
        )
        self.cdp.call("Page.navigate", {"url": url}, session)
        # A script that wrongly ran would hold the page on its alert(): dismiss it (the event stays
        # recorded, so problems_of reports it) and let the page finish loading.
        n = self.cdp.wait_for(LOADED, session)
        while self.cdp.events[n]["method"] == "Page.javascriptDialogOpening":
            with contextlib.suppress(RuntimeError):  # already closed
                self.cdp.call("Page.handleJavaScriptDialog", {"accept": False}, session)
            n = self.cdp.wait_for(LOADED, session, n + 1)
        self.targets[session] = target
        return session

    def close_tab(self, session: str) -> None:
        self.cdp.call("Target.closeTarget", {"targetId": self.targets.pop(session)})

    def events(self, session: str) -> list[dict[str, Any]]:
        return [e for e in self.cdp.events if e.get("sessionId") == session]

    def screenshot(self, session: str, clip: dict[str, float] | None = None) -> bytes:
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if clip:
            params["clip"] = clip
        return base64.b64decode(self.cdp.call("Page.captureScreenshot", params, session)["data"])

    def close(self) -> None:
        if hasattr(self, "cdp"):
            with contextlib.suppress(OSError, ConnectionError, RuntimeError):
                self.cdp.call("Browser.close")
            self.cdp.sock.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # its own process group (start_new_session)
            self.proc.wait(timeout=5)
        self.log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium not installed (apt-get install -y chromium)")
    b = Browser(tmp_path_factory.mktemp("chromium") / "profile")
    yield b
    b.close()


def problems_of(events: list[dict[str, Any]]) -> list[str]:
    """Every network request off file:/data:/about:, exception, console error or dialog, as text."""
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(ALLOWED_SCHEMES):
                out.append(f"request: {url}")
        elif method == "Runtime.exceptionThrown":
            out.append(f"exception: {params['exceptionDetails']}")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(f"console: {params.get('args')}")
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            out.append(f"log: {params['entry'].get('text')}")
        elif method == "Page.javascriptDialogOpening":
            out.append(f"dialog: {params.get('message')}")
    return out


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG, unfiltered with the stdlib."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), (depth, colour, interlace)
    bpp = 4 if colour == 6 else 3
    raw, stride = zlib.decompress(idat), width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prev, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], prev[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [r if bpp == 3 else b"".join(r[i : i + 3] for i in range(0, stride, 4)) for r in rows]


def colours(png: bytes) -> set[tuple[int, int, int]]:
    _, _, rows = png_pixels(png)
    return {(r[i], r[i + 1], r[i + 2]) for r in rows for i in range(0, len(r), 3)}


def near(found: set[tuple[int, int, int]], hex_colour: str, tolerance: int = 6) -> bool:
    want = tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return any(all(abs(a - b) <= tolerance for a, b in zip(c, want, strict=True)) for c in found)


@needs_chromium
def test_browser_renders_projects_without_network(browser: Browser, shipped: StatusReport, tmp_path: Path) -> None:
    page = tmp_path / "status.html"
    page.write_text(status_html(shipped), encoding="utf-8")
    session = browser.open(page.as_uri())
    assert problems_of(browser.events(session)) == []
    requests = [e for e in browser.events(session) if e.get("method") == "Network.requestWillBeSent"]
    assert requests and all(e["params"]["request"]["url"].startswith("file:") for e in requests)
    rows = browser.cdp.evaluate(
        "[...document.querySelectorAll('tr[data-task]')]"
        ".map(tr => [tr.dataset.task, tr.querySelector('td.pct').textContent])",
        session,
    )
    assert {k: v for k, v in rows} == {t["id"]: pct(t["completion"]) for t in status_dict(shipped)["tasks"]}
    assert len(rows) == 10
    assert browser.cdp.evaluate("document.documentElement.lang", session) == "zh-CN"
    assert browser.cdp.evaluate("document.querySelectorAll('script').length", session) == 0
    assert browser.cdp.evaluate("document.querySelectorAll('svg.chart').length", session) == 12
    visible = "[...document.querySelectorAll('svg.chart')].filter(s => s.getBoundingClientRect().width > 0).length"
    assert browser.cdp.evaluate(visible, session) == 11  # the phone's overall chart is hidden at 1280
    # the bar marks sit where 序时进度 is: the marker of task 1 at 69.7% of its bar
    left = browser.cdp.evaluate(
        "(() => { const b = document.querySelector('tr[data-task=\"1\"] .bar').getBoundingClientRect();"
        " const m = document.querySelector('tr[data-task=\"1\"] .mark').getBoundingClientRect();"
        " return (m.left + m.width / 2 - b.left) / b.width; })()",
        session,
    )
    assert abs(left - shipped.tasks[0].expected) < 0.02
    # a screenshot of the top: not blank, and showing the lights' colours
    shot = browser.screenshot(session, {"x": 0, "y": 0, "width": 1280, "height": 1000, "scale": 0.5})
    found = colours(shot)
    assert len(found) > 50
    for name, colour in (("green", "#1a7f37"), ("yellow", "#e3a700"), ("red", "#c62828")):
        assert near(found, colour), name
    browser.close_tab(session)


@needs_chromium
def test_browser_shows_injected_script_as_text(browser: Browser, tmp_path: Path) -> None:
    report = report_of(evil_data(tmp_path))
    page = tmp_path / "evil.html"
    page.write_text(status_html(report), encoding="utf-8")
    session = browser.open(page.as_uri())
    time.sleep(0.2)  # give a (wrongly) running script time to open its dialog
    assert browser.cdp.evaluate("document.title", session).startswith(EVIL)
    assert problems_of(browser.events(session)) == []
    assert browser.cdp.evaluate("document.querySelectorAll('script').length", session) == 0
    assert browser.cdp.evaluate("document.querySelectorAll('[onmouseover]').length", session) == 0
    assert browser.cdp.evaluate("document.querySelector('h1').textContent", session) == EVIL
    assert EVIL in browser.cdp.evaluate("document.querySelector('#lagging .problems').textContent", session)
    assert browser.cdp.evaluate(
        "document.querySelector('tr[data-task=\"1\"] .name').getAttribute('title')", session
    ).startswith(EVIL)


@pytest.mark.skipif(os.environ.get("MINSHENG_WRITE_SCREENSHOT") != "1", reason="set MINSHENG_WRITE_SCREENSHOT=1")
@needs_chromium
def test_write_readme_screenshot(browser: Browser, shipped: StatusReport, tmp_path: Path) -> None:
    """Regenerate docs/dashboard.png: the top of the page (header, projects, trends) at 1280 px."""
    page = tmp_path / "status.html"
    page.write_text(status_html(shipped), encoding="utf-8")
    session = browser.open(page.as_uri())
    height = browser.cdp.evaluate("document.querySelector('#lagging-list').getBoundingClientRect().top", session)
    shot = browser.screenshot(session, {"x": 0, "y": 0, "width": 1280, "height": int(height), "scale": 1})
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(shot)
    assert png_pixels(shot)[0] == 1280


# --- a phone and a desk -----------------------------------------------------------

LAYOUT = """(() => {
  const doc = document.documentElement;
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const tables = [...document.querySelectorAll('table')].filter(shown).map(t => {
    const box = t.closest('.scroll');
    const style = box ? getComputedStyle(box).overflowX : 'visible';
    const ths = [...t.querySelectorAll('thead th')];
    const boxRect = (box || t).getBoundingClientRect();
    return {
      id: t.id || t.closest('[id]').id,
      width: t.getBoundingClientRect().width,
      box: boxRect.width, boxLeft: boxRect.left, boxRight: boxRect.right,
      scroll: box ? box.scrollWidth : t.getBoundingClientRect().width,
      overflow: style,
      columns: ths.map(th => {
        const r = th.getBoundingClientRect();
        return [th.textContent, r.right, r.width];
      }),
    };
  });
  const names = [...document.querySelectorAll('#lagging td.name')].map(td => td.getBoundingClientRect().width);
  const ticks = [...document.querySelectorAll('figure.overall')].filter(shown)
    .flatMap(f => [...f.querySelectorAll('text.tick')].map(t => t.getBoundingClientRect().height));
  const captions = [...document.querySelectorAll('#trend figcaption')].map(c => c.getBoundingClientRect().height);
  return {inner: window.innerWidth, scrollWidth: doc.scrollWidth, bodyWidth: document.body.scrollWidth,
          tables, names, ticks, captions};
})()"""


@needs_chromium
@pytest.mark.parametrize("width", [1280, 390])
def test_browser_layout_at_desk_and_phone_widths(
    browser: Browser, shipped: StatusReport, tmp_path: Path, width: int
) -> None:
    """No sideways scroll of the page; every table's every column on screen or inside its own scroll box;
    lagging names and chart labels at a readable size; the charts' captions of one height."""
    page = tmp_path / "status.html"
    page.write_text(status_html(shipped), encoding="utf-8")
    session = browser.open(page.as_uri(), width=width, height=900, mobile=width < 500)
    got = browser.cdp.evaluate(LAYOUT, session)
    assert got["inner"] == width
    assert got["scrollWidth"] <= width, got["scrollWidth"]
    assert len(got["tables"]) >= 2 + len(shipped.units)
    for table in got["tables"]:
        assert table["boxLeft"] >= -0.5 and table["boxRight"] <= width + 0.5, table["id"]
        if table["width"] > table["box"] + 1:  # wider than its box: the box scrolls, and holds it all
            assert table["overflow"] in ("auto", "scroll"), table["id"]
            assert table["scroll"] >= table["width"] - 1, table["id"]
        for name, right, w in table["columns"]:
            assert w >= 16, (table["id"], name, w)  # no column squeezed away
            assert right - table["boxLeft"] <= table["scroll"] + 1, (table["id"], name)
    # the projects table keeps 偏差, 灯, 状态 and 预计完成
    tasks = next(t for t in got["tables"] if t["id"] == "tasks")
    assert [c[0] for c in tasks["columns"]][-5:] == ["偏差", "灯", "状态", "最近报送", "预计完成"]
    # 名称 in the lagging table is at least 6 汉字 wide (it was squeezed to two a line)
    assert got["names"] and min(got["names"]) >= 6 * 13
    # the overall chart's month labels about 9 px or more (they were about 3 px at 390)
    # (a label's box is about 1.45 × its font size: 12 px is a font of about 8.5 px; 11 px is drawn)
    assert got["ticks"] and min(got["ticks"]) >= 12, got["ticks"]
    # every project chart's title takes the same height, so the charts line up
    assert len(set(round(h) for h in got["captions"])) == 1, got["captions"]
    assert problems_of(browser.events(session)) == []
    browser.close_tab(session)


def test_dates_read_one_way(shipped: StatusReport) -> None:
    text = "".join(parse(status_html(shipped)).text)
    assert "截至2024年7月31日" in text and "2024-07-31" not in text
    assert "07-31" not in text
    # forecasts name a month, not a day; a stalled project says which indicator stalled
    assert "2025年2月（逾期）" in text and "2025-02-05" not in text
    assert "3.1近期无进展" in text
