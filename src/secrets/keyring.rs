//! Opens the operating system's credential store (or, when there is none, a stand-in that
//! keeps secrets in this process only) and saves, loads and forgets secrets in it.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use keyring_core::{CredentialStore, Entry};

use super::{CredentialRef, Secret, SecretError};

/// Which store a [`Keyring`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StoreKind {
    /// The freedesktop Secret Service over D-Bus (GNOME Keyring, KWallet, KeePassXC).
    SecretService,
    /// The Linux kernel's key retention service: no daemon needed, gone at restart.
    KeyUtils,
    /// Windows Credential Manager.
    WindowsCredentialManager,
    /// The macOS login keychain.
    MacKeychain,
    /// keyring-core's in-memory mock store, for tests.
    Mock,
    /// No store: secrets live in this process's memory until it exits, never on disk.
    MemoryOnly,
}

impl StoreKind {
    /// The store's name for people, to use mid-sentence ("… is locked").
    pub fn describe(self) -> &'static str {
        match self {
            StoreKind::SecretService => {
                "the Secret Service keyring (GNOME Keyring, KWallet or KeePassXC)"
            }
            StoreKind::KeyUtils => {
                "the Linux kernel keyring (forgotten when the computer restarts)"
            }
            StoreKind::WindowsCredentialManager => "Windows Credential Manager",
            StoreKind::MacKeychain => "the macOS login keychain",
            StoreKind::Mock => "the test keyring",
            StoreKind::MemoryOnly => "memory only (kept until the program exits, never on disk)",
        }
    }

    /// Whether secrets saved here are still there the next time the program starts.
    pub fn keeps_secrets_after_exit(self) -> bool {
        !matches!(self, StoreKind::Mock | StoreKind::MemoryOnly)
    }

    /// What to check when the store fails for no reason it names.
    pub(super) fn failure_hint(self) -> &'static str {
        match self {
            StoreKind::SecretService => {
                "Check that your keyring service (GNOME Keyring, KWallet or KeePassXC) is running \
                 and unlocked, then try again"
            }
            StoreKind::KeyUtils => {
                "The kernel keyring may be disabled in this session or container; a Secret \
                 Service (GNOME Keyring, KeePassXC) avoids it"
            }
            StoreKind::WindowsCredentialManager => {
                "Check the Windows Credential Manager (Control Panel, Credential Manager), then \
                 try again"
            }
            StoreKind::MacKeychain => {
                "Check the login keychain in Keychain Access (unlocked, not damaged), then try \
                 again"
            }
            StoreKind::Mock | StoreKind::MemoryOnly => "Try again",
        }
    }
}

impl fmt::Display for StoreKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The credential store this program keeps its secrets in.
///
/// Cheap to clone (clones share the store). A native store is used only from a thread of its
/// own, which lives as long as the last clone: the blocking methods wait for that thread, and
/// the `*_async` ones let the caller (a GUI) go on meanwhile.
#[derive(Clone)]
pub struct Keyring {
    kind: StoreKind,
    access: Access,
    unavailable_reason: Option<Arc<str>>,
}

/// How calls reach the vault.
#[derive(Clone)]
enum Access {
    /// From the calling thread: the mock and memory vaults never block.
    Here(Arc<Vault>),
    /// Through the store's own thread. Every call made on that one thread keeps the kernel
    /// keyring consistent (keyutils keys are reachable only from threads that share its
    /// session keyring; from tokio's blocking pool they came and went), and keeps the Secret
    /// Service store's internal `block_on` off any async runtime, where it would panic.
    OwnThread(mpsc::Sender<Job>),
}

/// Work for the store's own thread.
type Job = Box<dyn FnOnce(&Vault) + Send>;

/// Where the secrets are.
enum Vault {
    Store(Arc<CredentialStore>),
    // A Secret is wiped when it is replaced or removed, and when the vault is dropped.
    Memory(Mutex<HashMap<CredentialRef, Secret>>),
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the contents: a memory-only keyring holds the secrets themselves.
        f.debug_struct("Keyring")
            .field("kind", &self.kind)
            .field("unavailable_reason", &self.unavailable_reason)
            .finish_non_exhaustive()
    }
}

impl Keyring {
    /// Opens this operating system's credential store: Windows Credential Manager, the macOS
    /// login keychain, or on Linux the Secret Service, else the kernel keyring.
    ///
    /// Never fails: without a usable store it returns a [`StoreKind::MemoryOnly`] keyring and
    /// [`Keyring::unavailable_reason`] says why. Blocks (on Linux it asks D-Bus for the Secret
    /// Service); a GUI calls [`Keyring::open_native_async`].
    pub fn open_native() -> Keyring {
        Keyring::open_on_own_thread(platform::open)
    }

    /// [`Keyring::open_native`] without blocking the caller: the store is opened on its own
    /// thread. Runs on any async executor.
    pub fn open_native_async() -> impl Future<Output = Keyring> + Send + 'static {
        Keyring::open_on_own_thread_async(platform::open)
    }

    fn open_on_own_thread(open: Opener) -> Keyring {
        let (reply, opened) = mpsc::sync_channel(1);
        let started = start_store_thread(open, move |kind, reason| {
            let _ = reply.send((kind, reason));
        });
        match started {
            Ok(jobs) => match opened.recv() {
                Ok((kind, reason)) => Keyring::on_own_thread(kind, reason, jobs),
                Err(_) => Keyring::open_failed(),
            },
            Err(error) => Keyring::no_thread(&error),
        }
    }

    async fn open_on_own_thread_async(open: Opener) -> Keyring {
        let (reply, opened) = tokio::sync::oneshot::channel();
        let started = start_store_thread(open, move |kind, reason| {
            let _ = reply.send((kind, reason));
        });
        match started {
            Ok(jobs) => match opened.await {
                Ok((kind, reason)) => Keyring::on_own_thread(kind, reason, jobs),
                Err(_) => Keyring::open_failed(),
            },
            Err(error) => Keyring::no_thread(&error),
        }
    }

    /// A fresh keyring-core mock store, private to this value and its clones: for tests, which
    /// run in parallel and so must not share keyring-core's global default store.
    pub fn mock() -> Keyring {
        match keyring_core::mock::Store::new() {
            Ok(store) => Keyring {
                kind: StoreKind::Mock,
                access: Access::Here(Arc::new(Vault::Store(store))),
                unavailable_reason: None,
            },
            Err(_) => Keyring::memory_only(),
        }
    }

    /// A keyring that keeps secrets in this process's memory only, never on disk: for a user
    /// who does not want them stored, and for tests.
    pub fn memory_only() -> Keyring {
        Keyring {
            kind: StoreKind::MemoryOnly,
            access: Access::Here(Arc::new(Vault::Memory(Mutex::default()))),
            unavailable_reason: None,
        }
    }

    fn on_own_thread(kind: StoreKind, reason: Option<String>, jobs: mpsc::Sender<Job>) -> Self {
        Keyring {
            kind,
            access: Access::OwnThread(jobs),
            unavailable_reason: reason.map(Into::into),
        }
    }

    fn memory_only_because(reason: String) -> Keyring {
        Keyring {
            unavailable_reason: Some(reason.into()),
            ..Keyring::memory_only()
        }
    }

    fn open_failed() -> Keyring {
        Keyring::memory_only_because(
            "opening the credential store failed unexpectedly: the secret is kept for this run \
             only; restart the program to try again"
                .to_owned(),
        )
    }

    fn no_thread(error: &std::io::Error) -> Keyring {
        Keyring::memory_only_because(format!(
            "the credential store could not be opened ({error}): the secret is kept for this \
             run only; close other programs and restart this one to try again"
        ))
    }

    /// Which store this is.
    pub fn kind(&self) -> StoreKind {
        self.kind
    }

    /// Why the platform's preferred store is not in use, in words a person can act on: set
    /// when this keyring is a fallback (the Linux kernel keyring, or memory only).
    pub fn unavailable_reason(&self) -> Option<&str> {
        self.unavailable_reason.as_deref()
    }

    /// Saves `secret` under `credential`, replacing any earlier value. Blocks.
    pub fn save(&self, credential: &CredentialRef, secret: &Secret) -> Result<(), SecretError> {
        let (credential, secret) = (credential.clone(), secret.clone());
        self.call(move |vault, kind| vault.save(kind, &credential, &secret))
    }

    /// The secret saved under `credential`, or `None` when there is none. Blocks.
    pub fn load(&self, credential: &CredentialRef) -> Result<Option<Secret>, SecretError> {
        let credential = credential.clone();
        self.call(move |vault, kind| vault.load(kind, &credential))
    }

    /// Deletes the secret saved under `credential`; `true` when there was one. Blocks.
    pub fn forget(&self, credential: &CredentialRef) -> Result<bool, SecretError> {
        let credential = credential.clone();
        self.call(move |vault, kind| vault.forget(kind, &credential))
    }

    /// [`Keyring::save`] without blocking the caller. The future owns copies of its
    /// arguments, so it can be handed to a GUI task as is; it runs on any async executor.
    pub fn save_async(
        &self,
        credential: &CredentialRef,
        secret: &Secret,
    ) -> impl Future<Output = Result<(), SecretError>> + Send + 'static {
        let (credential, secret) = (credential.clone(), secret.clone());
        self.call_async(move |vault, kind| vault.save(kind, &credential, &secret))
    }

    /// [`Keyring::load`] without blocking the caller.
    pub fn load_async(
        &self,
        credential: &CredentialRef,
    ) -> impl Future<Output = Result<Option<Secret>, SecretError>> + Send + 'static {
        let credential = credential.clone();
        self.call_async(move |vault, kind| vault.load(kind, &credential))
    }

    /// [`Keyring::forget`] without blocking the caller.
    pub fn forget_async(
        &self,
        credential: &CredentialRef,
    ) -> impl Future<Output = Result<bool, SecretError>> + Send + 'static {
        let credential = credential.clone();
        self.call_async(move |vault, kind| vault.forget(kind, &credential))
    }

    /// Runs `work` on the vault and waits for it.
    fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Vault, StoreKind) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        let kind = self.kind;
        match &self.access {
            Access::Here(vault) => work(vault, kind),
            Access::OwnThread(jobs) => {
                let (reply, result) = mpsc::sync_channel(1);
                jobs.send(Box::new(move |vault| {
                    let _ = reply.send(work(vault, kind));
                }))
                .map_err(|_| SecretError::Interrupted)?;
                result.recv().unwrap_or(Err(SecretError::Interrupted))
            }
        }
    }

    /// Runs `work` on the vault; the future waits without blocking its executor.
    fn call_async<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Vault, StoreKind) -> Result<T, SecretError> + Send + 'static,
    ) -> impl Future<Output = Result<T, SecretError>> + Send + 'static {
        let (kind, access) = (self.kind, self.access.clone());
        async move {
            match access {
                Access::Here(vault) => work(&vault, kind),
                Access::OwnThread(jobs) => {
                    let (reply, result) = tokio::sync::oneshot::channel();
                    jobs.send(Box::new(move |vault| {
                        let _ = reply.send(work(vault, kind));
                    }))
                    .map_err(|_| SecretError::Interrupted)?;
                    result.await.unwrap_or(Err(SecretError::Interrupted))
                }
            }
        }
    }
}

/// Opens a store: its kind, its vault and, for a fallback, why the preferred store is not used.
type Opener = fn() -> (StoreKind, Vault, Option<String>);

/// Starts the thread that opens a store, reports what it opened through `opened`, then runs
/// jobs until every [`Keyring`] clone holding its sender is gone.
fn start_store_thread(
    open: Opener,
    opened: impl FnOnce(StoreKind, Option<String>) + Send + 'static,
) -> std::io::Result<mpsc::Sender<Job>> {
    let (jobs, queue) = mpsc::channel::<Job>();
    std::thread::Builder::new()
        .name("credential store".to_owned())
        .spawn(move || {
            let (kind, vault, reason) = open();
            opened(kind, reason);
            for job in queue {
                // A panicking store (keyring-core's stores `expect` on poisoned locks) fails
                // that one call, whose caller gets `Interrupted`, not every later one.
                let _ = std::panic::catch_unwind(AssertUnwindSafe(|| job(&vault)));
            }
        })?;
    Ok(jobs)
}

impl Vault {
    fn save(
        &self,
        kind: StoreKind,
        credential: &CredentialRef,
        secret: &Secret,
    ) -> Result<(), SecretError> {
        if secret.is_empty() {
            return Err(SecretError::Empty);
        }
        let store = match self {
            Vault::Memory(secrets) => {
                lock(secrets).insert(credential.clone(), secret.clone());
                return Ok(());
            }
            Vault::Store(store) => store,
        };
        let error = |error| SecretError::from_store(kind, credential, error);
        let entry = entry(store, kind, credential)?;
        match entry.set_password(secret.expose()) {
            Ok(()) => Ok(()),
            // Duplicates (made by hand, or by another program under our name) would hide the
            // new value: replace them all with one.
            Err(keyring_core::Error::Ambiguous(duplicates)) => {
                delete_all(duplicates).map_err(error)?;
                entry.set_password(secret.expose()).map_err(error)
            }
            Err(other) => Err(error(other)),
        }
    }

    fn load(
        &self,
        kind: StoreKind,
        credential: &CredentialRef,
    ) -> Result<Option<Secret>, SecretError> {
        let store = match self {
            Vault::Memory(secrets) => return Ok(lock(secrets).get(credential).cloned()),
            Vault::Store(store) => store,
        };
        match entry(store, kind, credential)?.get_password() {
            // Moved, not copied, into the wrapper that wipes it.
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring_core::Error::NoEntry) => Ok(None),
            Err(error) => Err(SecretError::from_store(kind, credential, error)),
        }
    }

    fn forget(&self, kind: StoreKind, credential: &CredentialRef) -> Result<bool, SecretError> {
        let store = match self {
            Vault::Memory(secrets) => return Ok(lock(secrets).remove(credential).is_some()),
            Vault::Store(store) => store,
        };
        let error = |error| SecretError::from_store(kind, credential, error);
        match entry(store, kind, credential)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring_core::Error::NoEntry) => Ok(false),
            // "Forget" means every copy.
            Err(keyring_core::Error::Ambiguous(duplicates)) => {
                delete_all(duplicates).map_err(error)?;
                Ok(true)
            }
            Err(other) => Err(error(other)),
        }
    }
}

fn entry(
    store: &Arc<CredentialStore>,
    kind: StoreKind,
    credential: &CredentialRef,
) -> Result<Entry, SecretError> {
    // Never keyring-core's global default store: parallel tests would share it.
    Entry::new_in_store(store, &credential.service, &credential.account)
        .map_err(|error| SecretError::from_store(kind, credential, error))
}

fn delete_all(entries: Vec<Entry>) -> keyring_core::Result<()> {
    for entry in entries {
        match entry.delete_credential() {
            Ok(()) | Err(keyring_core::Error::NoEntry) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// Locks the memory vault. A panic while holding the lock cannot leave the map half-changed,
/// so a poisoned lock is still good to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A memory vault standing in for a store that could not be opened, and why.
fn fallback(reason: String) -> (StoreKind, Vault, Option<String>) {
    (
        StoreKind::MemoryOnly,
        Vault::Memory(Mutex::default()),
        Some(reason),
    )
}

/// The OS's message inside a keyring-core error, without keyring-core's own wording (and never
/// its `Display` of `Ambiguous`, which can include secrets).
#[cfg_attr(
    not(any(target_os = "linux", target_os = "windows", target_os = "macos")),
    allow(dead_code)
)]
fn os_message(error: &keyring_core::Error) -> String {
    match error {
        keyring_core::Error::PlatformFailure(inner)
        | keyring_core::Error::NoStorageAccess(inner) => inner.to_string(),
        keyring_core::Error::NotSupportedByStore(what) => what.clone(),
        keyring_core::Error::Invalid(what, reason) => format!("{what}: {reason}"),
        _ => "an unexpected error".to_owned(),
    }
}

// Each platform's `open` is an [`Opener`], run on the store's own thread.

#[cfg(target_os = "linux")]
mod platform {
    use super::*;

    /// The Secret Service when one answers on the session bus, else the kernel keyring when
    /// it works here, else memory only.
    pub(super) fn open() -> (StoreKind, Vault, Option<String>) {
        let secret_service = match zbus_secret_service_keyring_store::Store::new() {
            Ok(store) => return (StoreKind::SecretService, Vault::Store(store), None),
            Err(error) => format!(
                "no Secret Service on the session bus ({})",
                os_message(&error)
            ),
        };
        match open_keyutils() {
            Ok(vault) => (
                StoreKind::KeyUtils,
                vault,
                Some(format!(
                    "{secret_service}: secrets are kept in the Linux kernel keyring, which \
                     forgets them when the computer restarts; install and unlock gnome-keyring \
                     or KeePassXC's Secret Service to keep them"
                )),
            ),
            Err(keyutils) => fallback(format!(
                "{secret_service}, and the Linux kernel keyring is not usable either \
                 ({keyutils}): install and unlock gnome-keyring or KeePassXC's Secret Service, \
                 or keep the secret for this run only"
            )),
        }
    }

    /// The kernel keyring, after checking that a look-up works: building a store succeeds
    /// even where the keyctl calls are refused (seccomp filters in some containers).
    pub(super) fn open_keyutils() -> Result<Vault, String> {
        let store: Arc<CredentialStore> =
            linux_keyutils_keyring_store::Store::new().map_err(|error| os_message(&error))?;
        let probe = CredentialRef::new("probe: is the kernel keyring usable");
        let entry = Entry::new_in_store(&store, &probe.service, &probe.account)
            .map_err(|error| os_message(&error))?;
        match entry.get_password() {
            Ok(_) | Err(keyring_core::Error::NoEntry) => Ok(Vault::Store(store)),
            Err(error) => Err(os_message(&error)),
        }
    }
}

#[cfg(target_os = "windows")]
mod platform {
    use super::*;

    pub(super) fn open() -> (StoreKind, Vault, Option<String>) {
        match windows_native_keyring_store::Store::new() {
            Ok(store) => (
                StoreKind::WindowsCredentialManager,
                Vault::Store(store),
                None,
            ),
            Err(error) => fallback(format!(
                "Windows Credential Manager could not be opened ({}): sign in with your own \
                 user account, or keep the secret for this run only",
                os_message(&error)
            )),
        }
    }
}

#[cfg(target_os = "macos")]
mod platform {
    use super::*;

    pub(super) fn open() -> (StoreKind, Vault, Option<String>) {
        match apple_native_keyring_store::keychain::Store::new() {
            Ok(store) => (StoreKind::MacKeychain, Vault::Store(store), None),
            Err(error) => fallback(format!(
                "the macOS login keychain could not be opened ({}): check it in Keychain \
                 Access, or keep the secret for this run only",
                os_message(&error)
            )),
        }
    }
}

#[cfg(not(any(target_os = "linux", target_os = "windows", target_os = "macos")))]
mod platform {
    use super::*;

    pub(super) fn open() -> (StoreKind, Vault, Option<String>) {
        fallback(
            "goto-sso-wizard knows no credential store on this operating system: the secret \
             is kept for this run only"
                .to_owned(),
        )
    }
}

#[cfg(test)]
mod tests;
