//! One captured value into a SAML message: base64, then raw deflate when it is not XML yet
//! (capped by the decode budget), then the XML's root named.

use super::*;

/// Base64 (whitespace and URL-encoding tolerated), then plain XML or raw-deflated XML.
pub(super) fn decode_value(
    value: &str,
    binding: Option<Binding>,
    kind: InputKind,
    budget: &mut DecodeBudget,
) -> Result<DecodedMessage, DecodeError> {
    let too_large = DecodeError::MessageTooLarge {
        limit: MAX_MESSAGE_BYTES,
    };
    // Base64 is 4/3 of its bytes; URL-encoding at most triples that. Refused before copying.
    if value.len() > 4 * MAX_MESSAGE_BYTES + 1024 {
        return Err(too_large);
    }
    let mut cleaned: String = value.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.contains('%') {
        cleaned = url::form_urlencoded::parse(format!("v={cleaned}").as_bytes())
            .next()
            .map(|(_, decoded)| decoded.into_owned())
            .unwrap_or(cleaned);
    }
    if cleaned.len() / 4 * 3 > MAX_MESSAGE_BYTES + 3 {
        return Err(too_large);
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
    drop(cleaned);
    if bytes.len() > MAX_MESSAGE_BYTES {
        return Err(too_large);
    }
    budget.take(bytes.len())?;
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
    let inflated = inflate(&bytes, budget)?;
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

/// Raw deflate, capped so that a small input cannot expand without bound: at most
/// [`MAX_MESSAGE_BYTES`], and no more than `budget` has left (what was inflated is drawn from
/// it, also when it is refused).
pub(super) fn inflate(bytes: &[u8], budget: &mut DecodeBudget) -> Result<Vec<u8>, DecodeError> {
    let limit = MAX_MESSAGE_BYTES.min(budget.left);
    let mut out = Vec::new();
    let read = flate2::read::DeflateDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out);
    budget.take(out.len().min(limit))?;
    read.map_err(|error| DecodeError::Unrecognised {
        reason: format!(
            "the base64 decodes to binary data that is neither XML nor deflated XML ({error})"
        ),
    })?;
    if out.len() > limit {
        return Err(if limit < MAX_MESSAGE_BYTES {
            budget.left = 0;
            DecodeError::DecodeBudgetExhausted {
                limit: MAX_DECODED_BYTES,
            }
        } else {
            DecodeError::MessageTooLarge {
                limit: MAX_MESSAGE_BYTES,
            }
        });
    }
    Ok(out)
}

/// The bytes as text when they are (UTF-8) XML.
pub(super) fn as_xml(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    text.trim_start()
        .starts_with('<')
        .then(|| text.trim().to_owned())
}

/// `samlp:Response` → `Response`, for labelling raw XML.
pub(super) fn root_name(xml: &str) -> String {
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
