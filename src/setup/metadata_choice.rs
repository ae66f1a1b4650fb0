//! Filling the setup from a metadata document: which identity provider, its sign-in and
//! sign-out URLs (HTTP-Redirect preferred), and the certificate GoTo gets (the one chosen
//! earlier when the document still lists it, else the first, the one Entra signs with).

use std::path::PathBuf;

use super::MetadataChoice;
use crate::metadata::{Endpoint, Metadata};

const HTTP_REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// Where a metadata document came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetadataSource {
    /// Downloaded from this URL.
    Url(String),
    /// Read from this file.
    File(PathBuf),
}

impl MetadataChoice {
    /// Records what GoTo needs from `metadata`, read from `source`. `picked` is an identity
    /// provider the admin chose just now; without one, the one recorded before is kept when
    /// the document still has it, else the document's only one
    /// ([`Metadata::signing_provider`]). Without a provider to trust the results are cleared.
    pub fn record(&mut self, metadata: &Metadata, source: &MetadataSource, picked: Option<&str>) {
        match source {
            MetadataSource::Url(url) => {
                self.url = Some(url.clone());
                self.file = None;
            }
            MetadataSource::File(path) => {
                self.file = Some(path.clone());
                self.url = None;
            }
        }
        // One picked now wins; one remembered from an earlier document is only a wish.
        let chosen = match (picked, self.idp_entity_id.as_deref()) {
            (Some(picked), _) => metadata.signing_provider(Some(picked)),
            (None, remembered) => metadata
                .signing_provider(remembered)
                .or_else(|_| metadata.signing_provider(None)),
        };
        let Some((entity, idp)) = chosen
            .ok()
            .and_then(|entity| Some((entity, entity.idp.as_ref()?)))
        else {
            let (url, file) = (self.url.take(), self.file.take());
            self.forget_results();
            (self.url, self.file) = (url, file);
            return;
        };
        self.idp_entity_id = Some(entity.entity_id.clone());
        self.sign_in_url = prefer_redirect(&idp.sso);
        self.sign_out_url = prefer_redirect(&idp.slo);
        let certificates = &idp.signing_certificates;
        let kept = self.certificate_sha256.as_deref().and_then(|sha256| {
            certificates
                .iter()
                .find(|c| c.certificate.info().sha256 == sha256)
        });
        if let Some(signing) = kept.or_else(|| certificates.first()) {
            self.certificate_sha256 = Some(signing.certificate.info().sha256.clone());
            self.certificate_pem = Some(signing.certificate.to_pem());
        }
    }

    /// Forgets where the metadata came from and what was read from it (the inputs changed).
    pub fn forget_results(&mut self) {
        self.url = None;
        self.file = None;
        self.idp_entity_id = None;
        self.sign_in_url = None;
        self.sign_out_url = None;
        self.certificate_sha256 = None;
        self.certificate_pem = None;
    }
}

/// The HTTP-Redirect endpoint (what GoTo's sign-in uses), else the first listed.
fn prefer_redirect(endpoints: &[Endpoint]) -> Option<String> {
    endpoints
        .iter()
        .find(|e| e.binding == HTTP_REDIRECT)
        .or_else(|| endpoints.first())
        .map(|e| e.location.clone())
}
