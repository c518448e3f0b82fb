#!/usr/bin/env python3
"""Check a report page printed to PDF as a document to hand in; used by tests/browser/check.sh.

Only the Python standard library is used, and poppler's pdfinfo, pdftotext and pdftoppm.
Given the page's HTML and the PDF page_check.py printed from it, the print fails when:
  * its page count is outside --pages MIN-MAX;
  * a page's content ends above --min-fill of the printable height (the last page too):
    the lowest word on the page (pdftotext -bbox) against the area between the top of the
    first line of content and the page numbers. Charts always carry text (their axes), so
    text boxes are enough;
  * its text lacks a headline number: each KPI card's data-value (data-metric …_rate a share,
    printed as a percentage with one decimal; anything else a count), formatted here;
  * its text lacks a numbered part's heading (section.part > h2), or has them out of order;
    the page must have --parts of them (a part with nothing to show is left out: without a
    commentary there is no 五、结论与建议), or at least one;
  * its text lacks a table's or figure's label (表1, 图1 …), or has them out of order.
With --png PREFIX it saves each page as PREFIX-N.png (pdftoppm) to look at.

Exit status: 0 the print passed, 1 it failed a check, 2 the check could not run.
"""

import argparse
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path


class CheckError(Exception):
    """The check could not be carried out (not a finding about the print)."""


def run(*args):
    try:
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise CheckError(f"{args[0]} failed: {getattr(e, 'stderr', '') or e}") from e


def page_count(pdf):
    m = re.search(r"^Pages:\s+(\d+)", run("pdfinfo", pdf), re.M)
    if not m:
        raise CheckError(f"pdfinfo gives no page count for {pdf}")
    return int(m.group(1))


WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


def pages_of(pdf):
    """Per page: (height, [(yMin, yMax) of each word]), in points."""
    out = []
    for m in PAGE.finditer(run("pdftotext", "-bbox", pdf, "-")):
        words = [(float(w.group(2)), float(w.group(4))) for w in WORD.finditer(m.group(3))]
        out.append((float(m.group(2)), words))
    return out


def margin_lines(pages):
    """The y (rounded to a point) of lines in the page margins: the running head and the page
    numbers are the top or bottom line of every page, at the same height on each (the running
    head may be missing from page 1, whose cover it would repeat)."""
    if len(pages) < 2:
        return set()
    edges = {}
    for _height, words in pages:
        if words:
            for y in {round(min(w[0] for w in words)), round(max(w[0] for w in words))}:
                edges[y] = edges.get(y, 0) + 1
    return {y for y, n in edges.items() if n >= len(pages) - 1}


def fills(pages):
    """How full each page is: how far down its content ends, as a share of the printable
    height (from the top of the highest content line on any page to the page numbers)."""
    margins = margin_lines(pages)
    content = [[w for w in words if round(w[0]) not in margins] for _h, words in pages]
    tops = [w[0] for words in content for w in words]
    if not tops:
        return [0.0] * len(pages)
    top = min(tops)
    result = []
    for (height, words), body in zip(pages, content):
        footer = [w[0] for w in words if round(w[0]) in margins and w[0] > height / 2]
        bottom = min(footer) if footer else height - top
        low = max((w[1] for w in body), default=top)
        result.append(max(0.0, (low - top) / (bottom - top)))
    return result


def text_of(html_text):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", html_text)).split())


def headline_numbers(page_html):
    """(metric, the number as printed) of each KPI card, formatted from its data-value."""
    out = []
    for metric, value in re.findall(r'data-metric="([^"]+)" data-value="([^"]+)"', page_html):
        v = float(value)
        if metric.endswith("_rate"):
            out.append((metric, [f"{v * 100:.1f}%"]))
        else:
            out.append((metric, [f"{v:.0f}", f"{v:,.0f}"]))
    return out


def in_order(text, needles, what):
    """Findings for needles missing from text or found out of order."""
    found, pos = [], 0
    for n in needles:
        # A label is a whole number: 表1 is not the start of 表12.
        pattern = re.escape(n) + (r"(?!\d)" if n[-1:].isdigit() else "")
        here = re.compile(pattern).search(text, pos)
        if here:
            pos = here.end()
        elif re.compile(pattern).search(text):
            found.append(f"print has {what} “{n}” out of order")
        else:
            found.append(f"print lacks {what} “{n}”")
    return found


def check(pdf, page_html, min_pages, max_pages, min_fill, parts, verbose):
    found = []
    n = page_count(pdf)
    if not min_pages <= n <= max_pages:
        found.append(f"print has {n} pages (expected {min_pages}–{max_pages})")
    share = fills(pages_of(pdf))
    if verbose:
        print(f"printed: {n} pages, filled " + ", ".join(f"{f:.0%}" for f in share))
    for i, f in enumerate(share, 1):
        if f < min_fill:
            found.append(f"printed page {i} of {n} is {f:.0%} full (need at least {min_fill:.0%})")

    # pdftotext breaks lines where the page does; the checks look for runs without spaces.
    text = "".join(run("pdftotext", "-layout", pdf, "-").split())
    numbers = headline_numbers(page_html)
    if not numbers:
        found.append("the page has no KPI cards (data-metric, data-value) to look for in print")
    for metric, spellings in numbers:
        if not any(s in text for s in spellings):
            found.append(f"print lacks the headline number {metric} = {spellings[0]}")
    headings = [text_of(h) for h in re.findall(
        r'<section class="part[^"]*"[^>]*>\s*<h2>(.*?)</h2>', page_html, re.S)]
    if len(headings) != parts if parts else not headings:
        found.append(f"the page has {len(headings)} numbered parts (section.part > h2), "
                     f"not {parts or 'one or more'}")
    found += in_order(text, ["".join(h.split()) for h in headings], "the part heading")
    labels = [text_of(x) for x in re.findall(r'<span class="label">(.*?)</span>', page_html)]
    if not labels:
        found.append("the page has no numbered tables or figures (span.label)")
    found += in_order(text, ["".join(x.split()) for x in labels], "the label")
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", required=True)
    ap.add_argument("--html", required=True, help="the page the PDF was printed from")
    ap.add_argument("--pages", default="1-1000", help="allowed page count, MIN-MAX")
    ap.add_argument("--min-fill", type=float, default=1 / 3,
                    help="share of the printable height every page must be filled to")
    ap.add_argument("--parts", type=int, default=0,
                    help="the number of numbered parts the page must have (0: one or more)")
    ap.add_argument("--png", metavar="PREFIX", help="save the pages as PREFIX-N.png")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    m = re.fullmatch(r"(\d+)-(\d+)", args.pages)
    if not m:
        ap.error(f"--pages takes MIN-MAX (such as 5-7), not {args.pages!r}")
    missing = [t for t in ("pdfinfo", "pdftotext", "pdftoppm") if not shutil.which(t)]
    if missing:
        print(f"print check skipped: {', '.join(missing)} not found (Debian: poppler-utils)")
        return 0
    try:
        page_html = Path(args.html).read_text(encoding="utf-8")
        found = check(args.pdf, page_html, int(m.group(1)), int(m.group(2)), args.min_fill,
                      args.parts, args.verbose)
        if args.png:
            run("pdftoppm", "-r", "60", "-png", args.pdf, args.png)
    except (CheckError, OSError) as e:
        print(f"could not check the print: {e}")
        return 2
    for f in found:
        print(f)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
