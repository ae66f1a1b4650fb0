use super::*;

const SECRET: &str = "s3cr3t-client-secret-7f1";

fn store() -> (tempfile::TempDir, SavedStore) {
    let folder = tempfile::tempdir().unwrap();
    let settings = SettingsStore::at(folder.path().join("config"));
    (folder, SavedStore::new(settings, Keyring::mock()))
}

fn client_connection(client_id: &str) -> ProvisioningSettings {
    ProvisioningSettings {
        method: Some(ProvisioningMethod::ClientCredentials),
        scim_base_url: Some("https://scim.example.com/v2".into()),
        token_url: Some("https://auth.example.com/token".into()),
        client_id: Some(client_id.into()),
        ..ProvisioningSettings::default()
    }
}

#[test]
fn one_name_per_settings_folder_and_the_earlier_window_names_are_recognised() {
    let store = SettingsStore::at("/home/a/.config/goto-sso-wizard");
    let reference = reference_for(&store);
    assert_eq!(reference.service, DEFAULT_SERVICE);
    assert_eq!(
        reference.account,
        "provisioning (/home/a/.config/goto-sso-wizard)"
    );
    assert_ne!(
        reference,
        reference_for(&SettingsStore::at("/portable/config"))
    );
    for account in [
        "provisioning/refresh-token/client-1",
        "provisioning/client-secret/client-1",
        "provisioning/scim-token/scim.example.com",
        "provisioning/admin-password/admin@contoso.com",
    ] {
        assert!(
            is_earlier_window_name(&CredentialRef::new(account)),
            "{account}"
        );
    }
    for account in [
        "provisioning (/home/a/.config/goto-sso-wizard)",
        "provisioning/other/x",
        "provisioning/client-secret",
        "keyring-real-test/x",
    ] {
        assert!(
            !is_earlier_window_name(&CredentialRef::new(account)),
            "{account}"
        );
    }
    let foreign = CredentialRef {
        service: "another-program".into(),
        account: "provisioning/client-secret/client-1".into(),
    };
    assert!(!is_earlier_window_name(&foreign));
}

#[test]
fn saved_once_loaded_by_anyone_and_the_settings_hold_only_the_name() {
    let (_folder, saved) = store();
    let reference = saved
        .save(&client_connection("client-1"), &Secret::from(SECRET))
        .unwrap();
    assert_eq!(reference, saved.reference());
    let text = std::fs::read_to_string(saved.settings().path()).unwrap();
    assert!(!text.contains(SECRET), "{text}");
    assert!(
        text.contains("client-1") && text.contains(&reference.account),
        "{text}"
    );
    assert_eq!(saved.saved_reference(), Some(reference.clone()));

    // Whoever asks (the CLI with no setup, the window with its own), the same secret.
    for setup in [None, Some(&ProvisioningSettings::default())] {
        let loaded = saved.load(setup).unwrap();
        assert_eq!(loaded.secret.expose(), SECRET);
        assert_eq!(loaded.connection.credential.as_ref(), Some(&reference));
        assert_eq!(loaded.moved_from, None);
    }
    let (credentials, base_url) = saved.load(None).unwrap().into_credentials(None).unwrap();
    assert_eq!(base_url, "https://scim.example.com/v2");
    match credentials {
        Credentials::ClientCredentials {
            endpoints,
            client_secret,
        } => {
            assert_eq!(endpoints.client_id, "client-1");
            assert_eq!(client_secret.expose(), SECRET);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_earlier_window_entry_is_moved_to_the_one_name_and_removed() {
    let (_folder, saved) = store();
    let earlier = CredentialRef::new("provisioning/client-secret/client-1");
    saved
        .keyring()
        .save(&earlier, &Secret::from(SECRET))
        .unwrap();
    // What a setup saved by an earlier window records; the settings know nothing of it.
    let setup = ProvisioningSettings {
        credential: Some(earlier.clone()),
        ..client_connection("client-1")
    };
    assert_eq!(saved.saved_reference(), None);

    let loaded = saved.load(Some(&setup)).unwrap();
    assert_eq!(loaded.secret.expose(), SECRET);
    assert_eq!(loaded.moved_from.as_ref(), Some(&earlier));
    assert_eq!(
        saved.keyring().load(&earlier).unwrap(),
        None,
        "the old entry is removed"
    );
    assert_eq!(
        saved.keyring().load(&saved.reference()).unwrap(),
        Some(Secret::from(SECRET))
    );
    // Now the settings describe it: found without the setup (as the CLI looks).
    let again = saved.load(None).unwrap();
    assert_eq!(again.secret.expose(), SECRET);
    assert_eq!(again.connection.client_id.as_deref(), Some("client-1"));
    assert_eq!(again.moved_from, None);
}

#[test]
fn saving_over_an_earlier_window_entry_removes_it() {
    let (_folder, saved) = store();
    let earlier = CredentialRef::new("provisioning/scim-token/scim.example.com");
    saved
        .keyring()
        .save(&earlier, &Secret::from("old-token"))
        .unwrap();
    let connection = ProvisioningSettings {
        method: Some(ProvisioningMethod::BearerToken),
        scim_base_url: Some("https://scim.example.com/v2".into()),
        credential: Some(earlier.clone()),
        ..ProvisioningSettings::default()
    };
    saved.save(&connection, &Secret::from("new-token")).unwrap();
    assert_eq!(saved.keyring().load(&earlier).unwrap(), None);
    let loaded = saved.load(Some(&connection)).unwrap();
    assert_eq!(loaded.secret.expose(), "new-token");
}

#[test]
fn a_name_of_another_settings_folder_is_copied_not_taken() {
    let (_folder, saved) = store();
    let elsewhere = reference_for(&SettingsStore::at("/elsewhere/config"));
    saved
        .keyring()
        .save(&elsewhere, &Secret::from(SECRET))
        .unwrap();
    let mut settings = saved.settings().load().settings;
    settings.provisioning = ProvisioningSettings {
        credential: Some(elsewhere.clone()),
        ..client_connection("client-2")
    };
    saved.settings().save(&settings).unwrap();

    let loaded = saved.load(None).unwrap();
    assert_eq!(loaded.moved_from.as_ref(), Some(&elsewhere));
    assert_eq!(
        saved.keyring().load(&elsewhere).unwrap(),
        Some(Secret::from(SECRET)),
        "the other folder's settings may still use it"
    );
    assert_eq!(
        saved.settings().load().settings.provisioning.credential,
        Some(saved.reference())
    );
}

#[test]
fn forget_removes_every_name_and_the_description() {
    let (_folder, saved) = store();
    saved
        .save(&client_connection("client-1"), &Secret::from(SECRET))
        .unwrap();
    let earlier = CredentialRef::new("provisioning/client-secret/client-1");
    saved
        .keyring()
        .save(&earlier, &Secret::from("stale"))
        .unwrap();
    let setup = ProvisioningSettings {
        credential: Some(earlier.clone()),
        ..client_connection("client-1")
    };
    let forgotten = saved.forget(Some(&setup)).unwrap();
    assert!(forgotten.deleted && forgotten.had_reference);
    assert_eq!(saved.keyring().load(&saved.reference()).unwrap(), None);
    assert_eq!(saved.keyring().load(&earlier).unwrap(), None);
    assert_eq!(saved.saved_reference(), None);
    assert!(matches!(
        saved.load(Some(&setup)),
        Err(SavedError::MissingEntry { .. })
    ));
    assert!(matches!(
        saved.load(None),
        Err(SavedError::NothingSaved { .. })
    ));
    let again = saved.forget(None).unwrap();
    assert!(!again.deleted && !again.had_reference);
}

#[test]
fn a_name_without_an_entry_is_reported_as_missing() {
    let (_folder, saved) = store();
    let mut settings = saved.settings().load().settings;
    settings.provisioning = ProvisioningSettings {
        credential: Some(saved.reference()),
        ..client_connection("client-1")
    };
    saved.settings().save(&settings).unwrap();
    match saved.load(None) {
        Err(SavedError::MissingEntry { reference }) => assert_eq!(reference, saved.reference()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_saved_browser_authorization_has_no_placeholder_secret() {
    let (_folder, saved) = store();
    let connection = ProvisioningSettings {
        method: Some(ProvisioningMethod::BrowserAuthorize),
        scim_base_url: Some("https://scim.example.com/v2".into()),
        client_id: Some("browser-client".into()),
        ..ProvisioningSettings::default()
    };
    saved
        .save(&connection, &Secret::from("refresh-token-4411"))
        .unwrap();
    let (credentials, _) = saved.load(None).unwrap().into_credentials(None).unwrap();
    let secrets: Vec<&str> = credentials.secrets().iter().map(|s| s.expose()).collect();
    assert_eq!(secrets, ["refresh-token-4411"]);
    let Credentials::Authorized { endpoints, tokens } = &credentials else {
        panic!("{credentials:?}")
    };
    assert!(tokens.expires_within(time::OffsetDateTime::now_utc(), 0));
    // URLs not saved are the default profile's.
    assert!(endpoints.token_url.starts_with("https://"), "{endpoints:?}");
    assert!(endpoints.authorize_url.is_some());
}

#[test]
fn what_is_kept_of_each_kind_of_credentials() {
    let endpoints = OAuthEndpoints {
        authorize_url: None,
        token_url: "https://auth.example.com/token".into(),
        client_id: "c".into(),
        client_secret: None,
        scopes: Vec::new(),
    };
    let browser = Credentials::Authorized {
        endpoints: endpoints.clone(),
        tokens: TokenSet {
            access_token: Secret::from("short-lived"),
            refresh_token: None,
            expires_at: None,
        },
    };
    assert!(matches!(
        connection_of("https://s/v2", &browser),
        Err(SavedError::NoRefreshToken)
    ));
    let legacy = Credentials::LegacyAdminPassword {
        endpoints,
        user: "admin@contoso.com".into(),
        password: Secret::from("pw-1234"),
    };
    let (connection, secret) = connection_of("https://s/v2", &legacy).unwrap();
    assert_eq!(secret.expose(), "pw-1234");
    assert_eq!(connection.admin_user.as_deref(), Some("admin@contoso.com"));
    assert_eq!(
        connection.method,
        Some(ProvisioningMethod::LegacyAdminPassword)
    );
}
