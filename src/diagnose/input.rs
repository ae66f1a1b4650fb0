//! Finds and decodes SAML messages in captured input, detecting the form automatically: raw XML,
//! base64 (with whitespace or URL-encoding), deflate + base64 (the redirect binding), a form body
//! or query string (`SAMLResponse=…&RelayState=…`), a HAR file from the browser's developer tools,
//! or a SAML-tracer JSON export. Untrusted input: sizes are capped (also while inflating) and
//! nothing panics.
//!
//! A capture is first *listed* ([`list`]): its messages are found, still encoded, without
//! decoding any of them (a HAR is read as a stream, not as a JSON tree). Only the message that is
//! checked is decoded ([`ListedMessage::decode`]), and the AuthnRequest before it; every decode
//! draws on one [`DecodeBudget`] for the capture. A message that cannot be decoded is skipped
//! (the diagnosis says so) and never stops the diagnosis of one that can.

mod capture_json;
mod value;

use std::borrow::Cow;
use std::io::Read;

use base64::Engine as _;

use value::{decode_value, root_name};

/// The largest capture accepted (HAR files of a whole sign-in are a few megabytes).
pub const MAX_CAPTURE_BYTES: usize = 50 * 1024 * 1024;
/// The largest decoded message (a SAML response is a few kilobytes; this also caps inflation).
pub const MAX_MESSAGE_BYTES: usize = 5 * 1024 * 1024;
/// The most SAML messages a capture may hold (a sign-in has two; a long session a few dozen).
pub const MAX_MESSAGES: usize = 500;
/// The most bytes decoding one capture's messages may produce in all (base64-decoded and
/// inflated, skipped messages included): three messages of the largest size, and some.
pub const MAX_DECODED_BYTES: usize = 16 * 1024 * 1024;

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
    /// More SAML messages than [`MAX_MESSAGES`].
    #[error(
        "the capture holds more than {limit} SAML messages: save only the failed sign-in (in the browser's developer tools: clear the log, sign in again, save)"
    )]
    TooManyMessages {
        /// The limit.
        limit: usize,
    },
    /// Decoding the capture's messages would produce more than [`MAX_DECODED_BYTES`].
    #[error(
        "decoding the capture's messages would produce more than {limit} bytes, which no sign-in does; the capture is damaged or hostile"
    )]
    DecodeBudgetExhausted {
        /// The limit.
        limit: usize,
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

/// One SAML message of a capture, found but not decoded yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedMessage<'a> {
    /// How the capture was given.
    pub kind: InputKind,
    /// How the message travelled, when the capture says.
    binding: Option<Binding>,
    /// `SAMLResponse` or `SAMLRequest` (the root element's name for raw XML; empty for a bare
    /// base64 value until decoded).
    pub parameter: String,
    /// The value as captured (base64, or the XML itself).
    value: Cow<'a, str>,
    /// Whether `value` is the XML itself.
    raw_xml: bool,
    /// The `RelayState` sent with it.
    pub relay_state: Option<String>,
    /// Where it was found (e.g. "HAR entry 12: POST https://…/saml/acs").
    pub found_at: Option<String>,
    /// When the browser sent it (a HAR entry's `startedDateTime`), as written.
    pub captured_at: Option<String>,
}

impl ListedMessage<'_> {
    /// Whether it is a request (an AuthnRequest, a LogoutRequest), not a response.
    pub fn is_request(&self) -> bool {
        self.parameter.ends_with("Request")
    }

    /// Decodes it, drawing on `budget`.
    pub fn decode(&self, budget: &mut DecodeBudget) -> Result<DecodedMessage, DecodeError> {
        let mut message = if self.raw_xml {
            budget.take(self.value.len())?;
            DecodedMessage {
                kind: InputKind::Xml,
                binding: Binding::Unknown,
                parameter: String::new(),
                xml: self.value.trim().to_owned(),
                relay_state: None,
                found_at: None,
                captured_at: None,
            }
        } else {
            decode_value(&self.value, self.binding, self.kind, budget)?
        };
        message.parameter = if self.parameter.is_empty() {
            root_name(&message.xml)
        } else {
            self.parameter.clone()
        };
        message.relay_state.clone_from(&self.relay_state);
        message.found_at.clone_from(&self.found_at);
        message.captured_at.clone_from(&self.captured_at);
        Ok(message)
    }
}

/// How many bytes decoding may still produce for one capture (see [`MAX_DECODED_BYTES`]).
#[derive(Debug, Clone)]
pub struct DecodeBudget {
    left: usize,
}

impl Default for DecodeBudget {
    fn default() -> Self {
        DecodeBudget {
            left: MAX_DECODED_BYTES,
        }
    }
}

impl DecodeBudget {
    /// Draws `bytes`; an error when fewer are left (the budget is then spent).
    fn take(&mut self, bytes: usize) -> Result<(), DecodeError> {
        match self.left.checked_sub(bytes) {
            Some(left) => {
                self.left = left;
                Ok(())
            }
            None => {
                self.left = 0;
                Err(DecodeError::DecodeBudgetExhausted {
                    limit: MAX_DECODED_BYTES,
                })
            }
        }
    }
}

/// The capture as text: its size checked, a byte-order mark dropped, surrounding space trimmed.
pub fn capture_text(capture: &[u8]) -> Result<Cow<'_, str>, DecodeError> {
    if capture.len() > MAX_CAPTURE_BYTES {
        return Err(DecodeError::TooLarge {
            size: capture.len(),
            limit: MAX_CAPTURE_BYTES,
        });
    }
    let text = String::from_utf8_lossy(capture.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(capture));
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    Ok(text)
}

/// Finds every SAML message in `text` (see [`capture_text`]) without decoding any.
pub fn list(text: &str) -> Result<Vec<ListedMessage<'_>>, DecodeError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    if trimmed.starts_with('<') {
        if trimmed.len() > MAX_MESSAGE_BYTES {
            return Err(DecodeError::MessageTooLarge {
                limit: MAX_MESSAGE_BYTES,
            });
        }
        return Ok(vec![ListedMessage {
            kind: InputKind::Xml,
            binding: Some(Binding::Unknown),
            parameter: root_name(trimmed),
            value: Cow::Borrowed(trimmed),
            raw_xml: true,
            relay_state: None,
            found_at: None,
            captured_at: None,
        }]);
    }
    if trimmed.starts_with('{') {
        return from_json(trimmed);
    }
    if has_saml_parameter(trimmed) {
        let query = trimmed.split_once('?').map_or(trimmed, |(_, query)| query);
        let found = from_form(Cow::Borrowed(query), InputKind::FormBody, None, None);
        return capped(non_empty(found, "form body")?);
    }
    Ok(vec![ListedMessage {
        kind: InputKind::Base64,
        binding: None,
        parameter: String::new(),
        value: Cow::Borrowed(trimmed),
        raw_xml: false,
        relay_state: None,
        found_at: None,
        captured_at: None,
    }])
}

/// Finds and decodes every SAML message in `capture`; the first that cannot be decoded is the
/// error. (The diagnosis lists, then decodes only what it checks: see [`list`].)
pub fn decode(capture: &[u8]) -> Result<Vec<DecodedMessage>, DecodeError> {
    let text = capture_text(capture)?;
    let mut budget = DecodeBudget::default();
    list(&text)?
        .iter()
        .map(|message| message.decode(&mut budget))
        .collect()
}

/// The message to check (number `number`, 1-based, or else the last response that can be
/// decoded), decoded, with its index. Messages tried and not decodable are added to `skipped`.
pub fn choose(
    listed: &[ListedMessage],
    number: Option<usize>,
    budget: &mut DecodeBudget,
    skipped: &mut Vec<(usize, DecodeError)>,
) -> Result<(usize, DecodedMessage), DecodeError> {
    if let Some(number) = number {
        if number == 0 || number > listed.len() {
            return Err(DecodeError::NoSuchMessage {
                asked: number,
                found: listed.len(),
            });
        }
        return listed[number - 1]
            .decode(budget)
            .map(|message| (number - 1, message));
    }
    let mut candidates: Vec<usize> = (0..listed.len())
        .rev()
        .filter(|&index| !listed[index].is_request())
        .collect();
    if candidates.is_empty() {
        candidates = (0..listed.len()).rev().collect();
    }
    let mut first_error = None;
    for index in candidates {
        match listed[index].decode(budget) {
            Ok(message) => return Ok((index, message)),
            Err(error @ DecodeError::DecodeBudgetExhausted { .. }) => return Err(error),
            Err(error) => {
                skipped.push((index, error.clone()));
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(DecodeError::Empty))
}

/// The nearest AuthnRequest (`SAMLRequest`) among `before` that can be decoded; those that
/// cannot are added to `skipped`.
pub fn nearest_request(
    before: &[ListedMessage],
    budget: &mut DecodeBudget,
    skipped: &mut Vec<(usize, DecodeError)>,
) -> Option<DecodedMessage> {
    for (index, message) in before.iter().enumerate().rev() {
        if message.parameter != "SAMLRequest" {
            continue;
        }
        match message.decode(budget) {
            Ok(decoded) => return Some(decoded),
            Err(error) => {
                let spent = matches!(error, DecodeError::DecodeBudgetExhausted { .. });
                skipped.push((index, error));
                if spent {
                    return None;
                }
            }
        }
    }
    None
}

fn non_empty<T>(found: Vec<T>, what: &'static str) -> Result<Vec<T>, DecodeError> {
    if found.is_empty() {
        Err(DecodeError::NoMessageInCapture { what })
    } else {
        Ok(found)
    }
}

fn capped<T>(found: Vec<T>) -> Result<Vec<T>, DecodeError> {
    if found.len() > MAX_MESSAGES {
        Err(DecodeError::TooManyMessages {
            limit: MAX_MESSAGES,
        })
    } else {
        Ok(found)
    }
}

fn has_saml_parameter(text: &str) -> bool {
    text.contains("SAMLResponse=") || text.contains("SAMLRequest=")
}

/// Messages in an `application/x-www-form-urlencoded` string.
fn from_form<'a>(
    form: Cow<'a, str>,
    kind: InputKind,
    binding: Option<Binding>,
    found_at: Option<String>,
) -> Vec<ListedMessage<'a>> {
    let pairs: Vec<(Cow<'a, str>, Cow<'a, str>)> = match form {
        Cow::Borrowed(form) => url::form_urlencoded::parse(form.as_bytes()).collect(),
        Cow::Owned(form) => url::form_urlencoded::parse(form.as_bytes())
            .map(|(key, value)| (Cow::Owned(key.into_owned()), Cow::Owned(value.into_owned())))
            .collect(),
    };
    from_pairs(pairs, kind, binding, found_at)
}

fn from_pairs<'a>(
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    kind: InputKind,
    binding: Option<Binding>,
    found_at: Option<String>,
) -> Vec<ListedMessage<'a>> {
    let relay_state = pairs
        .iter()
        .find(|(key, _)| key == "RelayState")
        .map(|(_, value)| value.clone().into_owned());
    pairs
        .into_iter()
        .filter(|(key, _)| key == "SAMLResponse" || key == "SAMLRequest")
        .map(|(key, value)| ListedMessage {
            kind,
            binding,
            parameter: key.into_owned(),
            value,
            raw_xml: false,
            relay_state: relay_state.clone(),
            found_at: found_at.clone(),
            captured_at: None,
        })
        .collect()
}

/// A HAR file or a SAML-tracer export, read as a stream (see `capture_json`).
fn from_json(json: &str) -> Result<Vec<ListedMessage<'_>>, DecodeError> {
    let mut found: Vec<ListedMessage> = Vec::new();
    let mut too_many = false;
    let shape = capture_json::read(json, &mut |number, request| {
        let method = request.method.as_deref().unwrap_or("");
        let url = request.url.as_deref().unwrap_or("");
        let before = found.len();
        let (kind, at) = if request.tracer {
            (
                InputKind::SamlTracer,
                format!("SAML-tracer request {number}: {method} {url}"),
            )
        } else {
            (
                InputKind::Har,
                format!("HAR entry {number}: {method} {url}"),
            )
        };
        let at = Some(at);
        if !request.har_params.is_empty() {
            let pairs = request
                .har_params
                .into_iter()
                .map(|(name, value)| (name, percent_decode(value)))
                .collect();
            found.extend(from_pairs(pairs, kind, Some(Binding::Post), at.clone()));
        } else if let Some(body) = request.har_body.filter(|body| has_saml_parameter(body)) {
            found.extend(from_form(body, kind, Some(Binding::Post), at.clone()));
        }
        if !request.tracer_post.is_empty() {
            found.extend(from_pairs(
                request.tracer_post,
                kind,
                Some(Binding::Post),
                at.clone(),
            ));
        }
        if let Some(url) = request.url {
            found.extend(from_url_query(url, kind, at));
        }
        let started = request.started.map(Cow::into_owned);
        for message in &mut found[before..] {
            message.captured_at.clone_from(&started);
        }
        too_many = found.len() > MAX_MESSAGES;
        !too_many
    })
    .map_err(|error| DecodeError::Unrecognised {
        reason: format!("it starts like JSON but is not valid JSON ({error})"),
    })?;
    if too_many {
        return Err(DecodeError::TooManyMessages {
            limit: MAX_MESSAGES,
        });
    }
    if shape.har {
        return non_empty(found, "HAR file");
    }
    if shape.tracer {
        return non_empty(found, "SAML-tracer export");
    }
    Err(DecodeError::Unrecognised {
        reason: "the JSON is neither a HAR file (log.entries) nor a SAML-tracer export (requests)"
            .to_owned(),
    })
}

/// Messages in a request URL's query string (the redirect binding), in a HAR or SAML-tracer capture.
fn from_url_query<'a>(
    url: Cow<'a, str>,
    kind: InputKind,
    found_at: Option<String>,
) -> Vec<ListedMessage<'a>> {
    let query = match url {
        Cow::Borrowed(url) => url.split_once('?').map(|(_, query)| Cow::Borrowed(query)),
        Cow::Owned(url) => url
            .split_once('?')
            .map(|(_, query)| Cow::Owned(query.to_owned())),
    };
    match query {
        Some(query) if has_saml_parameter(&query) => {
            from_form(query, kind, Some(Binding::Redirect), found_at)
        }
        _ => Vec::new(),
    }
}

/// HAR stores form parameter values URL-encoded.
fn percent_decode(value: Cow<'_, str>) -> Cow<'_, str> {
    if !value.contains('%') && !value.contains('+') {
        return value;
    }
    let decoded = url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, decoded)| decoded.into_owned());
    decoded.map_or(value, Cow::Owned)
}

#[cfg(test)]
mod tests;
