#!/usr/bin/env bash
# Time to the first window and idle memory of the wizard under Xvfb, and of any other iced
# program measured the same way (iced's own `tour` example, for comparison):
#   scripts/bench-window.sh                       # the wizard (target/release/goto-sso-wizard)
#   OTHER=path/to/tour scripts/bench-window.sh    # and another program beside it
#   RUNS=10 scripts/bench-window.sh
# For each run: start the program, poll every 10 ms for a visible window (xdotool's --sync only
# looks every 500 ms), then wait 2 s and read VmRSS (idle memory). Prints the medians.
# Needs Xvfb and xdotool (installed with apt-get when run as root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-7}
wizard=${GOTO_SSO_BIN:-target/release/goto-sso-wizard}
[[ -x $wizard ]] || cargo build --release --bin goto-sso-wizard
for tool in Xvfb xdotool; do
    command -v "$tool" >/dev/null && continue
    if [[ $(id -u) == 0 ]]; then apt-get update -qq && apt-get install -y -qq xvfb xdotool >/dev/null; break
    else echo "error: install xvfb and xdotool" >&2; exit 1; fi
done
display=99
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
for _ in $(seq 200); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.05; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

measure() { # NAME BINARY
    local name=$1 binary=$2 times=() memory=()
    for _ in $(seq "$runs"); do
        local start pid window=
        start=$(date +%s%N)
        env -u WAYLAND_DISPLAY DISPLAY=":$display" ICED_BACKEND=tiny-skia "$binary" >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 2000); do
            window=$(DISPLAY=":$display" xdotool search --onlyvisible --pid "$pid" 2>/dev/null | head -n1 || true)
            [[ -n $window ]] && break
            sleep 0.01
        done
        [[ -n $window ]] || { echo "error: $name showed no window" >&2; kill "$pid"; return 1; }
        times+=($((($(date +%s%N) - start) / 1000000)))
        sleep 2
        memory+=("$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")")
        kill "$pid"; wait "$pid" 2>/dev/null || true
    done
    printf '%-28s first window %5s ms   idle RSS %6s MiB   (median of %s runs; times: %s)\n' \
        "$name" "$(printf '%s\n' "${times[@]}" | median)" "$(printf '%s\n' "${memory[@]}" | median)" "$runs" "${times[*]}"
}

measure "goto-sso-wizard" "$wizard"
[[ -n ${OTHER:-} ]] && measure "$(basename "$OTHER")" "$OTHER"
exit 0
