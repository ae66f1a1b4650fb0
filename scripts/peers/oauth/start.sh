#!/usr/bin/env bash
# Start the OAuth 2.0 test peer (oidc-provider 9.13.3 on Node >= 20.19) on 127.0.0.1, for
# loopback tests.
#   usage: oauth/start.sh [PORT=18090] [CLIENT_ID=test-client] [CLIENT_SECRET=test-secret]
# Installs the pinned packages (package-lock.json, `npm ci`) into $PEERS_DIR/oauth when missing
# ($PEERS_DIR defaults to <repo>/target/peers, wherever this is run from), starts the server in
# the background, waits until it answers, prints only its PID on stdout and exits 0.
# Stop it with: kill PID. Log: $PEERS_DIR/oauth-PORT.log. Exit codes: see ../lib.sh.
# Issuer and base URL: http://127.0.0.1:PORT (token endpoint /token).
# Env knobs: OAUTH_SCOPES, OAUTH_ACCESS_TTL (s), OAUTH_PKCE_REQUIRED=1, OAUTH_REDIRECT_URIS,
# OAUTH_ACCOUNT, OAUTH_RESOURCE (see ../README.md).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
PEERS_NAME="oauth peer"
# shellcheck source=scripts/peers/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lib.sh"

PORT=${1:-18090}
CLIENT_ID=${2:-test-client}
CLIENT_SECRET=${3:-test-secret}
[ -n "$CLIENT_ID" ] && [ -n "$CLIENT_SECRET" ] || peers_die 2 "client id and secret must not be empty"
LOG="$PEERS_DIR/oauth-$PORT.log"

peers_need_curl
peers_need_node
peers_check_port "$PORT"
oauth_install
# ESM resolves imports next to the file, so the server runs from the install directory.
cp "$PEERS_ROOT/oauth/server.mjs" "$OAUTH_DIR/server.mjs.$$"
mv "$OAUTH_DIR/server.mjs.$$" "$OAUTH_DIR/server.mjs"

peers_run "$LOG" node "$OAUTH_DIR/server.mjs" "$PORT" "$CLIENT_ID" "$CLIENT_SECRET"
peers_wait_ready "$LOG" "http://$PEERS_HOST:$PORT/.well-known/openid-configuration"
peers_log "ready at http://$PEERS_HOST:$PORT (token endpoint /token, pid $PEERS_PID, log $LOG)"
echo "$PEERS_PID"
