use std::fs;
use std::path::{Path, PathBuf};

use time::macros::datetime;

use super::*;
use crate::secrets::{Keyring, Secret};

fn store() -> (tempfile::TempDir, SettingsStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(dir.path().join("config"));
    (dir, store)
}

fn example() -> Settings {
    let mut settings = Settings {
        provisioning: ProvisioningSettings {
            method: Some(ProvisioningMethod::ClientCredentials),
            scim_base_url: Some("https://api.example.test/identity/v1".into()),
            token_url: Some("https://auth.example.test/oauth/token".into()),
            authorize_url: None,
            client_id: Some("client-123".into()),
            admin_user: None,
            callback_port: None,
            credential: Some(CredentialRef::new("provisioning/client-secret/client-123")),
        },
        ..Settings::default()
    };
    settings.remember_setup("/home/admin/contoso.goto-sso.json");
    settings
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn round_trip() {
    let (_dir, store) = store();
    let settings = example();
    store.save(&settings).unwrap();
    let loaded = store.load();
    assert_eq!(loaded.notice, None);
    assert_eq!(loaded.settings, settings);
    // Saving again replaces the file.
    let mut changed = settings.clone();
    changed.provisioning.method = Some(ProvisioningMethod::BrowserAuthorize);
    store.save(&changed).unwrap();
    assert_eq!(store.load().settings, changed);
}

#[test]
fn the_file_is_readable_json_with_the_current_version() {
    let (_dir, store) = store();
    let mut settings = example();
    settings.version = 0;
    store.save(&settings).unwrap();
    let text = fs::read_to_string(store.path()).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["version"], SETTINGS_VERSION);
    assert_eq!(value["provisioning"]["method"], "client_credentials");
    assert_eq!(
        value["provisioning"]["credential"],
        serde_json::json!({
            "service": "goto-sso-wizard",
            "account": "provisioning/client-secret/client-123"
        })
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn missing_file_gives_defaults_without_a_notice() {
    let (dir, store) = store();
    let loaded = store.load();
    assert_eq!(loaded.settings, Settings::default());
    assert_eq!(loaded.settings.version, SETTINGS_VERSION);
    assert_eq!(loaded.notice, None);
    // Loading creates nothing.
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

#[test]
fn corrupt_file_is_kept_as_a_backup_and_reported() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    let damaged = b"{\"version\": 1, \"provisioning\": {\"client_id\": \"abc\"";
    fs::write(store.path(), damaged).unwrap();

    let loaded = store.load_at(datetime!(2026-03-04 05:06:07 UTC));
    assert_eq!(loaded.settings, Settings::default());
    let backup = store.dir().join("settings.json.bak-20260304T050607Z");
    assert_eq!(fs::read(&backup).unwrap(), damaged);
    let notice = loaded.notice.expect("a notice");
    assert!(notice.contains("is damaged"), "{notice}");
    assert!(notice.contains("ends too early"), "{notice}");
    assert!(notice.contains(&backup.display().to_string()), "{notice}");
    assert!(
        notice.contains(&store.path().display().to_string()),
        "{notice}"
    );

    // The damaged file was moved aside: the next start is quiet.
    assert!(!store.path().exists());
    assert_eq!(store.load().notice, None);
}

#[test]
fn backups_are_never_overwritten() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    let now = datetime!(2026-03-04 05:06:07 UTC);
    for content in ["first damage", "second damage", "third damage"] {
        fs::write(store.path(), content).unwrap();
        assert!(store.load_at(now).notice.is_some());
    }
    assert_eq!(
        files_in(store.dir()),
        [
            "settings.json.bak-20260304T050607Z",
            "settings.json.bak-20260304T050607Z-2",
            "settings.json.bak-20260304T050607Z-3",
        ]
    );
    let first = store.dir().join("settings.json.bak-20260304T050607Z");
    assert_eq!(fs::read_to_string(first).unwrap(), "first damage");
}

#[test]
fn wrong_types_are_damage_and_the_notice_does_not_quote_the_file() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    fs::write(
        store.path(),
        r#"{"version": 1, "recent_setups": "hunter2-do-not-echo"}"#,
    )
    .unwrap();
    let loaded = store.load();
    assert_eq!(loaded.settings, Settings::default());
    let notice = loaded.notice.unwrap();
    assert!(
        notice.contains("value this version does not expect"),
        "{notice}"
    );
    assert!(notice.contains("line 1"), "{notice}");
    assert!(!notice.contains("hunter2"), "{notice}");
}

#[test]
fn newer_version_is_kept_as_a_backup_and_reported() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    let newer = r#"{"version": 7, "provisioning": {"method": {"quantum": true}}}"#;
    fs::write(store.path(), newer).unwrap();

    let loaded = store.load_at(datetime!(2030-01-02 03:04:05 UTC));
    assert_eq!(loaded.settings, Settings::default());
    let backup = store.dir().join("settings.json.bak-20300102T030405Z");
    assert_eq!(fs::read_to_string(&backup).unwrap(), newer);
    let notice = loaded.notice.unwrap();
    assert!(notice.contains("newer version"), "{notice}");
    assert!(notice.contains("settings version 7"), "{notice}");
    assert!(notice.contains(&backup.display().to_string()), "{notice}");
}

#[test]
fn a_version_that_is_not_a_number_is_damage() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    fs::write(store.path(), r#"{"version": "two"}"#).unwrap();
    let notice = store.load().notice.unwrap();
    assert!(
        notice.contains("\"version\" is not a whole number"),
        "{notice}"
    );
}

#[test]
fn unknown_fields_are_ignored_and_missing_ones_default() {
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    fs::write(
        store.path(),
        r#"{
            "version": 1,
            "theme": "high-contrast",
            "provisioning": {"client_id": "abc", "future_option": [1, 2, 3]}
        }"#,
    )
    .unwrap();
    let loaded = store.load();
    assert_eq!(loaded.notice, None);
    assert_eq!(
        loaded.settings.provisioning.client_id.as_deref(),
        Some("abc")
    );
    assert_eq!(loaded.settings.provisioning.method, None);
    assert!(loaded.settings.recent_setups.is_empty());

    // A file without a version (written by hand) is read as the current version.
    fs::write(store.path(), r#"{"recent_setups": ["/tmp/a.json"]}"#).unwrap();
    let loaded = store.load();
    assert_eq!(loaded.notice, None);
    assert_eq!(loaded.settings.version, SETTINGS_VERSION);
    assert_eq!(
        loaded.settings.recent_setups,
        [PathBuf::from("/tmp/a.json")]
    );
}

#[test]
fn saving_leaves_no_temporary_files() {
    let (_dir, store) = store();
    for round in 0..5 {
        let mut settings = example();
        settings.remember_setup(format!("/setups/{round}.json"));
        store.save(&settings).unwrap();
    }
    assert_eq!(files_in(store.dir()), ["settings.json"]);
}

#[test]
fn concurrent_saves_leave_one_whole_file() {
    let (_dir, store) = store();
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let store = &store;
            scope.spawn(move || {
                for round in 0..10 {
                    let mut settings = example();
                    settings.remember_setup(format!("/setups/{thread}-{round}.json"));
                    store.save(&settings).unwrap();
                }
            });
        }
    });
    assert_eq!(files_in(store.dir()), ["settings.json"]);
    assert_eq!(store.load().notice, None);
}

#[cfg(unix)]
#[test]
fn the_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, store) = store();
    store.save(&example()).unwrap();
    let mode = fs::metadata(store.path()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let dir_mode = fs::metadata(store.dir()).unwrap().permissions().mode();
    assert_eq!(
        dir_mode & 0o077,
        0,
        "the new folder is private: {dir_mode:o}"
    );
}

#[test]
fn saving_where_a_file_blocks_the_folder_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    fs::write(&blocker, "").unwrap();
    let store = SettingsStore::at(blocker.join("config"));
    let error = store.save(&example()).unwrap_err();
    assert!(
        matches!(error, SettingsError::CreateDir { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains(&store.dir().display().to_string()),
        "{message}"
    );
    assert!(message.contains("GOTO_SSO_CONFIG_DIR"), "{message}");
    assert!(std::error::Error::source(&error).is_some());
}

/// Set in the copy of the test binary that [`saving_in_a_read_only_folder_says_what_to_do`]
/// starts as an unprivileged user.
#[cfg(unix)]
const UNPRIVILEGED_RUN: &str = "GOTO_SSO_TEST_UNPRIVILEGED";

#[cfg(unix)]
#[test]
fn saving_in_a_read_only_folder_says_what_to_do() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, store) = store();
    fs::create_dir_all(store.dir()).unwrap();
    fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o500)).unwrap();
    if fs::write(store.dir().join("probe"), "").is_ok() {
        // Root ignores folder permissions (and CI runs as root): run this test again as the
        // unprivileged user `nobody`, where the folder really is read-only.
        assert!(
            std::env::var_os(UNPRIVILEGED_RUN).is_none(),
            "the unprivileged run could still write into a read-only folder"
        );
        run_as_nobody("settings::tests::saving_in_a_read_only_folder_says_what_to_do");
        return;
    }
    let error = store.save(&example()).unwrap_err();
    fs::set_permissions(store.dir(), fs::Permissions::from_mode(0o700)).unwrap();
    assert!(matches!(error, SettingsError::Write { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("could not be saved in"), "{message}");
    assert!(message.contains("writable"), "{message}");
    let source = std::error::Error::source(&error).unwrap().to_string();
    assert!(
        source.to_lowercase().contains("permission denied"),
        "{source}"
    );
    assert_eq!(files_in(store.dir()), Vec::<String>::new());
}

/// Runs one test of this binary again as `nobody` (uid and gid 65534) with `setpriv` from
/// util-linux, and fails unless it passed there.
#[cfg(unix)]
fn run_as_nobody(test: &str) {
    let binary = std::env::current_exe().unwrap();
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&binary)
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(UNPRIVILEGED_RUN, "1")
        .env("TMPDIR", std::env::temp_dir())
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|error| {
            panic!("running as root, so this test must run as nobody with setpriv (util-linux), which could not start: {error}")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test} as nobody:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn settings_hold_the_credential_reference_never_the_secret() {
    let (_dir, store) = store();
    let keyring = Keyring::mock();
    let secret = Secret::from("client-secret-8c1e5b2d-never-on-disk");
    let settings = example();
    let credential = settings.provisioning.credential.clone().unwrap();
    keyring.save(&credential, &secret).unwrap();

    store.save(&settings).unwrap();

    let text = fs::read_to_string(store.path()).unwrap();
    assert!(!text.contains(secret.expose()), "{text}");
    assert!(!text.contains("8c1e5b2d"), "{text}");
    assert!(text.contains(&credential.account), "{text}");
    // The reference found in the file leads back to the secret.
    let loaded = store.load().settings.provisioning.credential.unwrap();
    assert_eq!(keyring.load(&loaded).unwrap(), Some(secret));
}

#[test]
fn the_override_variable_names_the_folder() {
    assert_eq!(
        store::default_dir(Some("/portable/settings".into())).unwrap(),
        PathBuf::from("/portable/settings")
    );
    // Empty means unset.
    let platform = store::default_dir(Some("".into()));
    assert_eq!(platform.is_ok(), store::default_dir(None).is_ok());
    if let Ok(dir) = platform {
        assert!(
            dir.to_string_lossy().contains("goto-sso-wizard"),
            "{}",
            dir.display()
        );
    }
}

#[test]
fn recent_setups_are_unique_most_recent_first_and_bounded() {
    let mut settings = Settings::default();
    for index in 0..15 {
        settings.remember_setup(format!("/setups/{index}.json"));
    }
    settings.remember_setup("/setups/10.json");
    assert_eq!(settings.recent_setups.len(), MAX_RECENT_SETUPS);
    assert_eq!(settings.recent_setups[0], PathBuf::from("/setups/10.json"));
    assert_eq!(settings.recent_setups[1], PathBuf::from("/setups/14.json"));
    let unique: std::collections::HashSet<_> = settings.recent_setups.iter().collect();
    assert_eq!(unique.len(), MAX_RECENT_SETUPS);
}
