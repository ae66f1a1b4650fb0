//! Test support shared by the integration tests: certificates made with rcgen and SAML
//! metadata shaped like what Entra, AD FS and federations publish, built around them.
#![allow(dead_code)] // each test crate uses a different part

pub mod certs;
pub mod cli;
pub mod goto_scim;
pub mod metadata_xml;
pub mod peers;
pub mod saml;
pub mod servers;

/// A check that cannot run on this machine (a tool, a fixture or a service is missing). Where
/// `required` is set to `1` (CI sets every such variable in `.ci/run`) that is a failure; on a
/// developer's laptop the test says why and passes.
pub fn cannot_run(required: &str, why: &str) {
    assert!(
        std::env::var(required).as_deref() != Ok("1"),
        "{required}=1 but {why}"
    );
    eprintln!("skipped: {why} (with {required}=1 this fails instead)");
}
