use super::*;

#[test]
fn a_new_setup_uses_the_default_profile_and_its_relay_states() {
    let setup = Setup::default();
    assert_eq!(
        setup.relay_state(Product::GoToMeeting).as_deref(),
        Some("https://global.gotomeeting.com")
    );
    assert_eq!(
        setup.relay_state(Product::GoToAssist).as_deref(),
        Some("https://app.gotoassist.com")
    );
    let entra = entra_values(&setup).expect("values");
    assert_eq!(
        entra.identifier,
        "https://authentication.logmeininc.com/saml/sp"
    );
    assert_eq!(
        entra.reply_url,
        "https://authentication.logmeininc.com/saml/acs"
    );
    assert_eq!(
        entra.relay_states,
        [(
            Product::GoToMeeting,
            "https://global.gotomeeting.com".to_owned()
        )]
    );
}

#[test]
fn overrides_win_over_the_profile() {
    let mut setup = Setup {
        products: vec![Product::GoToWebinar],
        ..Setup::default()
    };
    setup.overrides.relay_states.insert(
        Product::GoToWebinar,
        "https://example.gotowebinar.com".into(),
    );
    setup.overrides.entity_id = Some("https://authentication.goto.com/saml/sp".into());
    let entra = entra_values(&setup).unwrap();
    assert_eq!(entra.identifier, "https://authentication.goto.com/saml/sp");
    assert_eq!(entra.relay_states[0].1, "https://example.gotowebinar.com");
}

#[test]
fn saves_and_loads_atomically_and_refuses_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contoso.json");
    let mut setup = Setup::default();
    setup.metadata.tenant_input = "contoso.com".into();
    setup.save(&path).unwrap();
    assert_eq!(Setup::load(&path).unwrap(), setup);
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    std::fs::write(&path, "{\"version\": 99}").unwrap();
    assert!(matches!(
        Setup::load(&path),
        Err(SetupFileError::Newer { found: 99, .. })
    ));
    std::fs::write(&path, "<xml/>").unwrap();
    let error = Setup::load(&path).unwrap_err();
    assert!(error.to_string().contains("not a saved setup"), "{error}");
    // Unknown fields are ignored and missing ones take their defaults.
    std::fs::write(&path, "{\"version\": 1, \"future\": true, \"sso\": false}").unwrap();
    let loaded = Setup::load(&path).unwrap();
    assert!(!loaded.sso);
    assert_eq!(loaded.products, [Product::GoToMeeting]);
}

#[test]
fn product_keys_round_trip() {
    for product in Product::ALL {
        assert_eq!(
            Product::from_key(&product.key().to_uppercase()),
            Some(product)
        );
    }
    assert_eq!(Product::from_key("gotoconnect"), None);
}

mod recording_metadata {
    use base64::Engine as _;

    use super::*;
    use crate::metadata::{self, ParseOptions};

    const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    fn certificate(name: &str) -> String {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        let key = rcgen::KeyPair::generate().unwrap();
        let made = params.self_signed(&key).unwrap();
        base64::engine::general_purpose::STANDARD.encode(made.der())
    }

    fn idp(entity_id: &str, certificates: &[&str]) -> String {
        let keys: String = certificates
            .iter()
            .map(|c| {
                format!(
                    "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\">\
                     <X509Data><X509Certificate>{c}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
                )
            })
            .collect();
        format!(
            "<EntityDescriptor entityID=\"{entity_id}\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">{keys}\
             <SingleLogoutService Binding=\"{POST}\" Location=\"{entity_id}slo\"/>\
             <SingleSignOnService Binding=\"{POST}\" Location=\"{entity_id}post\"/>\
             <SingleSignOnService Binding=\"{REDIRECT}\" Location=\"{entity_id}redirect\"/>\
             </IDPSSODescriptor></EntityDescriptor>"
        )
    }

    fn parse(entities: &[String]) -> metadata::Metadata {
        let xml = format!(
            "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{}</EntitiesDescriptor>",
            entities.concat()
        );
        metadata::parse(xml.as_bytes(), &ParseOptions::default()).unwrap()
    }

    fn sha256(base64: &str) -> String {
        crate::certificate::Certificate::from_base64(base64)
            .unwrap()
            .info()
            .sha256
            .clone()
    }

    #[test]
    fn the_only_provider_is_recorded_with_redirect_preferred_and_the_first_certificate() {
        let (active, next) = (certificate("active"), certificate("next"));
        let document = parse(&[idp("https://idp.example/", &[&active, &next])]);
        let mut choice = MetadataChoice::default();
        let source = MetadataSource::Url("https://idp.example/metadata".into());
        choice.record(&document, &source, None);
        assert_eq!(choice.url.as_deref(), Some("https://idp.example/metadata"));
        assert_eq!(
            choice.idp_entity_id.as_deref(),
            Some("https://idp.example/")
        );
        assert_eq!(
            choice.sign_in_url.as_deref(),
            Some("https://idp.example/redirect")
        );
        // Only HTTP-POST for sign-out: the first listed.
        assert_eq!(
            choice.sign_out_url.as_deref(),
            Some("https://idp.example/slo")
        );
        assert_eq!(choice.certificate_sha256, Some(sha256(&active)));

        // A certificate chosen later survives reading the same document again, from a file.
        choice.certificate_sha256 = Some(sha256(&next));
        let file = MetadataSource::File("/tmp/metadata.xml".into());
        choice.record(&document, &file, None);
        assert_eq!(choice.url, None);
        assert_eq!(choice.certificate_sha256, Some(sha256(&next)));
        assert!(
            choice
                .certificate_pem
                .as_deref()
                .unwrap()
                .contains("BEGIN CERTIFICATE")
        );
    }

    #[test]
    fn of_several_providers_only_one_named_is_recorded() {
        let (one, two) = (certificate("one"), certificate("two"));
        let document = parse(&[
            idp("https://one.example/", &[&one]),
            idp("https://two.example/", &[&two]),
        ]);
        let source = MetadataSource::Url("https://federation.example/md".into());
        let mut choice = MetadataChoice::default();
        choice.record(&document, &source, None);
        assert_eq!(choice.idp_entity_id, None, "never the first of several");
        assert_eq!(choice.certificate_sha256, None);
        assert_eq!(choice.url.as_deref(), Some("https://federation.example/md"));

        choice.record(&document, &source, Some("https://two.example/"));
        assert_eq!(
            choice.idp_entity_id.as_deref(),
            Some("https://two.example/")
        );
        assert_eq!(choice.certificate_sha256, Some(sha256(&two)));
        // Read again without a pick: the one recorded stays.
        choice.record(&document, &source, None);
        assert_eq!(
            choice.idp_entity_id.as_deref(),
            Some("https://two.example/")
        );

        // A provider remembered from another document is only a wish.
        let other = parse(&[idp("https://other.example/", &[&one])]);
        choice.record(&other, &source, None);
        assert_eq!(
            choice.idp_entity_id.as_deref(),
            Some("https://other.example/")
        );

        choice.forget_results();
        assert_eq!(choice, MetadataChoice::default());
    }
}
