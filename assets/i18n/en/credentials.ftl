# Strings of the credentials step; ids start with credentials-.
credentials-heading = Provisioning credentials
credentials-intro = Enter how the wizard, and later Entra's provisioning, reaches GoTo's user provisioning (SCIM) service. Secrets stay in this window's memory, and in your system's keyring only if you ask for it; they are never written to the setup file.

credentials-base-url-heading = SCIM base URL
credentials-base-url-label = The address that /Users and /Schemas follow. GoTo's own service is at https://api.getgo.com/identity/v1; other SCIM 2.0 services often end in /scim/v2.
credentials-base-url-placeholder = https://…/scim/v2
credentials-base-url-where = Where to find it: { $note }. GoTo's organization admin console is { $console }; if it is not shown there, ask GoTo support for the SCIM base URL of your organization.
credentials-base-url-from-profile = Prefilled with GoTo's published address, from { $origin }. GoTo's organization admin console is { $console }.
credentials-base-url-missing = Enter the SCIM base URL; the test and Entra's provisioning both need it.

credentials-url-invalid = This is not a valid URL ({ $reason }): copy it again, starting with https://.
credentials-url-scheme = Use an https:// address (plain http:// is accepted only for a test server on this computer: 127.0.0.1 or localhost).
credentials-url-no-host = The address has no host name: copy it again.

credentials-kind-heading = How to sign in to GoTo
credentials-kind-browser = Authorize in the browser (recommended)
credentials-kind-client = OAuth client ID and secret
credentials-kind-token = SCIM secret token
credentials-kind-legacy = GoToMeeting admin user name and password (deprecated)

credentials-browser-explain = As Entra's GoTo app does with its "Authorize" button: the wizard opens GoTo's sign-in page in your browser; sign in as an organization admin and accept. The browser then comes back to this computer (127.0.0.1) with the tokens.
credentials-client-explain = A client ID and secret registered with GoTo, exchanged for a token at the token endpoint.
credentials-token-explain = A long-lived secret token for the SCIM service, sent as a bearer token.
credentials-legacy-notice = Microsoft has deprecated the GoToMeeting provisioning connector that used an admin's user name and password. "Authorize in the browser" replaces it; use this only to test an existing setup. It uses the OAuth password grant, so it also needs the token URL and a client ID.

credentials-authorize-url = Authorization URL
credentials-token-url = Token URL
credentials-url-from-profile = From the GoTo profile "{ $profile }"; change it only if GoTo gave you another.
credentials-client-id = Client ID
credentials-client-id-missing = Enter the client ID.
credentials-scopes = Scopes (optional)
credentials-scopes-explain = Separated by spaces. Leave empty unless GoTo or your authorization server asks for particular scopes.
credentials-client-secret = Client secret
credentials-client-secret-optional = Client secret (only for a confidential client; leave empty otherwise)
credentials-client-secret-missing = Enter the client secret (it is shown only once when it is created).
credentials-token = Secret token
credentials-token-missing = Paste the SCIM secret token.
credentials-admin-user = Admin user name (e-mail)
credentials-admin-user-missing = Enter the GoTo admin's user name.
credentials-password = Password
credentials-password-missing = Enter the admin's password.
credentials-show = Show
credentials-hide = Hide

credentials-authorize = Authorize
credentials-authorize-again = Authorize again
credentials-authorize-fix-first = Fill in the fields above first.
credentials-waiting = Waiting for the browser… Sign in at GoTo and accept; this window continues on its own.
credentials-browser-url = If no browser window opened, open this address yourself:
credentials-authorized = Authorized: GoTo gave an access token{ $refresh }.
credentials-authorized-refresh = { " " }and a refresh token
credentials-authorize-failed = Authorization failed: { $message } What to do: { $hint }
credentials-authorize-cancelled = Authorization cancelled.
credentials-authorize-needed = Press Authorize to sign in at GoTo; Next is enabled once you are authorized.

credentials-remember = Remember in the keyring
credentials-remember-explain = Saves the secret (the refresh token, client secret, token or password) in your system's credential store; the setup keeps only its name.
credentials-remember-incomplete = Will be saved once the credentials are complete.
credentials-save-now = Save now
credentials-not-saved = Not saved yet (it is saved a moment after you stop typing).
credentials-saving = Saving in the keyring…
credentials-saved = Saved in { $store }.
credentials-saved-memory = Not saved on disk: { $store }.
credentials-fallback = { $reason }
credentials-save-failed = Could not save: { $error }
credentials-save-stale = Changed since saved (it is saved again a moment after you stop typing).
credentials-save-again = Save again
credentials-no-refresh = The authorization gave no refresh token, so there is nothing lasting to keep; authorize again next time.

credentials-saved-found = Credentials were saved earlier ({ $reference }).
credentials-use-saved = Use saved credentials
credentials-loading = Reading the keyring…
credentials-loaded = Loaded the saved credentials from { $store }.
credentials-load-missing = The keyring has no entry { $reference }: enter the credentials again.
credentials-load-failed = Could not read the saved credentials: { $error }
credentials-forget = Forget saved credentials
credentials-forgotten = The saved credentials were deleted from the keyring.
credentials-forget-failed = Could not delete the saved credentials: { $error }

oauth-client-heading = Your GoTo OAuth client
oauth-client-steps =
    The client ID above belongs to an OAuth client you create for GoTo:
    1. In the GoTo Developer Center, open OAuth Clients and create a client.
    2. Give it a name, add the redirect URI below exactly as shown (port included: GoTo accepts only redirect URIs registered for the client), and choose the scopes for user provisioning.
    3. Copy the client ID into the field above, and the client secret into "Client secret" at once: GoTo shows it only once.
    4. Press Authorize.
oauth-client-redirect-uri = Redirect URI to register with the client
oauth-client-port = Port on this computer
oauth-client-any-port = Use any free port
oauth-client-any-port-note = The browser comes back to http://127.0.0.1 on a free port chosen each time: this works only with an authorization server that accepts any loopback port (RFC 8252); GoTo's needs the exact redirect URI, so keep a fixed port there.
oauth-client-port-invalid = Enter a port from 1024 to 65535 (the default is 47821).
oauth-client-basic = The port is { $default } unless you change it; change it only if another program uses it, and register the new redirect URI. The client ID and secret go to GoTo's token endpoint with HTTP Basic authentication, as GoTo documents.
