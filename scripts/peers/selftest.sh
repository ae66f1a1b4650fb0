#!/usr/bin/env bash
# Smoke test of both peers with curl: starts them, checks the status codes the
# README promises (more than tests/peers_smoke.rs: CRUD, PKCE, refresh, code reuse),
# stops them. Prints "N passed, N failed"; exit 0 if all pass. Needs openssl too.
#   usage: scripts/peers/selftest.sh [SCIM_PORT=18080] [OAUTH_PORT=18090]
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SP=${1:-18080}; OP=${2:-18090}
TOK=selftest-token; CID=selftest-client; CSEC=selftest-secret
S=http://127.0.0.1:$SP/v2; O=http://127.0.0.1:$OP
TMP=$(mktemp); JAR=
pass=0; fail=0
check() { # name expected actual
  if [ "$2" = "$3" ]; then pass=$((pass+1)); echo "ok   $1 ($3)"; else fail=$((fail+1)); echo "FAIL $1: expected $2, got $3"; fi
}
curl() { command curl --noproxy '*' "$@"; }
code() { curl -s -o "$TMP" -w '%{http_code}' "$@"; }
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2],''))" "$TMP" "$1"; }

OPID=$("$HERE/oauth/start.sh" "$OP" "$CID" "$CSEC") || { rm -f "$TMP"; echo "oauth peer did not start"; exit 1; }
SPID=$(SCIM_INTROSPECTION_URL=$O/token/introspection SCIM_INTROSPECTION_CLIENT=$CID:$CSEC \
       "$HERE/scim/start.sh" "$SP" "$TOK") || { kill "$OPID"; rm -f "$TMP"; echo "scim peer did not start"; exit 1; }
trap 'kill $SPID $OPID 2>/dev/null; rm -f "$TMP" ${JAR:+"$JAR"}' EXIT
A="Authorization: Bearer $TOK"; CT="Content-Type: application/scim+json"

# --- SCIM ---
check "SCIM GET /ServiceProviderConfig (no auth needed, RFC 7644 4)" 200 "$(code $S/ServiceProviderConfig)"
check "SCIM GET /Schemas" 200 "$(code -H "$A" $S/Schemas)"
check "SCIM GET /ResourceTypes" 200 "$(code -H "$A" $S/ResourceTypes)"
check "SCIM GET /Users?count=1&startIndex=1" 200 "$(code -H "$A" "$S/Users?count=1&startIndex=1")"
check "SCIM GET /Users wrong token" 401 "$(code -H "Authorization: Bearer wrong" $S/Users)"
check "SCIM GET /Users no token" 401 "$(code $S/Users)"
check "SCIM GET /Schemas wrong token" 401 "$(code -H "Authorization: Bearer wrong" $S/Schemas)"
check "SCIM POST /Users" 201 "$(code -H "$A" -H "$CT" -X POST $S/Users -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","emails":[{"value":"x@example.com","primary":true}],"active":true}')"
ID=$(json id)
check "SCIM POST /Users duplicate userName" 409 "$(code -H "$A" -H "$CT" -X POST $S/Users -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x"}')"
check "SCIM GET /Users?filter=userName eq \"x\"" 200 "$(code -G -H "$A" $S/Users --data-urlencode 'filter=userName eq "x"')"
check "  ... totalResults" 1 "$(json totalResults)"
check "SCIM GET /Users/{id}" 200 "$(code -H "$A" $S/Users/$ID)"
check "SCIM PATCH /Users/{id} (204, no body)" 204 "$(code -H "$A" -H "$CT" -X PATCH $S/Users/$ID -d '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}')"
check "SCIM PUT /Users/{id}" 200 "$(code -H "$A" -H "$CT" -X PUT $S/Users/$ID -d '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"x","active":true}')"
check "SCIM DELETE wrong token" 401 "$(code -H "Authorization: Bearer wrong" -X DELETE $S/Users/$ID)"
check "SCIM DELETE /Users/{id}" 204 "$(code -H "$A" -X DELETE $S/Users/$ID)"
check "SCIM GET deleted user" 404 "$(code -H "$A" $S/Users/$ID)"

# --- OAuth ---
check "OAuth discovery" 200 "$(code $O/.well-known/openid-configuration)"
check "OAuth client_credentials (Basic)" 200 "$(code -u $CID:$CSEC -d grant_type=client_credentials -d scope=scim $O/token)"
AT=$(json access_token)
check "SCIM with OAuth-issued token (introspection)" 200 "$(code -H "Authorization: Bearer $AT" $S/Users)"
check "OAuth wrong client secret" 401 "$(code -u $CID:wrong -d grant_type=client_credentials $O/token)"
check "  ... error" invalid_client "$(json error)"
check "OAuth no client auth" 400 "$(code -d grant_type=client_credentials $O/token)"
check "OAuth unsupported grant" 400 "$(code -u $CID:$CSEC -d grant_type=foo $O/token)"
V=peers-selftest-code-verifier-0123456789-abcdefghij
C=$(printf %s "$V" | openssl dgst -sha256 -binary | openssl base64 -A | tr '+/' '-_' | tr -d '=')
RU=http://127.0.0.1:53682/callback; JAR=$(mktemp)
u="$O/auth?response_type=code&client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=scim%20offline_access&state=st1&code_challenge=$C&code_challenge_method=S256"
for _ in 1 2 3 4 5 6 7 8; do
  u=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' "$u"); case "$u" in "$RU"*|"") break;; esac
done; rm -f "$JAR"
CODE=$(printf %s "$u" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
check "OAuth /auth redirects to redirect_uri with code" yes "$([ -n "$CODE" ] && echo yes || echo no)"
check "OAuth authorization_code wrong PKCE verifier" 400 "$(code -u $CID:$CSEC -d grant_type=authorization_code -d code=$CODE -d redirect_uri=$RU -d code_verifier=${V}X $O/token)"
check "  ... error" invalid_grant "$(json error)"
# fresh code for the success path
JAR=$(mktemp); u="$O/auth?response_type=code&client_id=$CID&redirect_uri=http%3A%2F%2F127.0.0.1%3A53682%2Fcallback&scope=scim%20offline_access&state=st2&code_challenge=$C&code_challenge_method=S256"
for _ in 1 2 3 4 5 6 7 8; do
  u=$(curl -s -c "$JAR" -b "$JAR" -o /dev/null -w '%{redirect_url}' "$u"); case "$u" in "$RU"*|"") break;; esac
done; rm -f "$JAR"; CODE=$(printf %s "$u" | sed -n 's/.*[?&]code=\([^&]*\).*/\1/p')
check "OAuth authorization_code + PKCE" 200 "$(code -u $CID:$CSEC -d grant_type=authorization_code -d code=$CODE -d redirect_uri=$RU -d code_verifier=$V $O/token)"
RT=$(json refresh_token)
check "  ... refresh_token issued" yes "$([ -n "$RT" ] && echo yes || echo no)"
check "OAuth refresh_token" 200 "$(code -u $CID:$CSEC -d grant_type=refresh_token -d refresh_token=$RT $O/token)"
check "OAuth refresh_token wrong secret" 401 "$(code -u $CID:wrong -d grant_type=refresh_token -d refresh_token=$RT $O/token)"
check "OAuth bogus refresh_token" 400 "$(code -u $CID:$CSEC -d grant_type=refresh_token -d refresh_token=bogus $O/token)"
check "OAuth code reuse" 400 "$(code -u $CID:$CSEC -d grant_type=authorization_code -d code=$CODE -d redirect_uri=$RU -d code_verifier=$V $O/token)"
check "OAuth refresh_token after code reuse (revoked, RFC 6749 4.1.2)" 400 "$(code -u $CID:$CSEC -d grant_type=refresh_token -d refresh_token=$RT $O/token)"
check "  ... error" invalid_grant "$(json error)"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
