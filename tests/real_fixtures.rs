//! Real-world metadata and responses from public projects, checked against expected values
//! computed independently (openssl). Runs when `GOTO_SSO_REAL_FIXTURES` points at a folder
//! holding `metadata/*.xml` with `*.expected.json` beside them; those files are not part of this
//! repository. CI sets it and `GOTO_SSO_REQUIRE_REAL_FIXTURES=1`, which turns a missing folder
//! into a failure instead of a note.

mod common;

use std::path::PathBuf;

use goto_sso_wizard::metadata::{self, ParseOptions};

/// The fixtures folder, or `None` (after saying why) when it is not given and not required.
fn fixtures() -> Option<PathBuf> {
    let root = std::env::var_os("GOTO_SSO_REAL_FIXTURES").map(PathBuf::from);
    match root {
        Some(root) if root.is_dir() => Some(root),
        Some(root) => {
            common::cannot_run(
                "GOTO_SSO_REQUIRE_REAL_FIXTURES",
                &format!("GOTO_SSO_REAL_FIXTURES={} is not a folder", root.display()),
            );
            None
        }
        None => {
            common::cannot_run(
                "GOTO_SSO_REQUIRE_REAL_FIXTURES",
                "GOTO_SSO_REAL_FIXTURES is not set (the real-world fixtures are ../shared/fixtures/real)",
            );
            None
        }
    }
}

#[test]
fn real_metadata_matches_the_expected_values() {
    let Some(root) = fixtures() else {
        return;
    };
    let folder = root.join("metadata");
    let mut checked = 0;
    for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
    {
        let path = entry.expect("entry").path();
        let name = path.to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".expected.json") else {
            continue;
        };
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).expect("read expected")).expect("json");
        let xml =
            std::fs::read(format!("{stem}.xml")).expect("the metadata beside the expectations");
        let parsed = metadata::parse(&xml, &ParseOptions::default())
            .unwrap_or_else(|error| panic!("{stem}.xml: {error}"));

        let expected_entities = expected["entities"].as_array().expect("entities");
        assert_eq!(
            parsed.entities.len(),
            expected_entities.len(),
            "{stem}: entity count"
        );
        for (entity, want) in parsed.entities.iter().zip(expected_entities) {
            assert_eq!(entity.entity_id, want["entityID"], "{stem}: entityID");
            let sso: Vec<(String, String)> = entity
                .idp
                .iter()
                .flat_map(|idp| &idp.sso)
                .map(|e| (e.binding.clone(), e.location.clone()))
                .collect();
            let want_sso: Vec<(String, String)> = want["idp_sso"]
                .as_array()
                .expect("idp_sso")
                .iter()
                .map(|e| {
                    (
                        e["binding"].as_str().unwrap().to_owned(),
                        e["location"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            assert_eq!(
                sso, want_sso,
                "{stem}: SSO endpoints of {}",
                entity.entity_id
            );
            let slo = entity.idp.as_ref().map_or(0, |idp| idp.slo.len());
            assert_eq!(
                slo,
                want["idp_slo"].as_array().expect("idp_slo").len(),
                "{stem}: SLO"
            );
            let thumbprints: Vec<(String, String)> = entity
                .idp
                .iter()
                .flat_map(|idp| &idp.signing_certificates)
                .map(|c| {
                    (
                        c.certificate.info().sha1.clone(),
                        c.certificate.info().sha256.clone(),
                    )
                })
                .collect();
            let want_thumbprints: Vec<(String, String)> = want["signing_certs"]
                .as_array()
                .expect("signing_certs")
                .iter()
                .map(|c| {
                    (
                        c["sha1"].as_str().unwrap().to_owned(),
                        c["sha256"].as_str().unwrap().to_owned(),
                    )
                })
                .collect();
            assert_eq!(
                thumbprints, want_thumbprints,
                "{stem}: thumbprints of {}",
                entity.entity_id
            );
        }
        checked += 1;
    }
    assert!(
        checked > 0,
        "no *.expected.json found in {}",
        folder.display()
    );
    eprintln!("checked {checked} real-world metadata documents");
}

/// Real responses signed by Okta, OneLogin and a production IdP (SecureWorks) verify with the
/// certificate from their own metadata: the canonicalisation and signature code agree with
/// what real identity providers produce, not only with xmlsec1.
#[test]
fn real_responses_verify_with_their_identity_providers_certificates() {
    use goto_sso_wizard::diagnose::{self, CheckTime, Expected, SignedElement};

    let Some(root) = fixtures() else {
        return;
    };
    let cases = [
        (
            "responses/okta-response-signed-encrypted-assertion.b64",
            "metadata/okta-exkppsa1qwuFV4D7z0h7.xml",
            SignedElement::Response,
        ),
        (
            "responses/onelogin-response.b64",
            "metadata/onelogin-503983.xml",
            SignedElement::Response,
        ),
        (
            "responses/secureworks-response.xml",
            "metadata/secureworks-idp.xml",
            SignedElement::Assertion,
        ),
    ];
    for (response, idp_metadata, element) in cases {
        let metadata = metadata::parse(
            &std::fs::read(root.join(idp_metadata)).expect("metadata"),
            &ParseOptions::default(),
        )
        .expect("metadata parses");
        let mut expected = Expected::published();
        expected.idp_certificates = metadata
            .entities
            .iter()
            .flat_map(|e| e.idp.iter())
            .flat_map(|idp| idp.signing_certificates.iter())
            .map(|c| c.certificate.clone())
            .collect();
        assert!(!expected.idp_certificates.is_empty(), "{idp_metadata}");
        let capture = std::fs::read(root.join(response)).expect("response");
        let diagnosis = diagnose::diagnose(&capture, &expected, CheckTime::clock())
            .unwrap_or_else(|error| panic!("{response}: {error}"));
        let signature = diagnosis
            .summary
            .signatures
            .iter()
            .find(|s| s.element == element)
            .unwrap_or_else(|| panic!("{response}: no {element:?} signature"));
        assert!(
            signature.verified,
            "{response}: {:?}\n{}",
            signature.problem,
            diagnose::to_text(&diagnosis)
        );
        assert_eq!(signature.signer_trusted, Some(true), "{response}");
    }
}
