//! What is left to do on which side, from what the setup records.

use serde::Serialize;

use crate::setup::Setup;

/// Where a step is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// The Entra admin center.
    Entra,
    /// GoTo's admin console.
    GoTo,
    /// A test sign-in.
    Test,
}

impl Side {
    /// The side's name.
    pub fn name(self) -> &'static str {
        match self {
            Side::Entra => "Entra",
            Side::GoTo => "GoTo",
            Side::Test => "Test",
        }
    }
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckItem {
    /// A stable key (the window looks its translated text up by it).
    pub id: &'static str,
    /// Where.
    pub side: Side,
    /// What.
    pub text: String,
    /// Whether the wizard has evidence that it is done.
    pub done: bool,
}

/// The checklist for `setup`.
pub fn checklist(setup: &Setup) -> Vec<CheckItem> {
    let item = |side, (id, text): (&'static str, &str), done| CheckItem {
        id,
        side,
        text: text.to_owned(),
        done,
    };
    let metadata = &setup.metadata;
    let mut items = Vec::new();
    if setup.sso {
        items.push(item(
            Side::Entra,
            ("entra-app", "Enterprise app added, Single sign-on set to SAML, Basic SAML Configuration filled with the values above"), false));
        items.push(item(
            Side::Entra,
            (
                "entra-name-id",
                "Unique User Identifier (Name ID) set to user.mail",
            ),
            false,
        ));
        items.push(item(
            Side::Entra,
            ("entra-assign", "Users or groups assigned to the app"),
            false,
        ));
        items.push(item(
            Side::Entra,
            ("metadata-read", "Federation metadata read (from the URL built from tenant + application ID, or from a downloaded file)"),
            metadata.idp_entity_id.is_some() && (metadata.url.is_some() || metadata.file.is_some()),
        ));
        items.push(item(
            Side::GoTo,
            (
                "goto-domain",
                "Company domain verified (DNS TXT record or file on the web server)",
            ),
            false,
        ));
        items.push(item(
            Side::GoTo,
            ("goto-idp", "Identity provider configured: the metadata URL (automatic), the metadata file, or the manual values and certificate"),
            false,
        ));
        items.push(item(
            Side::GoTo,
            ("goto-certificate", "Signing certificate chosen for GoTo"),
            metadata.certificate_sha256.is_some(),
        ));
        items.push(item(
            Side::Test,
            (
                "test-sign-in",
                "Sign in through My Apps or the product's relay-state URL",
            ),
            false,
        ));
    }
    if setup.provisioning {
        let settings = &setup.provisioning_settings;
        items.push(item(
            Side::Entra,
            ("entra-provisioning", "Provisioning Mode set to Automatic, Admin Credentials authorized, Test Connection passed"), false));
        items.push(item(
            Side::GoTo,
            (
                "goto-credentials",
                "Provisioning credentials entered and kept in the OS keyring",
            ),
            settings.credential.is_some(),
        ));
        items.push(item(
            Side::Entra,
            (
                "entra-provisioning-on",
                "Provisioning Status On; provisioning logs read after the first cycle",
            ),
            false,
        ));
    }
    items
}
