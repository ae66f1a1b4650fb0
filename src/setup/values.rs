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

/// The kinds of GoTo value an admin may override in the setup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpValueKind {
    /// The Identifier (entity ID): a URI (GoTo's is an https URL; a URN is valid SAML too).
    EntityId,
    /// A URL GoTo or Entra's browser goes to (reply URL, relay state): https only.
    Url,
}

/// What is wrong with an overridden value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpValueProblem {
    /// Nothing was given.
    Empty,
    /// Not a URI (or it has spaces).
    NotUri,
    /// Plain `http://`: GoTo and Entra use https.
    PlainHttp,
    /// Not an https URL with a host.
    NotUrl,
}

/// Checks a value the admin typed over the profile's, as Entra and GoTo will need it.
pub fn check_sp_value(kind: SpValueKind, value: &str) -> Result<(), SpValueProblem> {
    let value = value.trim();
    if value.is_empty() {
        return Err(SpValueProblem::Empty);
    }
    let parsed = url::Url::parse(value);
    match kind {
        SpValueKind::EntityId => match parsed {
            Ok(_) if !value.contains(char::is_whitespace) => Ok(()),
            _ => Err(SpValueProblem::NotUri),
        },
        SpValueKind::Url => match parsed {
            Ok(url) if url.scheme() == "https" && url.host_str().is_some_and(|h| !h.is_empty()) => {
                Ok(())
            }
            Ok(url) if url.scheme() == "http" => Err(SpValueProblem::PlainHttp),
            _ => Err(SpValueProblem::NotUrl),
        },
    }
}

#[cfg(test)]
mod check_tests {
    use super::*;

    #[test]
    fn overridden_values_are_checked_as_entra_and_goto_need_them() {
        use SpValueKind::{EntityId, Url};
        assert_eq!(
            check_sp_value(Url, " https://global.gotomeeting.com "),
            Ok(())
        );
        assert_eq!(check_sp_value(Url, ""), Err(SpValueProblem::Empty));
        assert_eq!(
            check_sp_value(Url, "http://meet.example"),
            Err(SpValueProblem::PlainHttp)
        );
        assert_eq!(
            check_sp_value(Url, "meet.example"),
            Err(SpValueProblem::NotUrl)
        );
        assert_eq!(check_sp_value(EntityId, "urn:goto:sp"), Ok(()));
        assert_eq!(
            check_sp_value(EntityId, "not a uri"),
            Err(SpValueProblem::NotUri)
        );
    }
}
