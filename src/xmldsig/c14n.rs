//! Exclusive XML Canonicalization 1.0 (<https://www.w3.org/TR/xml-exc-c14n/>), with and without
//! comments, of one element's subtree in a roxmltree document.
//!
//! Only what XML-DSig needs for SAML is here: the node set is always "an element and everything
//! below it", optionally minus one node (the enveloped-signature transform removes the
//! `ds:Signature` element being checked). Document-level rules (the XML declaration, nodes
//! before and after the document element) therefore never apply.
//!
//! roxmltree has already done what the c14n data model expects of an XML processor: line ends
//! normalised to `\n`, attribute values normalised (literal tab, CR and LF become spaces, character
//! references are kept), CDATA sections merged into text and the five predefined entities expanded
//! (DTDs, and so other entities, are refused when parsing). What it does not keep is the prefix of
//! a name, so prefixes are read back from the document's text.
//!
//! The walk is iterative and refuses documents nested deeper than [`MAX_DEPTH`], so hostile input
//! cannot exhaust the stack or make the namespace bookkeeping quadratic.

use std::collections::HashMap;
use std::fmt;

use roxmltree::{Node, NodeId, NodeType};

/// The deepest element nesting (counted from the canonicalised element) accepted. SAML responses
/// are about ten levels deep; anything near this limit is an attack or a broken file.
pub const MAX_DEPTH: usize = 512;

/// The `xml` prefix is bound by definition and never declared in canonical output.
const XML_PREFIX: &str = "xml";

/// How to canonicalise.
#[derive(Debug, Clone, Default)]
pub struct C14nOptions {
    /// Keep comments (the `#WithComments` variants).
    pub with_comments: bool,
    /// The `InclusiveNamespaces PrefixList`: prefixes whose in-scope declarations are rendered
    /// as inclusive canonicalisation would, utilised or not. `#default` stands for the default
    /// namespace.
    pub inclusive_prefixes: Vec<String>,
    /// A node left out of the output with everything below it: the enveloped signature.
    pub exclude: Option<NodeId>,
}

impl C14nOptions {
    /// Options with the `InclusiveNamespaces PrefixList` given as its attribute text
    /// (whitespace-separated prefixes).
    pub fn with_prefix_list(mut self, prefix_list: &str) -> Self {
        self.inclusive_prefixes = prefix_list
            .split_ascii_whitespace()
            .map(str::to_owned)
            .collect();
        self
    }
}

/// Why a subtree could not be canonicalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum C14nError {
    /// The starting node is not an element.
    NotAnElement,
    /// Elements are nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A name could not be read back from the document text (should not happen with a document
    /// roxmltree parsed; reported rather than trusted).
    BadName,
}

impl fmt::Display for C14nError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            C14nError::NotAnElement => f.write_str("only an element can be canonicalised"),
            C14nError::TooDeep => write!(
                f,
                "elements are nested more than {MAX_DEPTH} levels deep, far beyond any SAML message"
            ),
            C14nError::BadName => f.write_str("an element or attribute name could not be read"),
        }
    }
}

impl std::error::Error for C14nError {}

/// Canonicalises `apex` and its descendants (minus `options.exclude`) with Exclusive XML
/// Canonicalization 1.0 and returns the octets, which are UTF-8.
pub fn canonicalize(apex: Node<'_, '_>, options: &C14nOptions) -> Result<Vec<u8>, C14nError> {
    if !apex.is_element() {
        return Err(C14nError::NotAnElement);
    }
    let mut writer = Writer {
        out: Vec::new(),
        options,
        rendered: HashMap::new(),
        frames: Vec::new(),
    };
    let mut current = apex;
    'walk: loop {
        let opened = writer.open(current)?;
        if opened {
            match current.first_child() {
                Some(child) => {
                    current = child;
                    continue 'walk;
                }
                None => writer.close(current)?,
            }
        }
        // Go to the next node in document order, closing the elements left on the way up.
        loop {
            if current.id() == apex.id() {
                return Ok(writer.out);
            }
            if let Some(sibling) = current.next_sibling() {
                current = sibling;
                continue 'walk;
            }
            match current.parent() {
                Some(parent) => {
                    current = parent;
                    writer.close(current)?;
                }
                // Unreachable for a node below the apex; stop rather than trust that.
                None => return Ok(writer.out),
            }
        }
    }
}

/// Output buffer and the namespace declarations rendered by the open output elements.
struct Writer<'o> {
    out: Vec<u8>,
    options: &'o C14nOptions,
    /// For each prefix (`""` being the default namespace), the URIs rendered for it by the open
    /// elements, innermost last; the last one is "in effect". A map of stacks rather than one
    /// list keeps each lookup constant-time however many declarations hostile input piles up.
    rendered: HashMap<String, Vec<String>>,
    /// For each open element, the prefixes it rendered (to pop when it closes).
    frames: Vec<Vec<String>>,
}

impl Writer<'_> {
    /// Writes the start of a node; returns whether it was an element that is now open.
    fn open(&mut self, node: Node<'_, '_>) -> Result<bool, C14nError> {
        if Some(node.id()) == self.options.exclude {
            return Ok(false);
        }
        match node.node_type() {
            NodeType::Element => {
                self.start_tag(node)?;
                Ok(true)
            }
            NodeType::Text => {
                escape_text(node.text().unwrap_or_default(), &mut self.out);
                Ok(false)
            }
            NodeType::Comment => {
                if self.options.with_comments {
                    self.out.extend_from_slice(b"<!--");
                    self.out
                        .extend_from_slice(node.text().unwrap_or_default().as_bytes());
                    self.out.extend_from_slice(b"-->");
                }
                Ok(false)
            }
            NodeType::PI => {
                if let Some(pi) = node.pi() {
                    self.out.extend_from_slice(b"<?");
                    self.out.extend_from_slice(pi.target.as_bytes());
                    if let Some(value) = pi.value.filter(|value| !value.is_empty()) {
                        self.out.push(b' ');
                        self.out.extend_from_slice(value.as_bytes());
                    }
                    self.out.extend_from_slice(b"?>");
                }
                Ok(false)
            }
            NodeType::Root => Err(C14nError::NotAnElement),
        }
    }

    fn close(&mut self, element: Node<'_, '_>) -> Result<(), C14nError> {
        let qname = element_qname(element)?;
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(qname.as_bytes());
        self.out.push(b'>');
        for prefix in self.frames.pop().unwrap_or_default() {
            if let Some(uris) = self.rendered.get_mut(&prefix) {
                uris.pop();
            }
        }
        Ok(())
    }

    /// The binding in effect in the output for `prefix` (`""` = default), if any was rendered.
    fn in_effect(&self, prefix: &str) -> Option<&str> {
        self.rendered
            .get(prefix)
            .and_then(|uris| uris.last())
            .map(String::as_str)
    }

    /// Whether declaring `prefix` → `uri` here would change what the output already says. An
    /// undeclared default namespace is the empty one, so `xmlns=""` is only needed to undo a
    /// rendered non-empty default.
    fn needs_declaration(&self, prefix: &str, uri: &str) -> bool {
        match self.in_effect(prefix) {
            Some(current) => current != uri,
            None => !(prefix.is_empty() && uri.is_empty()),
        }
    }

    fn start_tag(&mut self, element: Node<'_, '_>) -> Result<(), C14nError> {
        if self.frames.len() >= MAX_DEPTH {
            return Err(C14nError::TooDeep);
        }
        let qname = element_qname(element)?;
        let input = element.document().input_text();

        // Namespaces visibly utilised: the element's own prefix (or the default namespace) and
        // the prefixes of its attributes.
        let mut wanted: Vec<(String, String)> = Vec::new();
        let element_prefix = prefix_of(qname);
        let element_uri = element.tag_name().namespace().unwrap_or_default();
        wanted.push((element_prefix.to_owned(), element_uri.to_owned()));

        let mut attributes = Vec::new();
        for attribute in element.attributes() {
            let attribute_qname = input
                .get(attribute.range_qname())
                .ok_or(C14nError::BadName)?;
            let prefix = prefix_of(attribute_qname);
            if !prefix.is_empty() && prefix != XML_PREFIX {
                let uri = attribute.namespace().unwrap_or_default();
                wanted.push((prefix.to_owned(), uri.to_owned()));
            }
            attributes.push((
                attribute.namespace().unwrap_or_default(),
                attribute.name(),
                attribute_qname,
                attribute.value(),
            ));
        }

        // The PrefixList: in-scope bindings rendered whether utilised or not.
        for token in &self.options.inclusive_prefixes {
            if token == "#default" {
                let uri = element.lookup_namespace_uri(None).unwrap_or_default();
                wanted.push((String::new(), uri.to_owned()));
            } else if token != XML_PREFIX
                && let Some(uri) = element.lookup_namespace_uri(Some(token))
            {
                wanted.push((token.clone(), uri.to_owned()));
            }
        }

        // Namespace declarations sort by prefix, the default namespace (empty prefix) first.
        wanted.sort();
        wanted.dedup_by(|a, b| a.0 == b.0);
        let mut declarations = Vec::new();
        for (prefix, uri) in wanted {
            if prefix == XML_PREFIX || !self.needs_declaration(&prefix, &uri) {
                continue;
            }
            declarations.push((prefix, uri));
        }

        self.out.push(b'<');
        self.out.extend_from_slice(qname.as_bytes());
        for (prefix, uri) in &declarations {
            if prefix.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(prefix.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            escape_attribute(uri, &mut self.out);
            self.out.push(b'"');
        }
        // Attributes sort by namespace URI (none first), then local name.
        attributes.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for (_, _, attribute_qname, value) in attributes {
            self.out.push(b' ');
            self.out.extend_from_slice(attribute_qname.as_bytes());
            self.out.extend_from_slice(b"=\"");
            escape_attribute(value, &mut self.out);
            self.out.push(b'"');
        }
        self.out.push(b'>');

        let mut frame = Vec::with_capacity(declarations.len());
        for (prefix, uri) in declarations {
            self.rendered.entry(prefix.clone()).or_default().push(uri);
            frame.push(prefix);
        }
        self.frames.push(frame);
        Ok(())
    }
}

/// The element's qualified name as written, read from the text after `<` (roxmltree keeps the
/// namespace URI but not the prefix, and canonical form keeps prefixes).
fn element_qname<'i>(element: Node<'_, 'i>) -> Result<&'i str, C14nError> {
    let input = element.document().input_text();
    let rest = input
        .get(element.range().start..)
        .and_then(|text| text.strip_prefix('<'))
        .ok_or(C14nError::BadName)?;
    let end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .ok_or(C14nError::BadName)?;
    let qname = rest.get(..end).ok_or(C14nError::BadName)?;
    // Cross-check against what roxmltree parsed, so a range that does not point where expected
    // fails loudly instead of producing a plausible but wrong canonical form.
    if local_of(qname) != element.tag_name().name() {
        return Err(C14nError::BadName);
    }
    Ok(qname)
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map_or("", |(prefix, _)| prefix)
}

fn local_of(qname: &str) -> &str {
    qname.split_once(':').map_or(qname, |(_, local)| local)
}

/// Text node escaping of c14n: `&`, `<`, `>` and CR (which can only come from `&#xD;`).
fn escape_text(text: &str, out: &mut Vec<u8>) {
    for byte in text.bytes() {
        match byte {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(byte),
        }
    }
}

/// Attribute value escaping of c14n: `&`, `<`, `"` and the whitespace characters that survive
/// attribute-value normalisation only as character references.
fn escape_attribute(value: &str, out: &mut Vec<u8>) {
    for byte in value.bytes() {
        match byte {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Canonicalises the element with this `ID` (or the document element) of `xml`.
    fn c14n_of(xml: &str, id: Option<&str>, options: &C14nOptions) -> String {
        let doc = roxmltree::Document::parse(xml).expect("test XML parses");
        let node = match id {
            Some(id) => doc
                .descendants()
                .find(|n| n.attribute("ID") == Some(id))
                .expect("element with ID"),
            None => doc.root_element(),
        };
        String::from_utf8(canonicalize(node, options).expect("canonicalises")).expect("utf-8")
    }

    #[test]
    fn empty_elements_become_start_and_end_tags_and_attributes_sort() {
        let xml = r#"<a z="1" xmlns:b="urn:b" b:y="2" a="3"><e/></a>"#;
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            r#"<a xmlns:b="urn:b" a="3" z="1" b:y="2"><e></e></a>"#
        );
    }

    #[test]
    fn attributes_sort_by_namespace_uri_before_local_name() {
        // urn:a < urn:b, although the prefixes sort the other way round.
        let xml = r#"<r xmlns:z="urn:a" xmlns:a="urn:b" a:k="1" z:m="2" b="3"/>"#;
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            r#"<r xmlns:a="urn:b" xmlns:z="urn:a" b="3" z:m="2" a:k="1"></r>"#
        );
    }

    #[test]
    fn unused_ancestor_declarations_are_dropped_and_used_ones_pulled_in() {
        let xml =
            r#"<p:r xmlns:p="urn:p" xmlns:u="urn:unused" xmlns="urn:d"><x ID="1"><p:y/></x></p:r>"#;
        assert_eq!(
            c14n_of(xml, Some("1"), &C14nOptions::default()),
            r#"<x xmlns="urn:d" ID="1"><p:y xmlns:p="urn:p"></p:y></x>"#
        );
    }

    #[test]
    fn a_binding_already_rendered_is_not_repeated_but_a_changed_one_is() {
        let xml = r#"<a:r xmlns:a="urn:1"><a:s><a:t xmlns:a="urn:2"/></a:s></a:r>"#;
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            r#"<a:r xmlns:a="urn:1"><a:s><a:t xmlns:a="urn:2"></a:t></a:s></a:r>"#
        );
    }

    #[test]
    fn default_namespace_is_undeclared_only_when_the_output_declared_one() {
        let xml = r#"<r xmlns="urn:d"><s xmlns=""><t/></s></r>"#;
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            r#"<r xmlns="urn:d"><s xmlns=""><t></t></s></r>"#
        );
        // Canonicalising <s> alone: no default was rendered above it, so no xmlns="".
        let doc = roxmltree::Document::parse(xml).expect("parses");
        let s = doc.descendants().find(|n| n.has_tag_name("s")).expect("s");
        assert_eq!(
            canonicalize(s, &C14nOptions::default()).expect("c14n"),
            b"<s><t></t></s>"
        );
    }

    #[test]
    fn prefix_list_renders_unused_in_scope_bindings() {
        let xml = r#"<r xmlns:xs="urn:xs" xmlns:xsi="urn:xsi" xmlns:n="urn:n"><v ID="1" xsi:type="xs:string">t</v></r>"#;
        assert_eq!(
            c14n_of(xml, Some("1"), &C14nOptions::default()),
            r#"<v xmlns:xsi="urn:xsi" ID="1" xsi:type="xs:string">t</v>"#
        );
        assert_eq!(
            c14n_of(
                xml,
                Some("1"),
                &C14nOptions::default().with_prefix_list("xs xsi undeclared")
            ),
            r#"<v xmlns:xs="urn:xs" xmlns:xsi="urn:xsi" ID="1" xsi:type="xs:string">t</v>"#
        );
    }

    #[test]
    fn text_and_attribute_escaping() {
        let xml = "<r a=\"&amp;&lt;&quot;&#9;&#10;&#13;'>\" b=\"x\ty\r\nz\">&amp;&lt;&gt;&#13;\"'\r\n<![CDATA[<&>]]></r>";
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            "<r a=\"&amp;&lt;&quot;&#x9;&#xA;&#xD;'>\" b=\"x y z\">&amp;&lt;&gt;&#xD;\"'\n&lt;&amp;&gt;</r>"
        );
    }

    #[test]
    fn comments_follow_the_option_and_processing_instructions_stay() {
        let xml = "<r><!-- c --><?pi  some data?><?empty?>x</r>";
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            "<r><?pi some data?><?empty?>x</r>"
        );
        let with_comments = C14nOptions {
            with_comments: true,
            ..C14nOptions::default()
        };
        assert_eq!(
            c14n_of(xml, None, &with_comments),
            "<r><!-- c --><?pi some data?><?empty?>x</r>"
        );
    }

    #[test]
    fn excluded_node_disappears_with_its_subtree() {
        let xml = r#"<r ID="1"><a/><s><deep><deeper/></deep></s><b/></r>"#;
        let doc = roxmltree::Document::parse(xml).expect("parses");
        let s = doc.descendants().find(|n| n.has_tag_name("s")).expect("s");
        let options = C14nOptions {
            exclude: Some(s.id()),
            ..C14nOptions::default()
        };
        assert_eq!(
            canonicalize(doc.root_element(), &options).expect("c14n"),
            br#"<r ID="1"><a></a><b></b></r>"#
        );
    }

    #[test]
    fn xml_prefixed_attributes_stay_without_declaring_the_xml_namespace() {
        let xml = r#"<r xml:lang="en"><s xml:space="preserve"/></r>"#;
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default().with_prefix_list("xml")),
            r#"<r xml:lang="en"><s xml:space="preserve"></s></r>"#
        );
    }

    #[test]
    fn non_ascii_is_written_as_utf8() {
        let xml = "<r n=\"Zo&#xEB;\">Zoë Ångström</r>";
        assert_eq!(
            c14n_of(xml, None, &C14nOptions::default()),
            "<r n=\"Zoë\">Zoë Ångström</r>"
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 100_000;
        let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
        let doc = roxmltree::Document::parse(&xml).expect("roxmltree parses deep documents");
        assert_eq!(
            canonicalize(doc.root_element(), &C14nOptions::default()),
            Err(C14nError::TooDeep)
        );
        // Just under the limit still works.
        let ok = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        let doc = roxmltree::Document::parse(&ok).expect("parses");
        assert_eq!(
            canonicalize(doc.root_element(), &C14nOptions::default()).map(|out| out.len()),
            Ok(MAX_DEPTH * 7)
        );
    }

    #[test]
    fn truncated_and_mutated_inputs_never_panic() {
        let xml = "<p:r xmlns:p=\"urn:p\" xmlns=\"urn:d\" a=\"&amp;\"><x ID=\"1\" p:b=\"2\"><!--c--><?pi d?>t&#13;<y xmlns=\"\"/></x></p:r>";
        let mut inputs: Vec<String> = (0..=xml.len())
            .filter(|&end| xml.is_char_boundary(end))
            .map(|end| xml[..end].to_owned())
            .collect();
        for (index, _) in xml.char_indices() {
            for replacement in ["<", ">", "\"", ":", "&", " ", "/", "x"] {
                let mut mutated = xml.to_owned();
                mutated.replace_range(index..index + 1, replacement);
                inputs.push(mutated);
            }
        }
        let mut parsed = 0;
        for input in &inputs {
            if let Ok(doc) = roxmltree::Document::parse(input) {
                parsed += 1;
                for node in doc.descendants().filter(|n| n.is_element()) {
                    let _ =
                        canonicalize(node, &C14nOptions::default().with_prefix_list("p #default"));
                }
            }
        }
        // The mutations must exercise the canonicaliser, not only the parser's error paths.
        assert!(parsed > 50, "only {parsed} mutated inputs parsed");
    }
}
