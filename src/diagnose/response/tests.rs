use super::*;

const ENTRA_SHAPED: &str = r#"<samlp:Response ID="_r1" Version="2.0" IssueInstant="2026-11-25T10:00:00.000Z" Destination="https://authentication.logmeininc.com/saml/acs" InResponseTo="_req9" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">
  <Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/0b5e4d2c-1111-2222-3333-444455556666/</Issuer>
  <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
  <Assertion ID="_a1" IssueInstant="2026-11-25T10:00:00.000Z" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">
    <Issuer>https://sts.windows.net/0b5e4d2c-1111-2222-3333-444455556666/</Issuer>
    <Subject>
      <NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alice@example.com</NameID>
      <SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <SubjectConfirmationData InResponseTo="_req9" NotOnOrAfter="2026-11-25T10:05:00.000Z" Recipient="https://authentication.logmeininc.com/saml/acs"/>
      </SubjectConfirmation>
    </Subject>
    <Conditions NotBefore="2026-11-25T09:55:00.000Z" NotOnOrAfter="2026-11-25T11:00:00.000Z">
      <AudienceRestriction><Audience>https://authentication.logmeininc.com/saml/sp</Audience></AudienceRestriction>
    </Conditions>
    <AttributeStatement>
      <Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"><AttributeValue>alice@example.com</AttributeValue></Attribute>
      <Attribute Name="groups"><AttributeValue>a</AttributeValue><AttributeValue>b &amp; c</AttributeValue></Attribute>
    </AttributeStatement>
    <AuthnStatement AuthnInstant="2026-11-25T09:59:58.000Z" SessionIndex="_a1">
      <AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</AuthnContextClassRef></AuthnContext>
    </AuthnStatement>
  </Assertion>
</samlp:Response>"#;

#[test]
fn reads_every_field_of_an_entra_shaped_response() {
    let doc = parse_document(ENTRA_SHAPED).expect("parses");
    let summary = summarise(&doc);
    assert_eq!(summary.message_type, "Response");
    assert_eq!(summary.id.as_deref(), Some("_r1"));
    assert_eq!(summary.in_response_to.as_deref(), Some("_req9"));
    assert!(summary.status.is_success());
    assert_eq!(
        summary.issuer.as_deref(),
        Some("https://sts.windows.net/0b5e4d2c-1111-2222-3333-444455556666/")
    );
    let assertion = summary.assertion.expect("assertion");
    assert_eq!(assertion.id.as_deref(), Some("_a1"));
    let name_id = assertion.name_id.expect("name id");
    assert_eq!(name_id.value, "alice@example.com");
    assert!(name_id.format.unwrap().ends_with(":emailAddress"));
    assert_eq!(
        assertion.confirmation.recipient.as_deref(),
        Some("https://authentication.logmeininc.com/saml/acs")
    );
    assert_eq!(
        assertion.audiences,
        vec!["https://authentication.logmeininc.com/saml/sp"]
    );
    let not_after = assertion.not_on_or_after.unwrap();
    assert_eq!(
        not_after.time.unwrap(),
        time::macros::datetime!(2026-11-25 11:00 UTC)
    );
    assert_eq!(assertion.attributes.len(), 2);
    assert_eq!(assertion.attributes[1].values, vec!["a", "b & c"]);
    assert!(
        assertion
            .authn_context
            .unwrap()
            .ends_with("PasswordProtectedTransport")
    );
    assert_eq!(summary.assertion_count, 1);
}

#[test]
fn elements_are_matched_by_namespace_not_prefix() {
    // A Status in the assertion namespace is not the protocol's Status.
    let xml = r#"<p:Response xmlns:p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="x"><a:Status><a:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></a:Status></p:Response>"#;
    let doc = parse_document(xml).unwrap();
    let summary = summarise(&doc);
    assert_eq!(summary.status.code, None);
    assert!(summary.assertion.is_none());
}

#[test]
fn a_doctype_is_refused_with_an_explanation() {
    let xml = r#"<!DOCTYPE r [<!ENTITY x "y">]><r>&x;</r>"#;
    let error = parse_document(xml).unwrap_err();
    assert!(error.message.contains("DTD"), "{}", error.message);
}

#[test]
fn not_well_formed_xml_names_the_position() {
    let error = parse_document("<a>\n<b></a>").unwrap_err();
    assert!(error.message.contains("2:"), "{}", error.message);
}

#[test]
fn deep_nesting_neither_overflows_the_parser_nor_the_printer() {
    let depth = 20_000;
    let xml = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    if let Ok(doc) = parse_document(&xml) {
        let printed = pretty_print(&doc);
        assert!(printed.starts_with("<a>"));
    }
}

#[test]
fn pretty_printing_keeps_values_and_indents() {
    let doc = parse_document(ENTRA_SHAPED).unwrap();
    let printed = pretty_print(&doc);
    assert!(
        printed.contains("\n    <Issuer>https://sts.windows.net/"),
        "{printed}"
    );
    assert!(printed.contains("b &amp; c"));
    assert!(printed.starts_with("<samlp:Response xmlns:samlp="));
}
