//! The real `goto-sso-wizard` binary, run as a user would, on files made by the tests.

mod common;

use common::certs::{openssl_fingerprint, self_signed};
use common::cli::{json_of, wizard};
use common::metadata_xml;
use predicates::prelude::*;
use tempfile::TempDir;

struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).expect("write fixture");
        path.to_string_lossy().into_owned()
    }
}

#[test]
fn inspect_json_has_the_promised_shape_and_openssl_thumbprints() {
    let fixture = Fixture::new();
    let active = self_signed("Microsoft Azure Federated SSO Certificate", -10, 1000);
    let next = self_signed("Microsoft Azure Federated SSO Certificate", -1, 1095);
    let path = fixture.write(
        "entra.xml",
        metadata_xml::entra(&[active.base64(), next.base64()]),
    );

    let output = wizard()
        .args(["metadata", "inspect", &path, "--json"])
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    let entity = &json["entities"][0];
    assert_eq!(
        entity["entity_id"],
        format!("https://sts.windows.net/{}/", metadata_xml::TENANT)
    );
    assert_eq!(entity["kind"], "entra-app");
    assert_eq!(entity["signed"], true);
    assert!(entity["sp"].is_null());
    let sso = &entity["idp"]["sso"][0];
    assert_eq!(
        sso["binding"],
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    );
    assert_eq!(
        sso["location"],
        format!(
            "https://login.microsoftonline.com/{}/saml2",
            metadata_xml::TENANT
        )
    );
    let certificates = entity["idp"]["signing_certificates"]
        .as_array()
        .expect("array");
    assert_eq!(certificates.len(), 2);
    assert_eq!(
        certificates[0]["sha256"],
        openssl_fingerprint(&active.der, "sha256")
    );
    assert_eq!(
        certificates[0]["sha1"],
        openssl_fingerprint(&active.der, "sha1")
    );
    assert_eq!(
        certificates[1]["sha1"],
        openssl_fingerprint(&next.der, "sha1")
    );
    assert_eq!(certificates[0]["status"], "valid");
    for field in [
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "pem",
    ] {
        assert!(certificates[0][field].is_string(), "{field} missing");
    }
    assert!(
        certificates[0]["pem"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----\n")
    );
    assert!(json["warnings"].as_array().unwrap().is_empty());
}

#[test]
fn inspect_reads_standard_input_and_prints_for_people() {
    let signing = self_signed("ADFS Signing", -30, 20);
    let encryption = self_signed("ADFS Encryption", -30, 300);
    wizard()
        .args(["metadata", "inspect", "-"])
        .write_stdin(metadata_xml::adfs(&signing, &encryption))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Entity 1 of 1: http://adfs.contoso.example/adfs/services/trust",
        ))
        .stdout(predicate::str::contains("AD FS"))
        .stdout(predicate::str::contains("Signing certificates (1)"))
        .stdout(
            predicate::str::contains("inside Entra's 30-day notice")
                .or(predicate::str::contains("30-day")),
        )
        .stdout(predicate::str::contains(openssl_fingerprint(
            &signing.der,
            "sha256",
        )));
}

#[test]
fn expired_certificates_are_reported_as_expired() {
    let fixture = Fixture::new();
    let old = self_signed("old", -800, -5);
    let path = fixture.write("old.xml", metadata_xml::entra(&[old.base64()]));
    let output = wizard()
        .args(["metadata", "inspect", &path, "--json"])
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    assert_eq!(
        json["entities"][0]["idp"]["signing_certificates"][0]["status"],
        "expired"
    );
}

#[test]
fn hostile_and_broken_inputs_exit_1_with_a_clear_message() {
    let fixture = Fixture::new();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "xxe.xml",
            br#"<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&x;"/>"#.to_vec(),
            "DOCTYPE",
        ),
        ("junk.bin", (0..=255u8).cycle().take(10_000).collect(), "not"),
        ("page.html", b"<html><body>Sign in</body></html>".to_vec(), "web page"),
        (
            "cut.xml",
            br#"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a"><IDPSSODescriptor>"#.to_vec(),
            "truncated",
        ),
        ("empty.xml", Vec::new(), "empty"),
    ];
    for (name, bytes, expected) in cases {
        let path = fixture.write(name, bytes);
        wizard()
            .args(["metadata", "inspect", &path])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::starts_with("error: "))
            .stderr(predicate::str::contains(expected))
            .stderr(predicate::str::contains("panicked").not());
    }
}

#[test]
fn inspect_json_errors_are_json_too() {
    let fixture = Fixture::new();
    let path = fixture.write("xxe.xml", "<!DOCTYPE a><a/>");
    let output = wizard()
        .args(["metadata", "inspect", &path, "--json"])
        .assert()
        .code(1);
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["error"]["kind"], "doctype");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DOCTYPE")
    );
}

#[test]
fn a_file_over_the_limit_is_refused_while_reading() {
    let fixture = Fixture::new();
    let path = fixture.write("big.xml", vec![b' '; 4096]);
    wizard()
        .args(["metadata", "inspect", &path, "--max-size", "1000"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "larger than the limit of 1000 bytes",
        ));
}

#[test]
fn missing_file_and_usage_errors() {
    wizard()
        .args(["metadata", "inspect", "/nonexistent/metadata.xml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such file"));
    wizard().args(["metadata", "inspect"]).assert().code(2);
    wizard().args(["cert", "export", "x.xml"]).assert().code(2);
    wizard().args(["frobnicate"]).assert().code(2);
}

#[test]
fn cert_show_reads_pem_der_and_base64_cer_alike() {
    let fixture = Fixture::new();
    let made = self_signed("Show Me", -1, 365);
    let pem = fixture.write("c.pem", &made.pem);
    let der = fixture.write("c.der", &made.der);
    let cer = fixture.write("c.cer", made.base64_wrapped(64, "\r\n"));
    let expected = openssl_fingerprint(&made.der, "sha256");
    for path in [pem, der, cer] {
        let output = wizard()
            .args(["cert", "show", &path, "--json"])
            .assert()
            .success();
        let json = json_of(&output.get_output().stdout);
        assert_eq!(json["sha256"], expected, "{path}");
        assert!(json["subject"].as_str().unwrap().contains("Show Me"));
        assert_eq!(json["status"], "valid");
    }
    wizard()
        .args(["cert", "show", &fixture.write("d.pem", &made.pem)])
        .assert()
        .success()
        .stdout(predicate::str::contains("SHA-1:"))
        .stdout(predicate::str::contains(openssl_fingerprint(
            &made.der, "sha1",
        )));
}

#[test]
fn cert_show_refuses_what_is_not_a_certificate() {
    let fixture = Fixture::new();
    let key = fixture.write("key.pem", "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n");
    wizard()
        .args(["cert", "show", &key])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PRIVATE KEY"));
    let xml = fixture.write("m.xml", "<EntityDescriptor/>");
    wizard()
        .args(["cert", "show", &xml])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cert export"));
}

#[test]
fn cert_export_writes_each_format_and_the_result_matches_openssl() {
    let fixture = Fixture::new();
    let first = self_signed("first", -10, 1000);
    let second = self_signed("second", -1, 1000);
    let metadata = fixture.write(
        "m.xml",
        metadata_xml::entra(&[first.base64(), second.base64()]),
    );

    // PEM to stdout: the first (active) certificate, 64 columns.
    let output = wizard()
        .args(["cert", "export", &metadata, "--format", "pem"])
        .assert()
        .success()
        .stderr(predicate::str::contains("certificate 1 of 2"));
    let pem = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(
        pem.starts_with("-----BEGIN CERTIFICATE-----\n")
            && pem.ends_with("-----END CERTIFICATE-----\n")
    );
    assert!(pem.lines().all(|line| line.len() <= 64));
    let output = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256"])
        .stdin(std::fs::File::open(fixture.write("out.pem", &pem)).unwrap())
        .output()
        .expect("openssl");
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .replace(':', "")
            .contains(&openssl_fingerprint(&first.der, "sha256"))
    );

    // DER to a file, chosen by thumbprint (lower case with colons, as people paste it).
    let wanted = openssl_fingerprint(&second.der, "sha256");
    let colon_lower = wanted
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_lowercase())
        .collect::<Vec<_>>()
        .join(":");
    let der_path = fixture.dir.path().join("second.der");
    wizard()
        .args([
            "cert",
            "export",
            &metadata,
            "--sha256",
            &colon_lower,
            "--format",
            "der",
            "-o",
        ])
        .arg(&der_path)
        .assert()
        .success();
    assert_eq!(std::fs::read(&der_path).unwrap(), second.der);

    // .cer by index: PEM text with CRLF line ends.
    let output = wizard()
        .args([
            "cert", "export", &metadata, "--index", "2", "--format", "cer",
        ])
        .assert()
        .success();
    let cer = String::from_utf8(output.get_output().stdout.clone()).unwrap();
    assert!(cer.contains("\r\n"));
    assert!(cer.starts_with("-----BEGIN CERTIFICATE-----"));
}

#[test]
fn cert_export_explains_bad_choices() {
    let fixture = Fixture::new();
    let certs: Vec<String> = (0..2)
        .map(|n| self_signed(&format!("i{n}"), -1, 100).base64())
        .collect();
    let aggregate = fixture.write(
        "agg.xml",
        metadata_xml::aggregate(&certs, "2099-01-01T00:00:00Z"),
    );
    wizard()
        .args(["cert", "export", &aggregate, "--format", "pem"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--entity"))
        .stderr(predicate::str::contains(
            "https://idp2.example.org/idp/shibboleth",
        ));
    wizard()
        .args([
            "cert",
            "export",
            &aggregate,
            "--entity",
            "https://idp2.example.org/idp/shibboleth",
            "--format",
            "pem",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("-----BEGIN CERTIFICATE-----"));
    wizard()
        .args([
            "cert",
            "export",
            &aggregate,
            "--entity",
            "https://idp2.example.org/idp/shibboleth",
            "--index",
            "3",
            "--format",
            "pem",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no number 3"));
    wizard()
        .args([
            "cert",
            "export",
            &aggregate,
            "--entity",
            "https://nobody.example/",
            "--format",
            "pem",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no identity provider with a signing certificate has the entityID https://nobody.example/; the document has: https://idp1"));
    wizard()
        .args([
            "cert",
            "export",
            &aggregate,
            "--entity",
            "https://idp1.example.org/idp/shibboleth",
            "--sha256",
            "00",
            "--format",
            "pem",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no signing certificate"));
}

#[test]
fn the_readme_samples_agree_with_each_other() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let metadata = format!("{samples}/entra-app-metadata.xml");
    let output = wizard()
        .args(["metadata", "inspect", &metadata, "--json"])
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["entities"][0]["kind"], "entra-app");
    let first = json["entities"][0]["idp"]["signing_certificates"][0]["sha256"].clone();
    let output = wizard()
        .args([
            "cert",
            "show",
            &format!("{samples}/entra-signing.cer"),
            "--json",
        ])
        .assert()
        .success();
    assert_eq!(json_of(&output.get_output().stdout)["sha256"], first);
}
