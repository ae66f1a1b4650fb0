//! Builds the HTTP client for one download: TLS with the system's roots (plus an extra CA),
//! the proxy choice, the resolver, and a redirect policy that refuses loops and downgrades.

use std::sync::{Arc, Mutex};

use reqwest::redirect;
use url::Url;

use super::error::{FetchError, FetchErrorKind};
use super::resolver::Resolver;
use super::{FetchOptions, ProxyMode};

/// Redirects refused by the policy, recognised later in the error chain.
#[derive(Debug)]
pub(super) enum RedirectRefused {
    TooMany { limit: usize, last: String },
    Loop { url: String },
    Downgrade { from: String, to: String },
    PlainHttp { to: String },
}

impl std::fmt::Display for RedirectRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectRefused::TooMany { limit, last } => {
                write!(f, "more than {limit} redirects (the last to {last})")
            }
            RedirectRefused::Loop { url } => write!(f, "a redirect loop back to {url}"),
            RedirectRefused::Downgrade { from, to } => {
                write!(f, "a redirect from {from} to the unencrypted {to}")
            }
            RedirectRefused::PlainHttp { to } => write!(
                f,
                "a redirect to the unencrypted {to}, which is not on this computer (plain http:// there needs --allow-http)"
            ),
        }
    }
}

impl std::error::Error for RedirectRefused {}

/// The URLs redirected to during one download.
#[derive(Debug, Clone, Default)]
pub(super) struct RedirectLog(Arc<Mutex<Vec<String>>>);

impl RedirectLog {
    fn push(&self, url: String) {
        if let Ok(mut log) = self.0.lock() {
            log.push(url);
        }
    }

    pub(super) fn take(&self) -> Vec<String> {
        self.0
            .lock()
            .map(|mut log| std::mem::take(&mut *log))
            .unwrap_or_default()
    }
}

/// A failure to build the client (only the CA file can cause one).
pub(super) struct ClientError {
    message: String,
}

impl ClientError {
    pub(super) fn for_url(self, url: &str) -> FetchError {
        FetchError::new(
            FetchErrorKind::CaFile,
            url,
            self.message,
            "give a PEM file with the CA certificate(s) of your proxy's TLS inspection (BEGIN CERTIFICATE blocks)",
        )
    }
}

pub(super) fn build(
    options: &FetchOptions,
    log: &RedirectLog,
) -> Result<reqwest::Client, ClientError> {
    // reqwest is built without a default crypto provider; ring is the one in this build.
    // Installing fails harmlessly when a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();

    let mut builder = reqwest::Client::builder()
        .user_agent(concat!("goto-sso-wizard/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(options.connect_timeout)
        .timeout(options.total_timeout)
        .redirect(redirect_policy(options, log.clone()))
        .dns_resolver(Arc::new(Resolver {
            mode: options.dns.clone(),
        }))
        .tls_backend_rustls();
    builder = match &options.proxy {
        ProxyMode::FromEnvironment => builder,
        ProxyMode::Direct => builder.no_proxy(),
        ProxyMode::Explicit(proxy) => {
            let proxy = reqwest::Proxy::all(proxy).map_err(|error| ClientError {
                message: format!("the proxy {proxy} is not usable: {error}"),
            })?;
            builder.no_proxy().proxy(proxy)
        }
    };
    if let Some(pem) = &options.extra_ca_pem {
        let certificates =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|error| ClientError {
                message: format!("the CA file cannot be read: {error}"),
            })?;
        if certificates.is_empty() {
            return Err(ClientError {
                message: "the CA file holds no certificate".to_owned(),
            });
        }
        builder = builder.tls_certs_merge(certificates);
    }
    builder.build().map_err(|error| ClientError {
        message: format!("the HTTPS client could not be set up: {error}"),
    })
}

fn redirect_policy(options: &FetchOptions, log: RedirectLog) -> redirect::Policy {
    let limit = options.max_redirects;
    let policy = options.policy();
    redirect::Policy::custom(move |attempt| {
        let to = attempt.url().to_string();
        let from = attempt
            .previous()
            .last()
            .map(Url::to_string)
            .unwrap_or_default();
        if attempt.previous().iter().any(|seen| seen.as_str() == to) {
            return attempt.error(RedirectRefused::Loop { url: to });
        }
        if attempt.previous().len() > limit {
            return attempt.error(RedirectRefused::TooMany { limit, last: to });
        }
        if from.starts_with("https://") && attempt.url().scheme() == "http" {
            return attempt.error(RedirectRefused::Downgrade { from, to });
        }
        // Every hop obeys the same rule as the first URL.
        if policy.judge(attempt.url()).is_err() {
            return attempt.error(RedirectRefused::PlainHttp { to });
        }
        log.push(to);
        attempt.follow()
    })
}
