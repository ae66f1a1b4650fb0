//! goto-sso-wizard core: everything the CLI, the GUI and the tests call. No GUI code lives here.
#![deny(missing_docs)]

pub mod certificate;
pub mod ids;
pub mod json;
pub mod metadata;
pub mod time_format;
pub mod xml;
