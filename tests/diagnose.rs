//! Diagnostics end to end, on responses the tests build and have the real `xmlsec1` sign: every
//! root cause is produced by a response made to have it, healthy responses are healthy, and no
//! tampered or wrapped response is ever called healthy.

mod common;

use std::sync::OnceLock;

use base64::Engine as _;
use common::saml::{self, GOTO_ACS, ResponseSpec, SigAlg, SigningKey, TENANT_ID};
use goto_sso_wizard::diagnose::{
    self, CheckTime, Diagnosis, Expected, FixSide, RootCause, Severity, Sourced,
};
use goto_sso_wizard::setup::Product;
use time::{Duration, OffsetDateTime};

/// Entra's certificates all have this subject; a rollover keeps it.
const ENTRA_CN: &str = "Microsoft Azure Federated SSO Certificate";

/// The tenant's current signing key (made once: RSA key generation is slow in debug builds).
fn entra_key() -> &'static SigningKey {
    static KEY: OnceLock<SigningKey> = OnceLock::new();
    KEY.get_or_init(|| saml::rsa_signing_key(ENTRA_CN, -30, 3 * 365))
}

fn issuer() -> String {
    format!("https://sts.windows.net/{TENANT_ID}/")
}

/// What a correct setup expects: GoTo's values, the tenant's issuer and certificate, the
/// product GoToMeeting, and the request GoTo sent.
fn expected_for(spec: &ResponseSpec, key: &SigningKey) -> Expected {
    let mut expected = Expected::published();
    expected.idp_entity_id = Some(Sourced::new(issuer(), "the test"));
    expected.idp_certificates = vec![key.certificate()];
    expected.idp_certificates_source = Some("the test".to_owned());
    if let Some(request) = &spec.in_response_to {
        expected.request_id = Some(Sourced::new(request.clone(), "the test"));
    }
    expected.choose_relay_state(Some(Product::GoToMeeting), None, "the test");
    expected
}

/// The capture as the browser posts it: a form body with the base64 response and relay state.
fn form_body(xml: &str, relay_state: &str) -> Vec<u8> {
    let encoded = base64::engine::general_purpose::STANDARD.encode(xml);
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    form.append_pair("SAMLResponse", &encoded);
    form.append_pair("RelayState", relay_state);
    form.finish().into_bytes()
}

const MEETING: &str = "https://global.gotomeeting.com";

fn run(capture: &[u8], expected: &Expected) -> Diagnosis {
    diagnose::diagnose(capture, expected, CheckTime::clock()).expect("the capture decodes")
}

/// Signs `spec` with the tenant key and diagnoses it against the correct setup.
fn diagnose_spec(spec: &ResponseSpec) -> Diagnosis {
    let key = entra_key();
    let xml = saml::signed_response(spec, key);
    run(&form_body(&xml, MEETING), &expected_for(spec, key))
}

/// Asserts the root cause, that a finding with that id is an error fixed on `side`, and prints
/// the diagnosis when not.
fn assert_root_cause(diagnosis: &Diagnosis, cause: RootCause, side: FixSide) {
    assert_eq!(
        diagnosis.root_cause,
        Some(cause),
        "{}",
        diagnose::to_text(diagnosis)
    );
    assert!(!diagnosis.healthy);
    let finding = diagnosis
        .findings
        .first()
        .expect("the root cause is the first finding");
    assert_eq!(finding.id.id(), cause.id());
    assert_eq!(finding.severity, Severity::Error);
    assert_eq!(finding.side, side, "{}", diagnose::to_text(diagnosis));
    assert!(!finding.fix.is_empty());
}

fn assert_healthy(diagnosis: &Diagnosis) {
    assert!(diagnosis.healthy, "{}", diagnose::to_text(diagnosis));
    assert_eq!(diagnosis.root_cause, None);
    assert!(
        diagnosis
            .findings
            .iter()
            .all(|f| f.severity != Severity::Error)
    );
}

#[test]
fn a_good_entra_response_is_healthy_and_fully_read() {
    let spec = ResponseSpec::healthy();
    let diagnosis = diagnose_spec(&spec);
    assert_healthy(&diagnosis);
    let signatures = &diagnosis.summary.signatures;
    assert_eq!(signatures.len(), 1);
    assert!(signatures[0].verified);
    assert_eq!(signatures[0].signer_trusted, Some(true));
    assert_eq!(signatures[0].algorithm, "RSA-SHA256");
    let message = diagnosis.summary.message.as_ref().unwrap();
    let assertion = message.assertion.as_ref().unwrap();
    assert_eq!(
        assertion.name_id.as_ref().unwrap().value,
        "alice@example.com"
    );
    assert_eq!(
        assertion.audiences,
        vec!["https://authentication.logmeininc.com/saml/sp"]
    );
    assert_eq!(diagnosis.summary.relay_state.as_deref(), Some(MEETING));
    // No warnings either: this is what a correct setup sends.
    assert!(
        diagnosis
            .findings
            .iter()
            .all(|f| f.severity == Severity::Info),
        "{}",
        diagnose::to_text(&diagnosis)
    );
}

#[test]
fn response_and_assertion_both_signed_indented_and_prefixed_are_healthy() {
    let mut spec = ResponseSpec::healthy();
    spec.sign_response = Some(SigAlg::RsaSha256);
    spec.indent = true;
    spec.ds_prefix = true;
    let diagnosis = diagnose_spec(&spec);
    assert_healthy(&diagnosis);
    assert_eq!(diagnosis.summary.signatures.len(), 2);
}

#[test]
fn a_signature_checked_against_the_trusted_certificate_alone_is_healthy() {
    // KeyInfo left out, as some IdPs do: the trusted certificate verifies it.
    let mut spec = ResponseSpec::healthy();
    spec.include_certificate = false;
    let diagnosis = diagnose_spec(&spec);
    assert_healthy(&diagnosis);
}

/// A response signed with a key nobody vouched for, read without the setup: no error can be
/// found, but whose key it is and who issued it were never compared with anything, so the
/// verdict must not say GoTo would accept it.
#[test]
fn without_a_trusted_certificate_or_issuer_the_verdict_is_inconclusive() {
    let anyone = saml::rsa_signing_key("Anyone at all", -1, 365);
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, &anyone);
    let capture = form_body(&xml, MEETING);

    // Nothing given: GoTo's published values only.
    let diagnosis = run(&capture, &Expected::published());
    assert_eq!(
        diagnosis.root_cause,
        None,
        "{}",
        diagnose::to_text(&diagnosis)
    );
    assert!(!diagnosis.healthy, "{}", diagnose::to_text(&diagnosis));
    for report in [
        diagnose::to_text(&diagnosis),
        diagnose::to_markdown(&diagnosis),
        diagnose::to_html(&diagnosis),
    ] {
        assert!(report.contains("Inconclusive"), "{report}");
        assert!(!report.contains("GoTo should accept"), "{report}");
        assert!(!report.contains("Healthy"), "{report}");
        // It says what to give to finish the check.
        assert!(report.contains("--idp-metadata"), "{report}");
        assert!(report.contains("--setup"), "{report}");
    }

    // The certificate given, the issuer not: still inconclusive, and only the issuer is asked for.
    let mut expected = Expected::published();
    expected.idp_certificates = vec![anyone.certificate()];
    let diagnosis = run(&capture, &expected);
    assert!(!diagnosis.healthy, "{}", diagnose::to_text(&diagnosis));
    let text = diagnose::to_text(&diagnosis);
    assert!(text.starts_with("Inconclusive"), "{text}");
    assert!(text.contains("--idp-entity-id"), "{text}");

    // The issuer given, the certificate not: inconclusive too.
    let mut expected = Expected::published();
    expected.idp_entity_id = Some(Sourced::new(issuer(), "the test"));
    let diagnosis = run(&capture, &expected);
    assert!(!diagnosis.healthy, "{}", diagnose::to_text(&diagnosis));
    let text = diagnose::to_text(&diagnosis);
    assert!(text.starts_with("Inconclusive"), "{text}");
    assert!(text.contains("--idp-cert"), "{text}");

    // Both given: healthy, and only now does it say GoTo should accept it.
    expected.idp_certificates = vec![anyone.certificate()];
    let diagnosis = run(&capture, &expected);
    assert_healthy(&diagnosis);
    assert!(
        diagnose::to_text(&diagnosis).starts_with("Healthy: GoTo should accept this response.")
    );
}

#[test]
fn a_response_signed_as_the_whole_document_is_healthy_and_an_assertion_so_signed_is_not() {
    let key = entra_key();
    for (node, healthy) in [
        (saml::SamlNode::Response, true),
        (saml::SamlNode::Assertion, false),
    ] {
        let mut spec = ResponseSpec::healthy();
        spec.sign_response = (node == saml::SamlNode::Response).then_some(SigAlg::RsaSha256);
        spec.sign_assertion = (node == saml::SamlNode::Assertion).then_some(SigAlg::RsaSha256);
        let id = match node {
            saml::SamlNode::Response => spec.response_id.clone(),
            saml::SamlNode::Assertion => spec.assertion_id.clone(),
        };
        let template = saml::replace_once(
            &saml::build_response(&spec),
            &format!("URI=\"#{id}\""),
            "URI=\"\"",
        );
        let xml = saml::sign(&template, key);
        assert!(
            saml::xmlsec1_verifies(&xml, key, node),
            "xmlsec1 accepts {node:?}"
        );
        let diagnosis = run(&form_body(&xml, MEETING), &expected_for(&spec, key));
        if healthy {
            assert_healthy(&diagnosis);
        } else {
            assert_root_cause(&diagnosis, RootCause::SignatureInvalid, FixSide::Neither);
            let message = &diagnosis.findings[0].message;
            assert!(message.contains("§5.4.2"), "{message}");
            assert!(!message.contains("covers another element ()"), "{message}");
        }
    }
}

#[test]
fn malformed_messages() {
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let expected = expected_for(&spec, key);
    // Cut short, as a hand copy does.
    let cut = &xml[..xml.len() / 2];
    let diagnosis = run(cut.as_bytes(), &expected);
    assert_root_cause(&diagnosis, RootCause::Malformed, FixSide::Neither);
    assert!(diagnosis.findings[0].message.contains("not well-formed"));
    // The request instead of the response.
    let request = authn_request("_req1");
    let diagnosis = run(request.as_bytes(), &expected);
    assert_root_cause(&diagnosis, RootCause::Malformed, FixSide::Neither);
    assert!(diagnosis.findings[0].message.contains("AuthnRequest"));
    // A DTD is refused, not expanded.
    let with_dtd = xml.replacen(
        "<samlp:Response",
        "<!DOCTYPE r [<!ENTITY x \"y\">]><samlp:Response",
        1,
    );
    let with_dtd = with_dtd.replacen("<?xml version=\"1.0\"?>", "", 1);
    let diagnosis = run(with_dtd.as_bytes(), &expected);
    assert_root_cause(&diagnosis, RootCause::Malformed, FixSide::Neither);
    assert!(diagnosis.findings[0].message.contains("DTD"));
}

#[test]
fn a_deflated_response_is_the_wrong_encoding() {
    use std::io::Write;
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let mut deflater =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater.write_all(xml.as_bytes()).unwrap();
    let deflated = base64::engine::general_purpose::STANDARD.encode(deflater.finish().unwrap());
    let diagnosis = run(deflated.as_bytes(), &expected_for(&spec, key));
    assert_root_cause(&diagnosis, RootCause::WrongEncoding, FixSide::Entra);
}

#[test]
fn an_error_status_from_entra_is_explained() {
    let mut spec = ResponseSpec::healthy();
    spec.status_code = "urn:oasis:names:tc:SAML:2.0:status:Requester".to_owned();
    spec.sub_status = Some("urn:oasis:names:tc:SAML:2.0:status:RequestDenied".to_owned());
    spec.status_message = Some(
        "AADSTS50105: Your administrator has configured the application to block users unless they are specifically granted access."
            .to_owned(),
    );
    spec.include_assertion = false;
    spec.sign_assertion = None;
    spec.sign_response = Some(SigAlg::RsaSha256);
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::IdpErrorStatus, FixSide::Entra);
    let finding = &diagnosis.findings[0];
    assert!(
        finding.message.contains("RequestDenied"),
        "{}",
        finding.message
    );
    assert!(finding.fix.contains("not assigned"), "{}", finding.fix);
    // The summary explains the code too (JSON and reports).
    let status = &diagnosis.summary.message.as_ref().unwrap().status;
    assert_eq!(status.aadsts.as_ref().unwrap().code, "AADSTS50105");
    assert!(diagnose::to_text(&diagnosis).contains("not assigned to the application"));
}

#[test]
fn an_unsigned_response_is_never_healthy() {
    let mut spec = ResponseSpec::healthy();
    spec.sign_assertion = None;
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::Unsigned, FixSide::Entra);
    assert!(diagnosis.findings[0].fix.contains("Signing Option"));
}

#[test]
fn tampering_after_signing_invalidates_the_signature_and_xmlsec1_agrees() {
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let expected = expected_for(&spec, key);
    let tampered = [
        saml::replace_once(
            &xml,
            ">alice@example.com</NameID>",
            ">mallory@example.com</NameID>",
        ),
        saml::replace_once(&xml, ">Alice</AttributeValue>", ">Mallory</AttributeValue>"),
        xml.replacen(
            "https://authentication.logmeininc.com/saml/sp</Audience>",
            "https://evil.example.com/saml/sp</Audience>",
            1,
        ),
    ];
    for tampered in tampered {
        assert_ne!(tampered, xml);
        let diagnosis = run(&form_body(&tampered, MEETING), &expected);
        assert_root_cause(&diagnosis, RootCause::SignatureInvalid, FixSide::Neither);
        assert!(
            diagnosis.findings[0].message.contains("digest"),
            "{}",
            diagnosis.findings[0].message
        );
        assert!(
            !saml::xmlsec1_verifies(&tampered, key, saml::SamlNode::Assertion),
            "xmlsec1 must reject it too"
        );
    }
    assert!(saml::xmlsec1_verifies(&xml, key, saml::SamlNode::Assertion));
}

#[test]
fn no_signature_wrapping_variant_is_ever_healthy() {
    let key = entra_key();
    for sign_response in [false, true] {
        let mut spec = ResponseSpec::healthy();
        if sign_response {
            spec.sign_response = Some(SigAlg::RsaSha256);
        }
        let xml = saml::signed_response(&spec, key);
        let expected = expected_for(&spec, key);
        let mut variants = vec![
            (
                "wrapped in Extensions",
                saml::xsw_wrapped_in_extensions(&xml, "mallory@example.com"),
            ),
            (
                "duplicate ID",
                saml::xsw_duplicate_id(&xml, "mallory@example.com"),
            ),
            (
                "forged assertion before the genuine one",
                forged_first(&xml),
            ),
            (
                "copied signature, same ID",
                saml::xsw_copied_signature(&xml, "mallory@example.com", true),
            ),
            (
                "copied signature, new ID",
                saml::xsw_copied_signature(&xml, "mallory@example.com", false),
            ),
        ];
        if sign_response {
            variants.push((
                "response signature in a forged assertion",
                saml::xsw_response_signature_in_forged_assertion(&xml, "mallory@example.com"),
            ));
        }
        for (name, wrapped) in variants {
            let diagnosis = run(&form_body(&wrapped, MEETING), &expected);
            assert!(
                !diagnosis.healthy,
                "{name} (response signed: {sign_response}) was called healthy:\n{}",
                diagnose::to_text(&diagnosis)
            );
            // Named as tampering: never "unsigned, fix in Entra", never any advice for Entra.
            let cause = diagnosis.root_cause.unwrap();
            assert!(
                matches!(cause, RootCause::SignatureInvalid | RootCause::Malformed),
                "{name} (response signed: {sign_response}): {cause:?}\n{}",
                diagnose::to_text(&diagnosis)
            );
            let root = &diagnosis.findings[0];
            assert_eq!(root.side, FixSide::Neither, "{name}: {}", root.message);
            assert!(
                root.message.contains("altered"),
                "{name} (response signed: {sign_response}): {}",
                root.message
            );
            assert!(
                diagnosis.findings.iter().all(|f| f.side != FixSide::Entra),
                "{name} (response signed: {sign_response}) advises a change in Entra:\n{}",
                diagnose::to_text(&diagnosis)
            );
            // The forged subject is shown (it is what the reader saw) but never trusted.
            let text = diagnose::to_text(&diagnosis);
            assert!(text.contains("mallory@example.com"), "{name}: {text}");
        }
    }
}

#[test]
fn a_signature_moved_off_the_assertion_is_tampering_not_an_unsigned_response() {
    // The genuine signature taken off the assertion and parked in Extensions: neither the
    // response nor the assertion is signed, but the message carries a signature all the same.
    // Entra never writes that; it is not a setting to fix in Entra.
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let range = saml::assertion_range(&xml);
    let assertion = xml[range.clone()].to_owned();
    let signature = saml::first_signature(&assertion);
    let mut moved = xml.clone();
    moved.replace_range(range, &saml::without_signature(&assertion));
    let moved = saml::replace_once(
        &moved,
        "<samlp:Status>",
        &format!("<samlp:Extensions>{signature}</samlp:Extensions><samlp:Status>"),
    );
    let diagnosis = run(&form_body(&moved, MEETING), &expected_for(&spec, key));
    assert_root_cause(&diagnosis, RootCause::SignatureInvalid, FixSide::Neither);
    assert!(
        diagnosis.findings[0].message.contains("altered"),
        "{}",
        diagnosis.findings[0].message
    );
    assert!(diagnosis.findings.iter().all(|f| f.side != FixSide::Entra));
}

#[test]
fn a_new_certificate_of_the_same_issuer_is_a_rollover() {
    // GoTo still has last year's certificate; Entra signs with the new one.
    let old = saml::rsa_signing_key(ENTRA_CN, -400, 20);
    let new = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, new);
    let mut expected = expected_for(&spec, new);
    expected.idp_certificates = vec![old.certificate()];
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_root_cause(&diagnosis, RootCause::CertNotTrustedRollover, FixSide::GoTo);
    assert!(
        diagnosis.findings[0]
            .message
            .contains(&new.certificate().info().sha1)
    );
}

#[test]
fn a_renewed_certificate_with_the_key_goto_has_is_trusted_and_said_so() {
    // Entra (or another IdP) renewed its certificate but kept the key: the message carries the
    // new certificate, GoTo still has the old one, and the old one's key verifies the signature.
    let old = entra_key();
    let renewed = saml::renewed_certificate(old, ENTRA_CN, 3 * 365);
    assert_ne!(renewed.cert.der, old.cert.der, "a different certificate");
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, &renewed);
    assert!(
        xml.contains(&renewed.cert.base64_wrapped(64, "\n")),
        "the message carries the renewed certificate"
    );
    // The oracle: xmlsec1 verifies it with the certificate GoTo has.
    assert!(saml::xmlsec1_verifies(&xml, old, saml::SamlNode::Assertion));
    let diagnosis = run(&form_body(&xml, MEETING), &expected_for(&spec, old));
    assert_healthy(&diagnosis);
    let signature = &diagnosis.summary.signatures[0];
    assert_eq!(signature.signer_trusted, Some(true));
    assert_eq!(
        signature.signer.as_ref().map(|s| s.sha1.clone()),
        Some(old.certificate().info().sha1.clone()),
        "the signer is the certificate GoTo has"
    );
    let note = diagnosis
        .findings
        .iter()
        .find(|f| f.id.id() == "cert_renewed_same_key")
        .unwrap_or_else(|| panic!("a note: {}", diagnose::to_text(&diagnosis)));
    assert_eq!(note.severity, Severity::Info);
    assert!(
        note.message.contains(&renewed.certificate().info().sha1),
        "{}",
        note.message
    );
    assert!(note.message.contains("same key"), "{}", note.message);
}

#[test]
fn a_certificate_from_elsewhere_is_untrusted() {
    let stranger = saml::rsa_signing_key("CN of another tenant's app", -30, 365);
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, &stranger);
    let expected = expected_for(&spec, entra_key());
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_root_cause(&diagnosis, RootCause::CertUntrusted, FixSide::GoTo);
}

#[test]
fn one_trusted_signature_does_not_excuse_an_untrusted_one() {
    // The response is signed by the tenant's key, the assertion by a stranger's: a reader that
    // checks only the assertion's signature would be fooled, so the stranger's decides.
    let stranger = saml::rsa_signing_key("CN of another tenant's app", -30, 365);
    let mut spec = ResponseSpec::healthy();
    spec.sign_response = Some(SigAlg::RsaSha256);
    let template = saml::build_response(&spec);
    let xml = saml::xmlsec1_sign_one(&template, &stranger, saml::SamlNode::Assertion);
    let xml = saml::xmlsec1_sign_one(&xml, entra_key(), saml::SamlNode::Response);
    let diagnosis = run(&form_body(&xml, MEETING), &expected_for(&spec, entra_key()));
    assert!(diagnosis.summary.signatures.iter().all(|s| s.verified));
    assert_root_cause(&diagnosis, RootCause::CertUntrusted, FixSide::GoTo);
}

#[test]
fn an_expired_signing_certificate_is_found() {
    let expired = saml::rsa_signing_key(ENTRA_CN, -400, -2);
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, &expired);
    let diagnosis = run(&form_body(&xml, MEETING), &expected_for(&spec, &expired));
    assert_root_cause(&diagnosis, RootCause::CertExpired, FixSide::Entra);
}

#[test]
fn a_signature_nobody_can_check_is_inconclusive() {
    // No certificate in the message and none given: the signature could not be checked at all,
    // so the verdict is neither healthy nor a fault, and it says what to give.
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.include_certificate = false;
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    expected.idp_certificates.clear();
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert!(!diagnosis.healthy);
    assert_eq!(
        diagnosis.root_cause,
        None,
        "{}",
        diagnose::to_text(&diagnosis)
    );
    let text = diagnose::to_text(&diagnosis);
    assert!(text.starts_with("Inconclusive"), "{text}");
    assert!(text.contains("--idp-cert"), "{text}");
    assert!(!text.contains("GoTo should accept"), "{text}");
}

#[test]
fn an_encrypted_assertion_cannot_be_read_by_goto() {
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.include_assertion = false;
    spec.sign_assertion = None;
    spec.sign_response = Some(SigAlg::RsaSha256);
    let template = saml::build_response(&spec);
    let encrypted = r#"<EncryptedAssertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"><xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes256-cbc"/><xenc:CipherData><xenc:CipherValue>q83vEjRWeJA=</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></EncryptedAssertion>"#;
    let template = saml::replace_once(
        &template,
        "</samlp:Status>",
        &format!("</samlp:Status>{encrypted}"),
    );
    let xml = saml::sign(&template, key);
    let diagnosis = run(&form_body(&xml, MEETING), &expected_for(&spec, key));
    assert_root_cause(&diagnosis, RootCause::EncryptedAssertion, FixSide::Entra);
    assert!(diagnosis.summary.signatures[0].verified);
    assert!(diagnosis.findings[0].fix.contains("Token encryption"));
}

#[test]
fn rsa_sha1_is_a_weak_signature_algorithm() {
    let mut spec = ResponseSpec::healthy();
    spec.sign_assertion = Some(SigAlg::RsaSha1);
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(
        &diagnosis,
        RootCause::WeakSignatureAlgorithm,
        FixSide::Entra,
    );
    assert!(diagnosis.summary.signatures[0].verified);
    assert!(diagnosis.findings[0].fix.contains("SHA-256"));
}

#[test]
fn another_tenant_is_an_issuer_mismatch() {
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    expected.idp_entity_id = Some(Sourced::new(
        "https://sts.windows.net/00000000-1111-2222-3333-444444444444/".to_owned(),
        "the test",
    ));
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_root_cause(&diagnosis, RootCause::IssuerMismatch, FixSide::GoTo);
}

#[test]
fn a_trailing_slash_on_the_identifier_is_an_audience_mismatch() {
    let mut spec = ResponseSpec::healthy();
    spec.audiences = vec!["https://authentication.logmeininc.com/saml/sp/".to_owned()];
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::AudienceMismatch, FixSide::Entra);
    let finding = &diagnosis.findings[0];
    assert!(
        finding.message.contains("trailing slash"),
        "{}",
        finding.message
    );
    assert!(finding.fix.contains("Identifier (Entity ID)"));
}

#[test]
fn a_wrong_reply_url_is_a_recipient_mismatch() {
    let mut spec = ResponseSpec::healthy();
    spec.recipient = "https://authentication.logmeininc.com/saml/acs2".to_owned();
    spec.destination = Some(spec.recipient.clone());
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::RecipientMismatch, FixSide::Entra);
    assert!(diagnosis.findings[0].fix.contains(GOTO_ACS));
}

#[test]
fn an_answer_to_another_request_is_found() {
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    expected.request_id = Some(Sourced::new("_another_request".to_owned(), "the test"));
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_root_cause(
        &diagnosis,
        RootCause::InResponseToMismatch,
        FixSide::Neither,
    );
}

#[test]
fn times_outside_the_window_are_expired_or_not_yet_valid() {
    let now = OffsetDateTime::now_utc();
    let mut spec = ResponseSpec::healthy();
    spec.not_before = now - Duration::hours(3);
    spec.not_on_or_after = now - Duration::hours(2);
    spec.subject_not_on_or_after = now - Duration::hours(2);
    assert_root_cause(&diagnose_spec(&spec), RootCause::Expired, FixSide::Neither);

    let mut spec = ResponseSpec::healthy();
    spec.not_before = now + Duration::hours(1);
    assert_root_cause(
        &diagnose_spec(&spec),
        RootCause::NotYetValid,
        FixSide::Neither,
    );

    // Within the allowed skew, a clock a minute behind is fine.
    let mut spec = ResponseSpec::healthy();
    spec.not_before = now + Duration::seconds(60);
    assert_healthy(&diagnose_spec(&spec));
}

#[test]
fn the_capture_time_decides_what_expired() {
    // A response from last week is healthy as of when it was sent, expired as of now.
    let sent = OffsetDateTime::now_utc() - Duration::days(7);
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.issue_instant = sent;
    spec.authn_instant = sent;
    spec.not_before = sent - Duration::minutes(5);
    spec.not_on_or_after = sent + Duration::hours(1);
    spec.subject_not_on_or_after = sent + Duration::minutes(5);
    let xml = saml::signed_response(&spec, key);
    let capture = form_body(&xml, MEETING);
    let expected = expected_for(&spec, key);
    assert_root_cause(
        &run(&capture, &expected),
        RootCause::Expired,
        FixSide::Neither,
    );
    let then = CheckTime {
        now: sent + Duration::seconds(2),
        given: true,
    };
    assert_healthy(&diagnose::diagnose(&capture, &expected, then).unwrap());
}

#[test]
fn a_nameid_that_is_not_the_email_format_is_found() {
    let mut spec = ResponseSpec::healthy();
    spec.name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".to_owned();
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::NameidFormat, FixSide::Entra);
    assert!(diagnosis.findings[0].fix.contains("Email address"));
}

#[test]
fn a_nameid_that_is_not_an_email_is_found() {
    let mut spec = ResponseSpec::healthy();
    spec.name_id = "9f4c2d8e-77aa-4a4f-9a51-0c1b6b1a2b3c".to_owned();
    let diagnosis = diagnose_spec(&spec);
    assert_root_cause(&diagnosis, RootCause::NameidNotEmail, FixSide::Entra);
    assert!(diagnosis.findings[0].fix.contains("user.mail"));
}

#[test]
fn a_upn_instead_of_the_users_goto_account_is_found() {
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.name_id = "alice@contoso.onmicrosoft.com".to_owned();
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    // Without the user's account it is a warning (the value is an e-mail address)…
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_healthy(&diagnosis);
    assert!(
        diagnosis
            .findings
            .iter()
            .any(|f| f.id.id() == "nameid_looks_like_upn" && f.severity == Severity::Warning)
    );
    // …with it, the cause.
    expected.user = Some("alice@contoso.com".to_owned());
    let diagnosis = run(&form_body(&xml, MEETING), &expected);
    assert_root_cause(&diagnosis, RootCause::NameidNotEmail, FixSide::Entra);
    assert!(diagnosis.findings[0].message.contains("UPN"));
}

#[test]
fn another_products_relay_state_is_wrong() {
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let xml = saml::signed_response(&spec, key);
    let diagnosis = run(
        &form_body(&xml, "https://global.gotowebinar.com"),
        &expected_for(&spec, key),
    );
    assert_root_cause(&diagnosis, RootCause::WrongRelayState, FixSide::Entra);
    assert!(diagnosis.findings[0].fix.contains(MEETING));
    // A trailing slash is the same address.
    let diagnosis = run(
        &form_body(&xml, "https://global.gotomeeting.com/"),
        &expected_for(&spec, key),
    );
    assert_healthy(&diagnosis);
}

#[test]
fn a_sign_in_from_my_apps_without_relay_state_is_a_warning_listing_each_product() {
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.in_response_to = None; // started at Entra (My Apps), not at GoTo
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    expected.relay_states = Expected::published().relay_states;
    let capture = base64::engine::general_purpose::STANDARD.encode(&xml);
    let diagnosis = run(capture.as_bytes(), &expected);
    assert_healthy(&diagnosis);
    let warning = diagnosis
        .findings
        .iter()
        .find(|f| f.id.id() == "wrong_relay_state")
        .expect("a relay-state warning");
    assert_eq!(warning.severity, Severity::Warning);
    assert!(
        warning.fix.contains(
            "(GoToMeeting: https://global.gotomeeting.com; GoToWebinar: https://global.gotowebinar.com;"
        ),
        "{}",
        warning.fix
    );
}

#[test]
fn the_most_fundamental_problem_is_the_root_cause() {
    // Unsigned, wrong audience and wrong relay state at once: unsigned comes first, and every
    // problem is still listed.
    let key = entra_key();
    let mut spec = ResponseSpec::healthy();
    spec.sign_assertion = None;
    spec.audiences = vec!["urn:wrong".to_owned()];
    let xml = saml::build_response(&spec);
    let diagnosis = run(
        &form_body(&xml, "https://global.gotowebinar.com"),
        &expected_for(&spec, key),
    );
    assert_root_cause(&diagnosis, RootCause::Unsigned, FixSide::Entra);
    let ids: Vec<&str> = diagnosis.findings.iter().map(|f| f.id.id()).collect();
    assert_eq!(
        ids[..3],
        ["unsigned", "audience_mismatch", "wrong_relay_state"],
        "{ids:?}"
    );
}

#[test]
fn a_har_file_gives_the_response_its_request_and_its_time() {
    let key = entra_key();
    let sent = OffsetDateTime::now_utc() - Duration::days(2);
    let mut spec = ResponseSpec::healthy();
    spec.issue_instant = sent;
    spec.not_before = sent - Duration::minutes(5);
    spec.not_on_or_after = sent + Duration::hours(1);
    spec.subject_not_on_or_after = sent + Duration::minutes(5);
    let request_id = spec.in_response_to.clone().unwrap();
    let xml = saml::signed_response(&spec, key);
    let mut expected = expected_for(&spec, key);
    expected.request_id = None; // from the HAR's AuthnRequest
    let har = har(&authn_request(&request_id), &xml, MEETING, sent);
    let diagnosis = run(har.as_bytes(), &expected);
    assert_healthy(&diagnosis);
    assert_eq!(diagnosis.summary.capture.messages_in_capture, 2);
    // The same HAR with another request before the response: the answer is to the wrong one.
    let har = har_with_request_id("_not_the_one", &xml, sent);
    let diagnosis = run(har.as_bytes(), &expected);
    assert_root_cause(
        &diagnosis,
        RootCause::InResponseToMismatch,
        FixSide::Neither,
    );
}

#[test]
fn redacted_reports_hide_names_and_addresses() {
    let mut spec = ResponseSpec::healthy();
    spec.audiences = vec!["urn:wrong".to_owned()];
    let diagnosis = diagnose_spec(&spec);
    let plain = diagnose::to_markdown(&diagnosis);
    assert!(plain.contains("alice@example.com"));
    let redacted = diagnose::redacted(&diagnosis);
    for report in [
        diagnose::to_markdown(&redacted),
        diagnose::to_html(&redacted),
        diagnose::to_text(&redacted),
    ] {
        assert!(!report.contains("alice@example.com"), "{report}");
        assert!(!report.contains("Alice"), "{report}");
        assert!(report.contains("audience_mismatch"));
        assert!(report.contains("[e-mail 1]"));
    }
}

/// XSW: a forged unsigned assertion (its own ID) inserted before the genuine signed one, so a
/// reader that checks one assertion's signature and reads another's subject is fooled.
fn forged_first(signed: &str) -> String {
    let range = saml::assertion_range(signed);
    let forged = saml::forged_assertion(
        signed,
        &format!("_f{}", saml::unique_hex()),
        "mallory@example.com",
    );
    let mut xml = signed.to_owned();
    xml.insert_str(range.start, &forged);
    xml
}

fn authn_request(id: &str) -> String {
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{id}" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" AssertionConsumerServiceURL="{GOTO_ACS}"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://authentication.logmeininc.com/saml/sp</saml:Issuer></samlp:AuthnRequest>"#
    )
}

fn har_with_request_id(request_id: &str, response: &str, sent: OffsetDateTime) -> String {
    har(&authn_request(request_id), response, MEETING, sent)
}

/// A HAR as browsers save it: the redirect to Entra with the deflated AuthnRequest, then the
/// form POST to GoTo's reply URL.
fn har(request: &str, response: &str, relay_state: &str, sent: OffsetDateTime) -> String {
    use std::io::Write;
    let mut deflater =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater.write_all(request.as_bytes()).unwrap();
    let deflated = base64::engine::general_purpose::STANDARD.encode(deflater.finish().unwrap());
    let query: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("SAMLRequest", &deflated)
        .append_pair("RelayState", relay_state)
        .finish();
    let encode =
        |value: &str| url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>();
    let time = |t: OffsetDateTime| goto_sso_wizard::time_format::rfc3339(t);
    serde_json::json!({
        "log": {
            "version": "1.2",
            "entries": [
                {
                    "startedDateTime": time(sent - Duration::seconds(5)),
                    "request": {
                        "method": "GET",
                        "url": format!("https://login.microsoftonline.com/{TENANT_ID}/saml2?{query}"),
                    }
                },
                {
                    "startedDateTime": time(sent + Duration::seconds(1)),
                    "request": {
                        "method": "POST",
                        "url": GOTO_ACS,
                        "postData": {
                            "mimeType": "application/x-www-form-urlencoded",
                            "params": [
                                {"name": "SAMLResponse", "value": encode(&base64::engine::general_purpose::STANDARD.encode(response))},
                                {"name": "RelayState", "value": encode(relay_state)}
                            ]
                        }
                    }
                }
            ]
        }
    })
    .to_string()
}

/// Writes the `diagnose` fuzz target's seeds (`fuzz/seeds/diagnose/`) from the same builders:
/// `cargo test --test diagnose -- --ignored write_fuzz_seeds`. Small on purpose (libFuzzer
/// mutates small inputs faster); the certificates in them are throwaway test keys.
#[test]
#[ignore = "writes files into fuzz/seeds; run by hand when the builders change"]
fn write_fuzz_seeds() {
    use std::io::Write;
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/diagnose");
    std::fs::create_dir_all(&folder).unwrap();
    let key = entra_key();
    let spec = ResponseSpec::healthy();
    let signed = saml::signed_response(&spec, key);
    let mut both = ResponseSpec::healthy();
    both.sign_response = Some(SigAlg::RsaSha1);
    both.indent = true;
    both.ds_prefix = true;
    both.typed_attribute_values = true;
    both.inclusive_namespaces = Some("xs xsi".to_owned());
    let mut error = ResponseSpec::healthy();
    error.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder".to_owned();
    error.status_message = Some("AADSTS50105: not assigned".to_owned());
    error.include_assertion = false;
    error.sign_assertion = None;
    let mut deflater =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    deflater.write_all(signed.as_bytes()).unwrap();
    let deflated = base64::engine::general_purpose::STANDARD.encode(deflater.finish().unwrap());
    let tracer = serde_json::json!({"requests": [{"method": "POST", "url": GOTO_ACS,
        "post": [["SAMLResponse", base64::engine::general_purpose::STANDARD.encode(&signed)], ["RelayState", MEETING]]}]});
    let files: [(&str, Vec<u8>); 8] = [
        ("signed-assertion.xml", signed.clone().into_bytes()),
        (
            "signed-both-sha1-indented.xml",
            saml::signed_response(&both, key).into_bytes(),
        ),
        (
            "error-status.xml",
            saml::build_response(&error).into_bytes(),
        ),
        ("form-body.txt", form_body(&signed, MEETING)),
        (
            "base64.txt",
            base64::engine::general_purpose::STANDARD
                .encode(&signed)
                .into_bytes(),
        ),
        ("deflated.txt", deflated.into_bytes()),
        (
            "capture.har",
            har(
                &authn_request(spec.in_response_to.as_deref().unwrap()),
                &signed,
                MEETING,
                OffsetDateTime::now_utc(),
            )
            .into_bytes(),
        ),
        ("saml-tracer.json", tracer.to_string().into_bytes()),
    ];
    for (name, bytes) in files {
        std::fs::write(folder.join(name), bytes).unwrap();
    }
}
