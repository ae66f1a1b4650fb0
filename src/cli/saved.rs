//! Provisioning credentials kept between runs: the secret in the OS keyring, everything else
//! (method, URLs, client ID, and only a *reference* to the secret) in the settings file.

use goto_sso_wizard::provisioning::{Credentials, OAuthEndpoints, TokenSet};
use goto_sso_wizard::secrets::{CredentialRef, Keyring, Secret};
use goto_sso_wizard::settings::{ProvisioningMethod, SettingsStore};

use super::output::Failure;

/// The keyring account of the provisioning secret. It names the settings folder, so separate
/// settings (a portable copy, a test) never share or overwrite each other's secret.
fn account(store: &SettingsStore) -> String {
    format!("provisioning ({})", store.dir().display())
}

fn settings_store() -> Result<SettingsStore, Failure> {
    SettingsStore::open_default().map_err(|error| Failure::from_error("settings", &error))
}

fn keyring() -> Keyring {
    let keyring = Keyring::open_native();
    if let Some(reason) = keyring.unavailable_reason() {
        eprintln!("note: {reason}");
    }
    keyring
}

/// Saves `credentials` after a test: the secret to the keyring, the rest to the settings.
pub fn store(base_url: &str, credentials: &Credentials) -> Result<String, Failure> {
    let store = settings_store()?;
    let loaded = store.load();
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    let mut settings = loaded.settings;
    let reference = CredentialRef::new(account(&store));
    let (method, secret, endpoints, user) = match credentials {
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
        Credentials::Authorized { endpoints, tokens } => {
            let refresh = tokens.refresh_token.as_ref().ok_or_else(|| {
                Failure::bad_input(
                    "no_refresh_token",
                    "the authorization gave no refresh token, so there is nothing lasting to keep"
                        .to_owned(),
                )
            })?;
            (
                ProvisioningMethod::BrowserAuthorize,
                refresh,
                Some(endpoints),
                None,
            )
        }
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
    let keyring = keyring();
    keyring
        .save(&reference, secret)
        .map_err(|error| Failure::from_error("keyring", &error))?;
    let provisioning = &mut settings.provisioning;
    provisioning.method = Some(method);
    provisioning.scim_base_url = Some(base_url.to_owned());
    provisioning.token_url = endpoints.map(|e| e.token_url.clone());
    provisioning.authorize_url = endpoints.and_then(|e| e.authorize_url.clone());
    provisioning.client_id = endpoints.map(|e| e.client_id.clone());
    provisioning.admin_user = user;
    provisioning.credential = Some(reference);
    store
        .save(&settings)
        .map_err(|error| Failure::from_error("settings", &error))?;
    Ok(format!(
        "saved: the secret in the {} and the rest in {}",
        keyring.kind().describe(),
        store.path().display()
    ))
}

/// The saved credentials and base URL (`base_url` overrides the saved one).
pub fn load(base_url: Option<&str>) -> Result<(Credentials, String), Failure> {
    let loaded = settings_store()?.load();
    if let Some(notice) = loaded.notice {
        eprintln!("note: {notice}");
    }
    let saved = loaded.settings.provisioning;
    let nothing = || {
        Failure::bad_input(
            "nothing_saved",
            "no provisioning credentials are saved: run `provisioning test` with --remember first"
                .to_owned(),
        )
    };
    let (Some(method), Some(reference)) = (saved.method, saved.credential.as_ref()) else {
        return Err(nothing());
    };
    let secret = keyring()
        .load(reference)
        .map_err(|error| Failure::from_error("keyring", &error))?
        .ok_or_else(|| {
            Failure::bad_input(
                "nothing_saved",
                format!("the settings name the keyring entry {reference}, but the keyring has no such entry: test again with --remember"),
            )
        })?;
    let base_url = base_url
        .map(str::to_owned)
        .or(saved.scim_base_url)
        .ok_or_else(nothing)?;
    let endpoints = || -> Result<OAuthEndpoints, Failure> {
        Ok(OAuthEndpoints {
            authorize_url: saved.authorize_url.clone(),
            token_url: saved.token_url.clone().ok_or_else(nothing)?,
            client_id: saved.client_id.clone().ok_or_else(nothing)?,
            client_secret: None,
            scopes: Vec::new(),
        })
    };
    let credentials = match method {
        ProvisioningMethod::BearerToken => Credentials::BearerToken(secret),
        ProvisioningMethod::ClientCredentials => Credentials::ClientCredentials {
            endpoints: endpoints()?,
            client_secret: secret,
        },
        ProvisioningMethod::BrowserAuthorize => Credentials::Authorized {
            endpoints: endpoints()?,
            // Only the refresh token is kept; an access token that has already expired makes
            // the test refresh before its first request.
            tokens: TokenSet {
                access_token: Secret::from("expired"),
                refresh_token: Some(secret),
                expires_at: Some(time::OffsetDateTime::UNIX_EPOCH),
            },
        },
        ProvisioningMethod::LegacyAdminPassword => Credentials::LegacyAdminPassword {
            endpoints: endpoints()?,
            user: saved.admin_user.clone().ok_or_else(nothing)?,
            password: secret,
        },
    };
    Ok((credentials, base_url))
}

/// Deletes the saved secret and its reference.
pub fn forget() -> Result<String, Failure> {
    let store = settings_store()?;
    let mut settings = store.load().settings;
    let Some(reference) = settings.provisioning.credential.take() else {
        return Ok("no saved credentials to forget".to_owned());
    };
    let deleted = keyring()
        .forget(&reference)
        .map_err(|error| Failure::from_error("keyring", &error))?;
    settings.provisioning.method = None;
    store
        .save(&settings)
        .map_err(|error| Failure::from_error("settings", &error))?;
    Ok(if deleted {
        format!("forgot the provisioning secret ({reference}) and its reference in the settings")
    } else {
        format!("the keyring had no entry {reference}; its reference was removed from the settings")
    })
}
