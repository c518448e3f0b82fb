#!/usr/bin/env bash
# Real-browser check of the built site: loads pages in headless Chromium, saves
# screenshots of each (1280 px and 390 px wide) and its print to PDF, and fails on
# console errors, uncaught exceptions, resources that fail to load, blank pages,
# table cells that break a word, tables cut off, chart text under 10 px and data
# tables that do not print. See tests/browser/README.md.
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
#   CHROMIUM              Chromium binary to use (default: chromium on PATH)
#   BROWSER_NO_INSTALL=1  never apt-get install anything; fail if it is missing
#   BROWSER_VERBOSE=1     also print each passing page's text length and pixel share
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
helper="$here/page_check.py"

site_arg="${1:-public}"
shots_arg="${2:-target/browser-screenshots}"
timeout_s="${BROWSER_TIMEOUT:-60}"
min_text="${BROWSER_MIN_TEXT:-50}"
min_diff="${BROWSER_MIN_DIFF:-0.5}"
narrow="${BROWSER_NARROW_WIDTH:-390}"
min_chart_text="${BROWSER_MIN_CHART_TEXT:-10}"

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
      --min-chart-text "$min_chart_text" >"$work/out" 2>&1 || rc=$?
    [ "$rc" -eq 2 ] && [ "$attempt" -eq 1 ] || break
    retried="$(head -n1 "$work/out")"
  done
  [ -n "$retried" ] && printf 'retry  %s  (first try: %s)\n' "$page" "$retried"
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
  fi
done

echo "browser check: $((SECONDS - start))s, screenshots in $shots"
echo "browser: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
