//! `goto-sso-wizard diagnose`, run as support staff would: exit status, JSON shape, setup files
//! (the diagnostics format and a setup saved by the wizard), reports, and bad input.

mod common;

use std::sync::OnceLock;

use base64::Engine as _;
use common::cli::{json_of, wizard};
use common::saml::{self, ResponseSpec, SigningKey, TENANT_ID};
use predicates::prelude::*;

fn key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| saml::rsa_signing_key("Microsoft Azure Federated SSO Certificate", -30, 365))
}

fn base64_response(spec: &ResponseSpec) -> String {
    base64::engine::general_purpose::STANDARD.encode(saml::signed_response(spec, key()))
}

/// A diagnostics setup file naming the certificate by a path relative to itself.
fn setup_dir(spec: &ResponseSpec) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("entra.pem"), &key().cert.pem).unwrap();
    let setup = serde_json::json!({
        "idp_entity_id": format!("https://sts.windows.net/{TENANT_ID}/"),
        "idp_certificates": ["entra.pem"],
        "product": "gotomeeting",
        "request_id": spec.in_response_to,
    });
    std::fs::write(dir.path().join("setup.json"), setup.to_string()).unwrap();
    dir
}

#[test]
fn a_healthy_response_exits_0_with_the_promised_json() {
    let spec = ResponseSpec::healthy();
    let dir = setup_dir(&spec);
    let output = wizard()
        .args(["diagnose", "-", "--json", "--setup"])
        .arg(dir.path().join("setup.json"))
        .write_stdin(base64_response(&spec))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let json = json_of(&output.stdout);
    assert_eq!(json["healthy"], true);
    assert_eq!(json["verdict"], "healthy");
    assert!(json["root_cause"].is_null());
    assert!(json["findings"].is_array());
    assert_eq!(json["summary"]["message_type"], "Response");
    assert_eq!(json["summary"]["signatures"][0]["verified"], true);
    assert_eq!(json["summary"]["signatures"][0]["signer_trusted"], true);
    assert_eq!(
        json["summary"]["assertion"]["name_id"]["value"],
        "alice@example.com"
    );
}

#[test]
fn a_broken_response_exits_3_and_names_the_root_cause_and_fix() {
    let mut spec = ResponseSpec::healthy();
    spec.audiences = vec!["https://authentication.logmeininc.com/saml/sp/".to_owned()];
    let dir = setup_dir(&spec);
    let capture = dir.path().join("response.b64");
    std::fs::write(&capture, base64_response(&spec)).unwrap();
    wizard()
        .arg("diagnose")
        .arg(&capture)
        .arg("--setup")
        .arg(dir.path().join("setup.json"))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Root cause: audience_mismatch"))
        .stdout(predicate::str::contains("Identifier (Entity ID)"))
        .stdout(predicate::str::contains("fix in Entra"));
    // The same with --json: the finding has the promised fields.
    let output = wizard()
        .arg("diagnose")
        .arg(&capture)
        .arg("--setup")
        .arg(dir.path().join("setup.json"))
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let json = json_of(&output.stdout);
    assert_eq!(json["healthy"], false);
    assert_eq!(json["verdict"], "not_healthy");
    assert_eq!(json["root_cause"], "audience_mismatch");
    let finding = &json["findings"][0];
    assert_eq!(finding["id"], "audience_mismatch");
    assert_eq!(finding["severity"], "error");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("trailing slash")
    );
    assert!(!finding["fix"].as_str().unwrap().is_empty());
}

#[test]
fn a_response_nobody_vouched_for_exits_4_inconclusive() {
    // Signed by a key of its own, certificate embedded, no setup given: nothing wrong can be
    // found, and nothing says GoTo has this key either.
    let spec = ResponseSpec::healthy();
    let output = wizard()
        .args(["diagnose", "-", "--json"])
        .write_stdin(base64_response(&spec))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    let json = json_of(&output.stdout);
    assert_eq!(json["verdict"], "inconclusive");
    assert_eq!(json["healthy"], false);
    assert!(json["root_cause"].is_null());
    let output = wizard()
        .args(["diagnose", "-"])
        .write_stdin(base64_response(&spec))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(4), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with("Inconclusive"), "{text}");
    assert!(!text.contains("GoTo should accept"), "{text}");
    for flag in ["--idp-metadata", "--idp-cert", "--idp-entity-id", "--setup"] {
        assert!(text.contains(flag), "{flag}: {text}");
    }
    // Reports say it as well.
    let dir = tempfile::tempdir().unwrap();
    for name in ["report.md", "report.html"] {
        let report = dir.path().join(name);
        wizard()
            .args(["diagnose", "-", "--report"])
            .arg(&report)
            .write_stdin(base64_response(&spec))
            .assert()
            .code(4);
        let text = std::fs::read_to_string(&report).unwrap();
        assert!(text.contains("Inconclusive"), "{name}: {text}");
        assert!(!text.contains("GoTo should accept"), "{name}: {text}");
    }
    // With the setup (certificate and issuer), the same response is healthy.
    let dir = setup_dir(&spec);
    let output = wizard()
        .args(["diagnose", "-", "--json", "--setup"])
        .arg(dir.path().join("setup.json"))
        .write_stdin(base64_response(&spec))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(json_of(&output.stdout)["verdict"], "healthy");
}

#[test]
fn flags_override_the_setup_file() {
    let spec = ResponseSpec::healthy();
    let dir = setup_dir(&spec);
    wizard()
        .args(["diagnose", "-", "--product", "gotowebinar", "--setup"])
        .arg(dir.path().join("setup.json"))
        .write_stdin(format!(
            "SAMLResponse={}&RelayState=https%3A%2F%2Fglobal.gotomeeting.com",
            url::form_urlencoded::byte_serialize(base64_response(&spec).as_bytes())
                .collect::<String>()
        ))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("wrong_relay_state"))
        .stdout(predicate::str::contains("https://global.gotowebinar.com"));
    wizard()
        .args(["diagnose", "-", "--user", "bob@example.com", "--idp-cert"])
        .arg(&key().cert_pem_path)
        .write_stdin(base64_response(&spec))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("Root cause: nameid_not_email"));
}

#[test]
fn a_setup_saved_by_the_wizard_is_understood() {
    let spec = ResponseSpec::healthy();
    let dir = tempfile::tempdir().unwrap();
    let mut setup = goto_sso_wizard::setup::Setup::default();
    setup.sso = true;
    setup.products = vec![goto_sso_wizard::setup::Product::GoToMeeting];
    setup.metadata.idp_entity_id = Some(format!("https://sts.windows.net/{TENANT_ID}/"));
    setup.metadata.certificate_pem = Some(key().cert.pem.clone());
    let path = dir.path().join("my-setup.json");
    setup.save(&path).unwrap();
    let output = wizard()
        .args(["diagnose", "-", "--json", "--setup"])
        .arg(&path)
        .write_stdin(base64_response(&spec))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    assert_eq!(
        json_of(&output.stdout)["summary"]["signatures"][0]["signer_trusted"],
        true
    );

    // The same setup with another certificate: the signer is not trusted.
    let other = saml::rsa_signing_key("another app", -30, 365);
    setup.metadata.certificate_pem = Some(other.cert.pem.clone());
    setup.save(&path).unwrap();
    wizard()
        .args(["diagnose", "-", "--setup"])
        .arg(&path)
        .write_stdin(base64_response(&spec))
        .assert()
        .code(3)
        .stdout(predicate::str::contains("cert_untrusted"));
}

#[test]
fn unreadable_input_exits_1_and_says_what_to_do() {
    wizard()
        .args(["diagnose", "-"])
        .write_stdin("hello, this is not a capture")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a SAML message"))
        .stderr(predicate::str::contains("Paste the SAMLResponse value"));
    wizard()
        .args(["diagnose", "-", "--json"])
        .write_stdin("")
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("\"kind\": \"unreadable_capture\"")
                .or(predicate::str::contains("\"kind\":\"unreadable_capture\"")),
        );
    let dir = tempfile::tempdir().unwrap();
    let setup = dir.path().join("setup.json");
    std::fs::write(&setup, r#"{"sp_entityid": "typo"}"#).unwrap();
    wizard()
        .args(["diagnose", "-", "--setup"])
        .arg(&setup)
        .write_stdin("PHg+PC94Pg==")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown field `sp_entityid`"))
        .stderr(predicate::str::contains("README"));
    wizard()
        .args(["diagnose", "-", "--now", "yesterday"])
        .write_stdin("PHg+PC94Pg==")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2026-11-25T14:30:00Z"));
    wizard()
        .args(["diagnose", "/nonexistent/capture.har"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such file"));
}

#[test]
fn reports_are_written_and_redacted() {
    let mut spec = ResponseSpec::healthy();
    spec.sign_assertion = None;
    let dir = tempfile::tempdir().unwrap();
    let capture = dir.path().join("capture.txt");
    std::fs::write(&capture, base64_response(&spec)).unwrap();
    for (name, redact) in [("plain.html", false), ("redacted.md", true)] {
        let report = dir.path().join(name);
        let mut command = wizard();
        command
            .arg("diagnose")
            .arg(&capture)
            .arg("--report")
            .arg(&report);
        if redact {
            command.arg("--redact");
        }
        command
            .assert()
            .code(3)
            .stdout(predicate::str::contains("Report written to"));
        let text = std::fs::read_to_string(&report).unwrap();
        assert!(text.contains("unsigned"));
        assert_eq!(text.contains("alice@example.com"), !redact, "{name}");
    }
    wizard()
        .arg("diagnose")
        .arg(&capture)
        .arg("--report")
        .arg(dir.path().join("report.pdf"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(".md"));
}

/// The README's example: the sample HAR was signed with the metadata's *next* certificate,
/// while GoTo has `entra-signing.cer` (the current one). The HAR's own time is used, so the
/// committed sample does not expire.
#[test]
fn the_readme_sample_is_a_certificate_rollover() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    wizard()
        .args(["diagnose", &format!("{samples}/failed-signin.har")])
        .args(["--idp-cert", &format!("{samples}/entra-signing.cer")])
        .args(["--product", "gotomeeting"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "Not healthy. Root cause: cert_not_trusted_rollover",
        ));
    // The first message of the HAR is the AuthnRequest: checking it says so; a third does not exist.
    wizard()
        .args([
            "diagnose",
            &format!("{samples}/failed-signin.har"),
            "--message",
            "1",
        ])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("AuthnRequest"));
    wizard()
        .args([
            "diagnose",
            &format!("{samples}/failed-signin.har"),
            "--message",
            "3",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("from 1 to 2"));
    // Given the metadata (both certificates, as GoTo's automatic mode has them), it is healthy.
    wizard()
        .args(["diagnose", &format!("{samples}/failed-signin.har")])
        .args([
            "--idp-metadata",
            &format!("{samples}/entra-app-metadata.xml"),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(
            "Healthy: GoTo should accept this response.",
        ));
    // So is Entra's metadata given as the setup file (the window's "file" choice reads it too).
    wizard()
        .args(["diagnose", &format!("{samples}/failed-signin.har")])
        .args(["--setup", &format!("{samples}/entra-app-metadata.xml")])
        .assert()
        .code(0);
    // A certificate is not metadata.
    wizard()
        .args(["diagnose", &format!("{samples}/failed-signin.har")])
        .args(["--idp-metadata", &format!("{samples}/entra-signing.cer")])
        .assert()
        .code(1);
    // Given the next certificate from the metadata, the same capture is healthy.
    let dir = tempfile::tempdir().unwrap();
    let next = dir.path().join("next.pem");
    wizard()
        .args([
            "cert",
            "export",
            &format!("{samples}/entra-app-metadata.xml"),
        ])
        .args(["--index", "2", "--format", "pem", "-o"])
        .arg(&next)
        .assert()
        .success();
    wizard()
        .args(["diagnose", &format!("{samples}/failed-signin.har")])
        .arg("--idp-cert")
        .arg(&next)
        .args([
            "--idp-entity-id",
            "https://sts.windows.net/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("Healthy"));
}

#[test]
fn idp_metadata_with_several_identity_providers_needs_the_one_named() {
    let certificates: Vec<String> = (0..2)
        .map(|n| common::certs::self_signed(&format!("idp{n}"), -1, 100).base64())
        .collect();
    let folder = tempfile::tempdir().expect("temp dir");
    let aggregate = folder.path().join("federation.xml");
    std::fs::write(
        &aggregate,
        common::metadata_xml::aggregate(&certificates, "2099-01-01T00:00:00Z"),
    )
    .expect("write");
    let har = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/failed-signin.har");
    let assert = wizard()
        .arg("diagnose")
        .arg(har)
        .arg("--idp-metadata")
        .arg(&aggregate)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("choose one")
            && stderr.contains("https://idp1.example.org/idp/shibboleth")
            && stderr.contains("https://idp2.example.org/idp/shibboleth")
            && stderr.contains("--idp-entity-id"),
        "{stderr}"
    );
    // Naming one takes its certificate: the capture is then checked against it.
    wizard()
        .arg("diagnose")
        .arg(har)
        .arg("--idp-metadata")
        .arg(&aggregate)
        .args(["--idp-entity-id", "https://idp2.example.org/idp/shibboleth"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("cert_untrusted"));
}
