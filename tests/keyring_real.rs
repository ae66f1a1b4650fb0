//! Secrets through this machine's real credential store (`Keyring::open_native`).
//!
//! Without a store the tests say why and pass, unless `GOTO_SSO_REQUIRE_REAL_KEYRING=1`
//! (set by CI, which runs them under `scripts/with-test-keyring.sh`): then they fail, and on
//! Linux they also fail when only the kernel keyring answered, since CI is there to exercise
//! the Secret Service.

mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use goto_sso_wizard::secrets::{CredentialRef, Keyring, Secret, StoreKind};

const REQUIRE: &str = "GOTO_SSO_REQUIRE_REAL_KEYRING";

/// The native keyring, or `None` (after saying why) when there is none and none is required.
fn native(keyring: Keyring) -> Option<Keyring> {
    let required = std::env::var(REQUIRE).is_ok_and(|value| value == "1");
    let good_enough = match keyring.kind() {
        StoreKind::MemoryOnly => false,
        StoreKind::KeyUtils => !(required && cfg!(target_os = "linux")),
        _ => true,
    };
    let reason = keyring.unavailable_reason().unwrap_or("no reason given");
    if !good_enough {
        assert!(
            !required,
            "{REQUIRE}=1 but the credential store is {}: {reason}",
            keyring.kind()
        );
        eprintln!(
            "skipped: no real credential store ({reason}); run under \
             scripts/with-test-keyring.sh to test one"
        );
        return None;
    }
    eprintln!("testing {} ({:?})", keyring.kind(), keyring.kind());
    Some(keyring)
}

/// A name no other run (or parallel test) uses, forgotten again even if the test fails.
struct Scratch {
    keyring: Keyring,
    credential: CredentialRef,
}

impl Scratch {
    fn new(keyring: &Keyring, test: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        Self {
            keyring: keyring.clone(),
            credential: CredentialRef::new(format!(
                "keyring-real-test/{test}/{}-{nanos}",
                std::process::id()
            )),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self.keyring.forget(&self.credential);
    }
}

#[test]
fn round_trip_through_the_native_store() {
    let Some(keyring) = native(Keyring::open_native()) else {
        return;
    };
    let scratch = Scratch::new(&keyring, "sync");
    let credential = &scratch.credential;
    let first = Secret::from("first-value-0b7d2c");
    // Long and not ASCII, as tokens and passwords can be.
    let second = Secret::new(format!("zweiter Wert ✓ {}", "x".repeat(2000)));

    assert_eq!(keyring.load(credential).unwrap(), None);
    keyring.save(credential, &first).unwrap();
    assert_eq!(keyring.load(credential).unwrap(), Some(first));
    keyring.save(credential, &second).unwrap();
    assert_eq!(keyring.load(credential).unwrap(), Some(second.clone()));

    // A fresh connection, as the next run of the program would make, finds it too.
    let reopened = Keyring::open_native();
    assert_eq!(reopened.kind(), keyring.kind());
    assert_eq!(reopened.load(credential).unwrap(), Some(second));

    assert!(keyring.forget(credential).unwrap());
    assert!(!keyring.forget(credential).unwrap());
    assert_eq!(keyring.load(credential).unwrap(), None);
}

#[test]
fn visible_to_other_secret_service_clients() {
    let Some(keyring) = native(Keyring::open_native()) else {
        return;
    };
    if keyring.kind() != StoreKind::SecretService {
        return;
    }
    let scratch = Scratch::new(&keyring, "secret-tool");
    keyring
        .save(&scratch.credential, &Secret::from("seen-by-libsecret-5e21"))
        .unwrap();
    // libsecret reads the same item: the secret is in the keyring daemon, not in this process.
    let lookup = match std::process::Command::new("secret-tool")
        .args(["lookup", "service", &scratch.credential.service])
        .args(["username", &scratch.credential.account])
        .output()
    {
        Ok(lookup) => lookup,
        Err(error) => {
            common::cannot_run(
                REQUIRE,
                &format!("secret-tool (Debian package libsecret-tools) could not run ({error})"),
            );
            return;
        }
    };
    assert!(lookup.status.success(), "{lookup:?}");
    assert_eq!(lookup.stdout, b"seen-by-libsecret-5e21");
}

#[test]
fn async_calls_and_blocking_calls_from_async_code() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let Some(keyring) = native(Keyring::open_native_async().await) else {
            return;
        };
        let scratch = Scratch::new(&keyring, "async");
        let credential = &scratch.credential;
        let secret = Secret::from("async-value-91aa3f");

        assert_eq!(keyring.load_async(credential).await.unwrap(), None);
        keyring.save_async(credential, &secret).await.unwrap();
        assert_eq!(
            keyring.load_async(credential).await.unwrap(),
            Some(secret.clone())
        );
        // The blocking API called on a runtime thread must not panic (the Secret Service
        // store runs its own `block_on`).
        assert_eq!(keyring.load(credential).unwrap(), Some(secret));
        assert!(keyring.forget_async(credential).await.unwrap());
        assert!(!keyring.forget_async(credential).await.unwrap());
    });
}

/// The saved provisioning credentials (the one way the window and the CLI keep them) through
/// the real store: an entry under an earlier window name is moved to the one name and removed,
/// other Secret Service clients see the move, and forgetting leaves nothing behind.
#[test]
fn saved_provisioning_credentials_move_from_an_earlier_name_and_are_forgotten() {
    use goto_sso_wizard::provisioning::saved::SavedStore;
    use goto_sso_wizard::settings::{ProvisioningMethod, ProvisioningSettings, SettingsStore};

    let Some(keyring) = native(Keyring::open_native()) else {
        return;
    };
    let config = tempfile::tempdir().unwrap();
    let store = SavedStore::new(SettingsStore::at(config.path()), keyring.clone());
    let one = Scratch {
        keyring: keyring.clone(),
        credential: store.reference(),
    };
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let earlier = Scratch {
        keyring: keyring.clone(),
        credential: CredentialRef::new(format!(
            "provisioning/client-secret/keyring-real-{}-{nanos}",
            std::process::id()
        )),
    };
    keyring
        .save(&earlier.credential, &Secret::from("moved-secret-3c9e"))
        .unwrap();
    let setup = ProvisioningSettings {
        method: Some(ProvisioningMethod::ClientCredentials),
        scim_base_url: Some("https://scim.example.com/v2".into()),
        token_url: Some("https://auth.example.com/token".into()),
        client_id: Some("keyring-real".into()),
        credential: Some(earlier.credential.clone()),
        ..ProvisioningSettings::default()
    };

    let loaded = store
        .load(Some(&setup))
        .expect("found under the earlier name");
    assert_eq!(loaded.secret.expose(), "moved-secret-3c9e");
    assert_eq!(loaded.moved_from.as_ref(), Some(&earlier.credential));
    // A fresh connection, as the next run (or the CLI) makes, sees the move.
    let reopened = Keyring::open_native();
    assert_eq!(reopened.load(&earlier.credential).unwrap(), None);
    assert_eq!(
        reopened.load(&one.credential).unwrap(),
        Some(Secret::from("moved-secret-3c9e"))
    );
    if keyring.kind() == StoreKind::SecretService {
        let lookup = |account: &str| {
            std::process::Command::new("secret-tool")
                .args(["lookup", "service", &one.credential.service])
                .args(["username", account])
                .output()
                .expect("secret-tool (libsecret-tools) runs")
        };
        assert_eq!(lookup(&one.credential.account).stdout, b"moved-secret-3c9e");
        assert!(lookup(&earlier.credential.account).stdout.is_empty());
    }
    let settings = std::fs::read_to_string(store.settings().path()).unwrap();
    assert!(!settings.contains("moved-secret-3c9e"), "{settings}");

    let forgotten = store.forget(Some(&setup)).unwrap();
    assert!(forgotten.deleted);
    assert_eq!(reopened.load(&one.credential).unwrap(), None);
    assert!(store.load(None).is_err());
}
