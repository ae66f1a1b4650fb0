//! Test support shared by the integration tests: certificates made with rcgen and SAML
//! metadata shaped like what Entra, AD FS and federations publish, built around them.
#![allow(dead_code)] // each test crate uses a different part

pub mod certs;
pub mod cli;
pub mod metadata_xml;
pub mod peers;
pub mod saml;
pub mod servers;
