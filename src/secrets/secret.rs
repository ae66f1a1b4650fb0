//! The [`Secret`] wrapper and the [`CredentialRef`] that settings store in its place.

use std::fmt;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// What `Debug` and `Display` print instead of a secret's value.
const REDACTED: &str = "«redacted»";

/// A secret value (client secret, token, password).
///
/// `Debug` and `Display` print `«redacted»`, the memory is wiped when the value is dropped, and
/// there is deliberately no `Serialize`: the only ways out are [`Secret::expose`] and the
/// keyring.
#[derive(Clone, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a value. The `String` is moved, not copied, so no unwiped copy is left behind.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// The value itself, for the one place that must send it (an HTTP header, the keyring).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl PartialEq for Secret {
    /// Compares every byte whatever the first difference, so the time taken says little about
    /// where two values differ (the length still shows).
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (self.0.as_bytes(), other.0.as_bytes());
        if a.len() != b.len() {
            return false;
        }
        let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
        std::hint::black_box(difference) == 0
    }
}

impl Eq for Secret {}

/// The service name under which this program keeps its credentials.
pub const DEFAULT_SERVICE: &str = "goto-sso-wizard";

fn default_service() -> String {
    DEFAULT_SERVICE.to_owned()
}

/// Names a secret in the credential store: what settings files keep instead of the secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CredentialRef {
    /// The keyring service (the program's name, [`DEFAULT_SERVICE`]).
    #[serde(default = "default_service")]
    pub service: String,
    /// The account within the service, e.g. `provisioning/client-secret/<client id>`.
    pub account: String,
}

impl CredentialRef {
    /// A reference under this program's service name.
    pub fn new(account: impl Into<String>) -> Self {
        Self {
            service: default_service(),
            account: account.into(),
        }
    }
}

impl fmt::Display for CredentialRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.service, self.account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUE: &str = "s3cr3t-value-that-must-not-leak";

    #[test]
    fn debug_and_display_never_show_the_value() {
        let secret = Secret::from(VALUE);
        for shown in [
            format!("{secret:?}"),
            format!("{secret}"),
            format!("{secret:#?}"),
            format!("{secret:>40}"),
            format!("{:?}", Some(secret.clone())),
            format!("{:?}", vec![secret.clone()]),
        ] {
            assert!(!shown.contains(VALUE), "{shown}");
            assert!(shown.contains("«redacted»"), "{shown}");
        }
        assert_eq!(secret.expose(), VALUE);
    }

    #[test]
    fn redacted_inside_a_derived_debug() {
        #[derive(Debug)]
        #[allow(dead_code)] // Only read through Debug.
        struct Form {
            client_id: String,
            client_secret: Secret,
        }
        let form = Form {
            client_id: "id".into(),
            client_secret: VALUE.into(),
        };
        let shown = format!("{form:?}");
        assert!(!shown.contains(VALUE), "{shown}");
        assert!(shown.contains("client_secret: «redacted»"), "{shown}");
    }

    #[test]
    fn equality_compares_values() {
        assert_eq!(Secret::from("abc"), Secret::from(String::from("abc")));
        assert_ne!(Secret::from("abc"), Secret::from("abd"));
        assert_ne!(Secret::from("abc"), Secret::from("abcd"));
        assert_ne!(Secret::from(""), Secret::from("a"));
        assert_eq!(Secret::default(), Secret::from(""));
        assert!(Secret::default().is_empty());
        let original = Secret::new(VALUE.to_owned());
        assert_eq!(original.clone(), original);
    }

    #[test]
    fn credential_ref_serializes_names_only() {
        let reference = CredentialRef::new("provisioning/token");
        assert_eq!(reference.service, "goto-sso-wizard");
        assert_eq!(reference.to_string(), "goto-sso-wizard/provisioning/token");
        let json = serde_json::to_string(&reference).unwrap();
        assert_eq!(
            json,
            r#"{"service":"goto-sso-wizard","account":"provisioning/token"}"#
        );
        let back: CredentialRef = serde_json::from_str(r#"{"account":"provisioning/token"}"#)
            .expect("the service defaults");
        assert_eq!(back, reference);
    }
}
