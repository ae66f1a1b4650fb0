#!/usr/bin/env bash
# Screenshots of the wizard, to look at every step without a desktop:
#   1. the real window under Xvfb (scripts/screenshot-first-window.sh): the welcome page in the
#      system, dark and minimum-size variants, then the same window driven with the keyboard
#      (Enter) into the wizard: target/screenshots/01-start-window.png, 02-metadata-url-window.png;
#   2. every step of an SSO setup with the sample metadata loaded, light and dark, rendered by
#      iced's own tiny-skia renderer through the test simulator (the same views and renderer as the
#      window, with state that would need a network or file dialog to reach by hand):
#      target/screenshots/wizard/NN-<step>-<theme>-tiny-skia.png.
# Needs what screenshot-first-window.sh needs (Xvfb, xdotool, ImageMagick; installed when root).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/screenshot-first-window.sh

bin=${GOTO_SSO_BIN:-target/release/goto-sso-wizard}
out_dir=target/screenshots
display=99
while [[ -e /tmp/.X11-unix/X$display || -e /tmp/.X$display-lock ]]; do display=$((display + 1)); done
xvfb_pid= app_pid=
cleanup() {
    [[ -n $app_pid ]] && kill "$app_pid" 2>/dev/null || true
    [[ -n $xvfb_pid ]] && kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
Xvfb ":$display" -screen 0 1280x900x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 200); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.05; done

env -u WAYLAND_DISPLAY DISPLAY=":$display" GOTO_SSO_THEME=light "$bin" &
app_pid=$!
window=
for _ in $(seq 2000); do
    window=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^GoTo SSO Wizard$' 2>/dev/null | head -n1 || true)
    [[ -n $window ]] && break
    sleep 0.01
done
[[ -n $window ]] || { echo "error: no window within 20 s" >&2; exit 1; }
sleep 1.5
for name in 01-start-window 02-metadata-url-window; do
    # Enter starts the wizard on the welcome page and goes on where the step allows it.
    DISPLAY=":$display" xdotool windowfocus --sync "$window" key Return
    sleep 1
    DISPLAY=":$display" import -window "$window" "$out_dir/$name.png"
    echo "$out_dir/$name.png"
done
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=

cargo test --bin goto-sso-wizard render_every_step -- --ignored
ls "$out_dir"/wizard/*.png
