//! The one rule for where this program may send a request: every outgoing URL (metadata
//! downloads, the SCIM base URL, OAuth token and authorization URLs, every redirect hop) passes
//! through [`HttpPolicy`] before anything is sent.
//!
//! `https` is always allowed. Plain `http` is allowed only to this computer (127.0.0.0/8, ::1,
//! `localhost`), where the traffic never crosses a network, or when the user asked for it
//! explicitly (`--allow-http`). The decision looks at the URL's host as written, never at what a
//! name resolves to: a name that happens to resolve to 127.0.0.1 (a hosts file, `--resolve`) is
//! not "this computer", because the same name may resolve elsewhere next time.

use url::{Host, Url};

use super::error::{FetchError, FetchErrorKind};

/// Where plain HTTP may go.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HttpPolicy {
    /// The user asked for plain `http://` to any host (`--allow-http`).
    pub allow_plain_http: bool,
}

/// Why a URL is refused, before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not a URL at all.
    Malformed(String),
    /// A scheme other than http and https.
    Scheme(String),
    /// Plain `http://` to a host that is not this computer, without the explicit option.
    PlainHttp,
}

impl HttpPolicy {
    /// The policy that also allows plain HTTP to any host.
    pub fn allowing_plain_http(allow: bool) -> Self {
        Self {
            allow_plain_http: allow,
        }
    }

    /// Whether a request to `url` may be sent.
    pub fn judge(&self, url: &Url) -> Result<(), Refusal> {
        match url.scheme() {
            "https" => Ok(()),
            "http" if self.allow_plain_http || is_this_computer(url) => Ok(()),
            "http" => Err(Refusal::PlainHttp),
            other => Err(Refusal::Scheme(other.to_owned())),
        }
    }

    /// Parses `url` and checks it; a refusal is a [`FetchError`] of kind `plain_http` or
    /// `invalid_url` that says why and what to do.
    pub fn check(&self, url: &str) -> Result<Url, FetchError> {
        let parsed = Url::parse(url.trim())
            .map_err(|error| Refusal::Malformed(error.to_string()))
            .and_then(|parsed| self.judge(&parsed).map(|()| parsed));
        parsed.map_err(|refusal| refusal.into_error(url))
    }
}

impl Refusal {
    /// The error an admin reads.
    pub fn into_error(self, url: &str) -> FetchError {
        match self {
            Refusal::Malformed(reason) => FetchError::new(
                FetchErrorKind::InvalidUrl,
                url,
                format!("{url} is not a valid URL ({reason})"),
                "copy the URL again from where it is published; it starts with https://",
            ),
            Refusal::Scheme(scheme) => FetchError::new(
                FetchErrorKind::InvalidUrl,
                url,
                format!("{url} has the scheme {scheme}:"),
                "use an https:// URL",
            ),
            Refusal::PlainHttp => FetchError::new(
                FetchErrorKind::PlainHttp,
                url,
                format!(
                    "{url} uses plain http:// to another computer, so nothing was sent: anyone on the way could read the credentials or change the answer"
                ),
                "use https://; plain http:// goes only to servers on this computer (127.0.0.1, ::1, localhost), or, for a test server you trust, when allowed explicitly (--allow-http on the command line)",
            ),
        }
    }
}

/// Whether the URL's host, as written, is this computer.
fn is_this_computer(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(policy: HttpPolicy, url: &str) -> Result<(), Refusal> {
        policy.judge(&Url::parse(url).unwrap())
    }

    #[test]
    fn https_always_goes() {
        for url in ["https://example.com/x", "https://127.0.0.1/x"] {
            assert_eq!(judged(HttpPolicy::default(), url), Ok(()));
        }
    }

    #[test]
    fn plain_http_only_to_this_computer_by_default() {
        for url in [
            "http://127.0.0.1:8080/scim/v2",
            "http://127.1.2.3/",
            "http://[::1]:80/v2",
            "http://localhost:9000/token",
            "http://LOCALHOST/",
        ] {
            assert_eq!(judged(HttpPolicy::default(), url), Ok(()), "{url}");
        }
        for url in [
            "http://scim.example.com/v2",
            "http://localhost.example.com/",
            "http://10.0.0.1/",
            "http://[::2]/",
            "http://0.0.0.0/",
            "http://127.0.0.1.nip.io/",
        ] {
            assert_eq!(
                judged(HttpPolicy::default(), url),
                Err(Refusal::PlainHttp),
                "{url}"
            );
        }
    }

    #[test]
    fn the_explicit_option_allows_plain_http_anywhere() {
        let policy = HttpPolicy::allowing_plain_http(true);
        assert_eq!(judged(policy, "http://scim.example.com/v2"), Ok(()));
    }

    #[test]
    fn other_schemes_never_go() {
        let policy = HttpPolicy::allowing_plain_http(true);
        for url in ["ftp://example.com/", "file:///etc/passwd", "gopher://x/"] {
            assert!(
                matches!(judged(policy, url), Err(Refusal::Scheme(_))),
                "{url}"
            );
        }
    }

    #[test]
    fn a_refusal_says_why_and_what_to_do() {
        let error = HttpPolicy::default()
            .check("http://scim.example.com/v2")
            .unwrap_err();
        assert_eq!(error.kind, FetchErrorKind::PlainHttp);
        assert!(
            error.message.contains("nothing was sent"),
            "{}",
            error.message
        );
        assert!(error.hint.contains("--allow-http"), "{}", error.hint);
        let error = HttpPolicy::default().check("not a url").unwrap_err();
        assert_eq!(error.kind, FetchErrorKind::InvalidUrl);
    }
}
