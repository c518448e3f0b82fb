#!/usr/bin/env bash
# Incremental output on the sample site: a build, then a rebuild after one more day of visits,
# counting the files each wrote and kept. Usage: bench/incremental.sh [huifang binary]
# (default: target/release/huifang; build it with `cargo build --release`).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-${CARGO_TARGET_DIR:-$here/target}/release/huifang}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$here/huifang.toml" "$here/sample-data" "$here/content" "$work/"
cd "$work"
export SOURCE_DATE_EPOCH=1795000000

day() { # $1: the date as the sample writes it; three more visits that day
  for n in 1 2 3; do
    echo "HF-2026-00990$n,$1,客服部,阳光新城,定期走访,电话,已回访,满意,,,,,,,,徐晓燕"
  done >> sample-data/visits/visits-2026.csv
}
count() { find public -type f | wc -l; }
inodes() { find public -type f -printf "%i %P\n" | sort; }

"$bin" build --timings 2>&1 | grep -E '^(wrote|files|timings)'
echo "files in the site: $(count)"
inodes > before

echo "--- more visits on the last day (2026-11-20), as-of unchanged"
day "2026年11月20日"
"$bin" build --timings 2>&1 | grep -E '^(wrote|files|timings)'
inodes > after
echo "files with a new inode: $(comm -13 before after | wc -l)"

echo "--- the next day (2026-11-21) with --as-of 2026-11-21, as a nightly build"
inodes > before
day "2026年11月21日"
"$bin" build --timings --as-of 2026-11-21 2>&1 | grep -E '^(wrote|files|timings)'
inodes > after
echo "files with a new inode: $(comm -13 before after | wc -l)"
