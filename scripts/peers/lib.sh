# shellcheck shell=bash
# Shared by the peer scripts (sourced, not run). See README.md beside this file.
#
# Layout: everything is installed into $PEERS_DIR, by default <repo>/target/peers whatever the
# current directory is. A stamp file written after a successful install marks it complete; the
# stamp holds the checksum of the pinned requirements / package-lock, so a changed pin reinstalls.
#
# Installing is serialized through $PEERS_DIR/.install.lock, created with O_EXCL (bash noclobber)
# and holding the owner's PID. The Rust harness (tests/common/peers.rs) uses the same file and
# protocol: a lock older than 5 minutes, or whose owner no longer runs, is stale and removed.
# A caller that already holds the lock sets PEERS_INSTALL_LOCK_HELD=1.
#
# Exit codes of the scripts: 0 ok, 1 failed (the log is printed on stderr), 2 a needed tool is
# missing or the arguments are wrong, 3 the port on 127.0.0.1 is already in use.

PEERS_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEERS_REPO=$(cd "$PEERS_ROOT/../.." && pwd)
PEERS_DIR=${PEERS_DIR:-$PEERS_REPO/target/peers}
mkdir -p "$PEERS_DIR"
PEERS_DIR=$(cd "$PEERS_DIR" && pwd)
PEERS_WAIT=${PEERS_WAIT:-30}
PEERS_HOST=127.0.0.1 # the only address any peer ever binds

SCIM_VERSION=0.8.3
SCIM_VENV="$PEERS_DIR/scim-venv"
OIDC_PROVIDER_VERSION=9.13.3
OAUTH_DIR="$PEERS_DIR/oauth"
PYTHON=${PYTHON:-python3}

peers_log() { echo "${PEERS_NAME:-peers}: $*" >&2; }
peers_die() { # code message...
  local code=$1; shift
  peers_log "$*"; exit "$code"
}

# --- what is needed -------------------------------------------------------------------------

peers_need_curl() {
  command -v curl >/dev/null 2>&1 ||
    peers_die 2 "needs curl (Debian/Ubuntu: apt-get install curl)"
}

peers_need_python() {
  command -v "$PYTHON" >/dev/null 2>&1 ||
    peers_die 2 "needs $PYTHON >= 3.11 with venv (Debian/Ubuntu: apt-get install python3 python3-venv)"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null ||
    peers_die 2 "needs $PYTHON >= 3.11, found $("$PYTHON" --version 2>&1)"
  "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null ||
    peers_die 2 "needs the venv module of $PYTHON with ensurepip (Debian/Ubuntu: apt-get install python3-venv)"
}

peers_need_node() {
  command -v node >/dev/null 2>&1 ||
    peers_die 2 "needs node >= 20.19 with npm (Debian 13 / Ubuntu 24.10+: apt-get install nodejs npm; Debian 12's nodejs is 18, too old)"
  node -e 'const [a, b] = process.versions.node.split(".").map(Number);
           process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null ||
    peers_die 2 "needs node >= 20.19 (oidc-provider $OIDC_PROVIDER_VERSION), found $(node --version 2>&1)"
}

peers_need_npm() {
  command -v npm >/dev/null 2>&1 ||
    peers_die 2 "needs npm next to node $(node --version 2>&1) (Debian/Ubuntu: apt-get install npm)"
}

peers_checksum() { cksum <"$1" | tr -s ' \t' ' '; }

# --- the install lock -----------------------------------------------------------------------

PEERS_LOCK="$PEERS_DIR/.install.lock"
PEERS_LOCK_OWNED=

peers_lock_stale() {
  [ -e "$PEERS_LOCK" ] || return 1
  local now mtime owner
  now=$(date +%s)
  mtime=$(stat -c %Y "$PEERS_LOCK" 2>/dev/null || stat -f %m "$PEERS_LOCK" 2>/dev/null || echo "$now")
  [ $((now - mtime)) -gt 300 ] && return 0
  owner=$(head -c 32 "$PEERS_LOCK" 2>/dev/null | tr -dc 0-9)
  # Only where /proc tells reliably whether the owner still runs.
  [ -n "$owner" ] && [ -d /proc/self ] && [ ! -d "/proc/$owner" ] && return 0
  return 1
}

peers_lock() {
  [ "${PEERS_INSTALL_LOCK_HELD:-}" = 1 ] && return 0
  local deadline told=
  deadline=$(($(date +%s) + 600))
  until (set -o noclobber; echo "$$" >"$PEERS_LOCK") 2>/dev/null; do
    if peers_lock_stale; then
      peers_log "removing stale install lock $PEERS_LOCK"
      rm -f "$PEERS_LOCK"
      continue
    fi
    [ -n "$told" ] || { peers_log "waiting for another install ($PEERS_LOCK)"; told=1; }
    [ "$(date +%s)" -lt "$deadline" ] || peers_die 1 "gave up waiting for $PEERS_LOCK"
    sleep 0.2
  done
  PEERS_LOCK_OWNED=1
  trap peers_unlock EXIT
}

peers_unlock() {
  if [ -n "$PEERS_LOCK_OWNED" ]; then
    rm -f "$PEERS_LOCK"
    PEERS_LOCK_OWNED=
  fi
}

# --- SCIM: scim2-server in a venv -------------------------------------------------------------

scim_stamp() { echo "scim2-server $SCIM_VERSION $(peers_checksum "$PEERS_ROOT/scim/requirements.txt")"; }

scim_installed() {
  [ -x "$SCIM_VENV/bin/python" ] && [ -f "$SCIM_VENV/.peers-stamp" ] &&
    [ "$(cat "$SCIM_VENV/.peers-stamp")" = "$(scim_stamp)" ]
}

scim_install() {
  scim_installed && return 0
  peers_lock
  if ! scim_installed; then
    peers_need_python
    peers_log "installing scim2-server $SCIM_VERSION into $SCIM_VENV"
    rm -rf "$SCIM_VENV"
    "$PYTHON" -m venv "$SCIM_VENV" >&2 || peers_die 1 "could not create the venv $SCIM_VENV"
    "$SCIM_VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$PEERS_ROOT/scim/requirements.txt" >&2 || peers_die 1 "pip install failed"
    "$SCIM_VENV/bin/python" - "$SCIM_VERSION" <<'PY' >&2 || peers_die 1 "install failed: scim2-server $SCIM_VERSION not importable"
import importlib.metadata as m, sys
import scim2_server.testserver.cli  # noqa: F401
sys.exit(0 if m.version("scim2-server") == sys.argv[1] else 1)
PY
    scim_stamp >"$SCIM_VENV/.peers-stamp"
  fi
  peers_unlock
}

# --- OAuth: oidc-provider with npm ci ---------------------------------------------------------

oauth_stamp() { echo "oidc-provider $OIDC_PROVIDER_VERSION $(peers_checksum "$PEERS_ROOT/oauth/package-lock.json")"; }

oauth_installed() {
  [ -f "$OAUTH_DIR/node_modules/oidc-provider/package.json" ] && [ -f "$OAUTH_DIR/.peers-stamp" ] &&
    [ "$(cat "$OAUTH_DIR/.peers-stamp")" = "$(oauth_stamp)" ]
}

oauth_install() {
  oauth_installed && return 0
  peers_lock
  if ! oauth_installed; then
    peers_need_node
    peers_need_npm
    peers_log "installing oidc-provider $OIDC_PROVIDER_VERSION into $OAUTH_DIR"
    local tmp="$OAUTH_DIR.tmp.$$"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    cp "$PEERS_ROOT/oauth/package.json" "$PEERS_ROOT/oauth/package-lock.json" "$tmp/"
    (cd "$tmp" && npm ci --no-audit --no-fund --loglevel=error >&2) ||
      { rm -rf "$tmp"; peers_die 1 "npm ci failed"; }
    grep -q "\"version\": \"$OIDC_PROVIDER_VERSION\"" "$tmp/node_modules/oidc-provider/package.json" ||
      { rm -rf "$tmp"; peers_die 1 "install failed: oidc-provider $OIDC_PROVIDER_VERSION missing"; }
    oauth_stamp >"$tmp/.peers-stamp"
    # node_modules is relocatable: swap the finished tree in.
    rm -rf "$OAUTH_DIR"
    mv "$tmp" "$OAUTH_DIR"
  fi
  peers_unlock
}

# --- starting a server ------------------------------------------------------------------------

# peers_check_port PORT: a valid port number, and nothing listening on 127.0.0.1:PORT.
peers_check_port() {
  case "$1" in '' | *[!0-9]*) peers_die 2 "port must be a number, got '$1'" ;; esac
  [ "$1" -ge 1 ] && [ "$1" -le 65535 ] || peers_die 2 "port out of range: $1"
  if (exec 3<>"/dev/tcp/$PEERS_HOST/$1") 2>/dev/null; then
    peers_die 3 "port $1 on $PEERS_HOST is already in use; stop that process or pick another port"
  fi
}

# peers_run LOG CMD...: start CMD in the background with its output in LOG; sets PEERS_PID.
peers_run() {
  local log=$1; shift
  nohup "$@" </dev/null >"$log" 2>&1 &
  PEERS_PID=$!
  # With PEERS_OWNER_PID (the Rust harness passes its own PID), the server is also stopped
  # when that process is gone, so a killed test run leaves nothing listening behind.
  if [ -n "${PEERS_OWNER_PID:-}" ]; then
    # shellcheck disable=SC2016 # $1 and $2 belong to the inner bash
    nohup bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
                   kill "$2" 2>/dev/null' peers-watch "$PEERS_OWNER_PID" "$PEERS_PID" \
      </dev/null >/dev/null 2>&1 &
  fi
}

# peers_wait_ready LOG URL [curl args]: wait until URL answers 200 while PEERS_PID runs.
peers_wait_ready() {
  local log=$1 url=$2; shift 2
  local deadline
  deadline=$(($(date +%s) + PEERS_WAIT))
  until [ "$(curl -s --noproxy '*' -o /dev/null -w '%{http_code}' --max-time 2 "$@" "$url" 2>/dev/null)" = 200 ]; do
    if ! kill -0 "$PEERS_PID" 2>/dev/null; then
      if grep -q -i -E 'address already in use|EADDRINUSE' "$log"; then
        peers_log "port taken meanwhile; log $log:"; cat "$log" >&2; exit 3
      fi
      peers_log "server exited early; log $log:"; cat "$log" >&2; exit 1
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      peers_log "no answer from $url after ${PEERS_WAIT}s; log $log:"; cat "$log" >&2
      kill "$PEERS_PID" 2>/dev/null || true
      exit 1
    fi
    sleep 0.1
  done
  # Something else may have answered on that port while ours failed to bind.
  sleep 0.05
  if ! kill -0 "$PEERS_PID" 2>/dev/null; then
    peers_log "server exited right after the port answered (port taken?); log $log:"; cat "$log" >&2
    exit 3
  fi
}
