//! Every word the window shows, in one place, so that a Fluent layer (`assets/i18n/<lang>/*.ftl`)
//! can replace this module without touching the screens.

/// The window title.
pub const WINDOW_TITLE: &str = "GoTo SSO Wizard";

/// The welcome screen.
pub mod welcome {
    /// The heading at the top of the window.
    pub const HEADING: &str = "Connect Microsoft Entra ID to GoTo";

    /// One line under the heading: what the wizard is for.
    pub const INTRO: &str = "This wizard sets up SAML single sign-on and automatic user \
        provisioning between Microsoft Entra ID and GoTo, one step at a time.";

    /// The title above the numbered steps.
    pub const STEPS_HEADING: &str = "What the wizard will do";

    /// The six steps, in order: a short title and one sentence each.
    pub const STEPS: [(&str, &str); 6] = [
        (
            "Provisioning credentials",
            "Enter GoTo admin credentials for provisioning; they stay in your system's keyring.",
        ),
        (
            "Test the connection",
            "Check that GoTo's provisioning service accepts those credentials.",
        ),
        (
            "Build the metadata URL",
            "Combine your tenant's federation metadata endpoint with the application ID.",
        ),
        (
            "Get the signing certificate",
            "Fetch the federation metadata and extract its X509 signing certificate.",
        ),
        (
            "Choose the relay state",
            "Pick the relay state for each product: GoToMeeting, GoToWebinar, GoToTraining \
             or GoToAssist.",
        ),
        (
            "Take away the results",
            "Get the values to paste into Entra ID and into GoTo, a saved setup and a report.",
        ),
    ];

    /// The note for support staff, under the steps.
    pub const SUPPORT: &str = "For support staff: the wizard will also diagnose a captured \
        SAML response and explain why a sign-in failed.";

    /// The title of the box about what already works.
    pub const TODAY_HEADING: &str = "Available today on the command line";

    /// The line under that title.
    pub const TODAY_INTRO: &str = "The guided steps are still being built. These commands \
        already work in a terminal:";

    /// What each command does, shown next to it.
    pub const METADATA_INSPECT: &str = "a metadata file's endpoints and certificates";
    /// See [`METADATA_INSPECT`].
    pub const CERT_SHOW: &str = "describe a PEM, DER or .cer certificate file";
    /// See [`METADATA_INSPECT`].
    pub const CERT_EXPORT: &str = "write a metadata file's signing certificate as PEM";

    /// The label of a command's copy button.
    pub const COPY: &str = "Copy";
    /// The same button's label once its command is on the clipboard.
    pub const COPIED: &str = "Copied";

    /// The label of the button that closes the window.
    pub const CLOSE: &str = "Close";

    /// The keyboard hint next to the close button.
    #[cfg(target_os = "macos")]
    pub const CLOSE_HINT: &str = "Press \u{2318}Q to close.";
    /// The keyboard hint next to the close button.
    #[cfg(not(target_os = "macos"))]
    pub const CLOSE_HINT: &str = "Press Ctrl+Q to close.";
}
