//! Provisioning credentials kept between runs, one way for the window and the CLI alike: the
//! secret in the OS keyring under one name per settings folder ([`reference_for`]), everything
//! else (method, URLs, client ID, and that name) in the settings file. What one saves the other
//! uses and forgets. Names written by earlier versions are found, moved here and removed.

use super::credentials::{Credentials, TokenSet};
use super::oauth::OAuthEndpoints;
use crate::secrets::{CredentialRef, DEFAULT_SERVICE, Keyring, Secret, SecretError};
use crate::settings::{
    ProvisioningMethod, ProvisioningSettings, Settings, SettingsError, SettingsStore,
};
use crate::setup::Setup;

/// The keyring name of the provisioning secret kept for the settings in `store`. It names the
/// settings folder, so separate settings (a portable copy, a test) never share or overwrite
/// each other's secret. (The CLI has always used this name.)
pub fn reference_for(store: &SettingsStore) -> CredentialRef {
    CredentialRef::new(format!("provisioning ({})", store.dir().display()))
}

/// The name of the saved secret when the settings in `store` describe one, without touching
/// the keyring (no unlock prompt): for offering "use saved credentials".
pub fn saved_reference_in(store: &SettingsStore) -> Option<CredentialRef> {
    let saved = store.load().settings.provisioning;
    saved.method?;
    saved.credential
}

/// The kinds in the names the window used before this module: `provisioning/<kind>/<who>`.
const EARLIER_WINDOW_KINDS: [&str; 4] = [
    "refresh-token",
    "client-secret",
    "scim-token",
    "admin-password",
];

/// Whether `reference` is a name the window gave a secret before there was one way
/// (`provisioning/client-secret/<client id>` and the like), to be moved and removed.
pub fn is_earlier_window_name(reference: &CredentialRef) -> bool {
    reference.service == DEFAULT_SERVICE
        && reference
            .account
            .strip_prefix("provisioning/")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(kind, _)| EARLIER_WINDOW_KINDS.contains(&kind))
}

/// Why saved credentials could not be saved, loaded or forgotten. Never carries a secret.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SavedError {
    /// Nothing is saved (for these settings).
    #[error("no provisioning credentials are saved{}", notice.as_ref().map(|n| format!(" ({n})")).unwrap_or_default())]
    NothingSaved {
        /// What was wrong with the settings file, when it could not be used.
        notice: Option<String>,
    },
    /// The settings name a keyring entry that is not there (deleted by hand, another computer).
    #[error(
        "the settings name the keyring entry {reference}, but the keyring has no such entry: \
         save the credentials again"
    )]
    MissingEntry {
        /// The name the settings hold.
        reference: CredentialRef,
    },
    /// The settings lack something the method needs.
    #[error("the saved provisioning settings have no {what}: save the credentials again")]
    Incomplete {
        /// What is missing, e.g. "client ID".
        what: &'static str,
    },
    /// A browser authorization without a refresh token leaves nothing lasting to keep.
    #[error("the authorization gave no refresh token, so there is nothing lasting to keep")]
    NoRefreshToken,
    /// The keyring failed.
    #[error(transparent)]
    Keyring(#[from] SecretError),
    /// The settings file could not be written.
    #[error(transparent)]
    Settings(#[from] SettingsError),
}

/// Saved credentials as loaded: the connection (its `credential` is the one name) and the secret.
#[derive(Debug, Clone)]
pub struct SavedCredentials {
    /// Method, URLs, client ID, admin user.
    pub connection: ProvisioningSettings,
    /// The client secret, token, password or refresh token.
    pub secret: Secret,
    /// The earlier name it was found under and moved from, if it was.
    pub moved_from: Option<CredentialRef>,
}

/// What [`SavedStore::forget`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forgotten {
    /// The one name.
    pub reference: CredentialRef,
    /// Whether the keyring held a secret (under the one name or an earlier one).
    pub deleted: bool,
    /// Whether the settings (or the setup) named one.
    pub had_reference: bool,
}

/// The saved provisioning credentials of one settings folder, in one keyring. Every method
/// blocks (file I/O and the keyring): a GUI calls them on a blocking thread.
#[derive(Debug, Clone)]
pub struct SavedStore {
    settings: SettingsStore,
    keyring: Keyring,
}

impl SavedStore {
    /// The saved credentials of the settings in `settings`, with secrets in `keyring`.
    pub fn new(settings: SettingsStore, keyring: Keyring) -> Self {
        Self { settings, keyring }
    }

    /// The settings folder.
    pub fn settings(&self) -> &SettingsStore {
        &self.settings
    }

    /// The keyring.
    pub fn keyring(&self) -> &Keyring {
        &self.keyring
    }

    /// The one name the secret is kept under.
    pub fn reference(&self) -> CredentialRef {
        reference_for(&self.settings)
    }

    /// See [`saved_reference_in`].
    pub fn saved_reference(&self) -> Option<CredentialRef> {
        saved_reference_in(&self.settings)
    }

    /// Saves `secret` under the one name and `connection` (its `credential` aside) in the
    /// settings. An earlier window name in `connection.credential` or in the settings is
    /// removed from the keyring: the secret now lives under the one name.
    pub fn save(
        &self,
        connection: &ProvisioningSettings,
        secret: &Secret,
    ) -> Result<CredentialRef, SavedError> {
        let reference = self.reference();
        self.keyring.save(&reference, secret)?;
        let mut settings = self.settings.load().settings;
        let earlier = [
            settings.provisioning.credential.take(),
            connection.credential.clone(),
        ];
        settings.provisioning = ProvisioningSettings {
            credential: Some(reference.clone()),
            ..connection.clone()
        };
        self.settings.save(&settings)?;
        for name in earlier.iter().flatten() {
            if *name != reference && is_earlier_window_name(name) {
                self.keyring.forget(name)?;
            }
        }
        Ok(reference)
    }

    /// The saved credentials. `setup` is what a saved setup file records (the window passes
    /// it). When the one name holds nothing, earlier names are looked up: the one the settings
    /// give, the setup's, and the earlier window names the recent setups give. A secret found
    /// under an earlier name is moved to the one name (the settings then describe it), and an
    /// earlier window name is removed.
    pub fn load(
        &self,
        setup: Option<&ProvisioningSettings>,
    ) -> Result<SavedCredentials, SavedError> {
        let loaded = self.settings.load();
        let mut settings = loaded.settings;
        let reference = self.reference();
        let described = |p: &&ProvisioningSettings| p.method.is_some();
        if let Some(secret) = self.keyring.load(&reference)? {
            // The one name wins; an earlier window name the setup still gives is left over.
            if let Some(earlier) = setup.and_then(|setup| setup.credential.as_ref())
                && *earlier != reference
                && is_earlier_window_name(earlier)
            {
                self.keyring.forget(earlier)?;
            }
            let connection = Some(&settings.provisioning)
                .filter(described)
                .or(setup.filter(described))
                .ok_or(SavedError::NothingSaved {
                    notice: loaded.notice.clone(),
                })?;
            return Ok(SavedCredentials {
                connection: ProvisioningSettings {
                    credential: Some(reference),
                    ..connection.clone()
                },
                secret,
                moved_from: None,
            });
        }
        let candidates: Vec<ProvisioningSettings> = [Some(&settings.provisioning), setup]
            .into_iter()
            .flatten()
            .filter(|p| p.credential.as_ref().is_some_and(|name| *name != reference))
            .filter(described)
            .cloned()
            .chain(earlier_in_recent_setups(&settings))
            .collect();
        for connection in candidates {
            let Some(earlier) = connection.credential.clone() else {
                continue;
            };
            let Some(secret) = self.keyring.load(&earlier)? else {
                continue;
            };
            self.keyring.save(&reference, &secret)?;
            settings.provisioning = ProvisioningSettings {
                credential: Some(reference.clone()),
                ..connection
            };
            self.settings.save(&settings)?;
            // A name of another settings folder (a copied settings file) may still be in use
            // there: only the window's earlier names are removed.
            if is_earlier_window_name(&earlier) {
                self.keyring.forget(&earlier)?;
            }
            return Ok(SavedCredentials {
                connection: settings.provisioning,
                secret,
                moved_from: Some(earlier),
            });
        }
        match settings.provisioning.credential.or_else(|| {
            setup
                .filter(described)
                .and_then(|setup| setup.credential.clone())
        }) {
            Some(reference) => Err(SavedError::MissingEntry { reference }),
            None => Err(SavedError::NothingSaved {
                notice: loaded.notice,
            }),
        }
    }

    /// Deletes the saved secret (under the one name, the name the settings give, and an
    /// earlier window name `setup` gives) and its description in the settings.
    pub fn forget(&self, setup: Option<&ProvisioningSettings>) -> Result<Forgotten, SavedError> {
        let reference = self.reference();
        let mut settings = self.settings.load().settings;
        let from_settings = settings.provisioning.credential.clone();
        let from_setup = setup
            .and_then(|setup| setup.credential.clone())
            .filter(is_earlier_window_name);
        let from_recent: Vec<CredentialRef> = earlier_in_recent_setups(&settings)
            .into_iter()
            .filter_map(|setup| setup.credential)
            .collect();
        let had_reference =
            from_settings.is_some() || from_setup.is_some() || !from_recent.is_empty();
        let mut deleted = self.keyring.forget(&reference)?;
        let others = [from_settings, from_setup].into_iter().flatten();
        for name in others.chain(from_recent) {
            if name != reference {
                deleted |= self.keyring.forget(&name)?;
            }
        }
        let provisioning = &mut settings.provisioning;
        if provisioning.credential.is_some() || provisioning.method.is_some() {
            provisioning.credential = None;
            provisioning.method = None;
            self.settings.save(&settings)?;
        }
        Ok(Forgotten {
            reference,
            deleted,
            had_reference,
        })
    }
}

/// What the setups the window saved recently (most recent first) say about credentials kept
/// under an earlier window name: before there was one way, only the setup file named them.
fn earlier_in_recent_setups(settings: &Settings) -> Vec<ProvisioningSettings> {
    settings
        .recent_setups
        .iter()
        .filter_map(|path| Setup::load(path).ok())
        .map(|setup| setup.provisioning_settings)
        .filter(|p| p.method.is_some())
        .filter(|p| p.credential.as_ref().is_some_and(is_earlier_window_name))
        .collect()
}

/// What to save of `credentials` tested against `base_url`: the connection and the one secret
/// worth keeping (the refresh token of a browser authorization, not its short-lived access
/// token).
pub fn connection_of<'c>(
    base_url: &str,
    credentials: &'c Credentials,
) -> Result<(ProvisioningSettings, &'c Secret), SavedError> {
    let (method, secret, endpoints, admin_user) = match credentials {
        Credentials::BearerToken(token) => (ProvisioningMethod::BearerToken, token, None, None),
        Credentials::ClientCredentials {
            endpoints,
            client_secret,
        } => (
            ProvisioningMethod::ClientCredentials,
            client_secret,
            Some(endpoints),
            None,
        ),
        Credentials::Authorized { endpoints, tokens } => (
            ProvisioningMethod::BrowserAuthorize,
            tokens
                .refresh_token
                .as_ref()
                .ok_or(SavedError::NoRefreshToken)?,
            Some(endpoints),
            None,
        ),
        Credentials::LegacyAdminPassword {
            endpoints,
            user,
            password,
        } => (
            ProvisioningMethod::LegacyAdminPassword,
            password,
            Some(endpoints),
            Some(user.clone()),
        ),
    };
    let connection = ProvisioningSettings {
        method: Some(method),
        scim_base_url: Some(base_url.trim().to_owned()).filter(|url| !url.is_empty()),
        token_url: endpoints.map(|e| e.token_url.clone()),
        authorize_url: endpoints.and_then(|e| e.authorize_url.clone()),
        client_id: endpoints.map(|e| e.client_id.clone()),
        admin_user,
        // Only the browser authorization listens on a port, and a saved one refreshes instead.
        callback_port: None,
        credential: None,
    };
    Ok((connection, secret))
}

impl SavedCredentials {
    /// The credentials to test and the SCIM base URL (`base_url` overrides the saved one).
    /// URLs not saved are the default SP profile's. A browser authorization comes back as its
    /// refresh token only ([`TokenSet::refresh_only`]): the test refreshes first.
    pub fn into_credentials(
        self,
        base_url: Option<&str>,
    ) -> Result<(Credentials, String), SavedError> {
        let saved = self.connection;
        let base_url = base_url
            .map(str::to_owned)
            .or(saved.scim_base_url.clone())
            .ok_or(SavedError::Incomplete {
                what: "SCIM base URL",
            })?;
        let defaults = crate::profile::default_profile().map(|profile| &profile.provisioning);
        let endpoints = || -> Result<OAuthEndpoints, SavedError> {
            Ok(OAuthEndpoints {
                authorize_url: saved
                    .authorize_url
                    .clone()
                    .or_else(|| defaults.map(|d| d.authorize_url.clone())),
                token_url: saved
                    .token_url
                    .clone()
                    .or_else(|| defaults.map(|d| d.token_url.clone()))
                    .ok_or(SavedError::Incomplete { what: "token URL" })?,
                client_id: saved
                    .client_id
                    .clone()
                    .ok_or(SavedError::Incomplete { what: "client ID" })?,
                client_secret: None,
                scopes: Vec::new(),
            })
        };
        let method = saved
            .method
            .ok_or(SavedError::NothingSaved { notice: None })?;
        let credentials = match method {
            ProvisioningMethod::BearerToken => Credentials::BearerToken(self.secret),
            ProvisioningMethod::ClientCredentials => Credentials::ClientCredentials {
                endpoints: endpoints()?,
                client_secret: self.secret,
            },
            ProvisioningMethod::BrowserAuthorize => Credentials::Authorized {
                endpoints: endpoints()?,
                tokens: TokenSet::refresh_only(self.secret),
            },
            ProvisioningMethod::LegacyAdminPassword => Credentials::LegacyAdminPassword {
                endpoints: endpoints()?,
                user: saved.admin_user.clone().ok_or(SavedError::Incomplete {
                    what: "admin user name",
                })?,
                password: self.secret,
            },
        };
        Ok((credentials, base_url))
    }
}

#[cfg(test)]
mod tests;
