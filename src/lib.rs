//! goto-sso-wizard core: everything the CLI, the GUI and the tests call. No GUI code lives here.
#![deny(missing_docs)]

pub mod aadsts;
pub mod certificate;
pub mod diagnose;
pub mod fetch;
pub mod ids;
pub mod json;
pub mod limited_read;
pub mod metadata;
pub mod metadata_url;
pub mod private_file;
pub mod profile;
pub mod provisioning;
pub mod report;
pub mod secrets;
pub mod settings;
pub mod setup;
pub mod time_format;
pub mod xml;
pub mod xmldsig;
