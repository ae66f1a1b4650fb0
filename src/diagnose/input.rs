//! Finds and decodes SAML messages in captured input, detecting the form automatically: raw XML,
//! base64 (with whitespace or URL-encoding), deflate + base64 (the redirect binding), a form body
//! or query string (`SAMLResponse=…&RelayState=…`), a HAR file from the browser's developer tools,
//! or a SAML-tracer JSON export. Untrusted input: sizes are capped (also while inflating) and
//! nothing panics.

use std::io::Read;

use base64::Engine as _;
use serde_json::Value;

/// The largest capture accepted (HAR files of a whole sign-in are a few megabytes).
pub const MAX_CAPTURE_BYTES: usize = 50 * 1024 * 1024;
/// The largest decoded message (a SAML response is a few kilobytes; this also caps inflation).
pub const MAX_MESSAGE_BYTES: usize = 5 * 1024 * 1024;

/// How the capture was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// The XML itself.
    Xml,
    /// Base64 of the XML (the POST binding's `SAMLResponse` value).
    Base64,
    /// Deflated, then base64 (the redirect binding).
    DeflatedBase64,
    /// A form body or query string with `SAMLResponse=` / `SAMLRequest=`.
    FormBody,
    /// A HAR file (browser developer tools, "Save all as HAR").
    Har,
    /// A SAML-tracer JSON export.
    SamlTracer,
}

/// How the message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Binding {
    /// HTTP-POST (base64 only).
    Post,
    /// HTTP-Redirect (deflate + base64 in the query).
    Redirect,
    /// Not known (raw XML).
    Unknown,
}

/// One SAML message found in the capture.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecodedMessage {
    /// How the capture was given.
    pub kind: InputKind,
    /// How the message travelled, when known.
    pub binding: Binding,
    /// `SAMLResponse` or `SAMLRequest` (or the root element's name for raw XML).
    pub parameter: String,
    /// The decoded XML.
    pub xml: String,
    /// The `RelayState` sent with it.
    pub relay_state: Option<String>,
    /// Where it was found (e.g. "HAR entry 12: POST https://…/saml/acs").
    pub found_at: Option<String>,
    /// When the browser sent it (a HAR entry's `startedDateTime`), as written.
    pub captured_at: Option<String>,
}

/// Nothing usable in the capture.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Empty.
    #[error(
        "the capture is empty: paste the SAMLResponse value, the form body, or open the HAR file"
    )]
    Empty,
    /// Too big.
    #[error(
        "the capture is {size} bytes, more than the limit of {limit}: save only the sign-in requests"
    )]
    TooLarge {
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A decoded message over the limit (or a deflate bomb).
    #[error(
        "a decoded message would be larger than {limit} bytes, which no SAML message is; the capture is damaged or hostile"
    )]
    MessageTooLarge {
        /// The limit.
        limit: usize,
    },
    /// JSON without a SAML message.
    #[error(
        "this {what} holds no SAMLResponse or SAMLRequest: capture the sign-in again with \"Preserve log\" on, and include the POST to GoTo's reply URL"
    )]
    NoMessageInCapture {
        /// "HAR file" or "SAML-tracer export".
        what: &'static str,
    },
    /// A message was asked for by number and the capture has fewer.
    #[error(
        "message {asked} was asked for, but the capture holds {found} SAML message(s): give a number from 1 to {found}"
    )]
    NoSuchMessage {
        /// The number asked for (1-based).
        asked: usize,
        /// How many there are.
        found: usize,
    },
    /// Not decodable at all.
    #[error(
        "this is not a SAML message: {reason}. Paste the SAMLResponse value (base64), the whole form body, or the XML"
    )]
    Unrecognised {
        /// Why.
        reason: String,
    },
}

/// Finds every SAML message in `capture` (a HAR may hold several; the last response is usually the one that failed).
pub fn decode(capture: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
    if capture.len() > MAX_CAPTURE_BYTES {
        return Err(DecodeError::TooLarge {
            size: capture.len(),
            limit: MAX_CAPTURE_BYTES,
        });
    }
    let text = String::from_utf8_lossy(capture.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(capture));
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    if trimmed.starts_with('<') {
        return Ok(vec![DecodedMessage {
            kind: InputKind::Xml,
            binding: Binding::Unknown,
            parameter: root_name(trimmed),
            xml: trimmed.to_owned(),
            relay_state: None,
            found_at: None,
            captured_at: None,
        }]);
    }
    if trimmed.starts_with('{') {
        let json: Value =
            serde_json::from_str(trimmed).map_err(|error| DecodeError::Unrecognised {
                reason: format!("it starts like JSON but is not valid JSON ({error})"),
            })?;
        return from_json(&json);
    }
    if has_saml_parameter(trimmed) {
        let query = trimmed.split_once('?').map_or(trimmed, |(_, query)| query);
        return from_form(query, InputKind::FormBody, None, None)
            .and_then(|found| non_empty(found, "form body"));
    }
    let single = decode_value(trimmed, None, InputKind::Base64)?;
    Ok(vec![DecodedMessage {
        parameter: root_name(&single.xml),
        ..single
    }])
}

fn non_empty(
    found: Vec<DecodedMessage>,
    what: &'static str,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    if found.is_empty() {
        Err(DecodeError::NoMessageInCapture { what })
    } else {
        Ok(found)
    }
}

fn has_saml_parameter(text: &str) -> bool {
    text.contains("SAMLResponse=") || text.contains("SAMLRequest=")
}

/// Messages in an `application/x-www-form-urlencoded` string.
fn from_form(
    form: &str,
    kind: InputKind,
    binding: Option<Binding>,
    found_at: Option<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(form.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    from_pairs(&pairs, kind, binding, found_at)
}

fn from_pairs(
    pairs: &[(String, String)],
    kind: InputKind,
    binding: Option<Binding>,
    found_at: Option<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let relay_state = pairs
        .iter()
        .find(|(key, _)| key == "RelayState")
        .map(|(_, value)| value.clone());
    let mut found = Vec::new();
    for (key, value) in pairs {
        if key != "SAMLResponse" && key != "SAMLRequest" {
            continue;
        }
        let mut message = decode_value(value, binding, kind)?;
        message.parameter = key.clone();
        message.relay_state = relay_state.clone();
        message.found_at = found_at.clone();
        found.push(message);
    }
    Ok(found)
}

/// Base64 (whitespace and URL-encoding tolerated), then plain XML or raw-deflated XML.
fn decode_value(
    value: &str,
    binding: Option<Binding>,
    kind: InputKind,
) -> Result<DecodedMessage, DecodeError> {
    let mut cleaned: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.contains('%') {
        cleaned = url::form_urlencoded::parse(format!("v={cleaned}").as_bytes())
            .next()
            .map(|(_, decoded)| decoded.into_owned())
            .unwrap_or(cleaned);
    }
    let lenient = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let bytes = lenient
        .decode(cleaned.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cleaned.trim_end_matches('='))
        })
        .map_err(|error| DecodeError::Unrecognised {
            reason: format!("it is neither XML nor base64 ({error})"),
        })?;
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(DecodeError::MessageTooLarge {
            limit: MAX_MESSAGE_BYTES,
        });
    }
    if let Some(xml) = as_xml(&bytes) {
        return Ok(DecodedMessage {
            kind,
            binding: binding.unwrap_or(Binding::Post),
            parameter: String::new(),
            xml,
            relay_state: None,
            found_at: None,
            captured_at: None,
        });
    }
    let inflated = inflate(&bytes)?;
    match as_xml(&inflated) {
        Some(xml) => Ok(DecodedMessage {
            kind: if kind == InputKind::Base64 {
                InputKind::DeflatedBase64
            } else {
                kind
            },
            binding: Binding::Redirect,
            parameter: String::new(),
            xml,
            relay_state: None,
            found_at: None,
            captured_at: None,
        }),
        None => Err(DecodeError::Unrecognised {
            reason: "the base64 decodes to binary data that is not XML, even after inflating"
                .to_owned(),
        }),
    }
}

/// Raw deflate, capped so that a small input cannot expand without bound.
fn inflate(bytes: &[u8]) -> Result<Vec<u8>, DecodeError> {
    let mut out = Vec::new();
    let limit = MAX_MESSAGE_BYTES as u64 + 1;
    flate2::read::DeflateDecoder::new(bytes)
        .take(limit)
        .read_to_end(&mut out)
        .map_err(|error| DecodeError::Unrecognised {
            reason: format!(
                "the base64 decodes to binary data that is neither XML nor deflated XML ({error})"
            ),
        })?;
    if out.len() > MAX_MESSAGE_BYTES {
        return Err(DecodeError::MessageTooLarge {
            limit: MAX_MESSAGE_BYTES,
        });
    }
    Ok(out)
}

/// The bytes as text when they are (UTF-8) XML.
fn as_xml(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    text.trim_start()
        .starts_with('<')
        .then(|| text.trim().to_owned())
}

/// `samlp:Response` → `Response`, for labelling raw XML.
fn root_name(xml: &str) -> String {
    let mut rest = xml;
    // Skip the declaration, comments and processing instructions.
    while let Some(after) = rest.trim_start().strip_prefix('<') {
        if after.starts_with('?') || after.starts_with('!') {
            rest = after.split_once('>').map_or("", |(_, tail)| tail);
            continue;
        }
        let name: String = after
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        return name.rsplit(':').next().unwrap_or_default().to_owned();
    }
    String::new()
}

/// A HAR file or a SAML-tracer export.
fn from_json(json: &Value) -> Result<Vec<DecodedMessage>, DecodeError> {
    if let Some(entries) = json.pointer("/log/entries").and_then(Value::as_array) {
        let mut found = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let request = &entry["request"];
            let method = request["method"].as_str().unwrap_or("");
            let url = request["url"].as_str().unwrap_or("");
            let at = Some(format!("HAR entry {}: {method} {url}", index + 1));
            let before = found.len();
            if let Some(params) = request
                .pointer("/postData/params")
                .and_then(Value::as_array)
            {
                let pairs: Vec<(String, String)> = params
                    .iter()
                    .filter_map(|p| {
                        Some((
                            p["name"].as_str()?.to_owned(),
                            percent_decode(p["value"].as_str()?),
                        ))
                    })
                    .collect();
                found.extend(from_pairs(
                    &pairs,
                    InputKind::Har,
                    Some(Binding::Post),
                    at.clone(),
                )?);
            } else if let Some(body) = request.pointer("/postData/text").and_then(Value::as_str)
                && has_saml_parameter(body)
            {
                found.extend(from_form(
                    body,
                    InputKind::Har,
                    Some(Binding::Post),
                    at.clone(),
                )?);
            }
            found.extend(from_url_query(url, InputKind::Har, at)?);
            let started = entry["startedDateTime"].as_str().map(str::to_owned);
            for message in &mut found[before..] {
                message.captured_at.clone_from(&started);
            }
        }
        return non_empty(found, "HAR file");
    }
    if let Some(requests) = json.get("requests").and_then(Value::as_array) {
        let mut found = Vec::new();
        for (index, request) in requests.iter().enumerate() {
            let method = request["method"].as_str().unwrap_or("");
            let url = request["url"].as_str().unwrap_or("");
            let at = Some(format!("SAML-tracer request {}: {method} {url}", index + 1));
            // SAML-tracer keeps POST parameters as [name, value] pairs.
            if let Some(post) = request.get("post").and_then(Value::as_array) {
                let pairs: Vec<(String, String)> = post
                    .iter()
                    .filter_map(|pair| {
                        Some((
                            pair.get(0)?.as_str()?.to_owned(),
                            pair.get(1)?.as_str()?.to_owned(),
                        ))
                    })
                    .collect();
                found.extend(from_pairs(
                    &pairs,
                    InputKind::SamlTracer,
                    Some(Binding::Post),
                    at.clone(),
                )?);
            }
            found.extend(from_url_query(url, InputKind::SamlTracer, at)?);
        }
        return non_empty(found, "SAML-tracer export");
    }
    Err(DecodeError::Unrecognised {
        reason: "the JSON is neither a HAR file (log.entries) nor a SAML-tracer export (requests)"
            .to_owned(),
    })
}

/// Messages in a request URL's query string (the redirect binding), in a HAR or SAML-tracer capture.
fn from_url_query(
    url: &str,
    kind: InputKind,
    found_at: Option<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    match url.split_once('?') {
        Some((_, query)) if has_saml_parameter(query) => {
            from_form(query, kind, Some(Binding::Redirect), found_at)
        }
        _ => Ok(Vec::new()),
    }
}

/// HAR stores form parameter values URL-encoded.
fn percent_decode(value: &str) -> String {
    if !value.contains('%') && !value.contains('+') {
        return value.to_owned();
    }
    url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map_or_else(|| value.to_owned(), |(_, decoded)| decoded.into_owned())
}

#[cfg(test)]
mod tests;
