#!/usr/bin/env bash
# Runs its arguments inside a private D-Bus session with a throwaway, unlocked gnome-keyring
# (a real Secret Service), as CI does for tests/keyring_real.rs:
#
#   scripts/with-test-keyring.sh env GOTO_SSO_REQUIRE_REAL_KEYRING=1 cargo test --test keyring_real
#
# The keyring's files and control socket live in a temporary folder that is removed afterwards,
# so a developer's own keyring is never touched. When run as root, installs the Debian packages
# it needs (gnome-keyring, dbus, libsecret-tools) if they are missing.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGUMENT...]" >&2
  exit 2
fi

missing=()
command -v dbus-run-session >/dev/null || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null || missing+=(gnome-keyring)
command -v secret-tool >/dev/null || missing+=(libsecret-tools)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "$0: missing ${missing[*]}: run 'sudo apt-get install ${missing[*]}' first" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/goto-sso-test-keyring.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
mkdir -m 700 "$scratch/runtime" "$scratch/data" "$scratch/cache" "$scratch/config"

# Inside the session: start gnome-keyring's Secret Service with the password "test" (which
# creates and unlocks a login keyring in $scratch), then run the command. The daemon exits
# with the session bus.
dbus-run-session -- bash -c '
  set -euo pipefail
  scratch="$1"; shift
  if ! echo -n test | XDG_RUNTIME_DIR="$scratch/runtime" XDG_DATA_HOME="$scratch/data" \
      XDG_CACHE_HOME="$scratch/cache" XDG_CONFIG_HOME="$scratch/config" \
      gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>"$scratch/daemon.log"; then
    echo "with-test-keyring: gnome-keyring-daemon did not start:" >&2
    cat "$scratch/daemon.log" >&2
    exit 1
  fi
  "$@"
' with-test-keyring "$scratch" "$@"
