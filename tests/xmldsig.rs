//! XML-DSig verification against the reference implementation: every document here is signed by
//! the real xmlsec1, and every verdict of `verify_enveloped` is compared with xmlsec1's own
//! (`xmlsec1 --verify`) and, where the canonical form matters, with the octets xmlsec1 digested
//! (`--store-references`).

mod common;

use common::saml::{
    ResponseSpec, SamlNode, SigAlg, SigningKey, build_response, renewed_certificate, replace_once,
    rsa_signing_key, sign, signed_response, xmlsec1_predigest, xmlsec1_verifies,
    xsw_copied_signature, xsw_duplicate_id, xsw_response_signature_in_forged_assertion,
    xsw_wrapped_in_extensions,
};
use goto_sso_wizard::certificate::Certificate;
use goto_sso_wizard::xmldsig::{
    C14nOptions, DigestAlgorithm, SignatureAlgorithm, SignatureFailure, SignatureOutcome,
    SignatureReport, Signer, canonicalize, verify_enveloped,
};

const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

fn key() -> SigningKey {
    rsa_signing_key("Microsoft Azure Federated SSO Certificate", -1, 365)
}

/// Our verdict on `node`'s signature.
fn verify(xml: &str, node: SamlNode, trusted: &[Certificate]) -> Option<SignatureReport> {
    let doc = roxmltree::Document::parse(xml).expect("document parses");
    verify_enveloped(&doc, node.find(&doc), trusted)
}

/// Asserts that we verify `node` with `expected` as signer, and that xmlsec1 agrees.
fn assert_verified(
    xml: &str,
    key: &SigningKey,
    node: SamlNode,
    trusted: &[Certificate],
    expected: Signer,
) -> SignatureReport {
    let report = verify(xml, node, trusted).expect("the element is signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Verified {
            signer: expected,
            key_bits: Some(2048)
        },
        "our verdict on {node:?}:\n{xml}"
    );
    assert!(
        xmlsec1_verifies(xml, key, node),
        "xmlsec1 rejects {node:?}:\n{xml}"
    );
    report
}

/// Asserts that we reject `node`'s signature with `expected`, and that xmlsec1 rejects it too.
fn assert_invalid(
    xml: &str,
    key: &SigningKey,
    node: SamlNode,
    trusted: &[Certificate],
    expected: SignatureFailure,
) {
    let report = verify(xml, node, trusted).expect("the element is signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(expected),
        "our verdict on {node:?}:\n{xml}"
    );
    assert!(
        !xmlsec1_verifies(xml, key, node),
        "xmlsec1 accepts {node:?}:\n{xml}"
    );
}

/// Our canonical form of `node` as its Reference digests it (enveloped signature removed,
/// comments dropped, the transform's PrefixList applied).
fn our_predigest(xml: &str, node: SamlNode) -> String {
    let doc = roxmltree::Document::parse(xml).expect("document parses");
    let element = node.find(&doc);
    let signature = element
        .children()
        .find(|c| c.has_tag_name((DS, "Signature")))
        .expect("signature");
    let prefix_list = signature
        .descendants()
        .find(|n| {
            n.tag_name().name() == "InclusiveNamespaces"
                && n.parent()
                    .is_some_and(|p| p.has_tag_name((DS, "Transform")))
        })
        .and_then(|n| n.attribute("PrefixList"))
        .unwrap_or_default();
    let options = C14nOptions {
        exclude: Some(signature.id()),
        ..C14nOptions::default()
    }
    .with_prefix_list(prefix_list);
    String::from_utf8(canonicalize(element, &options).expect("canonicalises")).expect("utf-8")
}

/// Signs `template`, then checks that we and xmlsec1 verify `node` and that our canonical form is
/// byte for byte what xmlsec1 digested.
fn round_trip(template: &str, key: &SigningKey, node: SamlNode) -> String {
    let signed = sign(template, key);
    assert_verified(&signed, key, node, &[], Signer::Embedded(0));
    assert_eq!(
        our_predigest(&signed, node),
        xmlsec1_predigest(&signed, key, node)
    );
    signed
}

// ---- Verified signatures ----

#[test]
fn entra_style_assertion_signed_with_rsa_sha256_is_verified_by_its_embedded_certificate() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let report = assert_verified(&xml, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
    assert_eq!(report.signature_algorithm, SignatureAlgorithm::RsaSha256);
    assert_eq!(report.digest_algorithm, DigestAlgorithm::Sha256);
    assert_eq!(
        report.canonicalization,
        "http://www.w3.org/2001/10/xml-exc-c14n#"
    );
    assert_eq!(
        report.transforms,
        [
            "http://www.w3.org/2000/09/xmldsig#enveloped-signature",
            "http://www.w3.org/2001/10/xml-exc-c14n#"
        ]
    );
    assert_eq!(report.embedded_certificates.len(), 1);
    assert_eq!(
        report.embedded_certificates[0].der(),
        key.cert.der.as_slice()
    );
    assert!(report.notes.is_empty(), "{:?}", report.notes);
    // The embedded certificate is not one the caller trusts: valid, but untrusted.
    assert!(!report.is_trusted(&[]));
    assert!(report.is_trusted(&[key.certificate()]));
    // The Response is not signed in Entra's default setting.
    assert!(verify(&xml, SamlNode::Response, &[]).is_none());
}

#[test]
fn rsa_sha1_assertion_is_verified_and_reported_as_sha1() {
    let key = key();
    let spec = ResponseSpec {
        sign_assertion: Some(SigAlg::RsaSha1),
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    let report = assert_verified(&xml, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
    assert!(report.signature_algorithm.is_sha1());
    assert!(report.digest_algorithm.is_sha1());
    assert_eq!(report.signature_algorithm.name(), "RSA-SHA1");
}

#[test]
fn signed_response_with_unsigned_assertion_is_verified() {
    let key = key();
    let spec = ResponseSpec {
        sign_response: Some(SigAlg::RsaSha256),
        sign_assertion: None,
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    assert_verified(&xml, &key, SamlNode::Response, &[], Signer::Embedded(0));
    assert!(verify(&xml, SamlNode::Assertion, &[]).is_none());
}

#[test]
fn response_and_assertion_both_signed_are_both_verified() {
    let key = key();
    let spec = ResponseSpec {
        sign_response: Some(SigAlg::RsaSha256),
        sign_assertion: Some(SigAlg::RsaSha1),
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    assert_verified(&xml, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
    assert_verified(&xml, &key, SamlNode::Response, &[], Signer::Embedded(0));
    // The response's digest covers the finished assertion signature.
    assert_eq!(
        our_predigest(&xml, SamlNode::Response),
        xmlsec1_predigest(&xml, &key, SamlNode::Response)
    );
}

#[test]
fn without_key_info_the_trusted_certificate_that_verifies_is_named() {
    let key = key();
    let other = rsa_signing_key("Old certificate", -400, -35);
    let spec = ResponseSpec {
        include_certificate: false,
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    let trusted = [other.certificate(), key.certificate()];
    let report = assert_verified(
        &xml,
        &key,
        SamlNode::Assertion,
        &trusted,
        Signer::Trusted(1),
    );
    assert!(report.embedded_certificates.is_empty());
    assert!(report.is_trusted(&trusted));
    assert_eq!(
        report.signer_certificate(&trusted).map(Certificate::der),
        Some(key.cert.der.as_slice())
    );
}

#[test]
fn the_trusted_certificates_are_tried_first_and_trust_is_by_key() {
    // The message carries a renewed certificate of the same key; the trusted (older)
    // certificate is the signer, and a certificate of the same key counts as trusted.
    let key = key();
    let renewed = renewed_certificate(&key, "Renewed, same key", 365);
    let xml = signed_response(&ResponseSpec::healthy(), &renewed);
    let trusted = [key.certificate()];
    let report = assert_verified(
        &xml,
        &key,
        SamlNode::Assertion,
        &trusted,
        Signer::Trusted(0),
    );
    assert!(report.is_trusted(&trusted));
    assert_eq!(
        report.embedded_certificates[0].der(),
        renewed.cert.der.as_slice()
    );
    // Without trusted certificates the embedded one is the signer, and trusted only by its key.
    let report = assert_verified(
        &xml,
        &renewed,
        SamlNode::Assertion,
        &[],
        Signer::Embedded(0),
    );
    assert!(report.is_trusted(&trusted));
    assert!(key.certificate().same_key(&renewed.certificate()));
    assert!(
        !key.certificate()
            .same_key(&rsa_signing_key("Other", -1, 9).certificate())
    );
}

#[test]
fn expired_certificate_still_verifies_the_signature() {
    // Expiry is a separate finding for the caller; the cryptography does not depend on it.
    let key = rsa_signing_key("Expired", -400, -10);
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    assert_verified(&xml, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
}

#[test]
fn no_key_info_and_no_trusted_certificate_is_no_key() {
    let key = key();
    let spec = ResponseSpec {
        include_certificate: false,
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    let report = verify(&xml, SamlNode::Assertion, &[]).expect("signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::NoKey)
    );
    // xmlsec1, given the right certificate, says the signature itself is fine.
    assert!(xmlsec1_verifies(&xml, &key, SamlNode::Assertion));
}

#[test]
fn report_serialises_with_certificate_details() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let report = verify(&xml, SamlNode::Assertion, &[]).expect("signed");
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(
        json["embedded_certificates"][0]["subject"],
        "CN=Microsoft Azure Federated SSO Certificate"
    );
    assert_eq!(json["outcome"]["Verified"]["signer"]["Embedded"], 0);
}

// ---- Canonicalisation edge cases, signed by xmlsec1 ----

#[test]
fn ds_prefixed_signatures_and_whitespace_between_elements() {
    let key = key();
    let spec = ResponseSpec {
        ds_prefix: true,
        indent: true,
        sign_response: Some(SigAlg::RsaSha256),
        ..ResponseSpec::healthy()
    };
    let template = build_response(&spec);
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    assert_verified(&signed, &key, SamlNode::Response, &[], Signer::Embedded(0));
}

#[test]
fn unused_namespace_declarations_on_the_response_are_not_part_of_the_assertion() {
    let key = key();
    let template = replace_once(
        &build_response(&ResponseSpec::healthy()),
        "xmlns:samlp=",
        "xmlns:unused=\"urn:unused\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" xmlns:samlp=",
    );
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    assert!(!our_predigest(&signed, SamlNode::Assertion).contains("urn:unused"));
}

#[test]
fn inclusive_namespaces_prefix_list_renders_namespaces_used_only_in_values() {
    let key = key();
    let spec = ResponseSpec {
        typed_attribute_values: true,
        inclusive_namespaces: Some("xs xsi".to_owned()),
        ..ResponseSpec::healthy()
    };
    let signed = round_trip(&build_response(&spec), &key, SamlNode::Assertion);
    let canonical = our_predigest(&signed, SamlNode::Assertion);
    assert!(
        canonical.starts_with(
            "<Assertion xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\" \
             xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
             xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ID="
        ),
        "{canonical}"
    );
    // Without the PrefixList, xs (used only inside xsi:type's value) is left out.
    let spec = ResponseSpec {
        inclusive_namespaces: None,
        ..spec
    };
    let signed = round_trip(&build_response(&spec), &key, SamlNode::Assertion);
    assert!(!our_predigest(&signed, SamlNode::Assertion).contains("xmlns:xs="));
}

#[test]
fn inclusive_namespaces_on_the_signed_info_canonicalization_are_honoured() {
    // xs is in scope for SignedInfo (declared on the Response) but unused there: only the
    // PrefixList of CanonicalizationMethod makes it part of what the RSA signature covers.
    let key = key();
    let spec = ResponseSpec {
        typed_attribute_values: true,
        ..ResponseSpec::healthy()
    };
    let template = replace_once(
        &build_response(&spec),
        "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
        "<CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">\
         <ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"xs\"/>\
         </CanonicalizationMethod>",
    );
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    // Dropping the PrefixList changes SignedInfo's canonical form, so the signature breaks.
    let without = replace_once(&signed, " PrefixList=\"xs\"", "");
    assert_invalid(
        &without,
        &key,
        SamlNode::Assertion,
        &[],
        SignatureFailure::SignatureMismatch,
    );
}

#[test]
fn special_characters_in_attribute_values_and_text() {
    let key = key();
    let mut spec = ResponseSpec::healthy();
    spec.attributes[1].1 = vec!["Zoë Ångström".to_owned()];
    let template = replace_once(
        &build_response(&spec),
        "<Attribute Name=\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname\">",
        "<Attribute FriendlyName=\"a&amp;b&lt;c&quot;d&#9;e&#10;f&#13;g>h'i\" \
         Name=\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname\">\
         <AttributeValue>Tom &amp; Jerry &gt; x&#13;y &lt;z&gt; \"q\"</AttributeValue>",
    );
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    let canonical = our_predigest(&signed, SamlNode::Assertion);
    assert!(
        canonical.contains("FriendlyName=\"a&amp;b&lt;c&quot;d&#x9;e&#xA;f&#xD;g>h'i\""),
        "{canonical}"
    );
    assert!(
        canonical.contains(">Tom &amp; Jerry &gt; x&#xD;y &lt;z&gt; \"q\"<"),
        "{canonical}"
    );
    assert!(canonical.contains(">Zoë Ångström<"), "{canonical}");
}

#[test]
fn crlf_line_endings_in_the_file_do_not_break_the_signature() {
    let key = key();
    let spec = ResponseSpec {
        indent: true,
        sign_response: Some(SigAlg::RsaSha256),
        ..ResponseSpec::healthy()
    };
    let signed = signed_response(&spec, &key);
    assert!(signed.contains('\n'));
    // A file saved on Windows: XML parsers normalise CRLF back to LF before anything is hashed.
    let crlf = signed.replace('\n', "\r\n");
    assert_verified(&crlf, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
    assert_verified(&crlf, &key, SamlNode::Response, &[], Signer::Embedded(0));
    assert_eq!(
        our_predigest(&crlf, SamlNode::Assertion),
        xmlsec1_predigest(&crlf, &key, SamlNode::Assertion)
    );
}

#[test]
fn comments_processing_instructions_and_empty_elements_inside_the_assertion() {
    let key = key();
    let template = replace_once(
        &build_response(&ResponseSpec::healthy()),
        "<Subject>",
        "<!-- a comment the digest ignores --><?goto-hint keep me?><Subject>",
    );
    let template = replace_once(
        &template,
        "<AttributeStatement>",
        "<AttributeStatement><Attribute Name=\"empty\"><AttributeValue/></Attribute>",
    );
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    let canonical = our_predigest(&signed, SamlNode::Assertion);
    assert!(!canonical.contains("comment"));
    assert!(canonical.contains("<?goto-hint keep me?>"));
    assert!(canonical.contains("<AttributeValue></AttributeValue>"));
    // Comments are outside the digest (a bare-name reference drops them), so adding or changing
    // one after signing changes nothing, for xmlsec1 as for us.
    let edited = replace_once(&signed, "a comment the digest ignores", "an edited comment");
    assert_verified(&edited, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
}

#[test]
fn with_comments_transform_still_drops_comments_for_a_bare_name_reference() {
    let key = key();
    let template = build_response(&ResponseSpec::healthy());
    let template = replace_once(
        &template,
        "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\">",
        "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#WithComments\">",
    );
    let template = replace_once(&template, "<Subject>", "<!--c--><Subject>");
    let signed = round_trip(&template, &key, SamlNode::Assertion);
    assert!(!xmlsec1_predigest(&signed, &key, SamlNode::Assertion).contains("<!--"));
}

// ---- Tampering ----

fn tamper_test(edit: impl Fn(&str) -> String, expected: SignatureFailure) {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    assert_verified(&xml, &key, SamlNode::Assertion, &[], Signer::Embedded(0));
    let tampered = edit(&xml);
    assert_ne!(tampered, xml);
    assert_invalid(&tampered, &key, SamlNode::Assertion, &[], expected);
}

#[test]
fn changed_name_id_is_a_digest_mismatch() {
    tamper_test(
        |xml| {
            replace_once(
                xml,
                ">alice@example.com</NameID>",
                ">admin@example.com</NameID>",
            )
        },
        SignatureFailure::DigestMismatch,
    );
}

#[test]
fn changed_attribute_value_is_a_digest_mismatch() {
    tamper_test(
        |xml| {
            replace_once(
                xml,
                "<AttributeValue>Alice</AttributeValue>",
                "<AttributeValue>Mallory</AttributeValue>",
            )
        },
        SignatureFailure::DigestMismatch,
    );
}

#[test]
fn changed_audience_is_a_digest_mismatch() {
    tamper_test(
        |xml| replace_once(xml, "/saml/sp</Audience>", "/saml/other</Audience>"),
        SignatureFailure::DigestMismatch,
    );
}

#[test]
fn added_element_is_a_digest_mismatch() {
    tamper_test(
        |xml| {
            replace_once(
                xml,
                "</AudienceRestriction>",
                "<Audience>https://evil.example</Audience></AudienceRestriction>",
            )
        },
        SignatureFailure::DigestMismatch,
    );
}

#[test]
fn removed_element_is_a_digest_mismatch() {
    tamper_test(
        |xml| {
            let start = xml.find("<AuthnStatement").expect("AuthnStatement");
            let end = xml.find("</AuthnStatement>").expect("end") + "</AuthnStatement>".len();
            format!("{}{}", &xml[..start], &xml[end..])
        },
        SignatureFailure::DigestMismatch,
    );
}

/// Flips the first base64 character of the element `name`'s text.
fn flip_first_char_of(xml: &str, name: &str) -> String {
    let open = format!("<{name}>");
    let start = xml.find(&open).expect("element") + open.len();
    let first = &xml[start..start + 1];
    let replacement = if first == "A" { "B" } else { "A" };
    format!("{}{replacement}{}", &xml[..start], &xml[start + 1..])
}

#[test]
fn changed_signature_value_is_a_signature_mismatch() {
    tamper_test(
        |xml| flip_first_char_of(xml, "SignatureValue"),
        SignatureFailure::SignatureMismatch,
    );
}

#[test]
fn changed_digest_value_is_a_signature_mismatch() {
    tamper_test(
        |xml| flip_first_char_of(xml, "DigestValue"),
        SignatureFailure::SignatureMismatch,
    );
}

#[test]
fn embedded_certificate_swapped_for_another_does_not_verify() {
    let key = key();
    let other = rsa_signing_key("Attacker", -1, 365);
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let swapped = replace_once(
        &xml,
        &key.cert.base64_wrapped(64, "\n"),
        &other.cert.base64(),
    );
    let report = verify(&swapped, SamlNode::Assertion, &[]).expect("signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::SignatureMismatch)
    );
    assert!(!xmlsec1_verifies(&swapped, &other, SamlNode::Assertion));
    // The oracle uses only the certificate it is given, never the one in KeyInfo: otherwise it
    // would accept the untouched document with any certificate.
    assert!(!xmlsec1_verifies(&xml, &other, SamlNode::Assertion));
    // The signature itself is intact: the trusted certificate still verifies it.
    assert_verified(
        &swapped,
        &key,
        SamlNode::Assertion,
        &[key.certificate()],
        Signer::Trusted(0),
    );
}

#[test]
fn unparseable_embedded_certificate_is_skipped_with_a_note() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let broken = replace_once(
        &xml,
        &key.cert.base64_wrapped(64, "\n"),
        "bm90IGEgY2VydGlmaWNhdGU=",
    );
    let report = verify(&broken, SamlNode::Assertion, &[key.certificate()]).expect("signed");
    assert!(report.embedded_certificates.is_empty());
    assert_eq!(report.notes.len(), 1, "{:?}", report.notes);
    assert_eq!(
        report.outcome,
        SignatureOutcome::Verified {
            signer: Signer::Trusted(0),
            key_bits: Some(2048)
        }
    );
}

// ---- Whole-document references (URI="") ----

/// A response whose only signature is `node`'s, with `Reference URI=""` (the whole document)
/// instead of `#ID`, signed by xmlsec1.
fn signed_with_empty_uri(
    key: &SigningKey,
    node: SamlNode,
    extra: impl Fn(String) -> String,
) -> String {
    let spec = ResponseSpec {
        sign_response: (node == SamlNode::Response).then_some(SigAlg::RsaSha256),
        sign_assertion: (node == SamlNode::Assertion).then_some(SigAlg::RsaSha256),
        ..ResponseSpec::healthy()
    };
    let id = match node {
        SamlNode::Response => &spec.response_id,
        SamlNode::Assertion => &spec.assertion_id,
    };
    let template = replace_once(
        &build_response(&spec),
        &format!("URI=\"#{id}\""),
        "URI=\"\"",
    );
    sign(&extra(template), key)
}

#[test]
fn a_root_response_signed_with_an_empty_uri_covers_the_whole_document() {
    let key = key();
    let signed = signed_with_empty_uri(&key, SamlNode::Response, |xml| xml);
    assert!(signed.contains("URI=\"\""), "{signed}");
    let report = assert_verified(&signed, &key, SamlNode::Response, &[], Signer::Embedded(0));
    assert_eq!(report.reference_uri, "");

    // Processing instructions outside the root element are part of the whole document, as
    // xmlsec1 digests it; one added before or after signing is found.
    let signed = signed_with_empty_uri(&key, SamlNode::Response, |xml| {
        format!("<?goto-before first?>{xml}<?goto-after last?>")
    });
    assert!(signed.contains("<?goto-before first?>"), "{signed}");
    assert_verified(&signed, &key, SamlNode::Response, &[], Signer::Embedded(0));
    let edited = replace_once(&signed, "<?goto-after last?>", "<?goto-after changed?>");
    assert_invalid(
        &edited,
        &key,
        SamlNode::Response,
        &[],
        SignatureFailure::DigestMismatch,
    );
    // A change inside the assertion is covered too.
    let edited = replace_once(
        &signed,
        ">alice@example.com</NameID>",
        ">mallory@example.com</NameID>",
    );
    assert_invalid(
        &edited,
        &key,
        SamlNode::Response,
        &[],
        SignatureFailure::DigestMismatch,
    );
}

#[test]
fn an_assertion_signed_with_an_empty_uri_is_refused_for_the_real_reason() {
    // xmlsec1 accepts it (the whole document is digested), but SAML Core 2.0 §5.4.2 asks a
    // signature on an assertion to reference it by its ID: one on the whole document says
    // nothing about the assertion once it is taken out of it.
    let key = key();
    let signed = signed_with_empty_uri(&key, SamlNode::Assertion, |xml| xml);
    assert!(xmlsec1_verifies(&signed, &key, SamlNode::Assertion));
    let report = verify(&signed, SamlNode::Assertion, &[]).expect("signed");
    let SignatureOutcome::Invalid(failure) = &report.outcome else {
        panic!("accepted: {:?}", report.outcome)
    };
    assert!(
        matches!(failure, SignatureFailure::WholeDocumentReference { .. }),
        "{failure:?}"
    );
    let message = failure.to_string();
    assert!(message.contains("5.4.2"), "{message}");
    assert!(message.contains("Assertion"), "{message}");
    assert!(!message.contains("covers another element"), "{message}");
}

// ---- Signature wrapping ----

fn both_signed() -> (SigningKey, String) {
    let key = key();
    let spec = ResponseSpec {
        sign_response: Some(SigAlg::RsaSha256),
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    (key, xml)
}

#[test]
fn xsw_genuine_assertion_hidden_in_extensions_leaves_the_forgery_unsigned() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let attacked = xsw_wrapped_in_extensions(&xml, "admin@example.com");
    let doc = roxmltree::Document::parse(&attacked).expect("parses");
    // A reader takes the Assertion that is a direct child of the Response.
    let read = doc
        .root_element()
        .children()
        .find(|n| n.tag_name().name() == "Assertion")
        .expect("the forged assertion");
    assert!(
        read.descendants()
            .any(|n| n.text() == Some("admin@example.com")),
        "the reader must see the forgery"
    );
    assert!(verify_enveloped(&doc, read, &[key.certificate()]).is_none());
    // xmlsec1 verifies the genuine (wrapped, first in document order) assertion's signature: it
    // is intact, which is exactly why checking "some signature is valid" is not enough.
    assert!(xmlsec1_verifies(&attacked, &key, SamlNode::Assertion));
    let genuine = doc
        .descendants()
        .filter(|n| n.has_tag_name(("urn:oasis:names:tc:SAML:2.0:assertion", "Assertion")))
        .find(|n| n.children().any(|c| c.has_tag_name((DS, "Signature"))))
        .expect("the genuine assertion is still there");
    assert!(verify_enveloped(&doc, genuine, &[]).is_some_and(|r| r.is_verified()));
}

#[test]
fn xsw_forged_assertion_with_the_same_id_is_a_duplicate_id() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let attacked = xsw_duplicate_id(&xml, "admin@example.com");
    let doc = roxmltree::Document::parse(&attacked).expect("parses");
    let id = SamlNode::Assertion
        .find(&doc)
        .attribute("ID")
        .expect("ID")
        .to_owned();
    // The forgery (first) is unsigned; the genuine one (second) is refused for its shared ID.
    assert!(verify(&attacked, SamlNode::Assertion, &[]).is_none());
    let genuine = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "Assertion")
        .nth(1)
        .expect("genuine assertion");
    let report = verify_enveloped(&doc, genuine, &[]).expect("signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::DuplicateId { id })
    );
}

#[test]
fn xsw_response_signature_moved_into_a_forged_assertion_is_a_reference_mismatch() {
    let (key, xml) = both_signed();
    let attacked = xsw_response_signature_in_forged_assertion(&xml, "admin@example.com");
    let doc = roxmltree::Document::parse(&attacked).expect("parses");
    let response_id = doc.root_element().attribute("ID").expect("ID").to_owned();
    let forged = SamlNode::Assertion.find(&doc);
    let forged_id = forged.attribute("ID").map(str::to_owned);
    let report = verify_enveloped(&doc, forged, &[key.certificate()]).expect("signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::ReferenceMismatch {
            uri: format!("#{response_id}"),
            element_id: forged_id
        })
    );
    // The response itself no longer carries a signature.
    assert!(verify(&attacked, SamlNode::Response, &[]).is_none());
    assert!(!xmlsec1_verifies(&attacked, &key, SamlNode::Assertion));
}

#[test]
fn xsw_forgery_carrying_a_copy_of_the_genuine_signature_is_never_verified() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);

    let new_id = xsw_copied_signature(&xml, "admin@example.com", false);
    let report = verify(&new_id, SamlNode::Assertion, &[key.certificate()]).expect("signed");
    assert!(
        matches!(
            report.outcome,
            SignatureOutcome::Invalid(SignatureFailure::ReferenceMismatch { .. })
        ),
        "{:?}",
        report.outcome
    );
    assert!(!xmlsec1_verifies(&new_id, &key, SamlNode::Assertion));

    let same_id = xsw_copied_signature(&xml, "admin@example.com", true);
    assert_invalid(
        &same_id,
        &key,
        SamlNode::Assertion,
        &[key.certificate()],
        SignatureFailure::DigestMismatch,
    );
}

// ---- Unsupported or malformed signatures ----

#[test]
fn xslt_transform_is_unsupported() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";
    let attacked = replace_once(
        &xml,
        "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
        &format!("<Transform Algorithm=\"{xslt}\"/>"),
    );
    assert_invalid(
        &attacked,
        &key,
        SamlNode::Assertion,
        &[],
        SignatureFailure::UnsupportedTransform {
            uri: xslt.to_owned(),
        },
    );
}

#[test]
fn enveloped_transform_alone_would_need_inclusive_c14n_and_is_unsupported() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let attacked = replace_once(
        &xml,
        "<Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
        "",
    );
    let report = verify(&attacked, SamlNode::Assertion, &[]).expect("signed");
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::UnsupportedTransform {
            uri: "http://www.w3.org/TR/2001/REC-xml-c14n-20010315".to_owned()
        })
    );
}

#[test]
fn unknown_signature_method_is_unsupported() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let ecdsa = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
    let attacked = replace_once(
        &xml,
        "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        ecdsa,
    );
    let report = verify(&attacked, SamlNode::Assertion, &[]).expect("signed");
    assert_eq!(
        report.signature_algorithm,
        SignatureAlgorithm::Other(ecdsa.to_owned())
    );
    assert_eq!(
        report.outcome,
        SignatureOutcome::Invalid(SignatureFailure::UnsupportedAlgorithm {
            uri: ecdsa.to_owned()
        })
    );
    assert!(!xmlsec1_verifies(&attacked, &key, SamlNode::Assertion));
}

#[test]
fn two_signatures_on_one_element_are_malformed() {
    let key = key();
    let xml = signed_response(&ResponseSpec::healthy(), &key);
    let signature = common::saml::first_signature(&xml);
    let doubled = replace_once(&xml, &signature, &format!("{signature}{signature}"));
    let report = verify(&doubled, SamlNode::Assertion, &[]).expect("signed");
    assert!(
        matches!(
            report.outcome,
            SignatureOutcome::Invalid(SignatureFailure::Malformed { .. })
        ),
        "{:?}",
        report.outcome
    );
}

#[test]
fn failure_messages_are_for_people() {
    assert_eq!(
        SignatureFailure::DigestMismatch.to_string(),
        "the signed content was changed after signing (digest does not match)"
    );
    let message = SignatureFailure::ReferenceMismatch {
        uri: "#_r1".to_owned(),
        element_id: Some("_a1".to_owned()),
    }
    .to_string();
    assert!(
        message.contains("#_r1") && message.contains("_a1"),
        "{message}"
    );
}

#[test]
fn mangled_signed_documents_never_panic() {
    let key = key();
    let spec = ResponseSpec {
        sign_response: Some(SigAlg::RsaSha256),
        ..ResponseSpec::healthy()
    };
    let xml = signed_response(&spec, &key);
    let trusted = [key.certificate()];
    let mut checked = 0;
    // Cut the document short at many points, and blank out single characters all along it.
    let step = 7;
    for cut in (0..xml.len())
        .step_by(step)
        .filter(|&i| xml.is_char_boundary(i))
    {
        let mut candidates = vec![format!("{}</samlp:Response>", &xml[..cut])];
        if xml.is_char_boundary(cut + 1) {
            candidates.push(format!("{} {}", &xml[..cut], &xml[cut + 1..]));
            candidates.push(format!("{}<{}", &xml[..cut], &xml[cut + 1..]));
        }
        for candidate in candidates {
            if let Ok(doc) = roxmltree::Document::parse(&candidate) {
                for node in doc.descendants().filter(|n| n.is_element()) {
                    let _ = verify_enveloped(&doc, node, &trusted);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} elements were checked");
}
