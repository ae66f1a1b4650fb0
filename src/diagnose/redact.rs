//! Redaction of a diagnosis before it is shared (`--redact`, the window's default for reports
//! and the clipboard). It works on the parsed message, not on its text: the personal values are
//! read from the document (so `R&amp;D` is known as `R&D`), the XML view is printed again from the
//! document with those values replaced (so no escaped form is left), the summary's fields are
//! replaced one by one, and the findings' text loses every form the values can take in it.
//!
//! Personal data: the NameID, every attribute value (however short), status messages and their
//! details, IP addresses and DNS names (`Address`, `DNSName`), session indexes, anything shaped
//! like an e-mail address, and the query strings of URLs (captured URLs carry `login_hint`,
//! tokens and whole SAML messages there).

use std::collections::BTreeMap;

use roxmltree::{Document, Node};

use super::{Diagnosis, response};

/// Elements whose text (and their descendants' text) is personal.
const PERSONAL_ELEMENTS: [&str; 6] = [
    "NameID",
    "AttributeValue",
    "StatusMessage",
    "StatusDetail",
    "SessionIndex",
    "SPProvidedID",
];

/// Attributes (by local name, on any element) whose value is personal.
const PERSONAL_ATTRIBUTES: [&str; 4] = ["Address", "DNSName", "SessionIndex", "SPProvidedID"];

/// What the XML view says in a redacted copy when the message could not be parsed (nothing
/// in it can be told apart, so none of it is shown).
pub const UNREADABLE_XML: &str =
    "[The message could not be read as XML, so it is left out of this redacted copy.]\n";

/// Values shorter than this are replaced in free text only where quoted: unquoted, "HR" or "1"
/// would replace parts of unrelated words and numbers.
const MIN_UNQUOTED_CHARS: usize = 4;

/// What a personal value is, for its placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Value,
    Email,
    IpAddress,
    Host,
    Session,
    StatusMessage,
}

/// A copy with the person's data replaced, each distinct value by the same numbered
/// placeholder everywhere (so "the NameID differs from the mail claim" still reads right).
pub fn redacted(diagnosis: &Diagnosis) -> Diagnosis {
    let mut redactor = Redactor::default();
    let mut copy = diagnosis.clone();
    match response::parse_document(&diagnosis.pretty_xml) {
        Ok(doc) => {
            learn_document(&mut redactor, &doc);
            learn_summary(&mut redactor, diagnosis);
            copy.pretty_xml =
                response::pretty_print_with(
                    &doc,
                    &mut |node, attribute, value| match personal_kind(node, attribute, value) {
                        Some(kind) => redactor.learn(value, kind),
                        None => redactor.apply(value),
                    },
                );
        }
        Err(_) => {
            learn_summary(&mut redactor, diagnosis);
            copy.pretty_xml = UNREADABLE_XML.to_owned();
        }
    }
    redact_summary(&mut redactor, &mut copy);
    for finding in &mut copy.findings {
        finding.message = redactor.apply(&finding.message);
        finding.fix = redactor.apply(&finding.fix);
    }
    copy
}

/// Whether this value of the document is personal, and what it is.
fn personal_kind(node: Node, attribute: Option<&str>, value: &str) -> Option<Kind> {
    let kind = match attribute {
        Some("Address") => Kind::IpAddress,
        Some("DNSName") => Kind::Host,
        Some("SessionIndex") => Kind::Session,
        Some(name) if PERSONAL_ATTRIBUTES.contains(&name) => Kind::Value,
        Some(_) => return None,
        None => {
            let element = node
                .ancestors()
                .filter(Node::is_element)
                .find(|n| PERSONAL_ELEMENTS.contains(&n.tag_name().name()))?;
            match element.tag_name().name() {
                "StatusMessage" | "StatusDetail" => Kind::StatusMessage,
                "SessionIndex" => Kind::Session,
                _ => Kind::Value,
            }
        }
    };
    Some(match kind {
        Kind::Value if value.contains('@') => Kind::Email,
        kind => kind,
    })
}

/// Learns every personal value of the document, in document order (for the numbering).
fn learn_document(redactor: &mut Redactor, doc: &Document) {
    for node in doc.descendants().filter(Node::is_element) {
        for attribute in node.attributes() {
            if let Some(kind) = personal_kind(node, Some(attribute.name()), attribute.value()) {
                redactor.learn(attribute.value(), kind);
            }
        }
        let text: String = node
            .children()
            .filter(Node::is_text)
            .filter_map(|n| n.text())
            .collect();
        if let Some(kind) = personal_kind(node, None, text.trim()) {
            redactor.learn(&text, kind);
            // The summary reads an element's text whole, descendants included.
            let whole: String = node
                .descendants()
                .filter(Node::is_text)
                .filter_map(|n| n.text())
                .collect();
            redactor.learn(&whole, kind);
        }
    }
}

/// Learns the summary's personal values (the same as the document's when it parses).
fn learn_summary(redactor: &mut Redactor, diagnosis: &Diagnosis) {
    let Some(message) = &diagnosis.summary.message else {
        return;
    };
    if let Some(text) = &message.status.message {
        redactor.learn(text, Kind::StatusMessage);
    }
    if let Some(assertion) = &message.assertion {
        if let Some(name_id) = &assertion.name_id {
            redactor.learn(&name_id.value, value_kind(&name_id.value));
        }
        for value in assertion.attributes.iter().flat_map(|a| &a.values) {
            redactor.learn(value, value_kind(value));
        }
        if let Some(index) = &assertion.session_index {
            redactor.learn(index, Kind::Session);
        }
    }
}

fn value_kind(value: &str) -> Kind {
    if value.contains('@') {
        Kind::Email
    } else {
        Kind::Value
    }
}

/// Replaces the summary's personal fields by their placeholders, and passes its other text
/// through the redactor.
fn redact_summary(redactor: &mut Redactor, copy: &mut Diagnosis) {
    let summary = &mut copy.summary;
    let free = |redactor: &mut Redactor, field: &mut Option<String>| {
        if let Some(value) = field {
            *value = redactor.apply(value);
        }
    };
    free(redactor, &mut summary.relay_state);
    free(redactor, &mut summary.capture.found_at);
    for signature in &mut summary.signatures {
        free(redactor, &mut signature.problem);
    }
    let Some(message) = &mut summary.message else {
        return;
    };
    if let Some(text) = &mut message.status.message {
        *text = redactor.learn(text, Kind::StatusMessage);
    }
    free(redactor, &mut message.destination);
    free(redactor, &mut message.issuer);
    let Some(assertion) = &mut message.assertion else {
        return;
    };
    if let Some(name_id) = &mut assertion.name_id {
        name_id.value = redactor.learn(&name_id.value, value_kind(&name_id.value));
    }
    for value in assertion.attributes.iter_mut().flat_map(|a| &mut a.values) {
        *value = redactor.learn(value, value_kind(value));
    }
    if let Some(index) = &mut assertion.session_index {
        *index = redactor.learn(index, Kind::Session);
    }
    free(redactor, &mut assertion.issuer);
    free(redactor, &mut assertion.confirmation.recipient);
    for audience in &mut assertion.audiences {
        *audience = redactor.apply(audience);
    }
}

/// Numbered placeholders for known personal values, and their replacement in free text.
#[derive(Default)]
struct Redactor {
    /// Value (trimmed, as parsed) → placeholder.
    known: BTreeMap<String, String>,
}

impl Redactor {
    /// The placeholder of `value`, made on first sight. Values of any length are learnt: the
    /// structured fields are replaced whole, whatever their length.
    fn learn(&mut self, value: &str, kind: Kind) -> String {
        let value = value.trim();
        if value.is_empty() {
            return String::new();
        }
        if let Some(placeholder) = self.known.get(value) {
            return placeholder.clone();
        }
        let number = self.known.len() + 1;
        let placeholder = match kind {
            Kind::Value => format!("[redacted {number}]"),
            Kind::Email => format!("[e-mail {number}]"),
            Kind::IpAddress => format!("[IP address {number}]"),
            Kind::Host => format!("[host name {number}]"),
            Kind::Session => format!("[session {number}]"),
            // The AADSTS code stays: it names the failure, not the person.
            Kind::StatusMessage => match crate::aadsts::find_code(value) {
                Some(code) => format!("{code} [status message {number}]"),
                None => format!("[status message {number}]"),
            },
        };
        self.known.insert(value.to_owned(), placeholder.clone());
        placeholder
    }

    /// `text` with every known value (in every form it takes in text made by this crate:
    /// as is, `{:?}`-escaped, XML-escaped) and every e-mail-shaped token replaced, and the
    /// query strings of URLs removed.
    fn apply(&mut self, text: &str) -> String {
        // E-mail-shaped tokens not learnt yet get placeholders of their own.
        for token in text.split(|c: char| {
            c.is_whitespace() || matches!(c, '"' | '<' | '>' | '(' | ')' | ',' | ';' | '\'' | '`')
        }) {
            let token = token.trim_matches(|c: char| !c.is_alphanumeric());
            if token.contains('@') && token.contains('.') {
                self.learn(token, Kind::Email);
            }
        }
        let mut matches: Vec<(usize, usize, String)> = Vec::new();
        for (value, placeholder) in &self.known {
            for (pattern, replacement, bounded) in forms(value, placeholder) {
                for (start, _) in text.match_indices(pattern.as_str()) {
                    let end = start + pattern.len();
                    if !bounded || at_boundaries(text, start, end) {
                        matches.push((start, end, replacement.clone()));
                    }
                }
            }
        }
        // Longest first where matches start together; then left to right, never overlapping.
        matches.sort_by_key(|(start, end, _)| (*start, std::cmp::Reverse(*end)));
        let mut out = String::with_capacity(text.len());
        let mut done = 0;
        for (start, end, replacement) in matches {
            if start < done {
                continue;
            }
            out.push_str(&text[done..start]);
            out.push_str(&replacement);
            done = end;
        }
        out.push_str(&text[done..]);
        without_queries(&out)
    }
}

/// The forms of a value to look for in free text: (pattern, replacement, whether the pattern
/// must stand alone between non-alphanumeric characters).
fn forms(value: &str, placeholder: &str) -> Vec<(String, String, bool)> {
    let debug = format!("{value:?}");
    let debug_inner = &debug[1..debug.len() - 1];
    let xml = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let mut forms = Vec::new();
    if value.chars().count() >= MIN_UNQUOTED_CHARS {
        for pattern in [value, debug_inner, xml.as_str()] {
            forms.push((pattern.to_owned(), placeholder.to_owned(), true));
        }
    } else {
        forms.push((debug.clone(), format!("\"{placeholder}\""), false));
        forms.push((format!("\"{value}\""), format!("\"{placeholder}\""), false));
        forms.push((format!("'{value}'"), format!("'{placeholder}'"), false));
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Whether `text[start..end]` is not part of a longer word or number.
fn at_boundaries(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    let alnum_start = inner.chars().next().is_some_and(char::is_alphanumeric);
    let alnum_end = inner.chars().next_back().is_some_and(char::is_alphanumeric);
    let before_free = !alnum_start
        || !text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
    let after_free = !alnum_end
        || !text[end..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    before_free && after_free
}

/// What replaces a URL's query string.
const QUERY_PLACEHOLDER: &str = "[query redacted]";

/// `text` with the query string of every `http(s)://` URL in it replaced: captured URLs carry
/// login hints, tokens and whole SAML messages there.
pub(crate) fn without_queries(text: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut search = 0;
    while let Some(found) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| lower[search..].find(scheme))
        .min()
    {
        let start = search + found;
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'))
            .map_or(text.len(), |len| start + len);
        if let Some(question) = text[start..end].find('?') {
            let query = start + question + 1;
            if !text[query..].starts_with(QUERY_PLACEHOLDER) {
                out.push_str(&text[done..query]);
                out.push_str(QUERY_PLACEHOLDER);
                done = end;
            }
        }
        search = end.max(start + 1);
    }
    out.push_str(&text[done..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_of_urls_go_and_the_rest_stays() {
        assert_eq!(
            without_queries("HAR entry 2: POST https://a.example/acs?x=1&y=2 (then) http://b/?q"),
            "HAR entry 2: POST https://a.example/acs?[query redacted] (then) http://b/?[query redacted]"
        );
        assert_eq!(without_queries("no url? none"), "no url? none");
        let once = without_queries("HTTPS://A/?secret");
        assert_eq!(without_queries(&once), once);
    }

    #[test]
    fn short_values_go_only_where_quoted_and_long_ones_only_whole() {
        let mut redactor = Redactor::default();
        redactor.learn("HR", Kind::Value);
        redactor.learn("alice", Kind::Value);
        assert_eq!(
            redactor.apply("SHA-1 HR \"HR\" 'HR' malice alice."),
            "SHA-1 HR \"[redacted 1]\" '[redacted 1]' malice [redacted 2]."
        );
    }

    #[test]
    fn every_escaped_form_of_a_value_goes() {
        let mut redactor = Redactor::default();
        let placeholder = redactor.learn("R&D \"core\"", Kind::Value);
        for text in [
            "R&D \"core\"",
            "\"R&D \\\"core\\\"\"",
            "R&amp;D &quot;core&quot;",
        ] {
            assert!(redactor.apply(text).contains(&placeholder), "{text}");
            assert!(!redactor.apply(text).contains("core"), "{text}");
        }
    }
}
