# English strings of the wizard window. Each screen's ids start with its name.
app-title = GoTo SSO Wizard
step-counter = Step { $current } of { $total }
nav-back = Back
nav-next = Next
nav-finish = Finish
nav-skip = Skip this step
nav-hint = Enter: next · Esc: cancel what is running

step-start = Start
step-credentials = Credentials
step-test-connection = Test connection
step-metadata-url = Metadata URL
step-certificate = Certificate
step-relay-state = Relay state
step-goto-settings = GoTo settings
step-review = Review & export

common-copy = Copy
common-copied = Copied
common-cancel = Cancel
common-open-browser = Open in browser
common-browser-failed = The browser could not be opened ({ $reason }). Copy the URL instead.
common-save-as = Save as…
common-typed-path = Or type a path:
common-saved = Saved to { $path }

welcome-begin = Start the wizard
