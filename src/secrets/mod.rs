//! Secrets (client secrets, tokens, passwords) kept only in the OS credential store, with a
//! wrapper type that never prints its value; settings hold a [`CredentialRef`] instead.

mod error;
mod keyring;
mod secret;

pub use error::SecretError;
pub use keyring::{Keyring, StoreKind};
pub use secret::{CredentialRef, DEFAULT_SERVICE, Secret};
