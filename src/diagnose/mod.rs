//! Support diagnostics of a sign-in that failed: take whatever support staff captured (a
//! SAMLResponse in any encoding, a form body, a browser HAR file, a SAML-tracer export) and get
//! the SAML XML out of it. (The checks against the setup and the verdict come next; issue 7.)

mod input;

pub use input::{
    Binding, DecodeError, DecodedMessage, InputKind, MAX_CAPTURE_BYTES, MAX_MESSAGE_BYTES, decode,
};
