use std::path::Path;
use std::process::Command;

use super::*;

const VALUE: &str = "unit-test-secret-4f1c9a7e";

fn reference(account: &str) -> CredentialRef {
    CredentialRef::new(format!("unit-test/{account}"))
}

/// The mock credential behind `credential`, to make its next call fail.
fn mock_cred(keyring: &Keyring, credential: &CredentialRef) -> Entry {
    let Access::Here(vault) = &keyring.access else {
        panic!("not a keyring used from the calling thread");
    };
    let Vault::Store(store) = vault.as_ref() else {
        panic!("not a store-backed keyring");
    };
    // The mock store hands out the same credential for the same names.
    Entry::new_in_store(store, &credential.service, &credential.account).unwrap()
}

fn fail_next_call(keyring: &Keyring, credential: &CredentialRef, error: keyring_core::Error) {
    let entry = mock_cred(keyring, credential);
    let mock: &keyring_core::mock::Cred = entry.as_any().downcast_ref().unwrap();
    mock.set_error(error);
}

fn platform_error(message: &str) -> keyring_core::error::PlatformError {
    message.to_owned().into()
}

#[test]
fn mock_round_trip_and_replace() {
    let keyring = Keyring::mock();
    assert_eq!(keyring.kind(), StoreKind::Mock);
    assert_eq!(keyring.unavailable_reason(), None);
    let credential = reference("round-trip");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
    keyring.save(&credential, &Secret::from("second")).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap().unwrap().expose(),
        "second"
    );
}

#[test]
fn mock_absent_is_none() {
    let keyring = Keyring::mock();
    assert_eq!(keyring.load(&reference("never-saved")).unwrap(), None);
}

#[test]
fn mock_stores_are_private_to_each_keyring() {
    let (first, second) = (Keyring::mock(), Keyring::mock());
    let credential = reference("private");
    first.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(second.load(&credential).unwrap(), None);
    // Clones share the store.
    assert!(first.clone().load(&credential).unwrap().is_some());
}

#[test]
fn mock_forget_twice() {
    let keyring = Keyring::mock();
    let credential = reference("forget");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert!(keyring.forget(&credential).unwrap());
    assert!(!keyring.forget(&credential).unwrap());
    assert_eq!(keyring.load(&credential).unwrap(), None);
}

#[test]
fn credentials_are_told_apart_by_service_and_account() {
    let keyring = Keyring::mock();
    let ours = reference("same");
    let other_service = CredentialRef {
        service: "another-program".into(),
        account: ours.account.clone(),
    };
    keyring.save(&ours, &Secret::from("ours")).unwrap();
    keyring
        .save(&other_service, &Secret::from("theirs"))
        .unwrap();
    assert_eq!(keyring.load(&ours).unwrap().unwrap().expose(), "ours");
    assert!(keyring.forget(&other_service).unwrap());
    assert!(keyring.load(&ours).unwrap().is_some());
}

#[test]
fn empty_secret_is_refused() {
    for keyring in [Keyring::mock(), Keyring::memory_only()] {
        let credential = reference("empty");
        assert_eq!(
            keyring.save(&credential, &Secret::from("")),
            Err(SecretError::Empty)
        );
        assert_eq!(keyring.load(&credential).unwrap(), None);
    }
}

#[test]
fn store_errors_are_translated_without_the_secret() {
    let keyring = Keyring::mock();
    let credential = reference("errors");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();

    fail_next_call(
        &keyring,
        &credential,
        keyring_core::Error::NoStorageAccess(platform_error("access denied")),
    );
    let error = keyring.load(&credential).unwrap_err();
    assert!(matches!(error, SecretError::NoAccess { .. }), "{error:?}");
    assert!(error.to_string().contains("access denied"), "{error}");

    fail_next_call(
        &keyring,
        &credential,
        keyring_core::Error::PlatformFailure(platform_error("the daemon went away")),
    );
    let error = keyring.save(&credential, &Secret::from(VALUE)).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("the test keyring failed: the daemon went away"),
        "{error}"
    );

    fail_next_call(
        &keyring,
        &credential,
        keyring_core::Error::BadEncoding(VALUE.as_bytes().to_vec()),
    );
    let error = keyring.load(&credential).unwrap_err();
    assert_eq!(
        error,
        SecretError::Unreadable {
            store: StoreKind::Mock,
            credential: "goto-sso-wizard/unit-test/errors".into(),
        }
    );

    // keyring-core's own Display of Ambiguous prints the matching entries (the mock's with
    // their secret bytes): ours gives a count.
    fail_next_call(
        &keyring,
        &credential,
        keyring_core::Error::Ambiguous(vec![mock_cred(&keyring, &credential)]),
    );
    let error = keyring.load(&credential).unwrap_err();
    assert!(matches!(error, SecretError::Ambiguous { count: 1, .. }));

    for error in [
        error,
        SecretError::from_store(
            StoreKind::SecretService,
            &credential,
            keyring_core::Error::NoStorageAccess(platform_error("SS Error: object locked")),
        ),
        SecretError::from_store(
            StoreKind::KeyUtils,
            &credential,
            keyring_core::Error::BadDataFormat(VALUE.into(), platform_error("bad")),
        ),
        SecretError::from_store(
            StoreKind::WindowsCredentialManager,
            &credential,
            keyring_core::Error::TooLong("password".into(), 2560),
        ),
    ] {
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains(VALUE), "{shown}");
    }

    // The failures did not change the stored value.
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
}

#[test]
fn a_locked_secret_service_says_to_unlock() {
    let error = SecretError::from_store(
        StoreKind::SecretService,
        &reference("locked"),
        keyring_core::Error::NoStorageAccess(platform_error("SS Error: object locked")),
    );
    assert!(matches!(error, SecretError::Locked { .. }));
    let message = error.to_string();
    assert!(message.contains("unlock your keyring"), "{message}");
    assert!(message.contains("SS Error: object locked"), "{message}");
}

#[test]
fn forget_removes_every_duplicate() {
    let keyring = Keyring::mock();
    let credential = reference("duplicates");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    fail_next_call(
        &keyring,
        &credential,
        keyring_core::Error::Ambiguous(vec![mock_cred(&keyring, &credential)]),
    );
    assert!(keyring.forget(&credential).unwrap());
    assert_eq!(keyring.load(&credential).unwrap(), None);
}

#[test]
fn memory_only_round_trip() {
    let keyring = Keyring::memory_only();
    assert_eq!(keyring.kind(), StoreKind::MemoryOnly);
    assert!(!keyring.kind().keeps_secrets_after_exit());
    let credential = reference("memory");
    assert_eq!(keyring.load(&credential).unwrap(), None);
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
    assert!(!format!("{keyring:?}").contains(VALUE));
    assert!(keyring.forget(&credential).unwrap());
    assert!(!keyring.forget(&credential).unwrap());
    assert_eq!(keyring.load(&credential).unwrap(), None);
}

#[tokio::test]
async fn async_calls_round_trip() {
    for keyring in [Keyring::mock(), Keyring::memory_only()] {
        let credential = reference("async");
        let secret = Secret::from(VALUE);
        // The futures own their inputs, so they outlive the borrowed arguments.
        let save = keyring.save_async(&credential, &secret);
        drop(secret);
        save.await.unwrap();
        assert_eq!(
            keyring.load_async(&credential).await.unwrap(),
            Some(Secret::from(VALUE))
        );
        assert!(keyring.forget_async(&credential).await.unwrap());
        assert!(!keyring.forget_async(&credential).await.unwrap());
        assert_eq!(keyring.load_async(&credential).await.unwrap(), None);
    }
}

fn open_mock() -> (StoreKind, Vault, Option<String>) {
    let store = keyring_core::mock::Store::new().unwrap();
    (StoreKind::Mock, Vault::Store(store), Some("a test".into()))
}

#[test]
fn a_store_on_its_own_thread_round_trips() {
    let keyring = Keyring::open_on_own_thread(open_mock);
    assert!(matches!(keyring.access, Access::OwnThread(_)));
    assert_eq!(keyring.kind(), StoreKind::Mock);
    assert_eq!(keyring.unavailable_reason(), Some("a test"));
    let credential = reference("own-thread");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    // Clones, on other threads, reach the same store.
    let clone = keyring.clone();
    let found = std::thread::spawn(move || clone.load(&reference("own-thread")))
        .join()
        .unwrap();
    assert_eq!(found.unwrap(), Some(Secret::from(VALUE)));
    assert!(keyring.forget(&credential).unwrap());
    assert!(!keyring.forget(&credential).unwrap());
}

#[test]
fn async_calls_on_its_own_thread_and_blocking_calls_inside_a_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    runtime.block_on(async {
        let keyring = Keyring::open_on_own_thread_async(open_mock).await;
        assert_eq!(keyring.kind(), StoreKind::Mock);
        let credential = reference("own-thread-async");
        keyring
            .save_async(&credential, &Secret::from(VALUE))
            .await
            .unwrap();
        // The blocking call on a runtime thread waits for the store's thread; it must not panic.
        assert_eq!(
            keyring.load(&credential).unwrap(),
            Some(Secret::from(VALUE))
        );
        assert!(keyring.forget_async(&credential).await.unwrap());
        assert_eq!(keyring.load_async(&credential).await.unwrap(), None);
    });
}

#[test]
fn a_panic_on_the_store_thread_fails_only_that_call() {
    let keyring = Keyring::open_on_own_thread(open_mock);
    let failed: Result<(), _> = keyring.call(|_, _| panic!("a store bug"));
    assert_eq!(failed, Err(SecretError::Interrupted));
    let credential = reference("after-panic");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
}

#[test]
fn a_store_that_opens_as_memory_only_keeps_its_reason() {
    fn unavailable() -> (StoreKind, Vault, Option<String>) {
        fallback("no store here: keep the secret for this run only".into())
    }
    let keyring = Keyring::open_on_own_thread(unavailable);
    assert_eq!(keyring.kind(), StoreKind::MemoryOnly);
    assert!(
        keyring
            .unavailable_reason()
            .unwrap()
            .contains("for this run only")
    );
    let credential = reference("fallback-memory");
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
}

#[test]
fn store_kinds_describe_themselves() {
    for kind in [
        StoreKind::SecretService,
        StoreKind::KeyUtils,
        StoreKind::WindowsCredentialManager,
        StoreKind::MacKeychain,
        StoreKind::Mock,
        StoreKind::MemoryOnly,
    ] {
        assert!(!kind.describe().is_empty());
        assert_eq!(kind.to_string(), kind.describe());
        assert!(!kind.failure_hint().is_empty());
    }
    assert!(StoreKind::SecretService.keeps_secrets_after_exit());
}

/// Set in the environment of a child test run by [`run_child`].
const CHILD: &str = "GOTO_SSO_KEYRING_TEST_CHILD";

/// Runs one test of this binary as a child process whose home, XDG and temporary folders and
/// working directory are `home`, with `extra` in its environment; passes or fails with it.
fn run_child(test: &str, home: &Path, extra: &[(&str, &str)]) -> String {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .current_dir(home)
        .env(CHILD, test);
    for variable in [
        "HOME",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "XDG_CACHE_HOME",
        "XDG_STATE_HOME",
        "XDG_RUNTIME_DIR",
        "TMPDIR",
        "GOTO_SSO_CONFIG_DIR",
    ] {
        command.env(variable, home);
    }
    command.envs(extra.iter().copied());
    let output = command.output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{test} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{test} did not run:\n{stdout}");
    stdout
}

fn is_child(test: &str) -> bool {
    std::env::var(CHILD).is_ok_and(|name| name.ends_with(test))
}

#[test]
fn memory_only_writes_nothing_to_disk() {
    let home = tempfile::tempdir().unwrap();
    run_child(
        "secrets::keyring::tests::memory_only_child",
        home.path(),
        &[],
    );
    let left: Vec<_> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert!(left.is_empty(), "files written: {left:?}");
}

/// The child of [`memory_only_writes_nothing_to_disk`]; does nothing in a normal run.
#[test]
fn memory_only_child() {
    if !is_child("memory_only_child") {
        return;
    }
    let keyring = Keyring::memory_only();
    for round in 0..20 {
        let credential = reference(&format!("child-{round}"));
        keyring.save(&credential, &Secret::from(VALUE)).unwrap();
        assert_eq!(
            keyring.load(&credential).unwrap(),
            Some(Secret::from(VALUE))
        );
    }
    assert!(keyring.forget(&reference("child-0")).unwrap());
}

#[cfg(target_os = "linux")]
#[test]
fn without_a_session_bus_open_native_falls_back_and_says_why() {
    let home = tempfile::tempdir().unwrap();
    let stdout = run_child(
        "secrets::keyring::tests::fallback_child",
        home.path(),
        &[("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")],
    );
    assert!(stdout.contains("fell back to"), "{stdout}");
}

/// The child of [`without_a_session_bus_open_native_falls_back_and_says_why`].
#[cfg(target_os = "linux")]
#[test]
fn fallback_child() {
    if !is_child("fallback_child") {
        return;
    }
    let keyring = Keyring::open_native();
    assert_ne!(keyring.kind(), StoreKind::SecretService);
    let reason = keyring.unavailable_reason().expect("a reason");
    assert!(
        reason.contains("no Secret Service on the session bus"),
        "{reason}"
    );
    assert!(reason.contains("gnome-keyring"), "{reason}");
    println!("fell back to {:?}: {reason}", keyring.kind());
    let credential = reference(&format!("fallback-{}", std::process::id()));
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
    assert!(keyring.forget(&credential).unwrap());
}

#[cfg(target_os = "linux")]
#[test]
fn kernel_keyring_round_trip_when_usable() {
    let vault = match platform::open_keyutils() {
        Ok(vault) => vault,
        Err(why) => {
            // CI (GOTO_SSO_REQUIRE_REAL_KEYRING=1) must exercise the fallback store, not skip it.
            assert!(
                std::env::var("GOTO_SSO_REQUIRE_REAL_KEYRING").as_deref() != Ok("1"),
                "GOTO_SSO_REQUIRE_REAL_KEYRING=1 but the kernel keyring is not usable ({why})"
            );
            eprintln!("skipped: the kernel keyring is not usable here ({why})");
            return;
        }
    };
    // Used from this one thread, as the store's own thread would.
    let keyring = Keyring {
        kind: StoreKind::KeyUtils,
        access: Access::Here(Arc::new(vault)),
        unavailable_reason: None,
    };
    let credential = reference(&format!("keyutils-{}", std::process::id()));
    assert_eq!(keyring.load(&credential).unwrap(), None);
    keyring.save(&credential, &Secret::from(VALUE)).unwrap();
    assert_eq!(
        keyring.load(&credential).unwrap(),
        Some(Secret::from(VALUE))
    );
    assert!(keyring.forget(&credential).unwrap());
    assert!(!keyring.forget(&credential).unwrap());
}
