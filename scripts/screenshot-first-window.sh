#!/usr/bin/env bash
# Screenshots of the first window, taken under Xvfb so they can be looked at without a desktop:
#   target/screenshots/00-welcome.png        the system theme (light: Xvfb reports no preference)
#   target/screenshots/00-welcome-dark.png   GOTO_SSO_THEME=dark
#   target/screenshots/00-welcome-min.png    the light theme at the minimum size (720x520)
# It also prints how long the window took to appear and the process's resident memory then.
#
# Usage: scripts/screenshot-first-window.sh
#   GOTO_SSO_BIN=path/to/binary   use that binary instead of building target/release/goto-sso-wizard
#   SCREEN=1280x900               size of the virtual screen
# Needs Xvfb, xdotool and ImageMagick's `import`; as root it installs them with apt-get, otherwise
# it says what to install.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
out_dir=target/screenshots
screen=${SCREEN:-1280x900}

need_install=()
command -v Xvfb >/dev/null || need_install+=(xvfb)
command -v xdotool >/dev/null || need_install+=(xdotool)
command -v import >/dev/null || need_install+=(imagemagick)
if ((${#need_install[@]})); then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "installing: ${need_install[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_install[@]}" >/dev/null
    else
        echo "error: missing tools; install them with: sudo apt-get install ${need_install[*]}" >&2
        exit 1
    fi
fi

if [[ -n ${GOTO_SSO_BIN:-} ]]; then
    bin=$GOTO_SSO_BIN
else
    cargo build --release --bin goto-sso-wizard
    bin=target/release/goto-sso-wizard
fi
[[ -x $bin ]] || { echo "error: $bin is not an executable" >&2; exit 1; }
mkdir -p "$out_dir"

# A display number nobody uses.
display=99
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done

xvfb_pid=
app_pid=
cleanup() {
    [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT

# -noreset: by default Xvfb resets when its last client leaves, and the next app cannot connect.
Xvfb ":$display" -screen 0 "${screen}x24" -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 200); do
    [[ -e /tmp/.X11-unix/X$display ]] && break
    sleep 0.05
done
[[ -e /tmp/.X11-unix/X$display ]] || { echo "error: Xvfb did not start on :$display" >&2; exit 1; }

# shot THEME FILE [WIDTH HEIGHT]: start the app with GOTO_SSO_THEME=THEME, wait for its window,
# resize it if asked, capture it.
shot() {
    local theme=$1 file=$2 width=${3:-} height=${4:-} window= start elapsed_ms
    start=$(date +%s%N)
    # No WAYLAND_DISPLAY, so winit uses X11 (the Xvfb display).
    env -u WAYLAND_DISPLAY DISPLAY=":$display" GOTO_SSO_THEME="$theme" "$bin" &
    app_pid=$!
    # Poll every 10 ms: `xdotool search --sync` only looks every 500 ms.
    for _ in $(seq 2000); do
        window=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^GoTo SSO Wizard$' 2>/dev/null | head -n1 || true)
        [[ -n $window ]] && break
        kill -0 "$app_pid" 2>/dev/null || { echo "error: the app exited before showing a window" >&2; exit 1; }
        sleep 0.01
    done
    [[ -n $window ]] || { echo "error: no window within 20 s" >&2; exit 1; }
    elapsed_ms=$((($(date +%s%N) - start) / 1000000))
    if [[ -n $width ]]; then
        DISPLAY=":$display" xdotool windowsize "$window" "$width" "$height"
    fi
    # Let the first frames land before capturing.
    sleep 1.5
    local rss
    rss=$(awk '/^VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$app_pid/status" 2>/dev/null || echo "?")
    DISPLAY=":$display" import -window "$window" "$file"
    echo "$file: theme=$theme, window after ${elapsed_ms} ms, resident ${rss}, $(DISPLAY=":$display" xdotool getwindowgeometry "$window" | awk '/Geometry/ {print $2}')"
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
    app_pid=
}

shot system "$out_dir/00-welcome.png"
shot dark "$out_dir/00-welcome-dark.png"
shot light "$out_dir/00-welcome-min.png" 720 520
