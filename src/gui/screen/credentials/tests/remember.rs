//! Remembering in the keyring, and credentials saved earlier by the window or the CLI.

use super::*;

#[test]
fn remember_saves_in_the_keyring_and_the_setup_keeps_only_a_reference() {
    let keyring = Keyring::mock();
    let mut setup = Setup::default();
    let mut state = State::with_keyring(&setup, keyring.clone());
    type_field(
        &mut state,
        &mut setup,
        Field::BaseUrl,
        "https://scim.example.com/v2",
    );
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);

    // Ticked while incomplete: nothing to save yet.
    assert!(matches!(
        state.update(Message::RememberToggled(true), &mut setup),
        Action::None
    ));
    type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
    let task = task_of(state.update(Message::RememberToggled(true), &mut setup));
    assert_eq!(state.keyring_status, KeyringStatus::Saving);
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(
        state.keyring_status,
        KeyringStatus::Saved {
            store: StoreKind::Mock,
            fallback: None
        }
    );
    let reference = setup
        .provisioning_settings
        .credential
        .clone()
        .expect("the setup names the saved secret");
    let stored = keyring.load(&reference).expect("readable");
    assert_eq!(stored.as_ref().map(Secret::expose), Some(TOKEN));
    let json = serde_json::to_string(&setup).expect("serializable");
    assert!(!json.contains(TOKEN), "{json}");
    assert_eq!(
        setup.provisioning_settings.method,
        Some(ProvisioningMethod::BearerToken)
    );

    // A change after saving is shown as such, and can be saved again.
    type_secret(&mut state, &mut setup, SecretField::Token, "another-token");
    assert_ne!(state.saved, state.to_keep());
    let task = task_of(state.update(Message::SaveAgain, &mut setup));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(state.saved, state.to_keep());

    // A new wizard with this setup offers the saved credentials and loads them.
    let mut fresh = State::with_store(&setup, state.saved_store());
    assert_eq!(fresh.kind(), Kind::ScimToken);
    assert!(!fresh.can_continue(&setup), "the secret is not loaded yet");
    let task = task_of(fresh.update(Message::UseSaved, &mut setup));
    for message in run_task(task) {
        let _ = fresh.update(message, &mut setup);
    }
    assert_eq!(fresh.keyring_status, KeyringStatus::Loaded(StoreKind::Mock));
    match fresh.credentials(&setup) {
        Some(Credentials::BearerToken(token)) => assert_eq!(token.expose(), "another-token"),
        other => panic!("{other:?}"),
    }

    // Forget deletes it from the keyring and the setup.
    let task = task_of(fresh.update(Message::Forget, &mut setup));
    for message in run_task(task) {
        let _ = fresh.update(message, &mut setup);
    }
    assert_eq!(setup.provisioning_settings.credential, None);
    assert_eq!(keyring.load(&reference).expect("readable"), None);
}

#[test]
fn with_remember_ticked_edits_are_saved_once_typing_pauses() {
    let keyring = Keyring::mock();
    let mut setup = Setup::default();
    let mut state = State::with_keyring(&setup, keyring.clone());
    type_field(
        &mut state,
        &mut setup,
        Field::BaseUrl,
        "https://s.example/v2",
    );
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
    assert!(matches!(
        state.update(Message::RememberToggled(true), &mut setup),
        Action::None
    ));

    // Each keystroke restarts the pause; only the last one's timer saves.
    let first = state.update(
        Message::SecretChanged(SecretField::Token, Secret::from("t")),
        &mut setup,
    );
    assert!(matches!(besides(first), Action::Run(_)));
    let earlier = state.autosave_generation;
    let last = task_of(state.update(
        Message::SecretChanged(SecretField::Token, Secret::from(TOKEN)),
        &mut setup,
    ));
    assert!(matches!(
        state.update(Message::SaveDue(earlier), &mut setup),
        Action::None
    ));
    let due = run_task(last);
    assert!(
        matches!(due.as_slice(), [Message::SaveDue(g)] if *g == state.autosave_generation),
        "{due:?}"
    );
    for message in due {
        let save = task_of(state.update(message, &mut setup));
        for saved in run_task(save) {
            let _ = state.update(saved, &mut setup);
        }
    }
    let reference = setup
        .provisioning_settings
        .credential
        .clone()
        .expect("saved");
    assert_eq!(
        keyring.load(&reference).expect("readable"),
        Some(Secret::from(TOKEN))
    );
    // Without "Remember", edits are not saved.
    let _ = state.update(Message::RememberToggled(false), &mut setup);
    assert!(matches!(
        besides(state.update(
            Message::SecretChanged(SecretField::Token, Secret::from("other")),
            &mut setup
        )),
        Action::None
    ));
}

#[test]
fn refreshed_tokens_are_kept_without_a_new_revision_and_saved_when_remembered() {
    let keyring = Keyring::mock();
    let mut setup = Setup::default();
    let mut state = State::with_keyring(&setup, keyring.clone());
    type_field(
        &mut state,
        &mut setup,
        Field::BaseUrl,
        "https://s.example/v2",
    );
    type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
    let _ = state.update(Message::RememberToggled(true), &mut setup);
    let _ = state.update(Message::Authorize, &mut setup);
    let generation = state.auth_generation;
    let save = task_of(state.update(
        Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
        &mut setup,
    ));
    for message in run_task(save) {
        let _ = state.update(message, &mut setup);
    }
    let revision = state.credentials_revision();
    let Some(Credentials::Authorized { endpoints, .. }) = state.credentials(&setup) else {
        panic!("authorized")
    };
    let rotated = Credentials::Authorized {
        endpoints,
        tokens: TokenSet {
            access_token: Secret::from("access-2"),
            refresh_token: Some(Secret::from("refresh-2")),
            expires_at: None,
        },
    };
    let save = task_of(state.keep_refreshed(&rotated));
    assert_eq!(state.credentials_revision(), revision);
    for message in run_task(save) {
        let _ = state.update(message, &mut setup);
    }
    let reference = setup
        .provisioning_settings
        .credential
        .clone()
        .expect("saved");
    assert_eq!(
        keyring.load(&reference).expect("readable"),
        Some(Secret::from("refresh-2"))
    );
    // Another kind's credentials are not taken.
    assert!(matches!(
        state.keep_refreshed(&Credentials::BearerToken("x".into())),
        Action::None
    ));
}

#[test]
fn a_browser_authorization_saves_its_refresh_token() {
    let keyring = Keyring::mock();
    let mut setup = Setup::default();
    let mut state = State::with_keyring(&setup, keyring.clone());
    type_field(
        &mut state,
        &mut setup,
        Field::BaseUrl,
        "https://s.example/v2",
    );
    type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
    let _ = state.update(Message::RememberToggled(true), &mut setup);
    let _ = state.update(Message::Authorize, &mut setup);
    let generation = state.auth_generation;
    let task = task_of(state.update(
        Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
        &mut setup,
    ));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    let reference = setup
        .provisioning_settings
        .credential
        .clone()
        .expect("saved");
    assert_eq!(
        keyring.load(&reference).expect("readable"),
        Some(Secret::from("refresh-token-abcd"))
    );

    // Loading gives an expired access token with the refresh token, so the test refreshes.
    let mut fresh = State::with_store(&setup, state.saved_store());
    let task = task_of(fresh.update(Message::UseSaved, &mut setup));
    for message in run_task(task) {
        let _ = fresh.update(message, &mut setup);
    }
    assert!(fresh.is_authorized());
    assert!(fresh.can_continue(&setup));
}

#[test]
fn a_secret_saved_by_an_earlier_window_is_moved_to_the_one_name() {
    let mut setup = Setup::default();
    let earlier = CredentialRef::new("provisioning/client-secret/client-1");
    setup.provisioning_settings = ProvisioningSettings {
        method: Some(ProvisioningMethod::ClientCredentials),
        scim_base_url: Some("https://s.example/v2".into()),
        client_id: Some("client-1".into()),
        credential: Some(earlier.clone()),
        ..ProvisioningSettings::default()
    };
    let keyring = Keyring::mock();
    keyring.save(&earlier, &Secret::from(TOKEN)).unwrap();
    let mut state = State::with_keyring(&setup, keyring.clone());
    let task = task_of(state.update(Message::UseSaved, &mut setup));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(state.keyring_status, KeyringStatus::Loaded(StoreKind::Mock));
    let store = state.saved_store();
    assert_eq!(
        keyring.load(&earlier).unwrap(),
        None,
        "the old entry is gone"
    );
    assert_eq!(
        setup.provisioning_settings.credential,
        Some(store.reference())
    );
    // The CLI's view: the settings describe it now.
    let saved = store.load(None).expect("found without the setup");
    assert_eq!(saved.secret.expose(), TOKEN);
    match state.credentials(&setup) {
        Some(Credentials::ClientCredentials { client_secret, .. }) => {
            assert_eq!(client_secret.expose(), TOKEN)
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn credentials_saved_by_the_cli_are_offered_and_used_with_their_kind_and_fields() {
    let cli = State::with_keyring(&Setup::default(), Keyring::mock()).saved_store();
    // What `provisioning test --authorize --remember` saves.
    let authorized = Credentials::Authorized {
        endpoints: OAuthEndpoints {
            authorize_url: Some("https://auth.example.com/authorize".into()),
            token_url: "https://auth.example.com/token".into(),
            client_id: "cli-client".into(),
            client_secret: None,
            scopes: Vec::new(),
        },
        tokens: tokens(),
    };
    let (connection, secret) =
        goto_sso_wizard::provisioning::saved::connection_of("https://s.example/v2", &authorized)
            .unwrap();
    cli.save(&connection, secret).unwrap();

    let mut setup = Setup::default();
    let mut state = State::with_store(&setup, cli.clone());
    assert!(state.saved_offer().is_none(), "the setup names nothing");
    for message in run_task(state.look_for_saved()) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(state.saved_reference, Some(cli.reference()));
    assert!(state.saved_offer().is_some());
    let task = task_of(state.update(Message::UseSaved, &mut setup));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(state.kind(), Kind::Browser);
    assert_eq!(state.base_url(), "https://s.example/v2");
    assert!(state.can_continue(&setup));
    let Some(Credentials::Authorized { endpoints, tokens }) = state.credentials(&setup) else {
        panic!("authorized")
    };
    assert_eq!(endpoints.client_id, "cli-client");
    assert_eq!(endpoints.token_url, "https://auth.example.com/token");
    // Only the refresh token: no placeholder access token to register as a secret.
    let secrets: Vec<&str> = tokens.secrets().iter().map(|s| s.expose()).collect();
    assert_eq!(secrets, ["refresh-token-abcd"]);

    // Forget in the window forgets it for the CLI too.
    let task = task_of(state.update(Message::Forget, &mut setup));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    assert_eq!(state.keyring_status, KeyringStatus::Forgotten);
    assert!(matches!(
        cli.load(None),
        Err(goto_sso_wizard::provisioning::saved::SavedError::NothingSaved { .. })
    ));
}

#[test]
fn a_missing_saved_entry_is_explained() {
    let mut setup = Setup::default();
    setup.provisioning_settings.method = Some(ProvisioningMethod::BearerToken);
    setup.provisioning_settings.credential = Some(CredentialRef::new("provisioning/none"));
    let mut state = State::with_keyring(&setup, Keyring::mock());
    let task = task_of(state.update(Message::UseSaved, &mut setup));
    for message in run_task(task) {
        let _ = state.update(message, &mut setup);
    }
    match &state.keyring_status {
        KeyringStatus::LoadFailed(message) => {
            assert!(message.contains("provisioning/none"), "{message}")
        }
        other => panic!("{other:?}"),
    }
}
