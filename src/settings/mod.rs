//! The user's settings (never secrets: those are in the keyring, see [`crate::secrets`]),
//! kept as JSON in the platform's config folder, written atomically and loaded tolerantly.
//!
//! To add a setting, add a field that has a default: files written before it still load.
//! Bump [`SETTINGS_VERSION`] only when older versions could not read the new file correctly
//! (a renamed field, a new enum value they would reject); they then keep their backup and
//! start from defaults instead of misreading it.

mod error;
mod store;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::secrets::CredentialRef;

pub use error::SettingsError;
pub use store::{CONFIG_DIR_ENV, Loaded, SETTINGS_FILE, SettingsStore};

/// The settings format this version writes, and the newest it reads.
pub const SETTINGS_VERSION: u32 = 1;

/// How many recently used setups [`Settings::remember_setup`] keeps.
pub const MAX_RECENT_SETUPS: usize = 10;

/// Everything remembered between runs. Every field has a default, so a file missing some
/// of them (older, or written by hand) still loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// The format of the file; [`SETTINGS_VERSION`] when written by this version.
    pub version: u32,
    /// How to reach GoTo's user provisioning (SCIM) service.
    pub provisioning: ProvisioningSettings,
    /// Setup files opened recently, most recent first.
    pub recent_setups: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            version: SETTINGS_VERSION,
            provisioning: ProvisioningSettings::default(),
            recent_setups: Vec::new(),
        }
    }
}

impl Settings {
    /// Puts `path` first in [`Settings::recent_setups`], once, keeping at most
    /// [`MAX_RECENT_SETUPS`].
    pub fn remember_setup(&mut self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        self.recent_setups.retain(|known| known != path);
        self.recent_setups.insert(0, path.to_path_buf());
        self.recent_setups.truncate(MAX_RECENT_SETUPS);
    }
}

/// The provisioning connection, minus its secret: the secret (client secret, token, password)
/// is in the keyring under [`ProvisioningSettings::credential`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProvisioningSettings {
    /// Which kind of credential the admin chose.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<ProvisioningMethod>,
    /// The SCIM base URL (`…/ServiceProviderConfig` and `…/Users` are below it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scim_base_url: Option<String>,
    /// The OAuth token endpoint, when it differs from the SP profile's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// The OAuth authorization endpoint, when it differs from the SP profile's default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorize_url: Option<String>,
    /// The OAuth client ID (not a secret).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The admin user name for the legacy connector.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_user: Option<String>,
    /// The loopback port of the browser authorization, when not the default (`0`: any free
    /// port); its redirect URI is registered with the OAuth client.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub callback_port: Option<u16>,
    /// Where the secret for this connection is in the keyring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<CredentialRef>,
}

/// The kinds of credential GoTo's provisioning accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisioningMethod {
    /// OAuth authorization code with PKCE in the system browser (Entra's "Authorize" button).
    BrowserAuthorize,
    /// An OAuth client ID and secret (client credentials grant).
    ClientCredentials,
    /// A SCIM bearer token.
    BearerToken,
    /// A GoToMeeting admin user name and password (Microsoft's deprecated connector).
    LegacyAdminPassword,
}

#[cfg(test)]
mod tests;
