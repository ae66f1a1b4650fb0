//! Hardened groundwork for reading untrusted XML (metadata now, SAML responses later):
//! size limits, byte-order marks and UTF-16, positions as line and column, and the
//! refusal of DTDs and entities that makes XXE and "billion laughs" impossible.

mod input;
mod position;

pub use input::{DEFAULT_MAX_XML_BYTES, XmlInputError, prepare};
pub use position::{Position, PositionCursor, position_at};

/// Namespace URIs the readers match on. Elements are recognised by these URIs, never by
/// the prefix a document happens to use.
pub mod ns {
    /// SAML 2.0 metadata.
    pub const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
    /// W3C XML Signature.
    pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
    /// WS-Federation 1.2 (the `RoleDescriptor` types in Entra and AD FS metadata).
    pub const FED: &str = "http://docs.oasis-open.org/wsfed/federation/200706";
    /// XML Schema instance (`xsi:type`).
    pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
}
