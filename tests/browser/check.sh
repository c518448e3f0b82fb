#!/usr/bin/env bash
# Real-browser check of the built site: loads pages in headless Chromium, saves
# screenshots of each (1280 px and 390 px wide) and its print to PDF, and fails on
# console errors, uncaught exceptions, resources that fail to load, blank pages,
# table cells that break a word, tables cut off, chart text under 10 px and data
# tables that do not print. One report page is also checked as a printed document
# (print_check.py): its page count, no page less than a third full, its headline
# numbers, part headings and table and figure labels in the PDF's text, and its pages
# saved as PNGs. See tests/browser/README.md.
#
# Usage: tests/browser/check.sh [SITE_DIR] [SCREENSHOT_DIR]
#   SITE_DIR        built site (default: public)
#   SCREENSHOT_DIR  where the PNGs and PDFs go (default: target/browser-screenshots)
# Both are taken relative to the directory you run it from.
#
# Environment:
#   BROWSER_PAGES         extra pages, space-separated, relative to SITE_DIR
#   BROWSER_TIMEOUT       seconds allowed per page (default 60)
#   BROWSER_MIN_TEXT      minimum visible text length in characters (default 50)
#   BROWSER_MIN_DIFF      minimum % of pixels differing from the main colour (default 0.5)
#   BROWSER_NARROW_WIDTH  the phone width the layout is checked at too (default 390; 0: not)
#   BROWSER_MIN_CHART_TEXT  smallest chart text allowed, in px (default 10)
#   BROWSER_MIN_PRINT_CHART_TEXT  smallest chart text allowed on paper, in pt (default 8)
#   BROWSER_PRINT_REPORT  the report page checked as a printed document (default: the
#                         sample's reports/2026-Q3/index.html, else the first report page)
#   BROWSER_PRINT_PAGES   its allowed page count, MIN-MAX (default 5-7 for the sample's
#                         2026-Q3, else any)
#   CHROMIUM              Chromium binary to use (default: chromium on PATH)
#   BROWSER_NO_INSTALL=1  never apt-get install anything; fail if it is missing
#   BROWSER_VERBOSE=1     also print each passing page's text length and pixel share
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
helper="$here/page_check.py"
print_helper="$here/print_check.py"

site_arg="${1:-public}"
shots_arg="${2:-target/browser-screenshots}"
timeout_s="${BROWSER_TIMEOUT:-60}"
min_text="${BROWSER_MIN_TEXT:-50}"
min_diff="${BROWSER_MIN_DIFF:-0.5}"
narrow="${BROWSER_NARROW_WIDTH:-390}"
min_chart_text="${BROWSER_MIN_CHART_TEXT:-10}"
min_print_chart_text="${BROWSER_MIN_PRINT_CHART_TEXT:-8}"

die() {
  printf 'browser check: %s\n' "$*" >&2
  exit 2
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root or sudo to run: $*"
  fi
}

apt_install() {
  [ "${BROWSER_NO_INSTALL:-0}" = 1 ] && die "missing $*, and BROWSER_NO_INSTALL=1"
  command -v apt-get >/dev/null 2>&1 || die "missing $*, and there is no apt-get to install it"
  echo "browser check: installing $* with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

# ---- paths (relative to the caller's cwd) -----------------------------------
[ -d "$site_arg" ] || die "site directory not found: $site_arg (build it first: cargo run --release -- build)"
site="$(cd -- "$site_arg" && pwd -P)"
mkdir -p -- "$shots_arg"
shots="$(cd -- "$shots_arg" && pwd -P)"

# ---- tools ------------------------------------------------------------------
command -v python3 >/dev/null 2>&1 || apt_install python3
command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) is missing"

chromium="${CHROMIUM:-}"
if [ -z "$chromium" ]; then
  chromium="$(command -v chromium || true)"
  if [ -z "$chromium" ]; then
    apt_install chromium
    chromium="$(command -v chromium || true)"
    [ -n "$chromium" ] || die "chromium is still not on PATH after installing it"
  fi
fi
# Without a CJK font Chinese text renders as empty boxes in the screenshots.
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null)" ] \
  && [ "${BROWSER_NO_INSTALL:-0}" != 1 ] && command -v apt-get >/dev/null 2>&1; then
  apt_install fonts-wqy-microhei || echo "browser check: warning: no CJK font; Chinese text will show as boxes" >&2
fi

# The printed report is read back with poppler's pdftotext; without it that part is skipped.
if ! command -v pdftotext >/dev/null 2>&1 && [ "${BROWSER_NO_INSTALL:-0}" != 1 ] \
  && command -v apt-get >/dev/null 2>&1; then
  apt_install poppler-utils || true
fi

# ---- pick the pages ---------------------------------------------------------
# first_match PATTERN DEPTH: the first file (in byte order) named index.html
# exactly DEPTH levels below $site whose path relative to $site matches PATTERN.
first_match() {
  local pattern="$1" depth="$2" f rel
  local -a found=()
  mapfile -d '' -t found < <(find "$site" -mindepth "$depth" -maxdepth "$depth" \
    -type f -name index.html -print0 | LC_ALL=C sort -z)
  for f in "${found[@]}"; do
    rel="${f#"$site"/}"
    # shellcheck disable=SC2053 # $pattern is a glob on purpose
    if [[ $rel == $pattern ]]; then
      printf '%s' "$rel"
      return 0
    fi
  done
}

pages=()
missing=()
declare -A listed=()
add_page() {
  if [ -z "${listed[$1]:-}" ]; then
    listed[$1]=1
    pages+=("$1")
  fi
}
want() { # want DESCRIPTION PATH
  if [ -n "$2" ]; then add_page "$2"; else missing+=("$1"); fi
}
if [ -f "$site/index.html" ]; then add_page "index.html"; else missing+=("index.html"); fi
want "a report page (reports/<id>/index.html)" \
  "$(first_match 'reports/*/index.html' 3)"
want "a report's department page (reports/<id>/departments/<slug>/index.html)" \
  "$(first_match 'reports/*/departments/*/index.html' 5)"
want "a department page (departments/<slug>/index.html)" \
  "$(first_match 'departments/*/index.html' 3)"
# Sites (项目) have pages only where the visit logs name them: checked when there.
site_page="$(first_match 'reports/*/sites/*/index.html' 5)"
[ -n "$site_page" ] && add_page "$site_page"
site_history="$(first_match 'sites/*/index.html' 3)"
[ -n "$site_history" ] && add_page "$site_history"

if [ -n "${BROWSER_PAGES:-}" ]; then
  read -r -a extra <<<"$BROWSER_PAGES"
  for p in "${extra[@]}"; do
    p="${p#./}"
    if [ -f "$site/$p" ]; then add_page "$p"; else missing+=("$p (from BROWSER_PAGES)"); fi
  done
fi

# The report checked as a printed document. The sample's 2026-Q3 report prints on 6 A4
# pages: its content (a cover, 8 headline cards, 5 charts 75–95 mm tall at full width with
# their data tables, 7 tables, a 20-row action list, the two follow-up tables of 20 and 9
# rows, the conclusions) fills 4.8 pages end to end, so fewer than 5 pages means something
# was not printed; the action list starts its own page and no chart or table is split, which
# leaves some space at page ends: 7 pages is the most that is not blank space crept in (the
# print before the theme's print style was 12). It has a commentary, so all five numbered
# parts (a report without one has no 五、结论与建议).
print_page="${BROWSER_PRINT_REPORT:-}"
print_range="${BROWSER_PRINT_PAGES:-}"
print_parts=0
if [ -z "$print_page" ] && [ -f "$site/reports/2026-Q3/index.html" ]; then
  print_page="reports/2026-Q3/index.html"
  print_range="${print_range:-5-7}"
  print_parts=5
fi
print_page="${print_page:-$(first_match 'reports/*/index.html' 3)}"
print_range="${print_range:-1-1000}"
if [ -n "$print_page" ]; then
  print_page="${print_page#./}"
  if [ -f "$site/$print_page" ]; then add_page "$print_page"; else missing+=("$print_page (the printed report)"); fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
  {
    echo "browser check: FAILED: the site in $site lacks pages it should have:"
    for m in "${missing[@]}"; do echo "  missing: $m"; done
    echo "expected layout: index.html, reports/<id>/index.html,"
    echo "  reports/<id>/departments/<slug>/index.html, departments/<slug>/index.html"
  } >&2
  exit 1
fi

# ---- check each page --------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/huifang-browser.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
export TMPDIR="$work" # Chromium profiles made by the helper land here too

echo "browser check: $("$chromium" --version 2>/dev/null | head -n1 || true), site $site"
passed=0
failed=0
start=$SECONDS
for page in "${pages[@]}"; do
  name="${page//\//__}"
  shot="$shots/${name%.html}.png"
  narrow_shot="$shots/${name%.html}.${narrow}px.png"
  pdf="$shots/${name%.html}.pdf"
  rm -f -- "$shot" "$narrow_shot" "$pdf"
  # A Chromium that crashes before the page could be checked (status 2) says nothing about
  # the page: it gets one more try, and the first crash is shown with the result.
  retried=""
  for attempt in 1 2; do
    rc=0
    timeout --kill-after=10 "$timeout_s" \
      python3 "$helper" --chromium "$chromium" --page "$site/$page" --screenshot "$shot" \
      --timeout "$((timeout_s > 15 ? timeout_s - 10 : timeout_s))" \
      --min-text "$min_text" --min-diff "$min_diff" \
      --narrow-width "$narrow" --narrow-screenshot "$narrow_shot" --pdf "$pdf" \
      --min-chart-text "$min_chart_text" --min-print-chart-text "$min_print_chart_text" \
      --verbose >"$work/out" 2>&1 || rc=$?
    [ "$rc" -eq 2 ] && [ "$attempt" -eq 1 ] || break
    retried="$(head -n1 "$work/out")"
  done
  [ -n "$retried" ] && printf 'retry  %s  (first try: %s)\n' "$page" "$retried"
  # The printed report, read back from its PDF (a failing print fails the page); what it
  # measured is always shown.
  : >"$work/print_out"
  if [ "$page" = "$print_page" ] && [ -f "$pdf" ] && { [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; }; then
    if command -v pdftotext >/dev/null 2>&1; then
      rm -f -- "$shots/${name%.html}".print-*.png
      prc=0
      python3 "$print_helper" --pdf "$pdf" --html "$site/$page" --pages "$print_range" \
        --parts "$print_parts" \
        --png "$shots/${name%.html}.print" --verbose >"$work/print_out" 2>&1 || prc=$?
      [ "$prc" -eq 0 ] || [ "$rc" -ne 0 ] || rc="$prc"
    else
      echo "print check skipped: pdftotext not found (Debian package poppler-utils)" >"$work/print_out"
    fi
  fi
  if [ "$rc" -eq 0 ]; then
    passed=$((passed + 1))
    printf 'ok  %s  (screenshot: %s)\n' "$page" "$shot"
  else
    failed=$((failed + 1))
    case "$rc" in
      1) why="" ;;
      2) why=" [check could not run]" ;;
      124 | 137) why=" [timed out after ${timeout_s}s]" ;;
      *) why=" [helper exited with status $rc]" ;;
    esac
    if [ -f "$shot" ]; then where="screenshot: $shot"; else where="no screenshot"; fi
    printf 'FAIL  %s  (%s)%s\n' "$page" "$where" "$why"
  fi
  # The helper's findings, indented (for a pass, its measurements if asked for).
  if [ "$rc" -ne 0 ] || [ "${BROWSER_VERBOSE:-0}" = 1 ]; then
    sed 's/^/        /' "$work/out"
  elif [ "$page" = "$print_page" ]; then
    sed -n 's/^printed on/        printed on/p' "$work/out"
  fi
  sed 's/^/        /' "$work/print_out"
done

echo "browser check: $((SECONDS - start))s, screenshots in $shots"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
