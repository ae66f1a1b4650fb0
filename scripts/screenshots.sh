#!/usr/bin/env bash
# Screenshots of the wizard, to look at every step without a desktop:
#   1. the real window under Xvfb (scripts/screenshot-first-window.sh): the welcome page in the
#      system, dark and minimum-size variants; then a whole SSO setup driven with xdotool, from
#      Enter on the welcome page to an exported report: target/screenshots/NN-<step>-window.png;
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
Xvfb ":$display" -screen 0 1300x1100x24 -nolisten tcp -noreset >/dev/null 2>&1 &
xvfb_pid=$!
for _ in $(seq 200); do [[ -e /tmp/.X11-unix/X$display ]] && break; sleep 0.05; done

# A whole SSO setup in the real window, as a person would do it with the mouse and keyboard:
# Enter into the wizard, load the sample metadata by typing its path, Next to the review, export the
# report by typing a path. The clicks are at the positions of a 1200x1050 window (change them
# when the layout changes; each screenshot shows where things are).
config=$(mktemp -d) report_dir=$(mktemp -d)
env -u WAYLAND_DISPLAY DISPLAY=":$display" GOTO_SSO_THEME=light GOTO_SSO_CONFIG_DIR="$config" "$bin" &
app_pid=$!
window=
for _ in $(seq 2000); do
    window=$(DISPLAY=":$display" xdotool search --onlyvisible --name '^GoTo SSO Wizard$' 2>/dev/null | head -n1 || true)
    [[ -n $window ]] && break
    sleep 0.01
done
[[ -n $window ]] || { echo "error: no window within 20 s" >&2; exit 1; }
x() { DISPLAY=":$display" xdotool "$@"; }
snap() { sleep "${2:-1}"; DISPLAY=":$display" import -window "$window" "$out_dir/$1.png"; echo "$out_dir/$1.png"; }
x windowsize "$window" 1200 1050
x windowmove "$window" 0 0
sleep 1
x windowfocus --sync "$window" key Return          # welcome -> start
snap 01-start-window
x key Return                                       # start -> metadata URL
snap 02-metadata-url-window
x mousemove --window "$window" 560 703 click 1     # the typed-path field
x type --delay 5 "$PWD/samples/entra-app-metadata.xml"
x key Return                                       # load it
snap 03-metadata-loaded-window 1.5
for step in 04-certificate 05-relay-state 06-goto-settings 07-review; do
    x mousemove --window "$window" 1146 1021 click 1   # Next
    snap "$step-window"
done
x mousemove --window "$window" 418 745 click 1     # the report's typed-path field
x type --delay 5 "$report_dir/goto-report.html"
x mousemove --window "$window" 802 745 click 1     # Export to this path
snap 08-exported-window 1.5
if [[ -s $report_dir/goto-report.html && -s $report_dir/goto-report.json ]]; then
    echo "exported through the window: $report_dir/goto-report.html and .json"
else
    echo "warning: the report was not written; look at $out_dir/08-exported-window.png" >&2
fi
kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=
rm -rf "$config"

cargo test --bin goto-sso-wizard render_every_step -- --ignored
ls "$out_dir"/wizard/*.png
