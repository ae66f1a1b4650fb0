//! Judges an answer that did arrive: error statuses (with Entra's AADSTS codes explained),
//! empty bodies, web pages where metadata should be, and documents that are not metadata.

use super::error::{FetchError, FetchErrorKind};
use crate::aadsts;
use crate::metadata::MetadataError;

/// How much of an error body is searched for an AADSTS code.
const ERROR_BODY_SCAN: usize = 256 * 1024;

pub(super) fn check(
    url: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), FetchError> {
    let scanned = String::from_utf8_lossy(body.get(..ERROR_BODY_SCAN).unwrap_or(body));
    let code = aadsts::find_code(&scanned);
    if !(200..300).contains(&status) {
        let mut error = FetchError::new(
            FetchErrorKind::HttpStatus,
            url,
            format!("the server answered HTTP {status} {}", reason(status)),
            status_hint(status),
        );
        error.http_status = Some(status);
        return Err(with_aadsts(error, code));
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        let mut error = FetchError::new(
            FetchErrorKind::Empty,
            url,
            format!("the server answered HTTP {status} with an empty body"),
            "a proxy or filter may be stripping the answer; open the URL in a browser to compare",
        );
        error.http_status = Some(status);
        return Err(error);
    }
    if is_html(content_type, &scanned) {
        let mut error = FetchError::new(
            FetchErrorKind::HtmlPage,
            url,
            "the server answered with a web page instead of the metadata XML".to_owned(),
            "this is usually a sign-in page, a captive portal (hotel, guest Wi-Fi) or a proxy's block page: \
             open the URL in a browser to see it, then try again from a network without it",
        );
        error.http_status = Some(status);
        return Err(with_aadsts(error, code));
    }
    Ok(())
}

pub(super) fn too_large(url: &str, limit: usize, announced: Option<u64>) -> FetchError {
    let size = announced.map_or_else(|| "more than that".to_owned(), |n| format!("{n} bytes"));
    FetchError::new(
        FetchErrorKind::TooLarge,
        url,
        format!("the answer is larger than the limit of {limit} bytes ({size})"),
        "a metadata document is a few kilobytes; check the URL, or raise the limit if this really is a large federation aggregate",
    )
}

pub(super) fn not_metadata(url: &str, error: &MetadataError) -> FetchError {
    if matches!(
        error,
        MetadataError::Input(crate::xml::XmlInputError::TooLarge { .. })
    ) {
        return too_large(url, 0, None);
    }
    let mut named = FetchError::new(
        FetchErrorKind::NotMetadata,
        url,
        format!("the document downloaded is not usable SAML metadata: {error}"),
        "check that the URL is the federation metadata URL (…/FederationMetadata/2007-06/FederationMetadata.xml)",
    );
    named.chain = vec![error.to_string()];
    named
}

fn with_aadsts(mut error: FetchError, code: Option<String>) -> FetchError {
    if let Some(code) = code {
        let explained = aadsts::explain(&code);
        match explained {
            Some(known) => {
                error.message = format!("{} — Entra says {code}: {}", error.message, known.meaning);
                error.hint = known.fix.clone();
            }
            None => {
                error.message = format!("{} — Entra says {code}", error.message);
            }
        }
        error.aadsts_explained = explained.cloned();
        error.aadsts = Some(code);
    }
    error
}

fn is_html(content_type: Option<&str>, body: &str) -> bool {
    let declared = content_type.is_some_and(|value| {
        let value = value.to_ascii_lowercase();
        value.starts_with("text/html") || value.starts_with("application/xhtml")
    });
    let start = body
        .trim_start()
        .get(..64)
        .unwrap_or(body.trim_start())
        .to_ascii_lowercase();
    declared || start.starts_with("<!doctype html") || start.starts_with("<html")
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|code| code.canonical_reason())
        .unwrap_or("")
}

fn status_hint(status: u16) -> &'static str {
    match status {
        400 => {
            "Entra answers 400 when the tenant or application in the URL is wrong: check both for typos"
        }
        401 | 403 => {
            "the server wants a sign-in, which metadata never needs: a proxy or firewall is in the way, or the URL is not the metadata URL"
        }
        404 => {
            "the path is wrong: copy the App Federation Metadata Url again from the enterprise app's Single sign-on page"
        }
        407 => {
            "the proxy wants a user name and password: put them in the proxy URL (HTTPS_PROXY=http://user:password@proxy:port)"
        }
        429 => "too many requests: wait a minute and try again",
        500..=599 => "the server has a problem: try again in a few minutes",
        _ => "check the URL; open it in a browser to see the answer",
    }
}
