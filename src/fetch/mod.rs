//! Downloads federation metadata over HTTPS (rustls, the operating system's trust store, an
//! optional extra CA for corporate TLS inspection) and turns every way that can fail into a
//! [`FetchError`] an admin can act on. Dropping the future cancels the download.

mod classify;
mod client;
mod error;
mod policy;
mod resolver;
mod response;

use std::net::SocketAddr;
use std::time::Duration;

use crate::metadata::{self, Metadata, ParseOptions};
pub use error::{FetchError, FetchErrorKind};
pub use policy::{HttpPolicy, Refusal};

/// How to download.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Give up connecting after this long.
    pub connect_timeout: Duration,
    /// Give up on the whole download after this long.
    pub total_timeout: Duration,
    /// Follow at most this many redirects.
    pub max_redirects: usize,
    /// Refuse answers larger than this many bytes.
    pub max_bytes: usize,
    /// Allow plain `http://` to any host, not only to this computer (never for redirects from
    /// https). Off by default: metadata carries the certificate GoTo will trust and the other
    /// requests carry credentials, so neither may be open to reading or tampering on the way.
    /// See [`HttpPolicy`].
    pub allow_http: bool,
    /// PEM file contents with extra trusted CA certificates (TLS inspection by a corporate proxy),
    /// added to the operating system's.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Which proxy to use.
    pub proxy: ProxyMode,
    /// How host names are resolved.
    pub dns: DnsMode,
}

impl Default for FetchOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_redirects: 5,
            max_bytes: crate::xml::DEFAULT_MAX_XML_BYTES,
            allow_http: false,
            extra_ca_pem: None,
            proxy: ProxyMode::FromEnvironment,
            dns: DnsMode::System,
        }
    }
}

impl FetchOptions {
    /// The rule every request made with these options obeys.
    pub fn policy(&self) -> HttpPolicy {
        HttpPolicy::allowing_plain_http(self.allow_http)
    }
}

/// Proxy choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProxyMode {
    /// `HTTPS_PROXY` / `ALL_PROXY` and `NO_PROXY` from the environment (and the system's
    /// settings where the platform has them).
    FromEnvironment,
    /// Connect directly.
    Direct,
    /// This proxy URL for every request.
    Explicit(String),
}

/// Name resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsMode {
    /// The operating system's resolver.
    System,
    /// Only these names, like a hosts file; any other name fails as not found. Used by the
    /// tests (which must never reach a real resolver) and for checks without a network.
    Pinned(Vec<(String, SocketAddr)>),
}

/// A successful download.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL asked for.
    pub url: String,
    /// The URL the body came from, after redirects.
    pub final_url: String,
    /// Every URL redirected to, in order.
    pub redirects: Vec<String>,
    /// The HTTP status (2xx).
    pub status: u16,
    /// The `Content-Type` header.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
    /// Things to know (e.g. plain HTTP was allowed).
    pub warnings: Vec<String>,
}

/// Metadata downloaded and parsed.
#[derive(Debug, Clone)]
pub struct FetchedMetadata {
    /// The download.
    pub fetched: Fetched,
    /// The parsed document.
    pub metadata: Metadata,
}

/// Downloads `url` and returns a successful (2xx, non-empty, not an HTML page) answer.
pub async fn fetch(url: &str, options: &FetchOptions) -> Result<Fetched, FetchError> {
    // Refused before any connection is made.
    let parsed = options.policy().check(url)?;
    let redirects = client::RedirectLog::default();
    let http = client::build(options, &redirects).map_err(|error| error.for_url(url))?;
    let mut response = http
        .get(parsed)
        .send()
        .await
        .map_err(|error| classify::request_error(&error, url, options))?;
    let status = response.status().as_u16();
    let final_url = response.url().to_string();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let body = read_body(&mut response, options.max_bytes, url, options).await?;
    response::check(url, status, content_type.as_deref(), &body)?;
    let mut warnings = Vec::new();
    if final_url.starts_with("http://") {
        warnings.push(format!(
            "{final_url} was fetched over plain HTTP: anyone on the way could have changed the certificate in it"
        ));
    }
    Ok(Fetched {
        url: url.to_owned(),
        final_url,
        redirects: redirects.take(),
        status,
        content_type,
        body,
        warnings,
    })
}

/// A client with the same TLS, proxy, resolver, timeout and redirect rules as [`fetch`], for
/// the other conversations (the provisioning checks, OAuth token requests) with the server at
/// `url`. Refuses, before anything is sent, a `url` the [`HttpPolicy`] does not allow; the
/// caller sends only to `url` and paths below it.
pub(crate) fn http_client(
    options: &FetchOptions,
    url: &str,
) -> Result<reqwest::Client, FetchError> {
    options.policy().check(url)?;
    client::build(options, &client::RedirectLog::default()).map_err(|error| error.for_url(url))
}

/// Like [`http_client`], but following no redirect: for requests that carry credentials.
pub(crate) fn http_client_without_redirects(
    options: &FetchOptions,
    url: &str,
) -> Result<reqwest::Client, FetchError> {
    let options = FetchOptions {
        max_redirects: 0,
        ..options.clone()
    };
    http_client(&options, url)
}

/// Reads a response's body, at most `limit` bytes: a larger announced length is refused before
/// reading, and the reading stops as soon as the limit is passed, so a server cannot make this
/// program hold more than `limit` bytes of its answer.
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: usize,
    url: &str,
    options: &FetchOptions,
) -> Result<Vec<u8>, FetchError> {
    if let Some(length) = response.content_length()
        && length > limit as u64
    {
        return Err(response::too_large(url, limit, Some(length)));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| classify::request_error(&error, url, options))?
    {
        if body.len() + chunk.len() > limit {
            return Err(response::too_large(url, limit, None));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Names a failed request exactly as [`fetch`] does.
pub(crate) fn describe_request_error(
    error: &reqwest::Error,
    url: &str,
    options: &FetchOptions,
) -> FetchError {
    classify::request_error(error, url, options)
}

/// Downloads `url` and reads it as SAML metadata.
pub async fn fetch_metadata(
    url: &str,
    options: &FetchOptions,
    parse: &ParseOptions,
) -> Result<FetchedMetadata, FetchError> {
    let fetched = fetch(url, options).await?;
    let parse = ParseOptions {
        source: Some(url.to_owned()),
        max_bytes: options.max_bytes,
        ..parse.clone()
    };
    let metadata = metadata::parse(&fetched.body, &parse)
        .map_err(|error| response::not_metadata(url, &error))?;
    Ok(FetchedMetadata { fetched, metadata })
}
