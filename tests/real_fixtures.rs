//! Optional: real-world metadata from public projects, checked against expected values
//! computed independently (openssl). Runs only when `GOTO_SSO_REAL_FIXTURES` points at a
//! folder holding `metadata/*.xml` with `*.expected.json` beside them; those files are not
//! part of this repository. CI sets the variable when the folder is present.

use std::path::PathBuf;

use goto_sso_wizard::metadata::{self, ParseOptions};

#[test]
fn real_metadata_matches_the_expected_values() {
    let Some(root) = std::env::var_os("GOTO_SSO_REAL_FIXTURES").map(PathBuf::from) else {
        eprintln!("GOTO_SSO_REAL_FIXTURES is not set: real-world fixtures not checked");
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
