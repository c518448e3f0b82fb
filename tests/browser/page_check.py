#!/usr/bin/env python3
"""Load one page in headless Chromium and check it; used by tests/browser/check.sh.

Only the Python standard library is used. Chromium is driven over the DevTools
protocol on a pipe (--remote-debugging-pipe: commands go in on fd 3, replies and
events come out on fd 4, each message is JSON ended by a NUL byte), because its
--enable-logging output can tell neither console.error from console.log nor a
missing image from a loaded one.

A page fails when, while it loads:
  * it calls console.error / console.assert, or throws an uncaught exception;
  * Chromium logs an error (for example "Failed to load resource");
  * a request fails (missing file, blocked, refused) or gets an HTTP status >= 400;
  * its visible text (document.body.innerText) is shorter than --min-text chars;
  * its screenshot is (almost) one colour: fewer than --min-diff percent of the
    pixels differ from the most common colour. The PNG is decoded here, in pure
    Python, from the file that was saved.

And, at the desktop width and again at --narrow-width (390 px, a phone), when it:
  * has a table cell whose text wraps inside a word (a run of up to 8 CJK
    characters, such as 社区文化部, counts as one word);
  * has a table wider than the window that nothing lets the reader scroll;
  * has chart text (SVG <text>) drawn smaller than --min-chart-text px, its font
    size times the scale the SVG is drawn at;
  * and, printed, hides a chart's data table (they are collapsed on screen).
The data tables are opened for the narrow check, so their cells are checked too.
With --narrow-screenshot and --pdf it also saves the phone-width screenshot and
the page printed to PDF.

Exit status: 0 the page passed, 1 it failed a check, 2 the check itself could not
run (Chromium missing, crashed or timed out). Findings go to stdout, one a line.
"""

import argparse
import base64
import collections
import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zlib
from pathlib import Path

# Flags required on this kind of machine (root, closed network): without the
# background-networking ones Chromium's own connections are refused and logged.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
]


# Chromium log lines that are always there on a headless server and mean nothing.
LOG_NOISE = ("dbus/", "vaapi_wrapper", "sandbox_linux", "bluez_dbus", "idle_linux",
             "unexpected operator", "bytes written to file")


class CheckError(Exception):
    """The check could not be carried out (not a finding about the page)."""


class PipeTimeout(CheckError):
    """Nothing came from Chromium in time."""


class PageHung(Exception):
    """The page stopped responding (for example a script stuck in a loop)."""


# --------------------------------------------------------------------------
# DevTools protocol over a pipe
# --------------------------------------------------------------------------


class Browser:
    def __init__(self, binary, profile_dir, width, height, log_path):
        to_chrome_r, to_chrome_w = os.pipe()
        from_chrome_r, from_chrome_w = os.pipe()

        def place_pipe_fds():
            # Runs in the child between fork and exec: put the pipe ends on the
            # fd numbers Chromium expects. Go through fds >= 10 first so that a
            # pipe end that already sits on 3 or 4 is not clobbered.
            a = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)  # os.dup2 makes the new fd inheritable
            os.dup2(b, 4)
            os.close(a)
            os.close(b)

        args = [binary, *CHROMIUM_FLAGS,
                f"--user-data-dir={profile_dir}",
                f"--window-size={width},{height}",
                "about:blank"]
        self.log = open(log_path, "wb")
        try:
            self.proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                close_fds=False, preexec_fn=place_pipe_fds, start_new_session=True)
        except OSError as e:
            raise CheckError(f"cannot start {binary}: {e}") from e
        finally:
            os.close(to_chrome_r)
            os.close(from_chrome_w)
        self.out = to_chrome_w
        self.inp = from_chrome_r
        self.buf = b""
        self.next_id = 0
        self.events = []  # (sessionId, method, params), oldest first

    def _read_some(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise PipeTimeout("timed out waiting for Chromium")
        ready, _, _ = select.select([self.inp], [], [], remaining)
        if not ready:
            raise PipeTimeout("timed out waiting for Chromium")
        chunk = os.read(self.inp, 1 << 20)
        if not chunk:
            raise CheckError("Chromium closed the DevTools pipe (exited or crashed)")
        self.buf += chunk

    def _messages(self, deadline):
        while True:
            while b"\0" in self.buf:
                raw, self.buf = self.buf.split(b"\0", 1)
                yield json.loads(raw)
            self._read_some(deadline)

    def send(self, method, params=None, session=None, timeout=30.0):
        """Send a command and return its result; events seen meanwhile are queued."""
        self.next_id += 1
        msg_id = self.next_id
        msg = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self.out, data):]
        except BrokenPipeError as e:
            raise CheckError("Chromium closed the DevTools pipe (exited or crashed)") from e
        deadline = time.monotonic() + timeout
        for msg in self._messages(deadline):
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise CheckError(f"{method} failed: {msg['error'].get('message')}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append((msg.get("sessionId"), msg["method"], msg.get("params", {})))

    def pump(self, seconds):
        """Wait up to `seconds` for events; queue whatever has arrived by then."""
        deadline = time.monotonic() + seconds
        try:
            for msg in self._messages(deadline):
                if "method" in msg:
                    self.events.append((msg.get("sessionId"), msg["method"], msg.get("params", {})))
                if b"\0" not in self.buf:
                    return
        except PipeTimeout:
            pass  # nothing arrived: fine

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except CheckError:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait()
        else:
            # Renderer / zygote helpers left in the browser's own process group.
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for fd in (self.out, self.inp):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()


def remote_text(obj):
    """Readable text of a Runtime.RemoteObject."""
    if "value" in obj:
        v = obj["value"]
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    return obj.get("description") or obj.get("unserializableValue") or obj.get("type", "?")


def where(url, line):
    if not url:
        return ""
    return f" ({url}" + (f":{line + 1}" if isinstance(line, int) else "") + ")"


def short(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def load_page(browser, url, width, height, shot_path, timeout, opts):
    """Load url; return (problems, visible text). Writes the screenshot to shot_path.

    Raises PageHung (with the problems found so far) if the page stops answering."""
    problems = []
    stage = ["opening a tab"]
    started = time.monotonic()
    try:
        return _load_page(browser, url, width, height, shot_path, started + timeout,
                          problems, stage, opts)
    except PipeTimeout as e:
        if browser.proc.poll() is not None:
            raise CheckError("Chromium exited unexpectedly") from e
        problems.append(f"page did not respond while {stage[0]} "
                        f"({time.monotonic() - started:.0f}s; a script stuck in a loop?)")
        raise PageHung(problems) from e


def _load_page(browser, url, width, height, shot_path, deadline, problems, stage, opts):
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget",
                           {"targetId": target, "flatten": True})["sessionId"]
    for method in ("Page.enable", "Runtime.enable", "Log.enable", "Network.enable"):
        browser.send(method, session=session)
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1,
                  "mobile": False}, session=session)
    browser.events.clear()

    stage[0] = "loading"
    nav = browser.send("Page.navigate", {"url": url}, session=session)
    if nav.get("errorText"):
        problems.append(f"navigation failed: {nav['errorText']}")

    requests = {}      # requestId -> url
    failed_urls = set()
    network_log = []   # Log.entryAdded network errors, reported unless already seen
    in_flight = set()
    loaded = False
    quiet_since = None
    seen = 0

    def handle(method, p):
        nonlocal loaded
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            text = " ".join(remote_text(a) for a in p.get("args", []))
            frames = (p.get("stackTrace") or {}).get("callFrames") or [{}]
            problems.append(f"console.{p['type']}: {short(text)}"
                            + where(frames[0].get("url"), frames[0].get("lineNumber")))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            exc = d.get("exception") or {}
            text = exc.get("description") or d.get("text") or "exception"
            problems.append(f"uncaught exception: {short(text)}"
                            + where(d.get("url"), d.get("lineNumber")))
        elif method == "Log.entryAdded":
            e = p.get("entry", {})
            if e.get("level") == "error" and e.get("source") == "network" and e.get("url"):
                network_log.append(e)  # usually repeats a Network.loadingFailed
            elif e.get("level") == "error":
                problems.append(f"browser log error ({e.get('source', '?')}): "
                                f"{short(e.get('text', ''))}" + where(e.get("url"), e.get("lineNumber")))
        elif method == "Network.requestWillBeSent":
            requests[p["requestId"]] = p.get("request", {}).get("url", "?")
            in_flight.add(p["requestId"])
        elif method == "Network.responseReceived":
            status = p.get("response", {}).get("status") or 0
            if status >= 400:
                problems.append(f"resource failed to load: HTTP {status} {p['response'].get('url')}")
        elif method == "Network.loadingFinished":
            in_flight.discard(p["requestId"])
        elif method == "Network.loadingFailed":
            in_flight.discard(p["requestId"])
            failed_urls.add(requests.get(p["requestId"]))
            problems.append(f"resource failed to load: {p.get('errorText', '?')} "
                            f"{requests.get(p['requestId'], '?')}"
                            + (f" (blocked: {p['blockedReason']})" if p.get("blockedReason") else ""))
        elif method == "Page.loadEventFired":
            loaded = True
        elif method in ("Inspector.targetCrashed", "Target.targetCrashed"):
            problems.append("the page's renderer crashed")
            loaded = True

    def drain():
        nonlocal seen
        while seen < len(browser.events):
            sess, method, params = browser.events[seen]
            seen += 1
            if sess in (session, None):
                handle(method, params)

    # Wait for the load event, then for the network to stay idle for 0.5 s
    # (late requests from scripts), at most 5 s more.
    settle_until = None
    while True:
        drain()
        now = time.monotonic()
        if now > deadline:
            problems.append("timed out waiting for the page to load"
                            if not loaded else "page still loading resources at the time limit")
            break
        if loaded:
            settle_until = settle_until or now + 5.0
            if in_flight:
                quiet_since = None
            else:
                quiet_since = quiet_since or now
            if (quiet_since and now - quiet_since >= 0.5) or now >= settle_until:
                break
        browser.pump(0.1)

    # Let web fonts finish, then read the visible text.
    stage[0] = "reading its text after load"
    js = """(async () => {
        try { await document.fonts.ready; } catch (e) {}
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        const body = document.body;
        return { text: body ? body.innerText : "" };
    })()"""
    res = browser.send("Runtime.evaluate",
                       {"expression": js, "awaitPromise": True, "returnByValue": True},
                       session=session, timeout=max(1.0, deadline - time.monotonic()))
    if "exceptionDetails" in res:
        raise CheckError("could not read the page's text: "
                         + short(res["exceptionDetails"].get("text", "")))
    value = res.get("result", {}).get("value") or {}

    stage[0] = "taking the screenshot"
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session,
                        timeout=max(1.0, deadline - time.monotonic()))
    Path(shot_path).write_bytes(base64.b64decode(shot["data"]))
    problems += layout_checks(browser, session, width, height, opts, deadline, stage)
    drain()  # anything logged while we read the text, took the screenshots or printed
    for e in network_log:
        if e["url"] not in failed_urls:
            problems.append(f"browser log error (network): {short(e.get('text', ''))} ({e['url']})")
    return problems, value.get("text", "")


# --------------------------------------------------------------------------
# Layout checks: words broken in table cells, tables cut off, chart text too small
# --------------------------------------------------------------------------

# Returns a list of findings (strings). `openDetails` opens every <details> while it
# measures, so that collapsed data tables are laid out and checked too.
LAYOUT_JS = r"""((minText, openDetails) => {
  const found = [];
  const closed = openDetails ? [...document.querySelectorAll('details:not([open])')] : [];
  closed.forEach(d => { d.open = true; });
  const cjk = /[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]/u;
  const clip = t => { t = t.replace(/\s+/g, ' ').trim(); return t.length > 40 ? t.slice(0, 39) + '…' : t; };
  const where = el => { const f = el.closest('figure[id], section[id], table'); const c = el.closest('table')?.querySelector('caption');
    return f?.id ? '#' + f.id : (c ? 'table “' + clip(c.textContent) + '”' : 'a table'); };
  // How many lines the rectangles of a range sit on (tops more than 4 px apart).
  const lines = rects => { const tops = [...rects].filter(r => r.width > 0).map(r => r.top).sort((a, b) => a - b);
    let n = 0, last = -1e9; for (const t of tops) { if (t - last > 4) n++; last = t; } return n; };
  for (const cell of document.querySelectorAll('th, td')) {
    if (!cell.getClientRects().length) continue;
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node; (node = walk.nextNode());) {
      for (const m of node.data.matchAll(/\S+/gu)) {
        const chars = [...m[0]];
        if (chars.length < 2 || chars.filter(c => cjk.test(c)).length > 8) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const n = lines(range.getClientRects());
        if (n > 1) found.push(`table cell breaks a word over ${n} lines at ${innerWidth} px: “${clip(m[0])}” in ${where(cell)}`);
      }
    }
  }
  const scrolls = el => { for (let a = el.parentElement; a; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; } return false; };
  for (const table of document.querySelectorAll('table')) {
    const r = table.getBoundingClientRect();
    if (r.width && r.right > document.documentElement.clientWidth + 1 && !scrolls(table))
      found.push(`table wider than the window at ${innerWidth} px and nothing scrolls it: ${where(table)}`);
  }
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox && svg.viewBox.baseVal, drawn = svg.getBoundingClientRect().width;
    if (!box || !box.width || !drawn) continue;
    const scale = drawn / box.width;
    let least = null;
    for (const t of svg.querySelectorAll('text')) {
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (px + 0.01 < minText && (!least || px < least.px)) least = { px, text: t.textContent };
    }
    if (least) found.push(`chart text ${least.px.toFixed(1)} px (under ${minText}) at ${innerWidth} px: “${clip(least.text)}” in ${where(svg)}`);
  }
  closed.forEach(d => { d.open = false; });
  return found;
})"""

# In print, every chart's data table must be laid out (shown) although <details> is closed.
PRINT_JS = r"""(() => [...document.querySelectorAll('details')]
  .filter(d => !d.open && d.querySelector('table') && !d.querySelector('table').getClientRects().length)
  .map(d => `a collapsed table is not printed: ${d.closest('[id]')?.id || d.textContent.trim().slice(0, 30)}`))()"""


# The address of each style sheet whose rules the page may not read (a file:// sheet is
# another origin), null for the others, in document order.
SHEET_HREFS_JS = r"""[...document.styleSheets].map(s => {
  try { s.cssRules; return null; } catch (e) { return s.href; } })"""

# The @page rule's side margins, in CSS px ([left, right]; null where none is set): with the
# paper's width they give the width a printed page lays its content out in. `texts` holds,
# for each sheet the page may not read, its text (read here from the file) to parse.
PAGE_MARGINS_JS = r"""(texts => {
  const unit = { mm: 96 / 25.4, cm: 96 / 2.54, in: 96, pt: 96 / 72, px: 1 };
  const px = v => { const m = /^(-?[\d.]+)(mm|cm|in|pt|px)$/.exec((v || '').trim());
    return m ? parseFloat(m[1]) * unit[m[2]] : null; };
  let left = null, right = null;
  [...document.styleSheets].forEach((sheet, i) => {
    let rules;
    if (texts[i] == null) rules = sheet.cssRules;
    else { const copy = new CSSStyleSheet(); copy.replaceSync(texts[i]); rules = copy.cssRules; }
    for (const r of rules) {
      if (!(r instanceof CSSPageRule) || r.selectorText) continue;  // @page, not @page :first
      left = px(r.style.marginLeft) ?? left;
      right = px(r.style.marginRight) ?? right;
    }
  });
  return [left, right];
})"""

# The smallest chart text as printed, in pt: each SVG <text>'s font size times the scale its
# SVG is drawn at, laid out (print media) at the printed content width. [pt, text, where] or null.
PRINT_CHART_TEXT_JS = r"""(() => {
  let least = null;
  for (const svg of document.querySelectorAll('svg')) {
    const box = svg.viewBox && svg.viewBox.baseVal, drawn = svg.getBoundingClientRect().width;
    if (!box || !box.width || !drawn) continue;
    for (const t of svg.querySelectorAll('text')) {
      const pt = parseFloat(getComputedStyle(t).fontSize) * drawn / box.width * 0.75;
      if (!least || pt < least[0])
        least = [pt, t.textContent.trim().slice(0, 30), svg.closest('[id]')?.id || 'a chart'];
    }
  }
  return least;
})()"""

# Paper widths in CSS px (96 a inch): A4 (210 mm) and US Letter (8.5 in). A page printed on
# the narrower shows its charts smallest.
PAPER_WIDTHS = {"A4": 210 / 25.4 * 96, "Letter": 8.5 * 96}
# Margins the theme falls back to when it sets none (Chromium's default, 1 cm).
DEFAULT_MARGIN_PX = 96 / 2.54


def evaluate(browser, session, expression, deadline):
    """The value of a JavaScript expression in the page (awaited if a promise)."""
    res = browser.send("Runtime.evaluate",
                       {"expression": expression, "awaitPromise": True, "returnByValue": True},
                       session=session, timeout=max(1.0, deadline - time.monotonic()))
    if "exceptionDetails" in res:
        d = res["exceptionDetails"]
        raise CheckError("a layout check failed to run: "
                         + short((d.get("exception") or {}).get("description") or d.get("text", "")))
    return res.get("result", {}).get("value")


def set_width(browser, session, width, height):
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1,
                  "mobile": False}, session=session)


def layout_checks(browser, session, width, height, opts, deadline, stage):
    """The layout findings at the desktop width, at the narrow width (with its
    screenshot) and in print (with the PDF)."""
    found = []
    settle = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    stage[0] = f"checking its layout at {width} px"
    found += evaluate(browser, session, f"{LAYOUT_JS}({opts.min_chart_text}, false)", deadline)
    if opts.narrow_width:
        stage[0] = f"checking its layout at {opts.narrow_width} px"
        set_width(browser, session, opts.narrow_width, height)
        evaluate(browser, session, settle, deadline)
        if opts.narrow_screenshot:
            shot = browser.send("Page.captureScreenshot", {"format": "png"}, session=session,
                                timeout=max(1.0, deadline - time.monotonic()))
            Path(opts.narrow_screenshot).write_bytes(base64.b64decode(shot["data"]))
        found += evaluate(browser, session,
                          f"{LAYOUT_JS}({opts.min_chart_text}, false)", deadline)
        # The collapsed data tables, opened, on the phone.
        found += evaluate(browser, session,
                          f"{LAYOUT_JS}({opts.min_chart_text}, true)", deadline)
        set_width(browser, session, width, height)
    stage[0] = "printing it"
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
    found += evaluate(browser, session, PRINT_JS, deadline)
    if opts.min_print_chart_text:
        found += print_chart_text(browser, session, height, opts, deadline)
        set_width(browser, session, width, height)
    browser.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
    if opts.pdf:
        # A4 unless the page's @page rule names a size; no header or footer of the browser's
        # own (the page sets its running head and page numbers in its margin boxes).
        pdf = browser.send("Page.printToPDF",
                           {"printBackground": False, "preferCSSPageSize": True,
                            "displayHeaderFooter": False,
                            "paperWidth": 210 / 25.4, "paperHeight": 297 / 25.4},
                           session=session, timeout=max(1.0, deadline - time.monotonic()))
        Path(opts.pdf).write_bytes(base64.b64decode(pdf["data"]))
    # Each kind of finding once per chart or table, whichever pass found it.
    return list(dict.fromkeys(found))


def print_chart_text(browser, session, height, opts, deadline):
    """Chart text smaller than --min-print-chart-text pt on paper, on A4 and on Letter: the
    page is laid out at the width its content has there (the paper less the @page margins)."""
    texts = []
    for href in evaluate(browser, session, SHEET_HREFS_JS, deadline):
        if href is None:
            texts.append(None)
        elif href.startswith("file://"):
            path = Path(urllib.parse.unquote(urllib.parse.urlparse(href).path))
            texts.append(path.read_text(encoding="utf-8", errors="replace")
                         if path.is_file() else "")
        else:
            texts.append("")  # not reachable here: the page fails on the request anyway
    left, right = evaluate(browser, session,
                           f"{PAGE_MARGINS_JS}({json.dumps(texts)})", deadline)
    margins = (DEFAULT_MARGIN_PX if left is None else left) \
        + (DEFAULT_MARGIN_PX if right is None else right)
    found = []
    settle = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
    for paper, paper_px in PAPER_WIDTHS.items():
        set_width(browser, session, round(paper_px - margins), height)
        evaluate(browser, session, settle, deadline)
        least = evaluate(browser, session, PRINT_CHART_TEXT_JS, deadline)
        if least is None:
            continue
        pt, text, where = least
        if opts.verbose:
            print(f"printed on {paper}: smallest chart text {pt:.2f} pt (“{text}” in #{where})")
        if pt + 0.005 < opts.min_print_chart_text:
            found.append(f"chart text {pt:.1f} pt on {paper} paper (under "
                         f"{opts.min_print_chart_text:g} pt): “{short(text, 30)}” in #{where}")
    return found


# --------------------------------------------------------------------------
# PNG decoding (8-bit, non-interlaced; colour types 0, 2, 3, 4, 6)
# --------------------------------------------------------------------------

_MASK_CACHE = {}


def _masks(n):
    m = _MASK_CACHE.get(n)
    if m is None:
        m = (int.from_bytes(b"\x7f" * n, "big"), int.from_bytes(b"\x80" * n, "big"))
        _MASK_CACHE[n] = m
    return m


def _add_bytewise(x, y, n):
    """Byte-by-byte (x + y) mod 256 of two n-byte big-endian ints, with no carries
    between bytes: add the low 7 bits, then fix the top bit with XOR."""
    low, high = _masks(n)
    return ((x & low) + (y & low)) ^ ((x ^ y) & high)


def _unfilter(ftype, line, prev, bpp):
    """Undo one scanline's filter; line and prev are bytes of equal length."""
    n = len(line)
    if ftype == 0:
        return line
    if ftype == 2:  # Up
        x = _add_bytewise(int.from_bytes(line, "big"), int.from_bytes(prev, "big"), n)
        return x.to_bytes(n, "big")
    if ftype == 1:  # Sub: a running sum per channel, done as a log-step scan
        x = int.from_bytes(line, "big")
        shift = bpp
        while shift < n:
            # big-endian: moving bytes to higher indices is a right shift
            x = _add_bytewise(x, x >> (8 * shift), n)
            shift *= 2
        return x.to_bytes(n, "big")
    out = bytearray(line)
    if ftype == 3:  # Average
        for i in range(bpp):
            out[i] = (out[i] + (prev[i] >> 1)) & 0xFF
        for i in range(bpp, n):
            out[i] = (out[i] + ((out[i - bpp] + prev[i]) >> 1)) & 0xFF
        return bytes(out)
    if ftype == 4:  # Paeth
        for i in range(bpp):
            out[i] = (out[i] + prev[i]) & 0xFF
        for i in range(bpp, n):
            a = out[i - bpp]
            b = prev[i]
            c = prev[i - bpp]
            pa = b - c
            pb = a - c
            pc = pa + pb
            if pa < 0:
                pa = -pa
            if pb < 0:
                pb = -pb
            if pc < 0:
                pc = -pc
            if pa <= pb and pa <= pc:
                pred = a
            elif pb <= pc:
                pred = b
            else:
                pred = c
            out[i] = (out[i] + pred) & 0xFF
        return bytes(out)
    raise ValueError(f"unknown PNG filter type {ftype}")


def png_colour_counts(path):
    """Return (width, height, Counter of pixel colour tuples) for a PNG file."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    pos = 8
    ihdr = None
    palette = None
    idat = []
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif ctype == b"PLTE":
            palette = [tuple(body[i:i + 3]) for i in range(0, len(body) - 2, 3)]
        elif ctype == b"IDAT":
            idat.append(body)
        elif ctype == b"IEND":
            break
    if ihdr is None:
        raise ValueError("PNG has no IHDR chunk")
    width, height, depth, colour, _comp, _filter, interlace = ihdr
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
    if channels is None or depth != 8 or interlace != 0:
        raise ValueError(f"unsupported PNG (colour type {colour}, depth {depth}, "
                         f"interlace {interlace}); expected 8-bit, non-interlaced")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) < height * (stride + 1):
        raise ValueError("PNG image data is truncated")
    counts = collections.Counter()
    prev = bytes(stride)
    prev_row_counts = None
    prev_row = None
    for y in range(height):
        off = y * (stride + 1)
        row = _unfilter(raw[off], raw[off + 1:off + 1 + stride], prev, channels)
        if row == prev_row:  # plain areas: identical rows are common
            row_counts = prev_row_counts
        else:
            row_counts = collections.Counter(zip(*(row[k::channels] for k in range(channels))))
        counts.update(row_counts)
        prev, prev_row, prev_row_counts = row, row, row_counts
    if colour == 3 and palette:
        mapped = collections.Counter()
        for (idx,), n in counts.items():
            mapped[palette[idx] if idx < len(palette) else (idx,)] += n
        counts = mapped
    return width, height, counts


def blank_check(path, min_diff_percent):
    """Return (problem or None, percent of pixels that differ from the commonest colour)."""
    width, height, counts = png_colour_counts(path)
    total = width * height
    if total == 0:
        return "screenshot is empty (0 pixels)", 0.0
    colour, n = counts.most_common(1)[0]
    diff = 100.0 * (total - n) / total
    if diff < min_diff_percent:
        return (f"page looks blank: only {diff:.3f}% of the {width}x{height} screenshot's "
                f"pixels differ from its main colour rgb{colour[:3]} "
                f"(need at least {min_diff_percent}%)"), diff
    return None, diff


# --------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--chromium", default="chromium")
    ap.add_argument("--page", help="HTML file to load (a local path)")
    ap.add_argument("--screenshot", help="where to write the PNG screenshot")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=2000)
    ap.add_argument("--timeout", type=float, default=45.0, help="seconds for the page")
    ap.add_argument("--min-text", type=int, default=50,
                    help="fail if the visible text has fewer characters")
    ap.add_argument("--min-diff", type=float, default=0.5,
                    help="fail if fewer than this percent of pixels differ from the main colour")
    ap.add_argument("--narrow-width", type=int, default=390,
                    help="also check the layout at this width, a phone's (0: do not)")
    ap.add_argument("--narrow-screenshot", help="where to write the PNG at --narrow-width")
    ap.add_argument("--pdf", help="where to write the page printed to PDF")
    ap.add_argument("--min-chart-text", type=float, default=10.0,
                    help="fail if chart text is drawn smaller than this many px")
    ap.add_argument("--min-print-chart-text", type=float, default=8.0,
                    help="fail if chart text prints smaller than this many pt on A4 or "
                         "Letter (0: do not check)")
    ap.add_argument("--verbose", action="store_true",
                    help="also print the measurements of a page that passes")
    ap.add_argument("--decode-png", metavar="PNG",
                    help="only run the blank-screenshot check on an existing PNG")
    args = ap.parse_args()

    if args.decode_png:
        problem, diff = blank_check(args.decode_png, args.min_diff)
        print(problem or f"not blank: {diff:.3f}% of pixels differ from the main colour")
        return 1 if problem else 0
    if not args.page or not args.screenshot:
        ap.error("--page and --screenshot are required")

    # Turn SIGTERM (from `timeout`) into a normal exit so Chromium is cleaned up.
    def on_term(signum, _frame):
        raise CheckError(f"stopped by signal {signum} (time limit?)")
    signal.signal(signal.SIGTERM, on_term)

    page = Path(args.page).resolve()
    url = page.as_uri()  # percent-encodes spaces and non-ASCII
    with tempfile.TemporaryDirectory(prefix="huifang-chromium-") as tmp:
        profile = Path(tmp, "profile")
        profile.mkdir()
        log_path = Path(tmp, "chromium.log")
        browser = None
        try:
            browser = Browser(args.chromium, profile, args.width, args.height, log_path)
            problems, text = load_page(browser, url, args.width, args.height,
                                       args.screenshot, args.timeout, args)
        except PageHung as e:
            for p in e.args[0]:
                print(p)
            return 1
        except CheckError as e:
            print(f"could not check the page: {e}")
            if browser is not None:
                browser.close()
                browser = None
                tail = [line for line in
                        log_path.read_bytes().decode("utf-8", "replace").splitlines()
                        if not any(n in line for n in LOG_NOISE)][-15:]
                if tail:
                    print("last lines of Chromium's log:")
                    for line in tail:
                        print(f"    {line}")
            return 2
        finally:
            if browser is not None:
                browser.close()

    visible = " ".join(text.split())
    if len(visible) < args.min_text:
        problems.append(f"page has too little visible text: {len(visible)} characters "
                        f"(need more than {args.min_text}): {short(visible, 80)!r}")
    try:
        problem, diff = blank_check(args.screenshot, args.min_diff)
    except (ValueError, zlib.error) as e:
        problems.append(f"cannot decode the screenshot: {e}")
        diff = None
    else:
        if problem:
            problems.append(problem)

    seen = set()
    for p in problems:
        if p not in seen:
            seen.add(p)
            print(p)
    if not problems:
        print(f"{len(visible)} characters of text, "
              f"{diff:.2f}% of pixels differ from the main colour")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
