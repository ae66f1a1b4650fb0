//! What a response is checked against: from a saved wizard setup, from a small JSON file
//! support staff can write by hand, or from command-line flags (which win over the file).
//! Whatever is not given falls back to GoTo's published values (the default profile) where
//! those are known, and is otherwise reported as not checked.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::certificate::Certificate;
use crate::setup::{Product, Setup};

/// Clock skew allowed when none is given: three minutes, the common default of SAML service
/// providers (GoTo does not publish its own).
pub const DEFAULT_SKEW_SECONDS: u64 = 180;

/// The diagnostics file format (`--setup FILE` when it is not a saved wizard setup). Every field
/// is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedFile {
    /// GoTo's entity ID (the Audience), Entra's "Identifier".
    #[serde(default)]
    pub sp_entity_id: Option<String>,
    /// GoTo's reply URL (Recipient and Destination).
    #[serde(default)]
    pub acs_url: Option<String>,
    /// The identity provider's entity ID (the Issuer), e.g. `https://sts.windows.net/<tenant>/`.
    #[serde(default)]
    pub idp_entity_id: Option<String>,
    /// Certificates GoTo trusts: PEM text (BEGIN/END lines) or bare base64, or a path to a
    /// `.pem`/`.cer` file relative to this file.
    #[serde(default)]
    pub idp_certificates: Vec<String>,
    /// The product the user was signing in to.
    #[serde(default)]
    pub product: Option<Product>,
    /// The relay state GoTo expects (overrides the product's).
    #[serde(default)]
    pub relay_state: Option<String>,
    /// The GoTo account (e-mail) of the person who could not sign in.
    #[serde(default)]
    pub user: Option<String>,
    /// Clock skew allowed, in seconds.
    #[serde(default)]
    pub skew_seconds: Option<u64>,
    /// The ID of the AuthnRequest GoTo sent (InResponseTo must equal it).
    #[serde(default)]
    pub request_id: Option<String>,
}

/// A value and where it came from, so findings can say "expected X (from the setup)".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced<T> {
    /// The value.
    pub value: T,
    /// Where it came from: "the setup", "--acs-url", "GoTo's published value"…
    pub source: String,
}

impl<T> Sourced<T> {
    /// A value with its source.
    pub fn new(value: T, source: impl Into<String>) -> Self {
        Sourced {
            value,
            source: source.into(),
        }
    }
}

/// The expectations a diagnosis checks against.
#[derive(Debug, Clone, Default)]
pub struct Expected {
    /// GoTo's entity ID (the Audience).
    pub sp_entity_id: Option<Sourced<String>>,
    /// GoTo's reply URL.
    pub acs_url: Option<Sourced<String>>,
    /// The identity provider's entity ID.
    pub idp_entity_id: Option<Sourced<String>>,
    /// Certificates GoTo trusts.
    pub idp_certificates: Vec<Certificate>,
    /// Where the certificates came from.
    pub idp_certificates_source: Option<String>,
    /// Relay states accepted, with the product each belongs to.
    pub relay_states: Vec<(Option<Product>, String)>,
    /// Where the relay states came from.
    pub relay_state_source: Option<String>,
    /// The GoTo account of the user.
    pub user: Option<String>,
    /// Clock skew allowed.
    pub skew_seconds: u64,
    /// The AuthnRequest's ID.
    pub request_id: Option<Sourced<String>>,
}

/// A setup file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ExpectedError {
    /// Not readable.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// Neither a wizard setup nor the diagnostics format.
    #[error(
        "{path} is neither a setup saved by the wizard, a diagnostics setup file, nor Entra's federation metadata ({reason}); see \"The setup file for diagnose\" in the README"
    )]
    Format {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A certificate in it is not one.
    #[error("certificate {which} in {source_name} is not a certificate: {reason}")]
    Certificate {
        /// Which one (1-based, or the file name).
        which: String,
        /// The setup file or flag.
        source_name: String,
        /// Why.
        reason: String,
    },
}

impl Expected {
    /// GoTo's published values only (no setup given).
    pub fn published() -> Expected {
        let mut expected = Expected {
            skew_seconds: DEFAULT_SKEW_SECONDS,
            ..Expected::default()
        };
        if let Some(profile) = crate::profile::default_profile() {
            let source = "GoTo's published value (no setup given)";
            expected.sp_entity_id = Some(Sourced::new(profile.saml.entity_id.clone(), source));
            expected.acs_url = Some(Sourced::new(profile.saml.reply_url.clone(), source));
            // In the order products are listed everywhere else (the profile's map is alphabetical).
            expected.relay_states = Product::ALL
                .into_iter()
                .filter_map(|product| {
                    let url = profile.saml.relay_states.get(product.key())?;
                    Some((Some(product), url.clone()))
                })
                .collect();
            expected.relay_state_source = Some("GoTo's published relay states".to_owned());
        }
        expected
    }

    /// From a saved wizard setup.
    pub fn from_setup(setup: &Setup) -> Result<Expected, ExpectedError> {
        let mut expected = Expected::published();
        let source = "the setup";
        if let Some(entra) = crate::setup::entra_values(setup) {
            expected.sp_entity_id = Some(Sourced::new(entra.identifier, source));
            expected.acs_url = Some(Sourced::new(entra.reply_url, source));
            if !entra.relay_states.is_empty() {
                expected.relay_states = entra
                    .relay_states
                    .into_iter()
                    .map(|(product, url)| (Some(product), url))
                    .collect();
                expected.relay_state_source = Some("the setup's products".to_owned());
            }
        }
        if let Some(idp) = &setup.metadata.idp_entity_id {
            expected.idp_entity_id = Some(Sourced::new(idp.clone(), source));
        }
        if let Some(pem) = &setup.metadata.certificate_pem {
            expected.idp_certificates =
                parse_certificates(std::slice::from_ref(pem), None, "the setup")?;
            expected.idp_certificates_source = Some("the setup's chosen certificate".to_owned());
        }
        Ok(expected)
    }

    /// From a diagnostics setup file's contents (`base` resolves certificate file paths).
    pub fn from_file_contents(
        file: &ExpectedFile,
        base: Option<&Path>,
        source_name: &str,
    ) -> Result<Expected, ExpectedError> {
        let mut expected = Expected::published();
        let source = source_name.to_owned();
        if let Some(value) = &file.sp_entity_id {
            expected.sp_entity_id = Some(Sourced::new(value.clone(), &source));
        }
        if let Some(value) = &file.acs_url {
            expected.acs_url = Some(Sourced::new(value.clone(), &source));
        }
        if let Some(value) = &file.idp_entity_id {
            expected.idp_entity_id = Some(Sourced::new(value.clone(), &source));
        }
        if !file.idp_certificates.is_empty() {
            expected.idp_certificates =
                parse_certificates(&file.idp_certificates, base, source_name)?;
            expected.idp_certificates_source = Some(source.clone());
        }
        expected.user = file.user.clone();
        if let Some(skew) = file.skew_seconds {
            expected.skew_seconds = skew;
        }
        if let Some(id) = &file.request_id {
            expected.request_id = Some(Sourced::new(id.clone(), &source));
        }
        expected.choose_relay_state(file.product, file.relay_state.clone(), &source);
        Ok(expected)
    }

    /// Reads `--setup FILE`: a wizard setup (it has a `profile_id`), the diagnostics format, or
    /// the identity provider's federation metadata (XML: its issuer and certificates).
    pub fn load(path: &Path) -> Result<Expected, ExpectedError> {
        let shown = path.display().to_string();
        let text = read_small_text(path).map_err(|reason| ExpectedError::Read {
            path: shown.clone(),
            reason,
        })?;
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('<')
        {
            let metadata =
                crate::metadata::parse(text.as_bytes(), &Default::default()).map_err(|error| {
                    ExpectedError::Format {
                        path: shown.clone(),
                        reason: format!("it is XML but not readable metadata: {error}"),
                    }
                })?;
            let mut expected = Expected::published();
            return match expected.use_idp_metadata(&metadata, &shown, None) {
                Ok(_) => Ok(expected),
                Err(error) => Err(ExpectedError::Format {
                    path: shown,
                    reason: format!("it is metadata, but {error}"),
                }),
            };
        }
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|error| ExpectedError::Format {
                path: shown.clone(),
                reason: format!("not JSON: {error}"),
            })?;
        if json.get("profile_id").is_some() {
            let setup = Setup::load(path).map_err(|error| ExpectedError::Format {
                path: shown.clone(),
                reason: error.to_string(),
            })?;
            return Expected::from_setup(&setup);
        }
        let file: ExpectedFile =
            serde_json::from_value(json).map_err(|error| ExpectedError::Format {
                path: shown.clone(),
                reason: error.to_string(),
            })?;
        Expected::from_file_contents(&file, path.parent(), &shown)
    }

    /// Takes the identity provider's entity ID and every signing certificate from its metadata
    /// (what GoTo's automatic, metadata-URL mode trusts: during a rollover, both certificates).
    /// The provider is `wanted`, or the document's only one ([`Metadata::signing_provider`]).
    /// Returns the entity ID used.
    ///
    /// [`Metadata::signing_provider`]: crate::metadata::Metadata::signing_provider
    pub fn use_idp_metadata(
        &mut self,
        metadata: &crate::metadata::Metadata,
        source: &str,
        wanted: Option<&str>,
    ) -> Result<String, crate::metadata::ProviderError> {
        let entity = metadata.signing_provider(wanted)?;
        self.idp_entity_id = Some(Sourced::new(entity.entity_id.clone(), source));
        self.idp_certificates = entity
            .idp
            .iter()
            .flat_map(|idp| &idp.signing_certificates)
            .map(|c| c.certificate.clone())
            .collect();
        self.idp_certificates_source = Some(source.to_owned());
        Ok(entity.entity_id.clone())
    }

    /// Narrows the accepted relay states to a product's, or sets an explicit one.
    pub fn choose_relay_state(
        &mut self,
        product: Option<Product>,
        relay_state: Option<String>,
        source: &str,
    ) {
        if let Some(relay_state) = relay_state {
            self.relay_states = vec![(product, relay_state)];
            self.relay_state_source = Some(source.to_owned());
            return;
        }
        if let Some(product) = product {
            let known = self
                .relay_states
                .iter()
                .find(|(p, _)| *p == Some(product))
                .map(|(_, url)| url.clone())
                .or_else(|| {
                    crate::profile::default_profile()
                        .and_then(|p| p.saml.relay_states.get(product.key()).cloned())
                });
            if let Some(url) = known {
                self.relay_states = vec![(Some(product), url)];
                self.relay_state_source = Some(format!("{} ({source})", product.name()));
            }
        }
    }
}

/// Parses certificates given as PEM/base64 text or as file paths.
pub fn parse_certificates(
    items: &[String],
    base: Option<&Path>,
    source_name: &str,
) -> Result<Vec<Certificate>, ExpectedError> {
    let mut certificates = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let trimmed = item.trim();
        let looks_like_text =
            trimmed.starts_with("-----BEGIN") || (trimmed.len() > 200 && !trimmed.contains('.'));
        let (bytes, which) = if looks_like_text {
            (trimmed.as_bytes().to_vec(), format!("{}", index + 1))
        } else {
            let path = base.map_or_else(|| Path::new(trimmed).to_path_buf(), |b| b.join(trimmed));
            let bytes =
                crate::limited_read::read_limited(&path, crate::certificate::MAX_CERTIFICATE_INPUT)
                    .map_err(|error| ExpectedError::Certificate {
                        which: path.display().to_string(),
                        source_name: source_name.to_owned(),
                        reason: error.reason(),
                    })?;
            (bytes, path.display().to_string())
        };
        let parsed =
            Certificate::parse_all(&bytes).map_err(|error| ExpectedError::Certificate {
                which,
                source_name: source_name.to_owned(),
                reason: error.to_string(),
            })?;
        certificates.extend(parsed);
    }
    Ok(certificates)
}

/// A setup file is small: anything over 4 MiB is the wrong file (and is not read into memory).
fn read_small_text(path: &Path) -> Result<String, String> {
    use std::io::Read;
    const LIMIT: u64 = 4 * 1024 * 1024;
    let file = std::fs::File::open(path).map_err(|error| error.to_string())?;
    let mut text = String::new();
    file.take(LIMIT + 1)
        .read_to_string(&mut text)
        .map_err(|error| format!("{error} (a setup file is UTF-8 JSON)"))?;
    if text.len() as u64 > LIMIT {
        return Err("it is larger than 4 MiB, which no setup file is".to_owned());
    }
    Ok(text)
}
