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
