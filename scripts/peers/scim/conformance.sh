#!/usr/bin/env bash
# Optional: run the scim2-tester compliance suite (via `scim2 test` of scim2-cli 0.6.0 /
# scim2-tester 0.5.2) against a SCIM 2.0 base URL, e.g. the SCIM peer or a fake server of the
# project.
#   usage: scim/conformance.sh BASE_URL [BEARER_TOKEN] [extra `scim2 test` flags, e.g. -v]
# Installs into $PEERS_DIR/scim-tester-venv (default <repo>/target/peers) when missing.
# Prints one SUCCESS/ERROR/... line per check; exits 0 only if every check passed.
# It creates, modifies and deletes Users and Groups on the target server.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
PEERS_NAME="scim tester"
# shellcheck source=scripts/peers/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"

BASE=${1:?usage: conformance.sh BASE_URL [BEARER_TOKEN] [flags]}
TOKEN=${2:-}
shift $(($# >= 2 ? 2 : 1))
VENV="$PEERS_DIR/scim-tester-venv"

stamp() {
  echo "scim2-tester 0.5.2 $(peers_checksum "$PEERS_ROOT/scim/requirements.txt")" \
    "$(peers_checksum "$PEERS_ROOT/scim/requirements-tester.txt")"
}
installed() { [ -x "$VENV/bin/scim2" ] && [ "$(cat "$VENV/.peers-stamp" 2>/dev/null)" = "$(stamp)" ]; }

if ! installed; then
  peers_lock
  if ! installed; then
    peers_need_python
    peers_log "installing scim2-cli 0.6.0 + scim2-tester 0.5.2 into $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV" >&2
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      -r "$PEERS_ROOT/scim/requirements.txt" -r "$PEERS_ROOT/scim/requirements-tester.txt" >&2 ||
      peers_die 1 "pip install failed"
    stamp >"$VENV/.peers-stamp"
  fi
  peers_unlock
fi

# The header goes through the environment, not argv (scim2-cli's advice).
if [ -n "$TOKEN" ]; then export SCIM_CLI_HEADERS="Authorization: Bearer $TOKEN"; fi
exec "$VENV/bin/scim2" --url "$BASE" test "$@"
