//! The values to paste on each side, worked out from a setup: Entra's "Basic SAML
//! Configuration" and GoTo's identity-provider page in its three modes.

use serde::Serialize;

use super::{Product, Setup};

/// What goes into Entra's Basic SAML Configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntraValues {
    /// Identifier (Entity ID).
    pub identifier: String,
    /// Reply URL (Assertion Consumer Service URL).
    pub reply_url: String,
    /// Sign-on URL, when the profile uses one.
    pub sign_on_url: Option<String>,
    /// Relay state per chosen product (Entra takes one: the main product's).
    pub relay_states: Vec<(Product, String)>,
    /// The attribute the Unique User Identifier (NameID) must be.
    pub name_id: String,
}

/// What goes into GoTo's identity-provider page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GoToValues {
    /// Automatic mode: the metadata URL.
    pub metadata_url: Option<String>,
    /// Manual mode: sign-in page URL.
    pub sign_in_url: Option<String>,
    /// Manual mode: sign-out page URL.
    pub sign_out_url: Option<String>,
    /// Manual mode: identity provider entity ID.
    pub idp_entity_id: Option<String>,
    /// Manual mode: the certificate's SHA-256 thumbprint, to check the uploaded file.
    pub certificate_sha256: Option<String>,
}

/// Entra's values for `setup`.
pub fn entra_values(setup: &Setup) -> Option<EntraValues> {
    let profile = setup.profile()?;
    Some(EntraValues {
        identifier: setup
            .overrides
            .entity_id
            .clone()
            .unwrap_or_else(|| profile.saml.entity_id.clone()),
        reply_url: setup
            .overrides
            .reply_url
            .clone()
            .unwrap_or_else(|| profile.saml.reply_url.clone()),
        sign_on_url: setup
            .overrides
            .sign_on_url
            .clone()
            .or_else(|| profile.saml.sign_on_url.clone()),
        relay_states: setup
            .products
            .iter()
            .filter_map(|product| setup.relay_state(*product).map(|url| (*product, url)))
            .collect(),
        name_id: profile.saml.name_id.clone(),
    })
}

/// GoTo's values for `setup`.
pub fn goto_values(setup: &Setup) -> GoToValues {
    let metadata = &setup.metadata;
    GoToValues {
        metadata_url: metadata.url.clone(),
        sign_in_url: metadata.sign_in_url.clone(),
        sign_out_url: metadata.sign_out_url.clone(),
        idp_entity_id: metadata.idp_entity_id.clone(),
        certificate_sha256: metadata.certificate_sha256.clone(),
    }
}
