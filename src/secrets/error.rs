//! Why a secret could not be saved, loaded or forgotten, and what to do about it. No variant
//! carries a secret: only store names, credential names and the operating system's message.

use super::StoreKind;

/// A failed keyring operation. `Clone` so a GUI can keep it in its state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The store is locked, or the user dismissed its unlock prompt.
    #[error(
        "{store} is locked, or its unlock prompt was dismissed: unlock your keyring (open your \
         password manager, or sign out and in again) and try again (the system said: {detail})"
    )]
    Locked {
        /// The store that refused.
        store: StoreKind,
        /// The operating system's message.
        detail: String,
    },
    /// The store is reachable but will not let this program use the credential.
    #[error(
        "{store} refused access to the credential: allow goto-sso-wizard to use it (check the \
         store's permissions, and answer \"allow\" if it asks), then try again (the system said: \
         {detail})"
    )]
    NoAccess {
        /// The store that refused.
        store: StoreKind,
        /// The operating system's message.
        detail: String,
    },
    /// The store failed for another reason.
    #[error("{store} failed: {detail}. {hint}", hint = store.failure_hint())]
    Platform {
        /// The store that failed.
        store: StoreKind,
        /// The operating system's message.
        detail: String,
    },
    /// Something is stored under the name, but it is not text this program wrote.
    #[error(
        "the credential {credential} in {store} cannot be read as text: forget it and enter the \
         secret again"
    )]
    Unreadable {
        /// The store holding it.
        store: StoreKind,
        /// The credential's name (service/account), never its value.
        credential: String,
    },
    /// More than one stored item answers to the name.
    #[error(
        "{count} items in {store} answer to {credential}: forget the credential and enter it \
         again, or delete the extra items with the keyring's own manager"
    )]
    Ambiguous {
        /// The store holding them.
        store: StoreKind,
        /// The credential's name (service/account).
        credential: String,
        /// How many items matched.
        count: usize,
    },
    /// The store does not accept the credential's name.
    #[error("{store} does not accept the credential name {credential}: {detail}")]
    InvalidName {
        /// The store that refused.
        store: StoreKind,
        /// The credential's name (service/account).
        credential: String,
        /// Which part was refused and why.
        detail: String,
    },
    /// A name or the secret is longer than the store allows.
    #[error("the {what} is longer than {store} allows (at most {limit} characters)")]
    TooLong {
        /// The store that refused.
        store: StoreKind,
        /// What was too long (`password` means the secret).
        what: String,
        /// The store's limit.
        limit: u32,
    },
    /// An empty secret: some stores refuse them, and an empty secret is never a real credential.
    #[error("nothing to save: the secret is empty")]
    Empty,
    /// The call stopped before finishing: the store's thread failed, or is gone.
    #[error(
        "the credential store stopped before it finished (an internal failure, or the program \
         is shutting down): try again"
    )]
    Interrupted,
}

impl SecretError {
    /// Translates a keyring-core error. Raw stored bytes that some variants carry are wiped and
    /// dropped, and keyring-core's own `Display` is never used: for `Ambiguous` it prints the
    /// matching entries, which for some stores include their secrets.
    pub(super) fn from_store(
        store: StoreKind,
        credential: &super::CredentialRef,
        error: keyring_core::Error,
    ) -> Self {
        use keyring_core::Error as E;
        use zeroize::Zeroize;
        let credential = credential.to_string();
        match error {
            E::NoStorageAccess(inner) => {
                let detail = inner.to_string();
                // The Secret Service and the macOS keychain report a locked store (or a dismissed
                // unlock prompt) this way; elsewhere it means a permission was refused.
                match store {
                    StoreKind::SecretService | StoreKind::MacKeychain => {
                        Self::Locked { store, detail }
                    }
                    _ => Self::NoAccess { store, detail },
                }
            }
            E::PlatformFailure(inner) => Self::Platform {
                store,
                detail: inner.to_string(),
            },
            E::BadEncoding(mut bytes) => {
                bytes.zeroize();
                Self::Unreadable { store, credential }
            }
            E::BadDataFormat(mut bytes, _) => {
                bytes.zeroize();
                Self::Unreadable { store, credential }
            }
            E::BadStoreFormat(reason) => Self::Platform {
                store,
                detail: format!("its data is damaged ({reason})"),
            },
            E::TooLong(what, limit) => Self::TooLong { store, what, limit },
            E::Invalid(what, reason) => Self::InvalidName {
                store,
                credential,
                detail: format!("the {what} is invalid: {reason}"),
            },
            E::Ambiguous(entries) => Self::Ambiguous {
                store,
                credential,
                count: entries.len(),
            },
            E::NotSupportedByStore(what) => Self::Platform {
                store,
                detail: format!("the operation is not supported ({what})"),
            },
            E::NoEntry => Self::Platform {
                store,
                detail: "the credential disappeared while it was being used".to_owned(),
            },
            // NoDefaultStore cannot happen (entries are always built in a given store), and
            // variants added later are not known to be free of secrets, so none of their text.
            _ => Self::Platform {
                store,
                detail: "an unexpected error".to_owned(),
            },
        }
    }
}
