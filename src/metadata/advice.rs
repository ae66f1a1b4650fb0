//! What the admin should do with a parsed document on GoTo's side: which signing certificate
//! GoTo must get, and when the document is the wrong one.

use time::OffsetDateTime;

use super::{EntityKind, Metadata};
use crate::certificate::ExpiryStatus;

/// Advice for each identity provider in `metadata`, as of `now`.
pub fn certificate_advice(metadata: &Metadata, now: OffsetDateTime) -> Vec<String> {
    let mut advice = Vec::new();
    for entity in metadata.identity_providers() {
        let Some(idp) = &entity.idp else { continue };
        let Some(first) = idp.signing_certificates.first() else {
            continue;
        };
        let info = first.certificate.info();
        let expiry = first.certificate.expiry(now);
        match entity.kind {
            EntityKind::EntraApp => advice.push(format!(
                "GoTo must get signing certificate [1] of this application's document (SHA-256 {}, {}). \
                 The tenant-wide document lists other certificates: do not use those for GoTo.",
                info.sha256,
                expiry.describe()
            )),
            EntityKind::EntraTenant => advice.push(
                "This is the tenant-wide document. GoTo needs the GoTo application's own document \
                 (the App Federation Metadata Url, ending in ?appid=<application ID>): its signing \
                 certificate is the application's, which differs from the tenant's."
                    .to_owned(),
            ),
            EntityKind::Adfs | EntityKind::Other => advice.push(format!(
                "For {}: give GoTo signing certificate [1] (SHA-256 {}, {}).",
                entity.entity_id,
                info.sha256,
                expiry.describe()
            )),
        }
        if idp.signing_certificates.len() > 1
            && matches!(entity.kind, EntityKind::EntraApp | EntityKind::EntraTenant)
        {
            advice.push(format!(
                "Entra lists {} signing certificates: it signs with the first; the others are there for a \
                 rollover. When Entra makes a new one active, give GoTo the new certificate (or use the \
                 metadata URL in GoTo's automatic mode, which follows rollovers).",
                idp.signing_certificates.len()
            ));
        }
        match expiry.status {
            ExpiryStatus::Expired => advice.push(
                "The certificate Entra lists first has expired: sign-ins fail until a new certificate is \
                 created and made active in Entra (SAML Certificates, Edit) and given to GoTo."
                    .to_owned(),
            ),
            ExpiryStatus::Expiring => advice.push(format!(
                "The active certificate {}: create the next one in Entra now and plan the switch in GoTo.",
                expiry.describe()
            )),
            ExpiryStatus::Valid | ExpiryStatus::NotYetValid => {}
        }
    }
    advice
}
