#!/usr/bin/env bash
# The build benchmark: generates a dataset with the sample generator, builds the whole site
# from it, and compares with a floor, a bare pass of the csv crate's ByteRecord reader over
# the same files. Prints wall time, peak memory, throughput and the ratios the targets use.
#
# Usage: bench/run.sh [ROWS]        (default 1000000; also measures 2×ROWS for memory growth)
#        RUNS=5 bench/run.sh       (builds per measurement, median reported; default 3)
#        XLSX_ROWS=200000          (rows of the workbook dataset, read against a bare calamine
#                                   pass over the same workbooks; 0 skips it)
#        SHAPES=departments,enterprise,nightly
#                                  (opt-in shapes of issue 20, after the default bench:
#                                   200,000 rows over 1,000 and over 8,000 departments with
#                                   1,000 sites; ENTERPRISE_ROWS rows (default 10000000) over
#                                   3 years, 30 departments, 3,000 sites; and the nightly
#                                   rebuilds of the enterprise site, one a day: NIGHTS of them
#                                   (default 2) after a full build, each printed)
#        SHAPES_ONLY=1             (the shapes alone, without the default bench)
# Needs: a Rust toolchain, GNU time (/usr/bin/time; installed with apt-get if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

rows="${1:-1000000}"
RUNS="${RUNS:-3}"
work="target/bench"
bin="${CARGO_TARGET_DIR:-target}/release/huifang"
floor="${CARGO_TARGET_DIR:-target}/release/examples/csv_floor"
xlsx_floor="${CARGO_TARGET_DIR:-target}/release/examples/xlsx_floor"
XLSX_ROWS="${XLSX_ROWS:-200000}"

if [ ! -x /usr/bin/time ]; then
  echo "bench: installing GNU time" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y -qq time >&2; else sudo apt-get install -y -qq time >&2; fi
fi
cargo build --release --quiet --bin huifang --example csv_floor --example xlsx_floor

# dataset DIR ROWS ENCODING [FORMAT]: 3 years, 8 departments, 20 sites, in one encoding (CSV)
# or as workbooks (FORMAT xlsx).
dataset() {
  local dir="$1" n="$2" encoding="$3" format="${4:-csv}"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$bin" sample --rows "$n" --seed 7 --start 2024-01-01 --end 2026-12-31 \
      --departments 8 --sites 20 --encoding "$encoding" --format "$format" --out "$dir/visits" 2>/dev/null ||
      { echo "bench: generating $dir failed" >&2; exit 1; }
    printf 'as_of = 2026-12-31\n\n[[sources]]\npath = "visits"\n' > "$dir/huifang.toml"
    touch "$dir/.complete"
  fi
}

# Sites and snapshots of earlier runs are removed only here, and then the bench waits out the
# minute after a deletion in which ext4 avoids reusing the deleted files' inodes: it searches
# past them for every file created, which doubled the time to write a site and timed the file
# system instead of the build.
tidy() {
  local stamp="$work/.last-clean" left
  left="$(find "$work" -mindepth 2 -maxdepth 2 \( -name 'public*' -o -name '.huifang-spare-*' -o -name 'snapshots*' -o -name 'run-*.toml' \) 2>/dev/null || true)"
  if [ -n "$left" ]; then
    xargs rm -rf <<<"$left"
    sync
    date +%s > "$stamp"
  fi
  if [ -f "$stamp" ]; then
    local wait_s=$(($(cat "$stamp") + 65 - $(date +%s)))
    if ((wait_s > 0)); then
      echo "bench: waiting ${wait_s} s after removing earlier runs' sites (ext4 is slow to create files for a minute after a deletion)" >&2
      sleep "$wait_s"
    fi
  fi
}

# timed CMD...: runs CMD under GNU time (for its peak memory); sets log to what it printed and
# secs to its wall time by the clock (GNU time gives hundredths). The floor and the builds are
# timed alike, as whole processes.
timed() {
  local started_ns
  started_ns="$(date +%s%N)"
  log="$(/usr/bin/time -f 'rss_kb=%M' "$@" 2>&1)"
  secs="$(awk -v a="$started_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')"
}

# measure DIR: a full build from scratch (no site, no versions yet: every report's first
# version is written), run RUNS times; sets wall and the --timings line of the median run,
# rss_kb, the largest peak of all runs, and last_conf / last_out, the last run's project file
# and site. Each run gets a project file, site and snapshots folder of its own, left in place
# until the next bench (see `tidy`). A shared machine's noise is a few percent from run to
# run; the median steadies the ratios.
# EXTRA_TOML is added to each run's project file (the shapes raise [limits]).
measure() {
  local dir="$1" log i runs=()
  rss_kb=0
  for ((i = 0; i < RUNS; i++)); do
    last_conf="$dir/run-$i.toml"
    last_out="$dir/public-run-$i"
    printf 'as_of = 2026-12-31\nsnapshots_dir = "snapshots-run-%s"\n%s\n[[sources]]\npath = "visits"\n' \
      "$i" "${EXTRA_TOML:-}" > "$last_conf"
    sync # the previous run's writes go to disk now, not during this one
    local run_rss
    timed "$bin" build -c "$last_conf" --out "$last_out" --timings --force
    run_rss="$(grep -o 'rss_kb=[0-9]*' <<<"$log" | cut -d= -f2)"
    ((run_rss > rss_kb)) && rss_kb="$run_rss"
    runs+=("$secs $(grep -o '[0-9]* pages' <<<"$log" | head -1 | cut -d' ' -f1) $(grep '^timings:' <<<"$log")")
  done
  local median
  median="$(printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
  wall="${median%% *}"
  local rest="${median#* }"
  pages="${rest%% *}"
  timings="${rest#* }"
}

# stage NAME: seconds of one stage from the last --timings line.
stage() { grep -o "$1 [0-9.]*s" <<<"$timings" | grep -o '[0-9.]*' | head -1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

SHAPES="${SHAPES:-}"
SHAPES_ONLY="${SHAPES_ONLY:-}"
ENTERPRISE_ROWS="${ENTERPRISE_ROWS:-10000000}"
NIGHTS="${NIGHTS:-2}"

# shape_data DIR ROWS DEPARTMENTS SITES: a dataset of one of issue 20's shapes, 3 years.
shape_data() {
  local dir="$1" n="$2" departments="$3" sites="$4"
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    "$bin" sample --rows "$n" --seed 7 --start 2024-01-01 --end 2026-12-31 \
      --departments "$departments" --sites "$sites" --encoding utf-8 --out "$dir/visits" 2>/dev/null ||
      { echo "bench: generating $dir failed" >&2; exit 1; }
    touch "$dir/.complete"
  fi
}

# shape NAME ROWS DEPARTMENTS SITES: full builds of a shape (median wall, largest peak), with
# the pages, pages per second and the last site's size (apparent and on disk).
shape() {
  local name="$1" n="$2" departments="$3" sites="$4" dir="$work/shape-$1"
  shape_data "$dir" "$n" "$departments" "$sites"
  EXTRA_TOML=$'\n[limits]\ndepartments = 100000\nsites = 100000\n' measure "$dir"
  printf '%-34s %s\n' "$name ($n rows, $departments departments, $sites sites)" \
    "${wall} s, ${pages} pages, $(awk -v p="$pages" -v s="$wall" 'BEGIN { printf "%.0f", p / s }') pages/s, peak $((rss_kb / 1024)) MB, site $(du -sh --apparent-size "$last_out" | cut -f1) ($(du -sh "$last_out" | cut -f1) on disk)"
}

# nightly: the enterprise site built as of NIGHTS days before the last day, then rebuilt once
# a day up to it (every night after the first is a nightly build after another), each night
# printed with its wall time, pages written and stages: the versions of the periods in
# progress pile up one a night, and what grows with them shows here.
nightly() {
  local dir="$work/shape-enterprise" conf out log night as_of
  conf="$dir/nightly.toml"
  out="$dir/public-nightly"
  rm -rf "$out" "$dir/snapshots-nightly" "$dir/.huifang-spare-public-nightly-site" "$dir/.huifang-checked"
  for ((night = NIGHTS; night >= 0; night--)); do
    as_of="$(date -d "2026-12-31 - $night days" +%F)"
    printf 'as_of = %s\nsnapshots_dir = "snapshots-nightly"\n\n[limits]\ndepartments = 100000\nsites = 100000\n\n[[sources]]\npath = "visits"\n' \
      "$as_of" > "$conf"
    sync
    timed "$bin" build -c "$conf" --out "$out" --timings
    ((night == NIGHTS)) && continue
    printf '%-34s %s\n' "nightly rebuild as of $as_of" \
      "${secs} s, peak $(($(grep -o 'rss_kb=[0-9]*' <<<"$log" | cut -d= -f2) / 1024)) MB, $(grep -o '[0-9]* pages ([0-9]* written' <<<"$log"), $(grep -o 'reports: [0-9]* unchanged' <<<"$log" || echo 'no report kept'); $(grep -o 'hash [0-9.]*s\|history [0-9.]*s\|render [0-9.]*s' <<<"$log" | tr '\n' ' ')snapshots $(du -sm "$dir/snapshots-nightly" | cut -f1) MB"
  done
}

run_shapes() {
  [ -n "$SHAPES" ] || return 0
  tidy
  echo
  echo "shapes of issue 20 (RUNS=$RUNS; machine: $(nproc) cores)"
  if [[ ",$SHAPES," == *,departments,* ]]; then
    shape departments-1000 200000 1000 1000
    shape departments-8000 200000 8000 1000
  fi
  if [[ ",$SHAPES," == *,enterprise,* || ",$SHAPES," == *,nightly,* ]]; then
    shape enterprise "$ENTERPRISE_ROWS" 30 3000
  fi
  if [[ ",$SHAPES," == *,nightly,* ]]; then
    nightly
  fi
}

if [ -n "$SHAPES_ONLY" ]; then
  run_shapes
  exit 0
fi

utf8="$work/$rows-utf8"
gb="$work/$rows-gb18030"
big="$work/$((rows * 2))-utf8"
dataset "$utf8" "$rows" utf-8
dataset "$gb" "$rows" gb18030
dataset "$big" "$((rows * 2))" utf-8

tidy

bytes="$(cat "$utf8"/visits/*.csv | wc -c)"
mb="$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')"
floor_s="$(for ((i = 0; i < RUNS; i++)); do
  timed "$floor" "$utf8"/visits/*.csv
  echo "$secs"
done | sort -n | sed -n "$(((RUNS + 1) / 2))p")"

measure "$utf8"
full_wall="$wall"; full_rss="$rss_kb"; full_timings="$timings"
rendering="$(awk -v p="$(stage pages)" -v r="$(stage render)" -v w="$(stage write)" 'BEGIN { print p + r + w }')"
pages_s="$(grep -o 'rendering [0-9]* pages/s' <<<"$timings" | grep -o '[0-9]*')"

# A rebuild with nothing changed: the same command again, after the inputs' times have
# settled (files modified within two seconds of a build are always read).
sleep 2
rebuild_wall="$(for ((i = 0; i < RUNS; i++)); do
  started_ns="$(date +%s%N)"
  "$bin" build -c "$last_conf" --out "$last_out" --quiet
  awk -v a="$started_ns" -v b="$(date +%s%N)" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
done | sort -n | sed -n "$(((RUNS + 1) / 2))p")"

measure "$gb"
gb_wall="$wall"

measure "$big"
big_rss="$rss_kb"

if ((XLSX_ROWS > 0)); then
  xlsx="$work/$XLSX_ROWS-xlsx"
  dataset "$xlsx" "$XLSX_ROWS" utf-8 xlsx
  xlsx_mb="$(cat "$xlsx"/visits/*.xlsx | wc -c | awk '{ printf "%.1f", $1 / 1e6 }')"
  xlsx_floor_s="$(for ((i = 0; i < RUNS; i++)); do
    timed "$xlsx_floor" "$xlsx"/visits/*.xlsx
    echo "$secs"
  done | sort -n | sed -n "$(((RUNS + 1) / 2))p")"
  measure "$xlsx"
  xlsx_wall="$wall"; xlsx_read="$(stage read)"
fi

echo "huifang build benchmark: $rows rows, $mb MB UTF-8, 3 years, 8 departments, 20 sites"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo
printf '%-34s %s\n' "full build (wall)" "${full_wall} s"
printf '%-34s %s\n' "  stages" "${full_timings#timings: }"
printf '%-34s %s\n' "peak memory (RSS)" "$((full_rss / 1024)) MB"
printf '%-34s %s\n' "input throughput" "$(awk -v m="$mb" -v s="$full_wall" 'BEGIN { printf "%.0f MB/s", m / s }')"
printf '%-34s %s\n' "rows per second" "$(awk -v r="$rows" -v s="$full_wall" 'BEGIN { printf "%.0f", r / s }')"
printf '%-34s %s\n' "rendering stage" "${rendering} s, ${pages_s} pages/s"
printf '%-34s %s\n' "floor (csv ByteRecord pass)" "${floor_s} s"
printf '%-34s %s\n' "build / floor" "$(ratio "$full_wall" "$floor_s")"
printf '%-34s %s\n' "(build - rendering) / floor" "$(ratio "$(awk -v a="$full_wall" -v b="$rendering" 'BEGIN { print a - b }')" "$floor_s")"
printf '%-34s %s\n' "rebuild, nothing changed" "${rebuild_wall} s ($(awk -v a="$rebuild_wall" -v b="$full_wall" 'BEGIN { printf "%.1f%%", a / b * 100 }') of the full build)"
printf '%-34s %s\n' "GB18030 / UTF-8 build time" "$(ratio "$gb_wall" "$full_wall")"
printf '%-34s %s\n' "peak memory at $((rows * 2)) rows" "$((big_rss / 1024)) MB ($(awk -v a="$big_rss" -v b="$full_rss" 'BEGIN { printf "%+.1f%%", (a / b - 1) * 100 }'))"
if ((XLSX_ROWS > 0)); then
  echo
  echo "workbooks: $XLSX_ROWS rows in 3 .xlsx files, $xlsx_mb MB (huifang sample --format xlsx)"
  printf '%-34s %s\n' "floor (bare calamine pass)" "${xlsx_floor_s} s, $(awk -v r="$XLSX_ROWS" -v s="$xlsx_floor_s" 'BEGIN { printf "%.0f", r / s }') rows/s"
  printf '%-34s %s\n' "read stage of a full build" "${xlsx_read} s, $(awk -v r="$XLSX_ROWS" -v s="$xlsx_read" 'BEGIN { printf "%.0f", r / s }') rows/s"
  printf '%-34s %s\n' "read stage / floor" "$(ratio "$xlsx_read" "$xlsx_floor_s")"
  printf '%-34s %s\n' "full build (wall)" "${xlsx_wall} s"
fi

run_shapes
