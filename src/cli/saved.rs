//! `--remember`, `--saved` and `credentials forget`: the core's saved provisioning credentials
//! ([`goto_sso_wizard::provisioning::saved`]), the same the window keeps, for the terminal.

use goto_sso_wizard::provisioning::Credentials;
use goto_sso_wizard::provisioning::saved::{self, SavedError, SavedStore};
use goto_sso_wizard::secrets::Keyring;
use goto_sso_wizard::settings::SettingsStore;

use super::output::Failure;

fn saved_store() -> Result<SavedStore, Failure> {
    let settings =
        SettingsStore::open_default().map_err(|error| Failure::from_error("settings", &error))?;
    let keyring = Keyring::open_native();
    if let Some(reason) = keyring.unavailable_reason() {
        eprintln!("note: {reason}");
    }
    Ok(SavedStore::new(settings, keyring))
}

/// The CLI's words and kinds for the core's errors.
fn failure(error: SavedError) -> Failure {
    match error {
        SavedError::NothingSaved { notice } => {
            if let Some(notice) = notice {
                eprintln!("note: {notice}");
            }
            Failure::bad_input(
                "nothing_saved",
                "no provisioning credentials are saved: run `provisioning test` with --remember \
                 first"
                    .to_owned(),
            )
        }
        SavedError::MissingEntry { reference } => Failure::bad_input(
            "nothing_saved",
            format!(
                "the settings name the keyring entry {reference}, but the keyring has no such \
                 entry: test again with --remember"
            ),
        ),
        SavedError::Incomplete { .. } => Failure::bad_input("nothing_saved", error.to_string()),
        SavedError::NoRefreshToken => Failure::bad_input("no_refresh_token", error.to_string()),
        SavedError::Keyring(error) => Failure::from_error("keyring", &error),
        SavedError::Settings(error) => Failure::from_error("settings", &error),
    }
}

/// Saves `credentials` after a test: the secret to the keyring, the rest to the settings.
pub fn store(base_url: &str, credentials: &Credentials) -> Result<String, Failure> {
    let (connection, secret) = saved::connection_of(base_url, credentials).map_err(failure)?;
    let store = saved_store()?;
    store.save(&connection, secret).map_err(failure)?;
    Ok(format!(
        "saved: the secret in the {} and the rest in {}",
        store.keyring().kind().describe(),
        store.settings().path().display()
    ))
}

/// The saved credentials and base URL (`base_url` overrides the saved one).
pub fn load(base_url: Option<&str>) -> Result<(Credentials, String), Failure> {
    let loaded = saved_store()?.load(None).map_err(failure)?;
    if let Some(earlier) = &loaded.moved_from {
        eprintln!(
            "note: the saved secret was moved from the keyring entry {earlier} to {}",
            loaded
                .connection
                .credential
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        );
    }
    loaded.into_credentials(base_url).map_err(failure)
}

/// Deletes the saved secret and its reference.
pub fn forget() -> Result<String, Failure> {
    let forgotten = saved_store()?.forget(None).map_err(failure)?;
    let reference = &forgotten.reference;
    Ok(match (forgotten.deleted, forgotten.had_reference) {
        (true, _) => format!(
            "forgot the provisioning secret ({reference}) and its reference in the settings"
        ),
        (false, true) => format!(
            "the keyring had no entry {reference}; its reference was removed from the settings"
        ),
        (false, false) => "no saved credentials to forget".to_owned(),
    })
}
