//! Prepares raw bytes for the XML readers: enforces the size limit, drops a UTF-8
//! byte-order mark and turns UTF-16 (what Windows PowerShell's `Out-File` writes) into UTF-8.

use std::borrow::Cow;

/// The default upper bound for an XML document: Entra metadata is ~20 KB, the largest
/// federation aggregates in the wild are ~50 MB.
pub const DEFAULT_MAX_XML_BYTES: usize = 50 * 1024 * 1024;

/// Why the bytes could not be handed to the XML reader.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlInputError {
    /// Nothing (or only whitespace) was given.
    #[error("the document is empty: check that the file or download is complete")]
    Empty,
    /// Larger than the configured limit.
    #[error(
        "the document is {size} bytes, more than the limit of {limit} bytes: \
         check that this is really SAML metadata, or raise the limit (--max-size)"
    )]
    TooLarge {
        /// Size of the input in bytes.
        size: usize,
        /// The limit in force.
        limit: usize,
    },
    /// Starts with a UTF-16 byte-order mark but is not valid UTF-16.
    #[error("the document claims to be UTF-16 but is not valid UTF-16: save it again as UTF-8")]
    BadUtf16,
}

/// Checks the size and returns UTF-8 bytes without a byte-order mark.
pub fn prepare(bytes: &[u8], max_bytes: usize) -> Result<Cow<'_, [u8]>, XmlInputError> {
    if bytes.len() > max_bytes {
        return Err(XmlInputError::TooLarge {
            size: bytes.len(),
            limit: max_bytes,
        });
    }
    let prepared: Cow<'_, [u8]> = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Cow::Borrowed(rest)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Cow::Owned(utf16_to_utf8(rest, u16::from_le_bytes)?)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Cow::Owned(utf16_to_utf8(rest, u16::from_be_bytes)?)
    } else {
        Cow::Borrowed(bytes)
    };
    if prepared.iter().all(u8::is_ascii_whitespace) {
        return Err(XmlInputError::Empty);
    }
    Ok(prepared)
}

fn utf16_to_utf8(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<Vec<u8>, XmlInputError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(XmlInputError::BadUtf16);
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map(String::into_bytes)
        .map_err(|_| XmlInputError::BadUtf16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_a_utf8_bom() {
        assert_eq!(&*prepare(b"\xEF\xBB\xBF<a/>", 100).unwrap(), b"<a/>");
    }

    #[test]
    fn converts_utf16_little_and_big_endian() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<é/>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("<é/>".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(&*prepare(&le, 100).unwrap(), "<é/>".as_bytes());
        assert_eq!(&*prepare(&be, 100).unwrap(), "<é/>".as_bytes());
    }

    #[test]
    fn rejects_odd_length_utf16() {
        assert_eq!(
            prepare(b"\xFF\xFE<\x00a", 100),
            Err(XmlInputError::BadUtf16)
        );
    }

    #[test]
    fn enforces_the_limit_before_any_work() {
        assert_eq!(
            prepare(&[b' '; 11], 10),
            Err(XmlInputError::TooLarge {
                size: 11,
                limit: 10
            })
        );
    }

    #[test]
    fn blank_input_is_empty() {
        assert_eq!(prepare(b" \r\n\t", 10), Err(XmlInputError::Empty));
        assert_eq!(prepare(b"\xEF\xBB\xBF", 10), Err(XmlInputError::Empty));
    }
}
