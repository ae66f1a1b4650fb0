//! Reads a decoded SAML message into a summary a person can read: status, issuer, subject,
//! conditions, authentication, attributes. The XML is untrusted: it is parsed by roxmltree, which
//! refuses DTDs (so no entities, no XXE, no "billion laughs"), with a node limit; elements are
//! recognised by namespace URI, never by prefix.
//!
//! What is read from where matters for signature wrapping: the summary takes the Response's
//! fields from the root element and the assertion's from the root's own `Assertion` child, and
//! the signatures checked later are the ones on exactly those elements.

use roxmltree::{Document, Node, ParsingOptions};
use serde::Serialize;
use time::OffsetDateTime;

/// SAML 2.0 namespace URIs.
pub mod ns {
    /// Protocol (`samlp:`).
    pub const PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
    /// Assertion (`saml:`).
    pub const ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
}

/// Status code URI of success.
pub const STATUS_SUCCESS: &str = "urn:oasis:names:tc:SAML:2.0:status:Success";

/// A SAML response has a few dozen elements; a million nodes is far beyond any real one and
/// keeps memory bounded for hostile input.
const MAX_NODES: u32 = 1_000_000;

/// A timestamp as written in the message, and parsed when it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Instant {
    /// The text as written.
    pub text: String,
    /// The parsed time (`None` when not a valid xs:dateTime).
    #[serde(skip)]
    pub time: Option<OffsetDateTime>,
}

impl Instant {
    fn parse(text: &str) -> Instant {
        let trimmed = text.trim();
        let time = OffsetDateTime::parse(trimmed, &time::format_description::well_known::Rfc3339)
            .ok()
            .or_else(|| {
                // xs:dateTime without a zone is read as UTC (SAML requires UTC anyway).
                OffsetDateTime::parse(
                    &format!("{trimmed}Z"),
                    &time::format_description::well_known::Rfc3339,
                )
                .ok()
            });
        Instant {
            text: trimmed.to_owned(),
            time,
        }
    }
}

/// The `Status` of a response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    /// The top-level status code URI.
    pub code: Option<String>,
    /// The second-level code, e.g. `…:status:RequestDenied`.
    pub sub_code: Option<String>,
    /// The `StatusMessage` text (Entra writes `AADSTS…` codes here).
    pub message: Option<String>,
    /// The `AADSTS` code in the message, explained, when it is a known one.
    pub aadsts: Option<crate::aadsts::AadstsCode>,
}

impl Status {
    /// Whether the code is Success.
    pub fn is_success(&self) -> bool {
        self.code.as_deref() == Some(STATUS_SUCCESS)
    }
}

/// The `NameID` of the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameId {
    /// The value.
    pub value: String,
    /// The `Format` attribute (`None` means unspecified).
    pub format: Option<String>,
}

/// One `Attribute` of the `AttributeStatement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attribute {
    /// The `Name`.
    pub name: String,
    /// The `FriendlyName`, when given.
    pub friendly_name: Option<String>,
    /// The values.
    pub values: Vec<String>,
}

/// The `SubjectConfirmationData` of the bearer confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SubjectConfirmation {
    /// The `Method` (bearer for web sign-in).
    pub method: Option<String>,
    /// `Recipient`: the ACS URL the assertion is for.
    pub recipient: Option<String>,
    /// `InResponseTo`.
    pub in_response_to: Option<String>,
    /// `NotOnOrAfter`.
    pub not_on_or_after: Option<Instant>,
    /// `NotBefore` (rare in bearer confirmations).
    pub not_before: Option<Instant>,
}

/// The parts of an `Assertion` the checks use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AssertionSummary {
    /// The `ID`.
    pub id: Option<String>,
    /// The `IssueInstant`.
    pub issue_instant: Option<Instant>,
    /// The `Issuer`.
    pub issuer: Option<String>,
    /// The subject's `NameID`.
    pub name_id: Option<NameId>,
    /// The bearer subject confirmation.
    pub confirmation: SubjectConfirmation,
    /// `Conditions/@NotBefore`.
    pub not_before: Option<Instant>,
    /// `Conditions/@NotOnOrAfter`.
    pub not_on_or_after: Option<Instant>,
    /// Every `AudienceRestriction/Audience`.
    pub audiences: Vec<String>,
    /// `AuthnStatement/@AuthnInstant`.
    pub authn_instant: Option<Instant>,
    /// `AuthnContextClassRef`.
    pub authn_context: Option<String>,
    /// `AuthnStatement/@SessionIndex`.
    pub session_index: Option<String>,
    /// The attributes, in document order.
    pub attributes: Vec<Attribute>,
}

/// A summary of one SAML message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MessageSummary {
    /// The root element's local name: `Response`, `AuthnRequest`, `LogoutResponse`…
    pub message_type: String,
    /// The root's namespace URI.
    pub namespace: Option<String>,
    /// The root's `ID`.
    pub id: Option<String>,
    /// The root's `IssueInstant`.
    pub issue_instant: Option<Instant>,
    /// The root's `Destination`.
    pub destination: Option<String>,
    /// The root's `InResponseTo`.
    pub in_response_to: Option<String>,
    /// The root's `Issuer`.
    pub issuer: Option<String>,
    /// The `Status`.
    pub status: Status,
    /// The assertion that is read: the root's first `Assertion` child.
    pub assertion: Option<AssertionSummary>,
    /// How many `Assertion` children the root has (more than one is suspicious).
    pub assertion_count: usize,
    /// How many `EncryptedAssertion` children the root has (these cannot be read here).
    pub encrypted_assertion_count: usize,
}

/// The message is not well-formed XML or not shaped like SAML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MalformedMessage {
    /// What is wrong, with a line and column when known.
    pub message: String,
}

/// Parses untrusted XML with the limits this module promises.
pub(crate) fn parse_document(xml: &str) -> Result<Document<'_>, MalformedMessage> {
    let options = ParsingOptions {
        allow_dtd: false,
        nodes_limit: MAX_NODES,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(xml, options).map_err(|error| MalformedMessage {
        message: match error {
            roxmltree::Error::DtdDetected => {
                "the message contains a DTD (<!DOCTYPE>), which SAML forbids and which is refused here: it was altered or is hostile".to_owned()
            }
            other => format!("the XML is not well-formed: {other}"),
        },
    })
}

/// Reads the summary of the message at the root of `doc`.
pub(crate) fn summarise(doc: &Document) -> MessageSummary {
    let root = doc.root_element();
    let assertions: Vec<Node> = children(root, ns::ASSERTION, "Assertion").collect();
    MessageSummary {
        message_type: root.tag_name().name().to_owned(),
        namespace: root.tag_name().namespace().map(str::to_owned),
        id: attribute(root, "ID"),
        issue_instant: root.attribute("IssueInstant").map(Instant::parse),
        destination: attribute(root, "Destination"),
        in_response_to: attribute(root, "InResponseTo"),
        issuer: child_text(root, ns::ASSERTION, "Issuer"),
        status: status(root),
        assertion: assertions.first().map(|node| assertion(*node)),
        assertion_count: assertions.len(),
        encrypted_assertion_count: children(root, ns::ASSERTION, "EncryptedAssertion").count(),
    }
}

/// The root's first `Assertion` child: the one the summary reads and whose signature counts.
pub(crate) fn assertion_node<'a, 'input>(doc: &'a Document<'input>) -> Option<Node<'a, 'input>> {
    children(doc.root_element(), ns::ASSERTION, "Assertion").next()
}

fn status(root: Node) -> Status {
    let Some(status) = children(root, ns::PROTOCOL, "Status").next() else {
        return Status::default();
    };
    let top = children(status, ns::PROTOCOL, "StatusCode").next();
    let message = child_text(status, ns::PROTOCOL, "StatusMessage");
    Status {
        code: top.and_then(|node| attribute(node, "Value")),
        sub_code: top
            .and_then(|node| children(node, ns::PROTOCOL, "StatusCode").next())
            .and_then(|node| attribute(node, "Value")),
        aadsts: message
            .as_deref()
            .and_then(crate::aadsts::find_code)
            .and_then(|code| crate::aadsts::explain(&code))
            .cloned(),
        message,
    }
}

fn assertion(node: Node) -> AssertionSummary {
    let subject = children(node, ns::ASSERTION, "Subject").next();
    let name_id = subject
        .and_then(|subject| children(subject, ns::ASSERTION, "NameID").next())
        .map(|name_id| NameId {
            value: text(name_id),
            format: attribute(name_id, "Format"),
        });
    let confirmation = subject
        .and_then(|subject| {
            // The bearer confirmation is the one web sign-in uses; fall back to the first.
            let all: Vec<Node> = children(subject, ns::ASSERTION, "SubjectConfirmation").collect();
            all.iter()
                .find(|c| {
                    c.attribute("Method")
                        .is_some_and(|m| m.ends_with(":cm:bearer"))
                })
                .or(all.first())
                .copied()
        })
        .map(|confirmation| {
            let data = children(confirmation, ns::ASSERTION, "SubjectConfirmationData").next();
            SubjectConfirmation {
                method: attribute(confirmation, "Method"),
                recipient: data.and_then(|d| attribute(d, "Recipient")),
                in_response_to: data.and_then(|d| attribute(d, "InResponseTo")),
                not_on_or_after: data
                    .and_then(|d| d.attribute("NotOnOrAfter"))
                    .map(Instant::parse),
                not_before: data
                    .and_then(|d| d.attribute("NotBefore"))
                    .map(Instant::parse),
            }
        })
        .unwrap_or_default();
    let conditions = children(node, ns::ASSERTION, "Conditions").next();
    let audiences = conditions
        .into_iter()
        .flat_map(|c| children(c, ns::ASSERTION, "AudienceRestriction"))
        .flat_map(|r| children(r, ns::ASSERTION, "Audience"))
        .map(text)
        .collect();
    let authn = children(node, ns::ASSERTION, "AuthnStatement").next();
    let attributes = children(node, ns::ASSERTION, "AttributeStatement")
        .flat_map(|statement| children(statement, ns::ASSERTION, "Attribute"))
        .map(|attribute_node| Attribute {
            name: attribute(attribute_node, "Name").unwrap_or_default(),
            friendly_name: attribute(attribute_node, "FriendlyName"),
            values: children(attribute_node, ns::ASSERTION, "AttributeValue")
                .map(text)
                .collect(),
        })
        .collect();
    AssertionSummary {
        id: attribute(node, "ID"),
        issue_instant: node.attribute("IssueInstant").map(Instant::parse),
        issuer: child_text(node, ns::ASSERTION, "Issuer"),
        name_id,
        confirmation,
        not_before: conditions
            .and_then(|c| c.attribute("NotBefore"))
            .map(Instant::parse),
        not_on_or_after: conditions
            .and_then(|c| c.attribute("NotOnOrAfter"))
            .map(Instant::parse),
        audiences,
        authn_instant: authn
            .and_then(|a| a.attribute("AuthnInstant"))
            .map(Instant::parse),
        authn_context: authn
            .and_then(|a| children(a, ns::ASSERTION, "AuthnContext").next())
            .and_then(|c| child_text(c, ns::ASSERTION, "AuthnContextClassRef")),
        session_index: authn.and_then(|a| attribute(a, "SessionIndex")),
        attributes,
    }
}

/// Element children of `node` with this namespace URI and local name.
pub(crate) fn children<'a, 'input>(
    node: Node<'a, 'input>,
    namespace: &'static str,
    name: &'static str,
) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |child| {
        child.is_element()
            && child.tag_name().name() == name
            && child.tag_name().namespace() == Some(namespace)
    })
}

fn attribute(node: Node, name: &str) -> Option<String> {
    node.attribute(name).map(|value| value.trim().to_owned())
}

/// The text content of an element (all descendant text, trimmed).
fn text(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>()
        .trim()
        .to_owned()
}

fn child_text(node: Node, namespace: &'static str, name: &'static str) -> Option<String> {
    children(node, namespace, name).next().map(text)
}

/// Pretty-prints the message for reading: one element a line, indented, text kept, attributes
/// as written. For display only (the signature is checked on the original).
pub fn pretty_print(doc: &Document) -> String {
    pretty_print_with(doc, &mut |_, _, value| value.to_owned())
}

/// What [`pretty_print_with`] asks for each value: the element, the attribute's local name
/// (`None` for the element's text), and the value as parsed (unescaped); it answers the value
/// to print, which is escaped after.
pub(crate) type ValueMap<'m> = dyn FnMut(Node, Option<&str>, &str) -> String + 'm;

/// [`pretty_print`], every attribute value and text passed through `map` first (redaction
/// works on the parsed values, so no escaped form of a value is left behind).
pub(crate) fn pretty_print_with(doc: &Document, map: &mut ValueMap) -> String {
    let mut out = String::new();
    write_pretty(doc.root_element(), 0, map, &mut out);
    out
}

fn write_pretty(node: Node, depth: usize, map: &mut ValueMap, out: &mut String) {
    // Depth is bounded by the walk below being iterative over children only up to a limit.
    const MAX_DEPTH: usize = 200;
    let indent = "  ".repeat(depth.min(MAX_DEPTH));
    let name = qualified_name(node);
    out.push_str(&indent);
    out.push('<');
    out.push_str(&name);
    for namespace in node.namespaces() {
        // Only declarations made on this element, not inherited ones.
        let inherited = node.parent_element().is_some_and(|parent| {
            parent
                .namespaces()
                .any(|p| p.name() == namespace.name() && p.uri() == namespace.uri())
        });
        if inherited {
            continue;
        }
        match namespace.name() {
            Some(prefix) => {
                out.push_str(&format!(" xmlns:{prefix}=\"{}\"", escape(namespace.uri())))
            }
            None => out.push_str(&format!(" xmlns=\"{}\"", escape(namespace.uri()))),
        }
    }
    for attr in node.attributes() {
        let prefix = attr
            .namespace()
            .and_then(|uri| node.lookup_prefix(uri))
            .map(|p| format!("{p}:"))
            .unwrap_or_default();
        out.push_str(&format!(
            " {prefix}{}=\"{}\"",
            attr.name(),
            escape(&map(node, Some(attr.name()), attr.value()))
        ));
    }
    let elements: Vec<Node> = node.children().filter(Node::is_element).collect();
    let text: String = node
        .children()
        .filter(Node::is_text)
        .filter_map(|n| n.text())
        .collect::<String>();
    let text = text.trim();
    let text = if text.is_empty() {
        String::new()
    } else {
        map(node, None, text)
    };
    if elements.is_empty() && text.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push('>');
    if elements.is_empty() || depth >= MAX_DEPTH {
        out.push_str(&escape(&text));
        out.push_str(&format!("</{name}>\n"));
        return;
    }
    out.push('\n');
    if !text.is_empty() {
        out.push_str(&format!("{indent}  {}\n", escape(&text)));
    }
    for child in elements {
        write_pretty(child, depth + 1, map, out);
    }
    out.push_str(&format!("{indent}</{name}>\n"));
}

fn qualified_name(node: Node) -> String {
    let local = node.tag_name().name();
    match node
        .tag_name()
        .namespace()
        .and_then(|uri| node.lookup_prefix(uri))
    {
        Some(prefix) if !prefix.is_empty() => format!("{prefix}:{local}"),
        _ => local.to_owned(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
