//! GoTo's values as data: each service-provider profile (entity ID, reply URL, relay states,
//! OAuth endpoints) with its source and date, from `assets/data/sp-profiles.json`. GoTo's hosts
//! have moved over the years, so nothing here is a literal in code and every value is editable.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// One set of GoTo values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpProfile {
    /// Stable identifier.
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Where the values come from.
    pub source: String,
    /// When the source was current.
    pub as_of: String,
    /// Single sign-on values.
    pub saml: SamlProfile,
    /// Provisioning endpoints.
    pub provisioning: ProvisioningProfile,
    /// GoTo's admin console.
    pub admin_console: String,
}

/// Entra's "Basic SAML Configuration" values for GoTo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SamlProfile {
    /// Identifier (Entity ID, the audience).
    pub entity_id: String,
    /// Reply URL (assertion consumer service).
    pub reply_url: String,
    /// Sign-on URL for SP-initiated sign-in, when the profile has one.
    pub sign_on_url: Option<String>,
    /// The Entra attribute the NameID must carry.
    pub name_id: String,
    /// Relay state per product (`gotomeeting`, `gotowebinar`, `gototraining`, `gotoassist`).
    pub relay_states: BTreeMap<String, String>,
}

/// GoTo's OAuth and SCIM endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisioningProfile {
    /// OAuth 2.0 authorization endpoint.
    pub authorize_url: String,
    /// OAuth 2.0 token endpoint.
    pub token_url: String,
    /// SCIM base URL, when a source publishes it.
    pub scim_base_url: Option<String>,
    /// Where [`ProvisioningProfile::scim_base_url`] comes from.
    #[serde(default)]
    pub scim_base_url_source: Option<String>,
    /// When that source was read.
    #[serde(default)]
    pub scim_base_url_as_of: Option<String>,
    /// Why the SCIM base URL is missing, or other remarks.
    #[serde(default)]
    pub scim_base_url_note: Option<String>,
}

impl ProvisioningProfile {
    /// Where the default SCIM base URL comes from, in one sentence for people (its source,
    /// when it was read, and any remark), or `None` when the profile has no default.
    pub fn scim_base_url_origin(&self) -> Option<String> {
        self.scim_base_url.as_ref()?;
        let mut origin = self
            .scim_base_url_source
            .clone()
            .unwrap_or_else(|| "the GoTo profile".to_owned());
        if let Some(as_of) = &self.scim_base_url_as_of {
            origin.push_str(&format!(" (as of {as_of})"));
        }
        if let Some(note) = &self.scim_base_url_note {
            origin.push_str(&format!("; {note}"));
        }
        Some(origin)
    }
}

#[derive(Deserialize)]
struct ProfileFile {
    profiles: Vec<SpProfile>,
    default: String,
}

fn file() -> &'static ProfileFile {
    static FILE: OnceLock<ProfileFile> = OnceLock::new();
    FILE.get_or_init(|| {
        // Embedded and checked by a test, so it cannot fail in a shipped build; an empty list
        // would only leave every field for the admin to type.
        serde_json::from_str(include_str!("../../assets/data/sp-profiles.json")).unwrap_or(
            ProfileFile {
                profiles: Vec::new(),
                default: String::new(),
            },
        )
    })
}

/// Every built-in profile.
pub fn profiles() -> &'static [SpProfile] {
    &file().profiles
}

/// The profile used unless the admin picks another.
pub fn default_profile() -> Option<&'static SpProfile> {
    profiles()
        .iter()
        .find(|profile| profile.id == file().default)
}

/// A profile by its identifier.
pub fn by_id(id: &str) -> Option<&'static SpProfile> {
    profiles().iter().find(|profile| profile.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_loads_with_a_default_and_every_product() {
        assert!(profiles().len() >= 2);
        let default = default_profile().expect("the default profile exists");
        assert_eq!(
            default.saml.entity_id,
            "https://authentication.logmeininc.com/saml/sp"
        );
        for product in ["gotomeeting", "gotowebinar", "gototraining", "gotoassist"] {
            for profile in profiles() {
                assert!(
                    profile.saml.relay_states.contains_key(product),
                    "{} lacks {product}",
                    profile.id
                );
            }
        }
        assert!(by_id("goto-2024-gallery").is_some_and(|p| p.saml.sign_on_url.is_some()));
    }

    #[test]
    fn every_profile_carries_gotos_scim_base_url_with_its_source_and_date() {
        for profile in profiles() {
            let provisioning = &profile.provisioning;
            assert_eq!(
                provisioning.scim_base_url.as_deref(),
                Some("https://api.getgo.com/identity/v1"),
                "{}",
                profile.id
            );
            let origin = provisioning.scim_base_url_origin().expect("an origin");
            assert!(origin.contains("citrixonline.com/scim"), "{origin}");
            assert!(origin.contains("as of 2026-12-03"), "{origin}");
        }
    }
}
