//! The metadata engine on realistic documents made here, and on hostile ones.

mod common;

use common::certs::{openssl_fingerprint, self_signed};
use common::metadata_xml::{self, APP_ID, TENANT};
use goto_sso_wizard::metadata::{self, EntityKind, MetadataError, ParseOptions, RootElement};
use goto_sso_wizard::xml::XmlInputError;

fn parse(text: &str) -> Result<metadata::Metadata, MetadataError> {
    metadata::parse(text.as_bytes(), &ParseOptions::default())
}

#[test]
fn entra_rollover_document_yields_both_certificates_once_each_in_order() {
    let active = self_signed("Microsoft Azure Federated SSO Certificate", -400, 700);
    let next = self_signed("Microsoft Azure Federated SSO Certificate", -1, 1095);
    let xml = metadata_xml::entra(&[active.base64(), next.base64_wrapped(64, "\n")]);
    let parsed = parse(&xml).expect("Entra metadata parses");

    assert_eq!(parsed.root, RootElement::EntityDescriptor);
    assert!(parsed.signed);
    let [entity] = parsed.entities.as_slice() else {
        panic!("one entity expected, got {}", parsed.entities.len())
    };
    assert_eq!(
        entity.entity_id,
        format!("https://sts.windows.net/{TENANT}/")
    );
    assert_eq!(entity.kind, EntityKind::EntraApp, "{}", entity.kind_reason);
    let idp = entity.idp.as_ref().expect("IdP role");
    let saml2 = format!("https://login.microsoftonline.com/{TENANT}/saml2");
    assert_eq!(idp.sso.len(), 2);
    assert_eq!(idp.sso[0].location, saml2);
    assert_eq!(
        idp.sso[0].binding,
        "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    );
    assert_eq!(idp.slo.len(), 1);
    // Listed under the STS RoleDescriptor and the IDPSSODescriptor, but only twice in all;
    // the ApplicationServiceType role and the signature's KeyInfo are not signing keys of the IdP.
    assert_eq!(idp.signing_certificates.len(), 2);
    let thumbprints: Vec<&str> = idp
        .signing_certificates
        .iter()
        .map(|c| c.certificate.info().sha256.as_str())
        .collect();
    assert_eq!(thumbprints[0], openssl_fingerprint(&active.der, "sha256"));
    assert_eq!(thumbprints[1], openssl_fingerprint(&next.der, "sha256"));
    assert_eq!(
        idp.signing_certificates[0].found_in,
        [
            "RoleDescriptor[fed:SecurityTokenServiceType]/KeyDescriptor[use=signing]",
            "IDPSSODescriptor/KeyDescriptor[use=signing]"
        ]
    );
    assert!(entity.sp.is_none());
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
fn entra_tenant_wide_document_is_told_apart_and_the_source_url_decides() {
    let key = self_signed("accounts.accesscontrol.windows.net", -10, 1000);
    let xml = metadata_xml::entra(&[key.base64()]);
    let tenant = parse(&xml).unwrap();
    assert_eq!(tenant.entities[0].kind, EntityKind::EntraTenant);
    assert!(tenant.entities[0].kind_reason.contains("appid"));

    let options = ParseOptions {
        source: Some(format!(
            "https://login.microsoftonline.com/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
        )),
        ..ParseOptions::default()
    };
    let app = metadata::parse(xml.as_bytes(), &options).unwrap();
    assert_eq!(app.entities[0].kind, EntityKind::EntraApp);
    assert!(app.entities[0].kind_reason.contains(APP_ID));
}

#[test]
fn utf8_bom_and_crlf_are_accepted() {
    let key = self_signed("bom", -1, 100);
    let xml = metadata_xml::entra(&[key.base64_wrapped(76, "\r\n")]).replace('>', ">\r\n");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(xml.as_bytes());
    let parsed = metadata::parse(&bytes, &ParseOptions::default()).expect("BOM + CRLF parse");
    let idp = parsed.entities[0].idp.as_ref().unwrap();
    assert_eq!(
        idp.signing_certificates[0].certificate.der(),
        key.der.as_slice()
    );
}

#[test]
fn base64_wrapped_with_spaces_tabs_and_entities_decodes() {
    let key = self_signed("wrapped", -1, 100);
    // Okta wraps with spaces; some tools escape the line ends as &#13;&#10;.
    let wrapped = format!("\n  {}\t", key.base64_wrapped(20, " &#13;&#10; "));
    let parsed = parse(&metadata_xml::entra(&[wrapped])).unwrap();
    let certificate = &parsed.entities[0]
        .idp
        .as_ref()
        .unwrap()
        .signing_certificates[0]
        .certificate;
    assert_eq!(certificate.der(), key.der.as_slice());
}

#[test]
fn adfs_document_keeps_signing_and_drops_encryption_keys() {
    let signing = self_signed("ADFS Signing - adfs.contoso.example", -30, 300);
    let encryption = self_signed("ADFS Encryption - adfs.contoso.example", -30, 300);
    let parsed = parse(&metadata_xml::adfs(&signing, &encryption)).unwrap();
    let entity = &parsed.entities[0];
    assert_eq!(entity.kind, EntityKind::Adfs);
    assert!(!entity.signed);
    let idp = entity.idp.as_ref().unwrap();
    assert_eq!(idp.signing_certificates.len(), 1);
    assert_eq!(
        idp.signing_certificates[0].certificate.der(),
        signing.der.as_slice()
    );
    assert_eq!(idp.sso[0].location, "https://adfs.contoso.example/adfs/ls/");
    let sp = entity.sp.as_ref().expect("AD FS also publishes an SP role");
    assert_eq!(sp.acs.len(), 2);
    assert_eq!(sp.acs[0].index, Some(0));
    assert_eq!(sp.acs[0].is_default, Some(true));
    assert_eq!(sp.acs[1].is_default, None);
}

#[test]
fn aggregate_with_nesting_lists_every_entity_and_inherits_signature_and_expiry() {
    let certs: Vec<String> = (0..3)
        .map(|n| self_signed(&format!("idp{n}"), -1, 100).base64_wrapped(64, "\n"))
        .collect();
    let parsed = parse(&metadata_xml::aggregate(&certs, "2099-01-01T00:00:00Z")).unwrap();
    assert_eq!(parsed.root, RootElement::EntitiesDescriptor);
    assert_eq!(parsed.name.as_deref(), Some("urn:example:federation"));
    assert_eq!(parsed.entities.len(), 4);
    assert_eq!(parsed.identity_providers().count(), 3);
    let sp = &parsed.entities[3];
    assert_eq!(sp.entity_id, "https://sp.example.org/shibboleth");
    assert!(sp.idp.is_none());
    assert!(
        sp.signed,
        "the outer aggregate's signature covers nested entities"
    );
    assert_eq!(
        sp.valid_until.map(|t| t.year()),
        Some(2099),
        "validUntil is inherited"
    );
    for entity in parsed.identity_providers() {
        assert_eq!(entity.kind, EntityKind::Other);
        let found_in = &entity.idp.as_ref().unwrap().signing_certificates[0].found_in;
        assert_eq!(found_in, &["IDPSSODescriptor/KeyDescriptor[use=(absent)]"]);
    }
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
fn past_valid_until_is_a_warning_not_an_error() {
    let certs = vec![self_signed("idp", -1, 100).base64()];
    let parsed = parse(&metadata_xml::aggregate(&certs, "2001-01-01T00:00:00Z")).unwrap();
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.contains("expired on 2001-01-01")),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn namespaces_are_matched_by_uri_not_prefix() {
    let key = self_signed("prefixes", -1, 100).base64();
    // Unusual prefixes everywhere, and a decoy element named like metadata in another namespace.
    let xml = format!(
        r##"<x:EntityDescriptor xmlns:x="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:sig="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.example.com/">
           <x:Extensions><y:IDPSSODescriptor xmlns:y="urn:example:not-metadata"><x:SingleSignOnService Binding="b" Location="https://decoy.example/"/></y:IDPSSODescriptor></x:Extensions>
           <x:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
             <x:KeyDescriptor><sig:KeyInfo><sig:X509Data><sig:X509Certificate>{key}</sig:X509Certificate></sig:X509Data></sig:KeyInfo></x:KeyDescriptor>
             <x:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.com/sso"/>
             <md:SingleSignOnService xmlns:md="urn:example:wrong" Binding="b" Location="https://decoy2.example/"/>
           </x:IDPSSODescriptor></x:EntityDescriptor>"##
    );
    let parsed = parse(&xml).unwrap();
    let idp = parsed.entities[0].idp.as_ref().unwrap();
    assert_eq!(idp.sso.len(), 1, "{:?}", idp.sso);
    assert_eq!(idp.sso[0].location, "https://idp.example.com/sso");
    assert_eq!(idp.signing_certificates.len(), 1);
}

#[test]
fn a_role_descriptor_with_a_different_fed_prefix_still_counts() {
    let key = self_signed("sts", -1, 100).base64();
    let xml = format!(
        r##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/{TENANT}/">
        <RoleDescriptor xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:w="http://docs.oasis-open.org/wsfed/federation/200706" i:type="w:SecurityTokenServiceType" protocolSupportEnumeration="x">
        <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{key}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        </RoleDescriptor>
        <RoleDescriptor xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:w="urn:example:other" i:type="w:SecurityTokenServiceType" protocolSupportEnumeration="x">
        <KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>{other}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>
        </RoleDescriptor></EntityDescriptor>"##,
        other = self_signed("decoy", -1, 100).base64()
    );
    let parsed = parse(&xml).unwrap();
    let idp = parsed.entities[0]
        .idp
        .as_ref()
        .expect("an STS is an identity provider");
    assert_eq!(idp.signing_certificates.len(), 1);
    assert!(idp.sso.is_empty());
}

#[test]
fn an_unreadable_certificate_is_a_warning_and_the_rest_still_reads() {
    let good = self_signed("good", -1, 100).base64();
    let parsed = parse(&metadata_xml::entra(&[
        "bm90IGEgY2VydGlmaWNhdGU=".into(),
        good,
    ]))
    .unwrap();
    assert_eq!(
        parsed.entities[0]
            .idp
            .as_ref()
            .unwrap()
            .signing_certificates
            .len(),
        1
    );
    assert!(
        parsed.warnings.iter().any(|w| w.contains("cannot be read")),
        "{:?}",
        parsed.warnings
    );
}

#[test]
fn service_provider_metadata_reads_with_a_warning() {
    let xml = r##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://authentication.logmeininc.com/saml/sp">
      <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
      <AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://authentication.logmeininc.com/saml/acs" index="0"/>
      </SPSSODescriptor></EntityDescriptor>"##;
    let parsed = parse(xml).unwrap();
    let acs = &parsed.entities[0].sp.as_ref().unwrap().acs;
    assert_eq!(
        acs[0].location,
        "https://authentication.logmeininc.com/saml/acs"
    );
    assert!(
        parsed
            .warnings
            .iter()
            .any(|w| w.contains("service-provider metadata"))
    );
}

// ---- hostile and broken input ----

fn error_of(text: &[u8]) -> MetadataError {
    match metadata::parse(text, &ParseOptions::default()) {
        Ok(parsed) => panic!("expected an error, got {} entities", parsed.entities.len()),
        Err(error) => error,
    }
}

#[test]
fn doctype_is_refused_with_its_position() {
    let xxe = br##"<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&xxe;"/>"##;
    let error = error_of(xxe);
    assert!(
        matches!(error, MetadataError::Doctype { position } if position.line == 2),
        "{error:?}"
    );
    assert!(error.to_string().contains("DOCTYPE"));
}

#[test]
fn billion_laughs_is_refused_without_expanding_anything() {
    let mut bomb =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n");
    for level in 1..10 {
        let previous = if level == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", level - 1)
        };
        bomb.push_str(&format!(
            " <!ENTITY lol{level} \"{}\">\n",
            format!("&{previous};").repeat(10)
        ));
    }
    bomb.push_str("]>\n<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"&lol9;\"/>");
    assert!(matches!(
        error_of(bomb.as_bytes()),
        MetadataError::Doctype { .. }
    ));
}

#[test]
fn undeclared_entities_are_refused_in_text_and_attributes() {
    let in_attribute =
        br##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="&boom;"/>"##;
    assert!(
        matches!(error_of(in_attribute), MetadataError::Entity { ref name, .. } if name == "boom"),
        "{:?}",
        error_of(in_attribute)
    );
    let in_text = b"<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"x\"><Extensions>&boom;</Extensions></EntityDescriptor>";
    assert!(matches!(error_of(in_text), MetadataError::Entity { ref name, .. } if name == "boom"));
}

#[test]
fn truncated_documents_say_so() {
    let key = self_signed("t", -1, 100).base64();
    let xml = metadata_xml::entra(&[key]);
    for cut in [xml.len() / 3, xml.len() / 2, xml.len() - 5] {
        let error = error_of(&xml.as_bytes()[..cut]);
        assert!(
            matches!(
                error,
                MetadataError::Truncated { .. } | MetadataError::Syntax { .. }
            ),
            "cut at {cut}: {error:?}"
        );
    }
    let error = error_of(&xml.as_bytes()[..xml.len() - 20]);
    assert!(
        matches!(error, MetadataError::Truncated { ref open } if open == "EntityDescriptor"),
        "{error:?}"
    );
}

#[test]
fn over_the_size_limit_is_refused_before_parsing() {
    let big = vec![b' '; 60 * 1024 * 1024];
    assert!(matches!(
        error_of(&big),
        MetadataError::Input(XmlInputError::TooLarge { size, limit })
            if size == 60 * 1024 * 1024 && limit == 50 * 1024 * 1024
    ));
    let options = ParseOptions {
        max_bytes: 100,
        ..ParseOptions::default()
    };
    let small = format!("<a>{}</a>", "x".repeat(200));
    assert!(matches!(
        metadata::parse(small.as_bytes(), &options),
        Err(MetadataError::Input(XmlInputError::TooLarge { .. }))
    ));
}

#[test]
fn binary_junk_is_not_metadata() {
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 24) as u8)
        .collect();
    let error = error_of(&junk);
    assert!(
        matches!(
            error,
            MetadataError::NotMetadata { .. } | MetadataError::Syntax { .. }
        ),
        "{error:?}"
    );
    let error = error_of(b"<\x00\xff\xfe<<>>");
    assert!(
        matches!(
            error,
            MetadataError::Syntax { .. } | MetadataError::NotMetadata { .. }
        ),
        "{error:?}"
    );
}

#[test]
fn wrong_root_elements_get_specific_advice() {
    let html = error_of(b"<!-- saved page --><html><body>Sign in to your account</body></html>");
    assert!(html.to_string().contains("web page"), "{html}");
    let response =
        error_of(br##"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>"##);
    assert!(response.to_string().contains("diagnose"), "{response}");
    let other = error_of(b"<root/>");
    assert!(matches!(other, MetadataError::NotMetadata { .. }));
}

#[test]
fn missing_or_wrong_namespace_is_named() {
    let error =
        error_of(br##"<EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor>"##);
    assert!(
        matches!(&error, MetadataError::WrongNamespace { namespace, .. } if namespace == "no namespace"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("urn:oasis:names:tc:SAML:2.0:metadata")
    );
    let error = error_of(
        br##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:1.0:metadata" entityID="x"/>"##,
    );
    assert!(
        matches!(error, MetadataError::WrongNamespace { .. }),
        "{error:?}"
    );
}

#[test]
fn not_xml_at_all_is_said_plainly() {
    let error = error_of(b"MIIC8DCCAdigAwIBAgIQ");
    assert!(error.to_string().contains("not XML"), "{error}");
    assert!(matches!(
        error_of(b""),
        MetadataError::Input(XmlInputError::Empty)
    ));
    assert!(matches!(
        error_of(b"\xEF\xBB\xBF  \n"),
        MetadataError::Input(XmlInputError::Empty)
    ));
}

#[test]
fn a_second_root_is_trailing_content() {
    let xml = br##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a"/><EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="b"/>"##;
    assert!(matches!(
        error_of(xml),
        MetadataError::TrailingContent { .. }
    ));
}

#[test]
fn deep_nesting_is_bounded() {
    let mut xml = String::from(
        r##"<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="a">"##,
    );
    xml.push_str(&"<x>".repeat(100_000));
    assert!(matches!(
        error_of(xml.as_bytes()),
        MetadataError::TooDeep { .. }
    ));
}

#[test]
fn errors_carry_line_and_column() {
    let xml = "<EntityDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"a\">\n  <IDPSSODescriptor>\n    </Wrong>\n</EntityDescriptor>";
    let error = error_of(xml.as_bytes());
    let text = error.to_string();
    assert!(text.starts_with("line 3, column"), "{text}");
}

#[test]
fn no_entity_at_all() {
    let xml = br##"<EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><EntityDescriptor/></EntitiesDescriptor>"##;
    assert!(matches!(error_of(xml), MetadataError::NoEntities));
}

#[test]
fn one_rule_chooses_the_identity_provider_to_trust() {
    use goto_sso_wizard::metadata::ProviderError;
    let cert = |name: &str| self_signed(name, -1, 365).base64_wrapped(64, "\n");
    // One identity provider: chosen without a wish, and by its entity ID.
    let entra = parse(&metadata_xml::entra(&[cert("Entra")])).unwrap();
    let only = entra.signing_provider(None).expect("the only one");
    assert_eq!(
        entra
            .signing_provider(Some(&only.entity_id))
            .unwrap()
            .entity_id,
        only.entity_id
    );
    let error = entra
        .signing_provider(Some("https://elsewhere.example/"))
        .unwrap_err();
    assert_eq!(error.kind(), "no_such_entity");
    assert!(error.to_string().contains(&only.entity_id), "{error}");

    // An aggregate of two: never "the first"; the error lists both.
    let federation = parse(&metadata_xml::aggregate(
        &[cert("idp1"), cert("idp2")],
        "2099-01-01T00:00:00Z",
    ))
    .unwrap();
    let error = federation.signing_provider(None).unwrap_err();
    assert!(
        matches!(error, ProviderError::Ambiguous { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("https://idp1.example.org/idp/shibboleth")
            && message.contains("https://idp2.example.org/idp/shibboleth"),
        "{message}"
    );
    assert_eq!(
        federation
            .signing_provider(Some(" https://idp2.example.org/idp/shibboleth "))
            .unwrap()
            .entity_id,
        "https://idp2.example.org/idp/shibboleth"
    );
    // The service provider in it is no identity provider to trust.
    let error = federation
        .signing_provider(Some("https://sp.example.org/shibboleth"))
        .unwrap_err();
    assert_eq!(error.kind(), "no_such_entity");

    // No identity provider with a certificate at all.
    let sp_only = parse(&metadata_xml::aggregate(&[], "2099-01-01T00:00:00Z")).unwrap();
    let error = sp_only.signing_provider(None).unwrap_err();
    assert_eq!(error.kind(), "no_certificate");
    assert!(error.to_string().contains("service provider"), "{error}");
}
