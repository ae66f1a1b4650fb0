#!/usr/bin/env bash
# Whole-process comparison of the Rust CLI and the Python (lxml + cryptography) baseline on the
# same federation aggregate: median wall time, entities/s, MB/s and peak RSS over RUNS runs.
# Results and their interpretation: docs/performance.md.
#
#   scripts/bench-compare.sh            # 5,000 entities, 5 runs each
#   ENTITIES=20000 RUNS=7 scripts/bench-compare.sh
#
# Environment:
#   ENTITIES        entities in the generated aggregate (default 5000)
#   RUNS            measured runs per tool, after one unmeasured warm-up run (default 5)
#   CLI_TARGET_DIR  where the CLI is built, without the `gui` feature so iced is not built
#                   (default target/cli-only; a separate directory avoids waiting on the lock
#                   of target/ while other builds run there)
#   CLI             use this binary instead of building one (e.g. target/release/goto-sso-wizard)
#   PYTHON          interpreter for the venv (default python3)
#
# Needs GNU time (/usr/bin/time -v, Debian package `time`; installed with apt-get when missing
# and running as root) and PyPI access the first time (lxml and cryptography go into
# target/bench-venv).
set -euo pipefail
cd "$(dirname "$0")/.."

ENTITIES="${ENTITIES:-5000}"
RUNS="${RUNS:-5}"
CLI_TARGET_DIR="${CLI_TARGET_DIR:-target/cli-only}"
PYTHON="${PYTHON:-python3}"
FILE="target/bench/aggregate-${ENTITIES}.xml"
VENV="target/bench-venv"

say() { printf '==> %s\n' "$*" >&2; }

if ! /usr/bin/time -v true >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing GNU time (Debian package 'time')"
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        echo "error: GNU time (/usr/bin/time -v) is needed: apt-get install time" >&2
        exit 1
    fi
fi

if [ ! -s "$FILE" ]; then
    say "generating $FILE ($ENTITIES entities) with examples/make_aggregate.rs"
    cargo run --release --example make_aggregate -- "$FILE" "$ENTITIES"
fi

if [ -z "${CLI:-}" ]; then
    say "building the CLI without the gui feature into $CLI_TARGET_DIR"
    cargo build --release --no-default-features --target-dir "$CLI_TARGET_DIR" \
        --bin goto-sso-wizard
    CLI="$CLI_TARGET_DIR/release/goto-sso-wizard"
fi

if ! "$VENV/bin/python" -c 'import lxml, cryptography' 2>/dev/null; then
    say "creating $VENV with lxml and cryptography"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet lxml cryptography
fi

BYTES=$(stat -c %s "$FILE")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Sanity check: both tools see every entity.
CLI_ENTITIES=$("$CLI" metadata inspect "$FILE" --json |
    "$VENV/bin/python" -c 'import json, sys; print(len(json.load(sys.stdin)["entities"]))')
PY_ENTITIES=$("$VENV/bin/python" benches/python_baseline.py "$FILE" |
    sed -n 's/.*entities=\([0-9]*\).*/\1/p')
if [ "$CLI_ENTITIES" != "$ENTITIES" ] || [ "$PY_ENTITIES" != "$ENTITIES" ]; then
    echo "error: expected $ENTITIES entities, the CLI found $CLI_ENTITIES, Python $PY_ENTITIES" >&2
    exit 1
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure LABEL STDOUT COMMAND...: one warm-up run, then RUNS runs under /usr/bin/time -v.
# Wall time is taken with date +%s%N around each run (nanosecond clock; GNU time's own
# "Elapsed" field only has centiseconds); peak RSS is GNU time's "Maximum resident set size".
measure() {
    local label=$1 stdout=$2
    shift 2
    "$@" >/dev/null
    : >"$WORK/wall" && : >"$WORK/rss" && : >"$WORK/inner"
    for run in $(seq 1 "$RUNS"); do
        local start end
        start=$(date +%s%N)
        if [ "$stdout" = keep ]; then
            /usr/bin/time -v -o "$WORK/time.$run" "$@" >"$WORK/out.$run"
        else
            /usr/bin/time -v -o "$WORK/time.$run" "$@" >/dev/null
        fi
        end=$(date +%s%N)
        awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", (e - s) / 1e9 }' >>"$WORK/wall"
        sed -n 's/.*Maximum resident set size (kbytes): *//p' "$WORK/time.$run" >>"$WORK/rss"
        if [ "$stdout" = keep ]; then
            sed -n 's/.*elapsed_seconds=\([0-9.]*\).*/\1/p' "$WORK/out.$run" >>"$WORK/inner"
        fi
    done
    local wall rss inner
    wall=$(median <"$WORK/wall")
    rss=$(median <"$WORK/rss")
    inner=$(if [ -s "$WORK/inner" ]; then median <"$WORK/inner"; else echo -; fi)
    awk -v label="$label" -v wall="$wall" -v rss="$rss" -v inner="$inner" \
        -v n="$ENTITIES" -v bytes="$BYTES" -v runs="$(paste -sd' ' "$WORK/wall")" 'BEGIN {
        printf "%-34s %9.3f %12.0f %8.1f %10.1f   %s   [%s]\n",
            label, wall, n / wall, bytes / 1e6 / wall, rss / 1024, inner, runs
    }'
}

say "file: $FILE, $ENTITIES entities, $BYTES bytes; $RUNS runs each (median shown)"
printf '%-34s %9s %12s %8s %10s   %s   %s\n' "tool (whole process)" "wall s" "entities/s" \
    "MB/s" "RSS MiB" "in-process s" "[wall of each run]"
measure "Rust CLI (inspect --json)" discard "$CLI" metadata inspect "$FILE" --json
measure "Python lxml + cryptography" keep "$VENV/bin/python" benches/python_baseline.py "$FILE"
say "MB = 10^6 bytes; RSS = peak resident set size of the whole process"
say "versions: $("$CLI" --version 2>/dev/null || echo "$CLI"), $("$VENV/bin/python" -c 'import sys, lxml.etree as e, cryptography as c; print("Python", sys.version.split()[0], "lxml", e.__version__, "libxml2", ".".join(map(str, e.LIBXML_VERSION)), "cryptography", c.__version__)')"
