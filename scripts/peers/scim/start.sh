#!/usr/bin/env bash
# Start the SCIM 2.0 test peer (scim2-server 0.8.3, in memory) on 127.0.0.1, for loopback tests.
#   usage: scim/start.sh [PORT=18080] [BEARER_TOKEN=test-token]
# Installs the pinned packages (requirements.txt) into $PEERS_DIR/scim-venv when missing
# ($PEERS_DIR defaults to <repo>/target/peers, wherever this is run from), starts the server in
# the background, waits until it answers, prints only its PID on stdout and exits 0.
# Stop it with: kill PID. Log: $PEERS_DIR/scim-PORT.log. Exit codes: see ../lib.sh.
# Base URL: http://127.0.0.1:PORT/v2   (the same routes also answer without /v2)
# Optional: SCIM_INTROSPECTION_URL (http://127.0.0.1:...) + SCIM_INTROSPECTION_CLIENT=id:secret
# also accept tokens that the OAuth peer's RFC 7662 introspection endpoint reports active.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
PEERS_NAME="scim peer"
# shellcheck source=scripts/peers/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"

PORT=${1:-18080}
TOKEN=${2:-test-token}
[ -n "$TOKEN" ] || peers_die 2 "the bearer token must not be empty"
LOG="$PEERS_DIR/scim-$PORT.log"

peers_need_curl
peers_check_port "$PORT"
scim_install

peers_run "$LOG" "$SCIM_VENV/bin/python" -u "$PEERS_ROOT/scim/server.py" \
  --hostname "$PEERS_HOST" --port "$PORT" --bearer-token "$TOKEN"
peers_wait_ready "$LOG" "http://$PEERS_HOST:$PORT/v2/ServiceProviderConfig" \
  -H "Authorization: Bearer $TOKEN"
peers_log "ready at http://$PEERS_HOST:$PORT/v2 (pid $PEERS_PID, log $LOG)"
echo "$PEERS_PID"
