//! Base64 as people and XML carry it: whitespace and line breaks anywhere, errors reported at the
//! line and column of the original text rather than at an offset into a cleaned-up copy.

use std::ops::Range;

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

use super::CertificateError;

/// Standard alphabet; padding optional because some tools drop it and it carries no information.
/// Trailing bits must still be zero, which catches most truncated copies.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes `text` (the whole of it), ignoring ASCII whitespace.
pub(super) fn decode(text: &[u8], position_offset: usize) -> Result<Vec<u8>, CertificateError> {
    decode_in(text, 0..text.len()).map_err(|error| shift(error, position_offset))
}

/// Decodes `input[range]`, ignoring ASCII whitespace; positions in errors refer to `input`, so
/// lines and columns are those of the whole text.
pub(super) fn decode_in(input: &[u8], range: Range<usize>) -> Result<Vec<u8>, CertificateError> {
    let start = range.start;
    let segment = input.get(range).unwrap_or_default();
    let compact: Vec<u8> = segment
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace())
        .collect();
    if compact.is_empty() {
        return Err(CertificateError::Empty);
    }
    ENGINE.decode(&compact).map_err(|error| match error {
        base64::DecodeError::InvalidByte(index, _) => {
            match nth_non_whitespace(segment, index) {
                Some(offset) => not_base64_at(input, start + offset),
                // Cannot happen (the index comes from `compact`); stay total anyway.
                None => CertificateError::Base64Truncated,
            }
        }
        base64::DecodeError::InvalidLength(_)
        | base64::DecodeError::InvalidLastSymbol(_, _)
        | base64::DecodeError::InvalidPadding => CertificateError::Base64Truncated,
    })
}

/// Adds `offset` to the byte position of a [`CertificateError::NotBase64`] (a byte order mark
/// the caller removed before decoding); lines and columns stay as an editor shows them.
pub(super) fn shift(error: CertificateError, offset: usize) -> CertificateError {
    match error {
        CertificateError::NotBase64 {
            position,
            line,
            column,
            found,
        } => CertificateError::NotBase64 {
            position: position + offset,
            line,
            column,
            found,
        },
        other => other,
    }
}

/// Offset in `segment` of its `n`th (0-based) non-whitespace byte.
fn nth_non_whitespace(segment: &[u8], n: usize) -> Option<usize> {
    segment
        .iter()
        .enumerate()
        .filter(|(_, byte)| !byte.is_ascii_whitespace())
        .nth(n)
        .map(|(offset, _)| offset)
}

/// A [`CertificateError::NotBase64`] for the character starting at byte `position` of `input`.
pub(super) fn not_base64_at(input: &[u8], position: usize) -> CertificateError {
    let before = input.get(..position).unwrap_or(input);
    let line_start = before
        .iter()
        .rposition(|&byte| byte == b'\n')
        .map_or(0, |newline| newline + 1);
    let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
    // Count characters, not bytes, so the column matches an editor's; UTF-8 continuation
    // bytes (10xxxxxx) do not start a character.
    let column = 1 + before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&byte| byte & 0xC0 != 0x80)
        .count();
    let found = input
        .get(position..)
        .and_then(|rest| rest.utf8_chunks().next())
        .and_then(|chunk| chunk.valid().chars().next())
        .unwrap_or(char::REPLACEMENT_CHARACTER);
    CertificateError::NotBase64 {
        position,
        line,
        column,
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_anywhere_is_ignored() {
        assert_eq!(decode(b" SGVs\r\nbG8\t=\n", 0), Ok(b"Hello".to_vec()));
    }

    #[test]
    fn missing_padding_is_accepted() {
        assert_eq!(decode(b"SGVsbG8", 0), Ok(b"Hello".to_vec()));
    }

    #[test]
    fn bad_character_reports_line_and_column_of_the_original_text() {
        let text = "SGVs\r\n  bG!8=\n";
        let error = decode(text.as_bytes(), 0).unwrap_err();
        assert_eq!(
            error,
            CertificateError::NotBase64 {
                position: 10,
                line: 2,
                column: 5,
                found: '!',
            }
        );
    }

    #[test]
    fn columns_count_characters_and_non_ascii_is_shown() {
        let text = "ééAB€CD";
        let error = decode(text.as_bytes(), 0).unwrap_err();
        assert_eq!(
            error,
            CertificateError::NotBase64 {
                position: 0,
                line: 1,
                column: 1,
                found: 'é',
            }
        );
        let error = decode_in(text.as_bytes(), 4..text.len()).unwrap_err();
        assert_eq!(
            error,
            CertificateError::NotBase64 {
                position: 6,
                line: 1,
                column: 5,
                found: '€',
            }
        );
    }

    #[test]
    fn positions_are_shifted_by_the_offset() {
        let error = decode(b"AB!", 3).unwrap_err();
        assert!(matches!(
            error,
            CertificateError::NotBase64 {
                position: 5,
                column: 3,
                ..
            }
        ));
    }

    #[test]
    fn truncated_or_empty_text() {
        assert_eq!(decode(b"SGVsb", 0), Err(CertificateError::Base64Truncated));
        assert_eq!(
            decode(b"SGVsbG9=", 0),
            Err(CertificateError::Base64Truncated)
        );
        assert_eq!(decode(b" \r\n", 0), Err(CertificateError::Empty));
        assert_eq!(decode(b"", 0), Err(CertificateError::Empty));
    }

    #[test]
    fn out_of_range_segment_is_empty_not_a_panic() {
        assert_eq!(decode_in(b"abc", 2..10), Err(CertificateError::Empty));
    }
}
