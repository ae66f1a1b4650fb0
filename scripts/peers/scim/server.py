"""Run scim2-server's own test server (`scim2-server` command), a SCIM 2.0 test peer.

Unchanged unless SCIM_INTROSPECTION_URL is set: then a bearer token that is
not one of the static --bearer-token values is also accepted when the OAuth
peer's RFC 7662 introspection endpoint says it is active. The client that
introspects is SCIM_INTROSPECTION_CLIENT ("client_id:client_secret").
The introspection URL must be on loopback (http://127.0.0.1:PORT/...); it is
called directly, never through a proxy from the environment.
"""

import base64
import json
import os
import sys
import urllib.parse
import urllib.request

from scim2_models import UnauthorizedException
from scim2_server.testserver import application
from scim2_server.testserver.cli import main

URL = os.environ.get("SCIM_INTROSPECTION_URL")
if URL:
    CREDS = os.environ.get("SCIM_INTROSPECTION_CLIENT", "test-client:test-secret")
    AUTH = "Basic " + base64.b64encode(CREDS.encode()).decode()
    if urllib.parse.urlsplit(URL).hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"SCIM_INTROSPECTION_URL must be on loopback, got {URL!r}")
    OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    static_check = application.BearerTokenApplication.check_auth

    def check_auth(self, request):
        try:
            return static_check(self, request)
        except UnauthorizedException:
            scheme, _, token = (request.header("Authorization") or "").partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise
            body = urllib.parse.urlencode({"token": token}).encode()
            req = urllib.request.Request(URL, data=body, headers={"Authorization": AUTH})
            try:
                with OPENER.open(req, timeout=5) as resp:
                    active = json.load(resp).get("active") is True
            except Exception:
                active = False
            if not active:
                raise

    application.BearerTokenApplication.check_auth = check_auth


def loopback_only(argv):
    """This is a test peer: refuse any --hostname but 127.0.0.1 (the CLI's default)."""
    for i, arg in enumerate(argv):
        host = None
        if arg == "--hostname":
            host = argv[i + 1] if i + 1 < len(argv) else ""
        elif arg.startswith("--hostname="):
            host = arg.partition("=")[2]
        if host is not None and host != "127.0.0.1":
            sys.exit(f"this SCIM test peer only listens on 127.0.0.1, not {host!r}")


if __name__ == "__main__":
    loopback_only(sys.argv[1:])
    sys.exit(main())
