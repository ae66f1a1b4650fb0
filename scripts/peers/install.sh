#!/usr/bin/env bash
# Install the test peers without starting them (e.g. to warm up CI once before `cargo test`).
#   usage: scripts/peers/install.sh [all|scim|oauth]   (default all)
# Installs into $PEERS_DIR (default <repo>/target/peers); does nothing for what is installed.
# Exit codes: 0 ok, 1 install failed, 2 a needed tool is missing (the message says which).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
PEERS_NAME="peers install"
# shellcheck source=scripts/peers/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

what=${1:-all}
case "$what" in
  all | scim | oauth) ;;
  *) peers_die 2 "usage: install.sh [all|scim|oauth]" ;;
esac
if [ "$what" != oauth ]; then
  start=$(date +%s)
  if scim_installed; then peers_log "scim2-server $SCIM_VERSION already in $SCIM_VENV"; else
    scim_install
    peers_log "scim2-server $SCIM_VERSION installed in $(($(date +%s) - start))s"
  fi
fi
if [ "$what" != scim ]; then
  start=$(date +%s)
  peers_need_node
  if oauth_installed; then peers_log "oidc-provider $OIDC_PROVIDER_VERSION already in $OAUTH_DIR"; else
    oauth_install
    peers_log "oidc-provider $OIDC_PROVIDER_VERSION installed in $(($(date +%s) - start))s"
  fi
fi
