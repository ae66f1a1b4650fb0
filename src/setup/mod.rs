//! A setup being made (or saved, to resume later): what the admin chose in each wizard step,
//! with no secret in it. The GUI edits it, the report is made from it, and it is saved as JSON.

mod load;
mod metadata_choice;
mod product;
mod values;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use load::{LoadError, LoadedMetadata, load, read_file};
pub use metadata_choice::MetadataSource;
pub use product::Product;
pub use values::{
    EntraValues, GoToValues, SpValueKind, SpValueProblem, check_sp_value, entra_values, goto_values,
};

use crate::metadata_url::Cloud;
use crate::profile::{self, SpProfile};
use crate::settings::ProvisioningSettings;

/// The version of the saved-setup format.
pub const SETUP_VERSION: u32 = 1;

/// Everything chosen so far. Every field has a default, so older files load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Setup {
    /// Format version.
    pub version: u32,
    /// Set up single sign-on.
    pub sso: bool,
    /// Set up user provisioning.
    pub provisioning: bool,
    /// The GoTo products to configure.
    pub products: Vec<Product>,
    /// The service-provider profile in use.
    pub profile_id: String,
    /// Values the admin changed from the profile's.
    pub overrides: Overrides,
    /// Provisioning choices (the secret stays in the keyring; only a reference is here).
    pub provisioning_settings: ProvisioningSettings,
    /// The metadata step.
    pub metadata: MetadataChoice,
}

/// Profile values the admin edited; `None` or absent means "the profile's".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Overrides {
    /// Identifier (Entity ID).
    pub entity_id: Option<String>,
    /// Reply URL.
    pub reply_url: Option<String>,
    /// Sign-on URL.
    pub sign_on_url: Option<String>,
    /// Relay state per product.
    pub relay_states: BTreeMap<Product, String>,
}

/// What the metadata step produced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MetadataChoice {
    /// What was typed as tenant (ID, domain or URL).
    pub tenant_input: String,
    /// The application ID typed.
    pub app_id_input: String,
    /// The cloud chosen, if any.
    pub cloud: Option<Cloud>,
    /// The metadata URL built.
    pub url: Option<String>,
    /// A metadata file loaded instead of a download.
    pub file: Option<std::path::PathBuf>,
    /// The identity provider's entity ID.
    pub idp_entity_id: Option<String>,
    /// Its sign-in (SSO) URL, HTTP-Redirect preferred.
    pub sign_in_url: Option<String>,
    /// Its sign-out (SLO) URL.
    pub sign_out_url: Option<String>,
    /// The signing certificate GoTo gets, by SHA-256 thumbprint.
    pub certificate_sha256: Option<String>,
    /// That certificate as PEM (public, safe to keep).
    pub certificate_pem: Option<String>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            version: SETUP_VERSION,
            sso: true,
            provisioning: false,
            products: vec![Product::GoToMeeting],
            profile_id: profile::default_profile()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
            overrides: Overrides::default(),
            provisioning_settings: ProvisioningSettings::default(),
            metadata: MetadataChoice::default(),
        }
    }
}

/// A saved setup could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SetupFileError {
    /// Reading or writing failed.
    #[error("cannot {action} {path}: {source}")]
    Io {
        /// "read" or "write".
        action: &'static str,
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// Not a setup file.
    #[error(
        "{path} is not a saved setup of this wizard ({reason}); choose the .json file the wizard saved"
    )]
    NotASetup {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// From a newer version of the wizard.
    #[error(
        "{path} was saved by a newer version of the wizard (format {found}, this one reads up to {SETUP_VERSION}); update the wizard"
    )]
    Newer {
        /// The file.
        path: String,
        /// Its version.
        found: u32,
    },
}

/// A saved setup is small; anything bigger is the wrong file.
const MAX_SETUP_BYTES: usize = 4 * 1024 * 1024;

impl Setup {
    /// The profile in use (the default one when the saved ID is unknown).
    pub fn profile(&self) -> Option<&'static SpProfile> {
        profile::by_id(&self.profile_id).or_else(profile::default_profile)
    }

    /// The relay state for `product`: the admin's, else the profile's.
    pub fn relay_state(&self, product: Product) -> Option<String> {
        self.overrides
            .relay_states
            .get(&product)
            .cloned()
            .or_else(|| {
                self.profile()
                    .and_then(|p| p.saml.relay_states.get(product.key()).cloned())
            })
    }

    /// Reads a saved setup.
    pub fn load(path: &Path) -> Result<Setup, SetupFileError> {
        use crate::limited_read::LimitedReadError;
        let shown = path.display().to_string();
        let io = |source| SetupFileError::Io {
            action: "read",
            path: shown.clone(),
            source,
        };
        let bytes =
            crate::limited_read::read_limited(path, MAX_SETUP_BYTES).map_err(
                |error| match error {
                    LimitedReadError::Io(source) => io(source),
                    LimitedReadError::TooLarge { .. } => SetupFileError::NotASetup {
                        path: shown.clone(),
                        reason: "it is larger than any saved setup".into(),
                    },
                },
            )?;
        let value: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|error| SetupFileError::NotASetup {
                path: shown.clone(),
                reason: format!("not JSON: {error}"),
            })?;
        let found = value
            .get("version")
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| SetupFileError::NotASetup {
                path: shown.clone(),
                reason: "it has no version".into(),
            })?;
        let found = u32::try_from(found).unwrap_or(u32::MAX);
        if found > SETUP_VERSION {
            return Err(SetupFileError::Newer { path: shown, found });
        }
        serde_json::from_value(value).map_err(|error| SetupFileError::NotASetup {
            path: shown,
            reason: error.to_string(),
        })
    }

    /// Writes the setup privately and whole (see [`crate::private_file`]).
    pub fn save(&self, path: &Path) -> Result<(), SetupFileError> {
        let io = |source| SetupFileError::Io {
            action: "write",
            path: path.display().to_string(),
            source,
        };
        let text =
            serde_json::to_string_pretty(self).map_err(|error| io(std::io::Error::other(error)))?;
        crate::private_file::write(path, text.as_bytes()).map_err(io)
    }
}

#[cfg(test)]
mod tests;
