//! Why a metadata document could not be read, in words that say what to do next.

use crate::xml::{Position, XmlInputError};

/// A metadata document that cannot be used. Each message names the place and the next step.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataError {
    /// Size, encoding or emptiness problems found before parsing.
    #[error(transparent)]
    Input(#[from] XmlInputError),
    /// A `<!DOCTYPE>`: refused because DTDs enable XXE and entity-expansion attacks.
    #[error(
        "{position}: the document contains a DOCTYPE declaration, which is refused for safety \
         (it can hide XXE or entity-expansion attacks). Genuine SAML metadata never has one: \
         download the metadata again from the identity provider"
    )]
    Doctype {
        /// Where the declaration starts.
        position: Position,
    },
    /// A reference to an entity other than the five predefined ones.
    #[error(
        "{position}: the document uses the entity reference &{name}; which is not allowed \
         (only &lt; &gt; &amp; &apos; &quot; and character references are): \
         download the metadata again from the identity provider"
    )]
    Entity {
        /// The entity's name.
        name: String,
        /// Where the reference is.
        position: Position,
    },
    /// Not well-formed XML.
    #[error(
        "{position}: this is not well-formed XML ({reason}); the file may be truncated or not XML at all"
    )]
    Syntax {
        /// What the XML reader reported.
        reason: String,
        /// Where it happened.
        position: Position,
    },
    /// The document ended before its root element closed.
    #[error(
        "the document ends before </{open}> is closed: the file is truncated; download it again"
    )]
    Truncated {
        /// The element still open at the end.
        open: String,
    },
    /// Well-formed XML, but not SAML metadata.
    #[error("{position}: this is not SAML metadata: the root element is <{found}>{hint}")]
    NotMetadata {
        /// The root element as written.
        found: String,
        /// Extra advice for common look-alikes (HTML pages, SAML responses).
        hint: String,
        /// Where the root element is.
        position: Position,
    },
    /// `EntityDescriptor` or `EntitiesDescriptor` outside the SAML metadata namespace.
    #[error(
        "{position}: <{found}> is not in the SAML metadata namespace (found {namespace}); \
         it needs xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\". The file was probably edited by hand: \
         download the original metadata again"
    )]
    WrongNamespace {
        /// The element as written.
        found: String,
        /// The namespace it is in, or "no namespace".
        namespace: String,
        /// Where the element is.
        position: Position,
    },
    /// Nesting deeper than any real metadata, refused to bound memory.
    #[error("{position}: elements are nested more than {limit} deep, which no real metadata does")]
    TooDeep {
        /// The depth limit.
        limit: usize,
        /// Where the limit was crossed.
        position: Position,
    },
    /// A second root element or text after the root element.
    #[error(
        "{position}: there is content after the end of the root element; the file holds more than one document"
    )]
    TrailingContent {
        /// Where the extra content starts.
        position: Position,
    },
    /// No `EntityDescriptor` with an `entityID` at all.
    #[error(
        "the document has no EntityDescriptor with an entityID, so there is nothing to configure"
    )]
    NoEntities,
}

impl MetadataError {
    /// A stable, machine-readable name for the kind of failure (used in `--json` output).
    pub fn kind(&self) -> &'static str {
        match self {
            MetadataError::Input(crate::xml::XmlInputError::TooLarge { .. }) => "too_large",
            MetadataError::Input(crate::xml::XmlInputError::Empty) => "empty",
            MetadataError::Input(crate::xml::XmlInputError::BadUtf16) => "encoding",
            MetadataError::Doctype { .. } => "doctype",
            MetadataError::Entity { .. } => "entity",
            MetadataError::Syntax { .. } | MetadataError::Truncated { .. } => "invalid_xml",
            MetadataError::TrailingContent { .. } | MetadataError::TooDeep { .. } => "invalid_xml",
            MetadataError::NotMetadata { .. } | MetadataError::WrongNamespace { .. } => {
                "not_metadata"
            }
            MetadataError::NoEntities => "no_entities",
        }
    }
}
