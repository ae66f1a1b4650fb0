# Strings of the diagnose screen (beside the wizard, not a step of it); ids start with diagnose-.
# Findings' messages and fixes come from the core, in English.
diagnose-heading = Diagnose a sign-in problem
diagnose-intro = Paste what was captured when someone could not sign in to GoTo: the SAMLResponse value, the form body, the XML, or a HAR file from the browser. The window says why GoTo refuses it and what to change, in Entra or in GoTo.
diagnose-back = Back to the setup
diagnose-hint = Esc: back to the setup · Ctrl+Enter in the capture: diagnose

diagnose-capture-heading = The capture
diagnose-capture-placeholder = Paste the SAMLResponse value (base64), the form body (SAMLResponse=…&RelayState=…), the XML, or a HAR file's text here.
diagnose-open-file = Open file…
diagnose-open-dialog-title = Open a captured sign-in
diagnose-open-filter = Captures (HAR, SAML-tracer JSON, XML, text)
diagnose-capture-path-placeholder = /path/to/sign-in.har
diagnose-open-typed = Open
diagnose-file-loaded = { $name } ({ $size }) loaded: it is what will be diagnosed. Paste into the box above to diagnose other text instead.
diagnose-file-forget = Forget the file
diagnose-file-reading = Reading the file…
diagnose-dialog-open = Waiting for the file dialog…
diagnose-file-too-large = { $path } is larger than { $limit }, which no capture of one sign-in is. Save only the sign-in's requests (filter the network list by "saml" before saving the HAR file).
diagnose-file-unreadable = Cannot read { $path }: { $reason }. Check the path, or paste the capture instead.
diagnose-no-dialog = No file was chosen, or no file dialog could open here. Type the file's path in the field below and press Open, or paste the capture.
diagnose-path-empty = Type the path of the captured file, then press Open.
diagnose-capture-empty = Paste a capture into the box, or open a file, then press Diagnose.
diagnose-capture-unusable = This capture cannot be diagnosed: { $reason }

diagnose-against-heading = What to check against
diagnose-against-setup = This setup: the values chosen in the wizard
diagnose-against-setup-missing = The wizard's setup has no identity-provider metadata yet, so the response cannot be checked against it. Load the metadata in the wizard, or use a setup file.
diagnose-against-published = GoTo's published values only (the issuer and certificate are not checked)
diagnose-against-file = A file: a setup saved by the wizard, a diagnostics JSON file, or Entra's federation metadata (XML)
diagnose-setup-file-placeholder = /path/to/goto-sso-setup.json
diagnose-setup-file-choose = Choose…
diagnose-setup-file-dialog-title = Choose a setup file
diagnose-setup-file-filter = Setup (JSON) or federation metadata (XML)
diagnose-setup-file-empty = Type the path of the setup file, or choose it, then press Diagnose.
diagnose-setup-file-no-dialog = No file was chosen, or no file dialog could open here. Type the setup file's path in the field.
diagnose-setup-unusable = The setup to check against cannot be used: { $reason }

diagnose-options-heading = Optional details
diagnose-user = The user's GoTo e-mail address
diagnose-user-placeholder = name@example.com
diagnose-product = The product they were signing in to
diagnose-product-any = Any product
diagnose-time = When the capture was made (RFC 3339; blank: a HAR file's own time, otherwise now)
diagnose-time-placeholder = 2026-11-25T14:30:00Z
diagnose-time-invalid = "{ $text }" is not an RFC 3339 time. Write it like 2026-11-25T14:30:00Z, or leave the field blank to check against the clock.
diagnose-skew = Clock skew allowed, in seconds
diagnose-message = Which message of the capture to check (blank: the last response)
diagnose-message-placeholder = last
diagnose-message-invalid = "{ $text }" is not a message number. Write 1 for the first message of the capture, 2 for the second…, or leave the field blank for the last response.
diagnose-skew-invalid = "{ $text }" is not a whole number of seconds. Write e.g. 180, or leave the field blank for { $default }.

diagnose-run = Diagnose
diagnose-running = Diagnosing the capture… A large HAR file takes a few seconds.
diagnose-cancelled = Cancelled: nothing was diagnosed. The capture is still here.
diagnose-fix-fields = Correct the fields marked above, then press Diagnose again.
diagnose-failed = Nothing was diagnosed: the reason is shown above, in red.
diagnose-result-below = { $verdict } · The findings and their fixes are below.

diagnose-result-heading = Result
diagnose-stale = The capture or what it is checked against changed after this result. Press Diagnose to check again.
diagnose-verdict-healthy = Healthy: GoTo should accept this response.
diagnose-verdict-healthy-warnings = Healthy, with { $count } warning(s): GoTo should accept this response.
diagnose-verdict-inconclusive-both = Inconclusive: the signing key and the issuer were compared with nothing.
diagnose-verdict-inconclusive-signer = Inconclusive: the signing key was compared with nothing.
diagnose-verdict-inconclusive-issuer = Inconclusive: the issuer was compared with nothing.
diagnose-inconclusive-fix = No fault was found, but that does not show that GoTo accepts the response: without the certificate GoTo has and Entra's identifier, anyone's signed response looks the same. To finish the check, choose under "What to check against" this setup (once the wizard has Entra's metadata) or a file: a setup saved by the wizard, or Entra's federation metadata for the GoTo app. Then press Diagnose again.
diagnose-mark-healthy = ✓
diagnose-mark-inconclusive = ?
diagnose-mark-not-healthy = ✗
diagnose-verdict-broken = Not healthy — root cause: { $cause }
diagnose-findings-heading = Findings
diagnose-severity-error = Error
diagnose-severity-warning = Warning
diagnose-severity-info = Note
diagnose-fix-entra = Fix (Entra):
diagnose-fix-goto = Fix (GoTo):
diagnose-fix-neither = What to do:
diagnose-summary-heading = What the message says
diagnose-show-xml = Show the XML
diagnose-hide-xml = Hide the XML

diagnose-share-heading = Share the result
diagnose-share-intro = Copy the result as text, or save a report to attach to a ticket.
diagnose-redact = Redact personal data (names, e-mail and IP addresses, status messages, session IDs, URL queries)
diagnose-copy = Copy as text
diagnose-format = Format:
diagnose-save = Save report…
diagnose-save-dialog-title = Save the diagnosis report
diagnose-save-placeholder = /path/to/sign-in-diagnosis.html
diagnose-save-typed = Save
diagnose-saving = Saving the report…
diagnose-save-failed = Cannot write { $path }: { $reason }. Choose a folder you can write to, or type another path.
diagnose-save-path-empty = Type the path of the report to write, then press Save.
diagnose-save-no-dialog = No file was chosen, or no file dialog could open here. Type a path in the field above and press Save.
