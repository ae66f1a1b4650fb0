//! Finds PEM blocks (`-----BEGIN LABEL-----` … `-----END LABEL-----`) in text.
//!
//! Written here rather than taken from x509-parser's `pem` module because that reader only sees a
//! BEGIN line at the very start of a line (so it misses one after a byte order mark, behind
//! indentation, or in PEM pasted into a form that joined all lines with spaces), silently skips a
//! block it cannot finish, and cannot say where in the text the base64 went wrong. Markers are
//! therefore searched anywhere in the text, and blocks are returned as byte ranges of it.

use std::ops::Range;

use super::CertificateError;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// One PEM block: its label and where its base64 body lies in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block<'a> {
    /// The label between `BEGIN ` and the closing dashes, e.g. `CERTIFICATE`.
    pub label: &'a str,
    /// Byte range of the body (everything between the BEGIN and END markers).
    pub body: Range<usize>,
}

impl Block<'_> {
    /// Whether the block holds an X.509 certificate. `X509 CERTIFICATE` is the legacy label
    /// RFC 7468 says to accept; `TRUSTED CERTIFICATE` is OpenSSL's certificate plus trust settings.
    pub fn is_certificate(&self) -> bool {
        matches!(
            self.label,
            "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE"
        )
    }
}

/// All PEM blocks in `text`, in order. Text outside blocks is ignored (OpenSSL writes
/// "Bag Attributes" and `subject=` lines there). Empty when the text has no BEGIN marker at all;
/// an error when it has a BEGIN without its END, or an END without any BEGIN.
pub(super) fn blocks(text: &str) -> Result<Vec<Block<'_>>, CertificateError> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some((marker, label)) = next_marker(text, from, BEGIN) {
        let body_start = marker.end;
        let end_marker = format!("{END}{label}{DASHES}");
        let rest = tail(text, body_start);
        let body_len = rest.find(&end_marker).ok_or_else(|| missing_end(label))?;
        // A second BEGIN before our END means this block's END was lost.
        if rest.get(..body_len).unwrap_or_default().contains(BEGIN) {
            return Err(missing_end(label));
        }
        found.push(Block {
            label,
            body: body_start..body_start + body_len,
        });
        from = body_start + body_len + end_marker.len();
    }
    if found.is_empty()
        && let Some((_, label)) = next_marker(text, 0, END)
    {
        return Err(CertificateError::MissingPemBegin {
            label: label.to_owned(),
        });
    }
    Ok(found)
}

fn missing_end(label: &str) -> CertificateError {
    CertificateError::MissingPemEnd {
        label: label.to_owned(),
    }
}

/// The next `-----BEGIN LABEL-----` (or END) marker at or after `from`: the marker's byte range
/// and its label. Occurrences whose "label" is not printable ASCII on one line are not markers.
fn next_marker<'a>(text: &'a str, from: usize, kind: &str) -> Option<(Range<usize>, &'a str)> {
    let mut search = from;
    loop {
        let start = search + tail(text, search).find(kind)?;
        let label_start = start + kind.len();
        let label_len = tail(text, label_start).find(DASHES)?;
        let label = tail(text, label_start).get(..label_len).unwrap_or_default();
        if label.bytes().all(|byte| (b' '..=b'~').contains(&byte)) {
            return Some((start..label_start + label_len + DASHES.len(), label));
        }
        search = label_start;
    }
}

/// `text[at..]`, or empty when `at` is out of range; every offset used here comes from `find`
/// over ASCII markers, so this never actually truncates, but it cannot panic either.
fn tail(text: &str, at: usize) -> &str {
    text.get(at..).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels_and_bodies(text: &str) -> Vec<(&str, &str)> {
        blocks(text)
            .unwrap()
            .into_iter()
            .map(|block| (block.label, &text[block.body]))
            .collect()
    }

    #[test]
    fn finds_blocks_in_order_ignoring_text_around_them() {
        let text = "Bag Attributes\n\
                    -----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n\
                    subject=CN=x\n\
                    -----BEGIN PRIVATE KEY-----\r\nREVG\r\n-----END PRIVATE KEY-----\r\n";
        assert_eq!(
            labels_and_bodies(text),
            vec![("CERTIFICATE", "\nQUJD\n"), ("PRIVATE KEY", "\r\nREVG\r\n")]
        );
    }

    #[test]
    fn markers_need_not_start_a_line() {
        let text = "  -----BEGIN CERTIFICATE----- QUJD REVG -----END CERTIFICATE-----";
        assert_eq!(
            labels_and_bodies(text),
            vec![("CERTIFICATE", " QUJD REVG ")]
        );
    }

    #[test]
    fn no_markers_means_no_blocks() {
        assert_eq!(blocks("QUJD\nREVG\n"), Ok(vec![]));
        assert_eq!(blocks(""), Ok(vec![]));
    }

    #[test]
    fn begin_without_end() {
        assert_eq!(
            blocks("-----BEGIN CERTIFICATE-----\nQUJD\n"),
            Err(missing_end("CERTIFICATE"))
        );
        // The END of a different label does not close the block.
        assert_eq!(
            blocks("-----BEGIN CERTIFICATE-----\nQUJD\n-----END PRIVATE KEY-----\n"),
            Err(missing_end("CERTIFICATE"))
        );
        // A lost END is noticed even when a later block supplies one with the same label.
        assert_eq!(
            blocks(
                "-----BEGIN CERTIFICATE-----\nQUJD\n\
                 -----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n"
            ),
            Err(missing_end("CERTIFICATE"))
        );
    }

    #[test]
    fn end_without_begin() {
        assert_eq!(
            blocks("QUJD\n-----END CERTIFICATE-----\n"),
            Err(CertificateError::MissingPemBegin {
                label: "CERTIFICATE".into()
            })
        );
    }

    #[test]
    fn marker_like_text_spanning_lines_is_not_a_marker() {
        assert_eq!(blocks("-----BEGIN CERT\nIFICATE-----\n"), Ok(vec![]));
        assert_eq!(blocks("-----BEGIN "), Ok(vec![]));
        assert_eq!(blocks("-----BEGIN CERTIFICATE"), Ok(vec![]));
    }

    #[test]
    fn certificate_labels() {
        for (label, expected) in [
            ("CERTIFICATE", true),
            ("X509 CERTIFICATE", true),
            ("TRUSTED CERTIFICATE", true),
            ("CERTIFICATE REQUEST", false),
            ("PRIVATE KEY", false),
        ] {
            let block = Block { label, body: 0..0 };
            assert_eq!(block.is_certificate(), expected, "{label}");
        }
    }
}
