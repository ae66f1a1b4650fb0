//! Which identity provider of a metadata document GoTo is to trust: the one rule the wizard's
//! metadata and certificate steps, `cert export` and `diagnose --idp-metadata` share. Only an
//! identity provider with at least one signing certificate counts (GoTo needs the certificate);
//! one asked for by entity ID must be such a provider; without a wish, the document must hold
//! exactly one, since taking "the first" of an aggregate would trust a stranger's certificate.

use super::{Entity, Metadata};

/// Why no identity provider could be chosen; each says what the document holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProviderError {
    /// No identity provider with a signing certificate has the entity ID asked for.
    #[error(
        "no identity provider with a signing certificate has the entityID {wanted}; {}",
        listing(choices)
    )]
    NotFound {
        /// The entity ID asked for.
        wanted: String,
        /// The entity IDs that could be chosen.
        choices: Vec<String>,
    },
    /// The document has no identity provider with a signing certificate.
    #[error("the document has no identity provider with a signing certificate{}", without_certificates(*identity_providers))]
    NoSigningProvider {
        /// Identity providers without a signing certificate in the document.
        identity_providers: usize,
    },
    /// Several identity providers could be meant.
    #[error("the document has {} identity providers with signing certificates: choose one ({})", choices.len(), choices.join(", "))]
    Ambiguous {
        /// The entity IDs to choose from.
        choices: Vec<String>,
    },
}

impl ProviderError {
    /// The name scripts see (`--json` `error.kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            ProviderError::NotFound { .. } => "no_such_entity",
            ProviderError::NoSigningProvider { .. } => "no_certificate",
            ProviderError::Ambiguous { .. } => "ambiguous_entity",
        }
    }
}

fn listing(choices: &[String]) -> String {
    if choices.is_empty() {
        "the document has none".to_owned()
    } else {
        format!("the document has: {}", choices.join(", "))
    }
}

fn without_certificates(identity_providers: usize) -> String {
    match identity_providers {
        0 => " (no identity provider at all: is it the service provider's metadata?)".to_owned(),
        n => format!(" ({n} identity provider(s) without one)"),
    }
}

impl Metadata {
    /// The identity providers with at least one signing certificate, in document order.
    pub fn signing_providers(&self) -> impl Iterator<Item = &Entity> {
        self.identity_providers().filter(|entity| {
            entity
                .idp
                .as_ref()
                .is_some_and(|idp| !idp.signing_certificates.is_empty())
        })
    }

    /// The identity provider GoTo is to trust: `wanted` when given, otherwise the only one.
    pub fn signing_provider(&self, wanted: Option<&str>) -> Result<&Entity, ProviderError> {
        let choices = || {
            self.signing_providers()
                .map(|entity| entity.entity_id.clone())
                .collect::<Vec<_>>()
        };
        if let Some(wanted) = wanted {
            return self
                .signing_providers()
                .find(|entity| entity.entity_id == wanted.trim())
                .ok_or_else(|| ProviderError::NotFound {
                    wanted: wanted.trim().to_owned(),
                    choices: choices(),
                });
        }
        let mut providers = self.signing_providers();
        match (providers.next(), providers.next()) {
            (Some(only), None) => Ok(only),
            (None, _) => Err(ProviderError::NoSigningProvider {
                identity_providers: self.identity_providers().count(),
            }),
            (Some(_), Some(_)) => Err(ProviderError::Ambiguous { choices: choices() }),
        }
    }
}
