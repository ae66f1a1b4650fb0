//! Reads SAML 2.0 metadata (one `EntityDescriptor` or an `EntitiesDescriptor` aggregate)
//! into what the wizard needs: entity IDs, sign-in and sign-out endpoints, reply URLs and
//! the signing certificates, with warnings a person can act on.
//!
//! The input is untrusted: see [`crate::xml`] for the limits that apply before parsing.

mod advice;
mod classify;
mod error;
mod provider;
mod reader;

use time::OffsetDateTime;

use crate::certificate::Certificate;
use crate::xml::Position;

pub use advice::certificate_advice;
pub use classify::EntityKind;
pub use error::MetadataError;
pub use provider::ProviderError;

/// How to read a document.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Refuse documents larger than this many bytes.
    pub max_bytes: usize,
    /// The time `validUntil` is compared with.
    pub now: OffsetDateTime,
    /// Where the document came from, when known (a URL with `appid=` tells an
    /// application-specific Entra document from the tenant one).
    pub source: Option<String>,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            max_bytes: crate::xml::DEFAULT_MAX_XML_BYTES,
            now: OffsetDateTime::now_utc(),
            source: None,
        }
    }
}

/// A parsed metadata document.
#[derive(Debug, Clone)]
pub struct Metadata {
    /// `EntityDescriptor` or `EntitiesDescriptor`.
    pub root: RootElement,
    /// The aggregate's `Name`, when it has one.
    pub name: Option<String>,
    /// Whether the root element carries a `ds:Signature` (present, not verified).
    pub signed: bool,
    /// Every entity, in document order.
    pub entities: Vec<Entity>,
    /// Things the admin should know that do not stop the document from being used.
    pub warnings: Vec<String>,
}

/// The root element of a metadata document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RootElement {
    /// A single entity.
    EntityDescriptor,
    /// An aggregate of entities (possibly nested).
    EntitiesDescriptor,
}

/// One `EntityDescriptor`.
#[derive(Debug, Clone)]
pub struct Entity {
    /// The `entityID` (for Entra: `https://sts.windows.net/<tenant>/`).
    pub entity_id: String,
    /// Who publishes it, as far as the document tells.
    pub kind: EntityKind,
    /// Why [`Entity::kind`] was chosen, for a person.
    pub kind_reason: String,
    /// Whether this entity or an enclosing aggregate carries a `ds:Signature` (not verified).
    pub signed: bool,
    /// The earliest `validUntil` that applies to this entity.
    pub valid_until: Option<OffsetDateTime>,
    /// The identity-provider role (`IDPSSODescriptor` or a WS-Federation security token service).
    pub idp: Option<IdpRole>,
    /// The service-provider role (`SPSSODescriptor`).
    pub sp: Option<SpRole>,
    /// Where the `EntityDescriptor` starts.
    pub position: Position,
}

/// What an identity provider publishes.
#[derive(Debug, Clone, Default)]
pub struct IdpRole {
    /// `SingleSignOnService` endpoints (GoTo's "Sign-in page URL").
    pub sso: Vec<Endpoint>,
    /// `SingleLogoutService` endpoints (GoTo's "Sign-out page URL").
    pub slo: Vec<Endpoint>,
    /// Signing certificates, deduplicated, in document order (Entra lists the active one first).
    pub signing_certificates: Vec<SigningCertificate>,
}

/// What a service provider publishes.
#[derive(Debug, Clone, Default)]
pub struct SpRole {
    /// `AssertionConsumerService` endpoints (Entra's "Reply URL").
    pub acs: Vec<IndexedEndpoint>,
}

/// A protocol endpoint.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Endpoint {
    /// The binding URI, e.g. `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`.
    pub binding: String,
    /// The URL.
    pub location: String,
}

/// An indexed endpoint, such as an assertion consumer service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct IndexedEndpoint {
    /// The binding URI.
    pub binding: String,
    /// The URL.
    pub location: String,
    /// The `index` attribute.
    pub index: Option<u32>,
    /// The `isDefault` attribute.
    pub is_default: Option<bool>,
}

/// A signing certificate and where the document lists it.
#[derive(Debug, Clone)]
pub struct SigningCertificate {
    /// The certificate.
    pub certificate: Certificate,
    /// Each place it appears, e.g. `IDPSSODescriptor/KeyDescriptor[use=signing]`.
    pub found_in: Vec<String>,
}

/// Parses a metadata document.
pub fn parse(bytes: &[u8], options: &ParseOptions) -> Result<Metadata, MetadataError> {
    let text = crate::xml::prepare(bytes, options.max_bytes)?;
    reader::read(&text, options)
}

impl Metadata {
    /// The entities that have an identity-provider role.
    pub fn identity_providers(&self) -> impl Iterator<Item = &Entity> {
        self.entities.iter().filter(|entity| entity.idp.is_some())
    }
}
