//! The result of a connection test: one timed, explained step per check, in the JSON shape
//! the CLI promises (`{"ok":bool,"dialect":"rfc7644"|"goto"|null,"steps":[{"name","ok","warning",
//! "http_status","latency_ms","detail"}]}`).

use serde::Serialize;

use super::dialect::Dialect;
use crate::secrets::Secret;

/// The checks, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepName {
    /// Getting, refreshing or taking the token.
    Token,
    /// `GET /ServiceProviderConfig` (may answer without authentication).
    ServiceProviderConfig,
    /// `GET /Users?count=1&startIndex=1` (proves the token).
    Users,
    /// `GET /Schemas`.
    Schemas,
    /// Every attribute Entra's mapping sends is declared by the server.
    AttributeMapping,
    /// Filtering by the matching attribute works.
    Filter,
}

impl StepName {
    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            StepName::Token => "Token",
            StepName::ServiceProviderConfig => "Service provider configuration",
            StepName::Users => "Read users (proves the token)",
            StepName::Schemas => "Schemas",
            StepName::AttributeMapping => "Attribute mapping",
            StepName::Filter => "Filter by userName",
        }
    }
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Which check.
    pub name: StepName,
    /// Whether it passed.
    pub ok: bool,
    /// It passed, but something needs the admin's attention before the first sync (the detail
    /// says what). Never set on a failed step.
    pub warning: bool,
    /// The HTTP status, when a request was answered.
    pub http_status: Option<u16>,
    /// How long it took.
    pub latency_ms: u64,
    /// What was learned, or what is wrong and what to do; never contains a secret.
    pub detail: String,
}

/// The whole test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TestReport {
    /// True when every step passed.
    pub ok: bool,
    /// The SCIM dialect the server's answers showed; `None` when no answer decided it.
    pub dialect: Option<Dialect>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

/// `text` with every occurrence of each secret (at least 4 characters long) replaced, so that a
/// server echoing a token back in an error body cannot leak it into a report. Besides the value
/// itself this catches the forms it travels in: URL- and form-encoded (either case of hex), JSON
/// string escapes, and base64 wherever the secret sits in the encoded bytes (an HTTP `Basic`
/// header of `client_id:secret`, plain or form-encoded as RFC 6749 §2.3.1 asks).
pub fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut patterns: Vec<String> = secrets
        .iter()
        .map(|secret| secret.expose())
        .filter(|value| value.len() >= MIN_REDACTED_LEN)
        .flat_map(encoded_forms)
        .filter(|pattern| pattern.len() >= MIN_REDACTED_LEN)
        .collect();
    // Longest first, so a longer form is not left half-replaced by a shorter one inside it.
    patterns.sort_by_key(|pattern| std::cmp::Reverse(pattern.len()));
    patterns.dedup();
    let mut clean = text.to_owned();
    for pattern in &patterns {
        if clean.contains(pattern.as_str()) {
            clean = clean.replace(pattern.as_str(), "«redacted»");
        }
    }
    clean
}

/// Shorter values (and shorter encoded pieces) are not redacted: they would blank out ordinary
/// words.
const MIN_REDACTED_LEN: usize = 4;

/// `value` as it can appear in a request, a response or a log.
fn encoded_forms(value: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let percent = form.replace('+', "%20");
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or_default()
        .to_owned();
    let json_ascii: String = json
        .chars()
        .flat_map(|c| {
            if c.is_ascii() {
                vec![c.to_string()]
            } else {
                let mut units = [0u16; 2];
                c.encode_utf16(&mut units)
                    .iter()
                    .map(|unit| format!("\\u{unit:04x}"))
                    .collect()
            }
        })
        .collect();
    let mut forms = vec![
        value.to_owned(),
        lower_hex(&form),
        lower_hex(&percent),
        json_ascii.replace('/', "\\/"),
        upper_unicode_escapes(&json_ascii),
        json.replace('/', "\\/"),
        form.clone(),
        percent.clone(),
        json,
        json_ascii,
    ];
    for raw in [value, form.as_str(), percent.as_str()] {
        forms.extend(base64_cores(raw.as_bytes()));
    }
    forms
}

/// `%2f` for `%2F`: some encoders write hex in lower case.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut rest = encoded;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escape = rest.get(at..at + 3).unwrap_or(&rest[at..]);
        out.push_str(&escape.to_ascii_lowercase());
        rest = &rest[at + escape.len()..];
    }
    out.push_str(rest);
    out
}

/// `\u00E4` for `\u00e4`: JSON encoders differ in the case of their hex digits too.
fn upper_unicode_escapes(escaped: &str) -> String {
    escaped
        .split("\\u")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                let cut = if part.is_char_boundary(4) { 4 } else { 0 };
                let (hex, tail) = part.split_at(cut);
                format!("\\u{}{tail}", hex.to_ascii_uppercase())
            }
        })
        .collect()
}

/// The base64 characters that `bytes` always turn into, wherever they start inside longer
/// encoded data: for each of the three positions in a 3-byte group, the characters that depend
/// on no byte before or after them (standard and URL-safe alphabets).
fn base64_cores(bytes: &[u8]) -> Vec<String> {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let mut cores = Vec::new();
    for offset in 0..3usize {
        let mut shifted = vec![0u8; offset];
        shifted.extend_from_slice(bytes);
        // The first characters also carry bits of the bytes before; the last one, when the
        // group is not full, bits of the bytes after.
        let skip = [0, 2, 3][offset];
        let total = shifted.len();
        let keep = total / 3 * 4 + total % 3;
        for engine in [STANDARD_NO_PAD, URL_SAFE_NO_PAD] {
            let encoded = engine.encode(&shifted);
            if let Some(core) = encoded.get(skip..keep.min(encoded.len())) {
                cores.push(core.to_owned());
            }
        }
    }
    cores
}

#[cfg(test)]
mod tests {
    use base64::Engine as _;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};

    use super::*;

    /// Characters that every encoding treats differently: space, slash, quote, backslash,
    /// plus, ampersand, equals, percent and a non-ASCII letter.
    const VALUE: &str = "s3cr/et +\"q\\&=%ä-42";

    fn form(text: &str) -> String {
        url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
    }

    #[test]
    fn every_encoded_form_of_a_secret_is_redacted() {
        let secret = Secret::from(VALUE);
        let percent = form(VALUE).replace('+', "%20");
        let json = serde_json::to_string(VALUE).unwrap();
        let json = &json[1..json.len() - 1];
        let mut shown = vec![
            format!("plain {VALUE} end"),
            format!("form body client_secret={}&grant_type=x", form(VALUE)),
            format!("query ?token={percent}&x=1"),
            format!("lower-case escapes {}", percent.to_lowercase()),
            format!("{{\"detail\":\"{json}\"}}"),
            format!("{{\"detail\":\"{}\"}}", json.replace('/', "\\/")),
            format!("{{\"detail\":\"{}\"}}", json.replace('ä', "\\u00e4")),
        ];
        // HTTP Basic as OAuth clients send it (RFC 6749 §2.3.1: both parts form-encoded, then
        // base64), with client IDs of every length modulo 3 so the secret starts at each
        // position of a base64 group.
        for client_id in ["a", "ab", "abc", "client-7"] {
            for raw in [
                format!("{client_id}:{VALUE}"),
                format!("{}:{}", form(client_id), form(VALUE)),
            ] {
                shown.push(format!("Authorization: Basic {}", STANDARD.encode(&raw)));
                shown.push(format!("token={}", URL_SAFE.encode(&raw)));
            }
        }
        for text in shown {
            let clean = redact(&text, &[&secret]);
            assert!(clean.contains("«redacted»"), "{text} -> {clean}");
            assert!(!clean.contains("s3cr"), "{text} -> {clean}");
            // Nothing decodable is left of it either.
            for word in clean.split(|c: char| !(c.is_ascii_alphanumeric() || "+/_-=".contains(c))) {
                for engine in [STANDARD, URL_SAFE] {
                    let decoded = engine
                        .decode(word.trim_end_matches('='))
                        .or_else(|_| engine.decode(word));
                    if let Ok(bytes) = decoded {
                        let text = String::from_utf8_lossy(&bytes);
                        assert!(!text.contains("s3cr/et"), "{word} in {clean}");
                    }
                }
            }
        }
    }

    #[test]
    fn short_or_empty_values_are_not_redacted() {
        let text = "the access token had expired; ok";
        assert_eq!(
            redact(text, &[&Secret::default(), &Secret::from("ok")]),
            text
        );
    }
}
