//! The JSON the CLI prints (and reports reuse). These shapes are a promise to scripts:
//! fields may be added, never renamed or removed.

use serde::Serialize;
use time::OffsetDateTime;

use crate::certificate::{Certificate, ExpiryStatus};
use crate::metadata::{Endpoint, Entity, EntityKind, IndexedEndpoint, Metadata};
use crate::time_format::rfc3339;

/// `metadata inspect --json`.
#[derive(Debug, Serialize)]
pub struct MetadataJson {
    /// Every entity in document order.
    pub entities: Vec<EntityJson>,
    /// Warnings for a person.
    pub warnings: Vec<String>,
    /// `EntityDescriptor` or `EntitiesDescriptor`.
    pub root: &'static str,
    /// The aggregate's `Name`.
    pub name: Option<String>,
    /// What to give GoTo (which certificate, or that this is the wrong document).
    pub advice: Vec<String>,
    /// Where a downloaded document came from; absent for files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceJson>,
}

/// Where a downloaded document came from.
#[derive(Debug, Serialize)]
pub struct SourceJson {
    /// The URL asked for.
    pub url: String,
    /// The URL the document came from after redirects.
    pub final_url: String,
    /// Every redirect, in order.
    pub redirects: Vec<String>,
}

/// One entity.
#[derive(Debug, Serialize)]
pub struct EntityJson {
    /// The `entityID`.
    pub entity_id: String,
    /// `entra-tenant`, `entra-app`, `adfs` or `other`.
    pub kind: EntityKind,
    /// Why that kind.
    pub kind_reason: String,
    /// Whether a `ds:Signature` covers it (present, not verified).
    pub signed: bool,
    /// The earliest `validUntil` in force, RFC 3339.
    pub valid_until: Option<String>,
    /// The identity-provider role, or null.
    pub idp: Option<IdpJson>,
    /// The service-provider role, or null.
    pub sp: Option<SpJson>,
}

/// The identity-provider role.
#[derive(Debug, Serialize)]
pub struct IdpJson {
    /// Single sign-on endpoints.
    pub sso: Vec<Endpoint>,
    /// Single logout endpoints.
    pub slo: Vec<Endpoint>,
    /// Signing certificates, active one first.
    pub signing_certificates: Vec<CertificateJson>,
}

/// The service-provider role.
#[derive(Debug, Serialize)]
pub struct SpJson {
    /// Assertion consumer services.
    pub acs: Vec<IndexedEndpoint>,
}

/// One certificate (`cert show --json` prints exactly this).
#[derive(Debug, Serialize)]
pub struct CertificateJson {
    /// Subject distinguished name.
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, upper-case hex.
    pub serial: String,
    /// RFC 3339.
    pub not_before: String,
    /// RFC 3339.
    pub not_after: String,
    /// SHA-1 thumbprint, upper-case hex without separators (as Entra shows it).
    pub sha1: String,
    /// SHA-256 thumbprint, upper-case hex without separators.
    pub sha256: String,
    /// `valid`, `expiring` (inside Entra's 60-day notice), `expired` or `not_yet_valid`.
    pub status: ExpiryStatus,
    /// Whole days until `not_after` (negative once expired).
    pub days_left: i64,
    /// e.g. `RSA`.
    pub key_algorithm: String,
    /// e.g. 2048.
    pub key_bits: Option<u32>,
    /// e.g. `sha256WithRSAEncryption`.
    pub signature_algorithm: String,
    /// Whether the issuer is the subject itself.
    pub self_signed: bool,
    /// Where the metadata lists it (empty for a certificate file).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub found_in: Vec<String>,
    /// PEM with BEGIN/END lines, the form GoTo's manual setup takes.
    pub pem: String,
}

impl CertificateJson {
    /// Describes `certificate` as of `now`.
    pub fn new(certificate: &Certificate, now: OffsetDateTime) -> Self {
        let info = certificate.info();
        let expiry = certificate.expiry(now);
        Self {
            subject: info.subject.clone(),
            issuer: info.issuer.clone(),
            serial: info.serial.clone(),
            not_before: rfc3339(info.not_before),
            not_after: rfc3339(info.not_after),
            sha1: info.sha1.clone(),
            sha256: info.sha256.clone(),
            status: expiry.status,
            days_left: expiry.days_left,
            key_algorithm: info.key_algorithm.clone(),
            key_bits: info.key_bits,
            signature_algorithm: info.signature_algorithm.clone(),
            self_signed: info.self_signed,
            found_in: Vec::new(),
            pem: certificate.to_pem(),
        }
    }
}

impl MetadataJson {
    /// Describes `metadata` as of `now`.
    pub fn new(metadata: &Metadata, now: OffsetDateTime) -> Self {
        Self {
            entities: metadata
                .entities
                .iter()
                .map(|entity| EntityJson::new(entity, now))
                .collect(),
            warnings: metadata.warnings.clone(),
            root: match metadata.root {
                crate::metadata::RootElement::EntityDescriptor => "EntityDescriptor",
                crate::metadata::RootElement::EntitiesDescriptor => "EntitiesDescriptor",
            },
            name: metadata.name.clone(),
            advice: crate::metadata::certificate_advice(metadata, now),
            source: None,
        }
    }
}

impl EntityJson {
    fn new(entity: &Entity, now: OffsetDateTime) -> Self {
        Self {
            entity_id: entity.entity_id.clone(),
            kind: entity.kind,
            kind_reason: entity.kind_reason.clone(),
            signed: entity.signed,
            valid_until: entity.valid_until.map(rfc3339),
            idp: entity.idp.as_ref().map(|idp| IdpJson {
                sso: idp.sso.clone(),
                slo: idp.slo.clone(),
                signing_certificates: idp
                    .signing_certificates
                    .iter()
                    .map(|signing| CertificateJson {
                        found_in: signing.found_in.clone(),
                        ..CertificateJson::new(&signing.certificate, now)
                    })
                    .collect(),
            }),
            sp: entity.sp.as_ref().map(|sp| SpJson {
                acs: sp.acs.clone(),
            }),
        }
    }
}
