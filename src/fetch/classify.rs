//! Names a failed request: walks the error's `source()` chain for the typed causes (our DNS
//! and redirect errors, rustls certificate errors, I/O error kinds) instead of reading texts.

use std::error::Error as StdError;
use std::io;

use rustls::CertificateError;

use super::client::RedirectRefused;
use super::error::{FetchError, FetchErrorKind};
use super::resolver::DnsError;
use super::{FetchOptions, ProxyMode};

pub(super) fn request_error(
    error: &reqwest::Error,
    url: &str,
    options: &FetchOptions,
) -> FetchError {
    let chain = chain_of(error);
    let mut named = name(error, url, options);
    named.chain = chain;
    named
}

fn name(error: &reqwest::Error, url: &str, options: &FetchOptions) -> FetchError {
    use FetchErrorKind as Kind;
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned());
    let proxy_note = match &options.proxy {
        ProxyMode::Explicit(proxy) => format!(" (through the proxy {proxy})"),
        _ => String::new(),
    };

    if let Some(refused) = find::<RedirectRefused>(error) {
        let hint = match refused {
            RedirectRefused::Downgrade { .. } => {
                "a redirect to plain HTTP is never followed: a proxy or captive portal may be intercepting; try another network"
            }
            RedirectRefused::Loop { .. } => {
                "the server keeps sending the request around in a circle: a sign-in wall or proxy is usually the cause; open the URL in a browser"
            }
            RedirectRefused::TooMany { .. } => {
                "metadata URLs do not redirect this much: open the URL in a browser to see where it leads"
            }
            RedirectRefused::PlainHttp { .. } => {
                "nothing was sent there: ask for the https:// address, or give --allow-http for a test server you trust"
            }
        };
        return FetchError::new(Kind::Redirect, url, format!("{url}: {refused}"), hint);
    }
    if let Some(dns) = find::<DnsError>(error) {
        return FetchError::new(
            Kind::Dns,
            url,
            format!(
                "the host name {} could not be found ({})",
                dns.name, dns.reason
            ),
            "check the spelling of the host (and of the tenant domain), and that this computer is online; \
             behind a proxy, set HTTPS_PROXY",
        );
    }
    if let Some(tls) = find::<rustls::Error>(error) {
        return tls_error(tls, url, &host);
    }
    if error.is_timeout() {
        let (message, hint) = if error.is_connect() {
            (
                format!(
                    "no connection to {host}{proxy_note} within {} s",
                    options.connect_timeout.as_secs()
                ),
                "a firewall may be dropping the connection; behind a proxy, set HTTPS_PROXY; or try again with a longer timeout",
            )
        } else {
            (
                format!(
                    "{host} did not finish answering within {} s",
                    options.total_timeout.as_secs()
                ),
                "the server or the network is slow: try again, or raise the timeout (--timeout)",
            )
        };
        return FetchError::new(Kind::Timeout, url, message, hint);
    }
    if let Some(io_error) = find::<io::Error>(error) {
        let (what, hint) = match io_error.kind() {
            io::ErrorKind::ConnectionRefused => (
                "refused the connection",
                "nothing answers on that address and port: check the host and port, or whether a proxy is needed",
            ),
            io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => (
                "closed the connection",
                "a firewall or proxy may be blocking the site; behind a proxy, set HTTPS_PROXY",
            ),
            io::ErrorKind::UnexpectedEof => (
                "closed the connection before answering",
                "a firewall or proxy may be cutting the connection; try again or from another network",
            ),
            _ => (
                "could not be reached",
                "check the network connection and any proxy settings",
            ),
        };
        return FetchError::new(
            Kind::Connect,
            url,
            format!("{host}{proxy_note} {what} ({io_error})"),
            hint,
        );
    }
    FetchError::new(
        Kind::Connect,
        url,
        format!("{host}{proxy_note} could not be reached: {error}"),
        "check the network connection and any proxy settings",
    )
}

fn tls_error(tls: &rustls::Error, url: &str, host: &str) -> FetchError {
    use FetchErrorKind as Kind;
    match tls {
        rustls::Error::InvalidCertificate(certificate) => match certificate {
            CertificateError::UnknownIssuer => FetchError::new(
                Kind::TlsUnknownIssuer,
                url,
                format!("the certificate of {host} is not from an authority this computer trusts"),
                "a corporate proxy that inspects TLS usually causes this: ask IT for its CA certificate and pass it \
                 with --ca-file, or set HTTPS_PROXY to the proxy",
            ),
            CertificateError::Expired
            | CertificateError::ExpiredContext { .. }
            | CertificateError::NotValidYet
            | CertificateError::NotValidYetContext { .. } => FetchError::new(
                Kind::TlsExpired,
                url,
                format!("the certificate of {host} is outside its validity period ({certificate})"),
                "check this computer's date and time; if they are right, the server (or a proxy in between) has an expired certificate",
            ),
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                FetchError::new(
                    Kind::TlsHostname,
                    url,
                    format!(
                        "the certificate presented for {host} is for another name ({certificate})"
                    ),
                    "something between you and the server (a proxy, captive portal or wrong DNS entry) is answering in its place",
                )
            }
            other => FetchError::new(
                Kind::TlsOther,
                url,
                format!("the certificate of {host} was refused: {other}"),
                "a proxy that inspects TLS may be the cause; ask IT, or pass its CA with --ca-file",
            ),
        },
        other => FetchError::new(
            Kind::TlsOther,
            url,
            format!("the secure connection to {host} failed: {other}"),
            "a proxy or firewall may be interfering with TLS; try another network",
        ),
    }
}

/// The first error of type `T` in the chain. An `io::Error`'s `source()` skips the error it
/// wraps, and TLS errors arrive wrapped in one or two of them, so wrapped errors are searched too.
fn find<'e, T: StdError + 'static>(error: &'e (dyn StdError + 'static)) -> Option<&'e T> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(candidate) = current {
        if let Some(found) = candidate.downcast_ref::<T>() {
            return Some(found);
        }
        if let Some(inner) = candidate
            .downcast_ref::<io::Error>()
            .and_then(io::Error::get_ref)
        {
            let inner: &(dyn StdError + 'static) = inner;
            if let Some(found) = find::<T>(inner) {
                return Some(found);
            }
        }
        current = candidate.source();
    }
    None
}

fn chain_of(error: &(dyn StdError + 'static)) -> Vec<String> {
    let mut chain = Vec::new();
    let mut current: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(candidate) = current {
        chain.push(candidate.to_string());
        current = candidate.source();
    }
    chain
}
