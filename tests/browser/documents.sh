#!/usr/bin/env bash
# The documents to hand in, read back as a reader gets them: one report exported as a PDF
# (huifang export --pdf, printed by Chromium from the report's archive page) and as a Word file
# (--docx), the Word file converted to PDF by LibreOffice as a recipient would open it. Both
# are checked by print_check.py against the report's archive page: its headline numbers, its
# five part headings and its 表/图 labels in order; the PDF also for its page count and no
# page under a third full. Every page of both is saved as a PNG to look at.
#
# Usage: tests/browser/documents.sh [REPORT] [OUT_DIR]
#   REPORT   the report to export (default 2026-Q3, the sample's)
#   OUT_DIR  where the documents and PNGs go (default target/browser-screenshots/documents)
# Run from a project folder (its huifang.toml) after `huifang build`. HUIFANG names the binary
# (default: cargo run --release --). Needs chromium, LibreOffice (soffice) and poppler-utils.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
report="${1:-2026-Q3}"
out="${2:-target/browser-screenshots/documents}"
mkdir -p -- "$out"
out="$(cd -- "$out" && pwd -P)"
if [ -n "${HUIFANG:-}" ]; then
  read -r -a huifang <<<"$HUIFANG"
else
  huifang=(cargo run --release -q --)
fi

for program in soffice pdftotext pdftoppm; do
  command -v "$program" >/dev/null 2>&1 || {
    echo "documents check: $program is missing (Debian: libreoffice-writer-nogui, poppler-utils)" >&2
    exit 2
  }
done

"${huifang[@]}" archive "$report" -o "$out/$report.html"
"${huifang[@]}" export "$report" --pdf --docx -o "$out"
pdf="$(ls -- "$out/$report"-v*.pdf | tail -n1)"
docx="$(ls -- "$out/$report"-v*.docx | tail -n1)"

failed=0
# The sample 2026-Q3 export fills 5.5 A4 pages (no action list: it is drawn from the rows);
# 5-7 leaves room for a font with other metrics, and not for a page left blank.
echo "documents check: $pdf"
python3 "$here/print_check.py" --html "$out/$report.html" --pdf "$pdf" --pages 5-7 --parts 5 \
  --png "$out/pdf-page" --verbose || failed=1

# LibreOffice, as someone handed the Word file opens it: it must convert without error.
profile="$(mktemp -d "${TMPDIR:-/tmp}/huifang-lo.XXXXXX")"
trap 'rm -rf -- "$profile"' EXIT
rm -f -- "$out/word.pdf"
timeout 300 soffice -env:UserInstallation="file://$profile" --headless --convert-to pdf \
  --outdir "$profile/out" "$docx" >/dev/null 2>&1 || {
  echo "FAIL  LibreOffice could not convert $docx"
  exit 1
}
mv -- "$profile/out/$(basename "${docx%.docx}").pdf" "$out/word.pdf"
echo "documents check: $docx (converted by LibreOffice)"
# Word lays pages out itself: page count and fill are LibreOffice's, not ours to bound.
python3 "$here/print_check.py" --html "$out/$report.html" --pdf "$out/word.pdf" --min-fill 0 \
  --parts 5 --png "$out/docx-page" --verbose || failed=1

if [ "$failed" -eq 0 ]; then
  echo "documents: ok (pages in $out)"
else
  echo "documents: FAILED"
fi
exit "$failed"
