use super::authorization::authorize;
use super::*;
use iced::Size;
use iced_test::Simulator;
use iced_test::selector::id as by_id;

const TOKEN: &str = "scim-token-value-1234";

use crate::gui::test_support::run_task;

/// What the step asked besides telling the frame its credentials changed.
fn besides(action: Action<Message>) -> Action<Message> {
    match action {
        Action::CredentialsChanged(_, then) => besides(*then),
        other => other,
    }
}

fn task_of(action: Action<Message>) -> Task<Message> {
    match besides(action) {
        Action::Run(task) => task,
        other => panic!("expected a task, got {other:?}"),
    }
}

fn type_field(state: &mut State, setup: &mut Setup, field: Field, value: &str) {
    let _ = state.update(Message::FieldChanged(field, value.to_owned()), setup);
}

fn type_secret(state: &mut State, setup: &mut Setup, field: SecretField, value: &str) {
    let _ = state.update(Message::SecretChanged(field, Secret::from(value)), setup);
}

fn with_base_url(setup: &mut Setup) -> State {
    let mut state = State::with_keyring(setup, Keyring::mock());
    type_field(
        &mut state,
        setup,
        Field::BaseUrl,
        "https://scim.example.com/v2",
    );
    state
}

fn tokens() -> TokenSet {
    TokenSet {
        access_token: Secret::from("access-token-abcd"),
        refresh_token: Some(Secret::from("refresh-token-abcd")),
        expires_at: None,
    }
}

#[test]
fn starts_with_authorize_in_browser_and_the_profile_urls() {
    let setup = Setup::default();
    let state = State::new(&setup);
    let profile = setup.profile().expect("a default profile");
    assert_eq!(state.kind(), Kind::Browser);
    assert_eq!(Kind::ALL[0], Kind::Browser);
    assert_eq!(state.token_url, profile.provisioning.token_url);
    assert_eq!(state.authorize_url, profile.provisioning.authorize_url);
    assert!(!state.can_continue(&setup));
    // GoTo's published SCIM base URL is prefilled, and the window says where it comes from.
    assert_eq!(state.base_url, "https://api.getgo.com/identity/v1");
    assert_eq!(state.problem(Field::BaseUrl), None);
    let origin = state.base_url_origin.as_deref().expect("an origin");
    assert!(origin.contains("citrixonline.com/scim"), "{origin}");
    assert!(origin.contains("2026-12-03"), "{origin}");
}

#[test]
fn the_base_url_is_validated_as_typed() {
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    for (typed, ok) in [
        ("not a url", false),
        ("ftp://scim.example.com", false),
        ("http://scim.example.com/v2", false),
        ("http://127.0.0.1:8080/v2", true),
        ("http://localhost:8080/v2", true),
        ("https://scim.example.com/v2", true),
    ] {
        type_field(&mut state, &mut setup, Field::BaseUrl, typed);
        assert_eq!(state.problem(Field::BaseUrl).is_none(), ok, "{typed}");
        // What was typed is kept, right or wrong.
        assert_eq!(state.base_url, typed);
    }
    assert_eq!(
        setup.provisioning_settings.scim_base_url.as_deref(),
        Some("https://scim.example.com/v2")
    );
}

#[test]
fn scim_token_needs_base_url_and_token() {
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
    type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
    type_field(&mut state, &mut setup, Field::BaseUrl, "");
    assert!(!state.can_continue(&setup), "no base URL");
    assert_eq!(
        state.problem(Field::BaseUrl).as_deref(),
        Some(tr("credentials-base-url-missing").as_str())
    );
    type_field(
        &mut state,
        &mut setup,
        Field::BaseUrl,
        "https://scim.example.com/v2",
    );
    assert!(state.can_continue(&setup));
    match state.credentials(&setup) {
        Some(Credentials::BearerToken(token)) => assert_eq!(token.expose(), TOKEN),
        other => panic!("{other:?}"),
    }
    type_secret(&mut state, &mut setup, SecretField::Token, "  ");
    assert!(state.secret_problem(SecretField::Token).is_some());
    assert!(!state.can_continue(&setup));
}

#[test]
fn oauth_client_needs_token_url_client_id_and_secret() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::OAuthClient), &mut setup);
    assert!(!state.can_continue(&setup));
    type_field(&mut state, &mut setup, Field::ClientId, "client-1");
    assert!(!state.can_continue(&setup), "no secret yet");
    assert!(state.secret_problem(SecretField::ClientSecret).is_some());
    type_secret(
        &mut state,
        &mut setup,
        SecretField::ClientSecret,
        "client-secret-1\n",
    );
    assert!(state.can_continue(&setup));
    match state.credentials(&setup) {
        Some(Credentials::ClientCredentials {
            endpoints,
            client_secret,
        }) => {
            assert_eq!(client_secret.expose(), "client-secret-1", "trimmed");
            assert_eq!(endpoints.client_id, "client-1");
        }
        other => panic!("{other:?}"),
    }
    type_field(&mut state, &mut setup, Field::TokenUrl, "nonsense");
    assert!(state.problem(Field::TokenUrl).is_some());
    assert!(!state.can_continue(&setup));
    assert_eq!(
        setup.provisioning_settings.method,
        Some(ProvisioningMethod::ClientCredentials)
    );
    assert_eq!(
        setup.provisioning_settings.client_id.as_deref(),
        Some("client-1")
    );
}

#[test]
fn legacy_needs_user_password_token_url_and_client_id() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::LegacyPassword), &mut setup);
    type_field(
        &mut state,
        &mut setup,
        Field::AdminUser,
        "admin@example.com",
    );
    type_secret(&mut state, &mut setup, SecretField::Password, "pa55word");
    assert!(
        !state.can_continue(&setup),
        "the password grant needs a client"
    );
    type_field(&mut state, &mut setup, Field::ClientId, "legacy-client");
    assert!(state.can_continue(&setup));
    match state.credentials(&setup) {
        Some(Credentials::LegacyAdminPassword {
            endpoints,
            user,
            password,
        }) => {
            assert_eq!(user, "admin@example.com");
            assert_eq!(password.expose(), "pa55word");
            assert!(endpoints.client_secret.is_none(), "optional and empty");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        setup.provisioning_settings.admin_user.as_deref(),
        Some("admin@example.com")
    );
}

#[test]
fn browser_kind_continues_only_when_authorized_and_field_changes_drop_the_tokens() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    assert!(
        matches!(state.update(Message::Authorize, &mut setup), Action::None),
        "no client ID: Authorize does nothing"
    );
    type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
    assert!(!state.can_continue(&setup), "not authorized yet");

    let action = state.update(Message::Authorize, &mut setup);
    assert!(matches!(action, Action::Run(_)));
    assert!(state.is_authorizing());
    let generation = state.auth_generation;
    let _ = state.update(
        Message::Authorization(
            generation,
            AuthEvent::Started {
                url: "https://auth.example.com/oauth/authorize?x=1".into(),
                browser_error: Some("no browser".into()),
            },
        ),
        &mut setup,
    );
    let before = state.credentials_revision();
    let _ = state.update(
        Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
        &mut setup,
    );
    assert!(state.is_authorized() && !state.is_authorizing());
    assert!(state.credentials_revision() > before);
    assert!(state.can_continue(&setup));
    assert!(matches!(
        state.credentials(&setup),
        Some(Credentials::Authorized { .. })
    ));

    // Tokens belong to the client that got them.
    type_field(&mut state, &mut setup, Field::ClientId, "another-client");
    assert!(!state.is_authorized());
    assert!(!state.can_continue(&setup));
}

#[test]
fn cancel_aborts_the_authorization_and_drops_its_late_result() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
    let _ = state.update(Message::Authorize, &mut setup);
    let generation = state.auth_generation;
    state.cancel();
    assert!(!state.is_authorizing());
    assert!(matches!(state.authorization, Authorization::Cancelled));
    let _ = state.update(
        Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
        &mut setup,
    );
    assert!(!state.is_authorized(), "a result after cancel is dropped");

    let _ = state.update(Message::Authorize, &mut setup);
    let _ = state.update(Message::CancelAuthorize, &mut setup);
    assert!(!state.is_authorizing());
}

#[test]
fn a_failed_authorization_says_what_to_do() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
    let _ = state.update(Message::Authorize, &mut setup);
    let generation = state.auth_generation;
    let error = OAuthError {
        message: "the authorization was refused".into(),
        hint: "sign in as an admin".into(),
        http_status: None,
        transport: None,
    };
    let _ = state.update(
        Message::Authorization(generation, AuthEvent::Finished(Err(error))),
        &mut setup,
    );
    match &state.authorization {
        Authorization::Failed(message) => {
            assert!(
                message.contains("the authorization was refused"),
                "{message}"
            );
            assert!(message.contains("sign in as an admin"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!state.can_continue(&setup));
}

#[test]
fn secrets_are_masked_by_default_and_can_be_shown() {
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    for field in [
        SecretField::ClientSecret,
        SecretField::Token,
        SecretField::Password,
    ] {
        assert!(!state.is_revealed(field));
        let _ = state.update(Message::ToggleReveal(field), &mut setup);
        assert!(state.is_revealed(field));
        let _ = state.update(Message::ToggleReveal(field), &mut setup);
        assert!(!state.is_revealed(field));
    }
    // Debug output of the state never shows a secret.
    type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
    assert!(!format!("{state:?}").contains(TOKEN));
}

#[test]
fn every_change_increments_the_revision() {
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    let mut last = state.credentials_revision();
    let messages = [
        Message::KindSelected(Kind::ScimToken),
        Message::FieldChanged(Field::BaseUrl, "https://a.example/v2".into()),
        Message::SecretChanged(SecretField::Token, Secret::from("t1")),
        Message::SecretChanged(SecretField::Token, Secret::from("t2")),
        Message::FieldChanged(Field::BaseUrl, "https://b.example/v2".into()),
    ];
    for message in messages {
        let _ = state.update(message, &mut setup);
        assert!(state.credentials_revision() > last);
        last = state.credentials_revision();
    }
    let _ = state.update(Message::ToggleReveal(SecretField::Token), &mut setup);
    assert_eq!(state.credentials_revision(), last, "showing is no change");
}

#[test]
fn enter_goes_next_only_when_complete() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
    assert!(matches!(
        state.update(Message::Submit, &mut setup),
        Action::None
    ));
    type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
    assert!(matches!(
        state.update(Message::Submit, &mut setup),
        Action::Next
    ));
}

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

#[test]
fn authorize_stream_reports_a_missing_listener_target_as_an_error() {
    // No authorization URL: begin() fails at once, and the stream says so.
    let endpoints = OAuthEndpoints {
        authorize_url: None,
        token_url: "http://127.0.0.1:9/token".into(),
        client_id: "c".into(),
        client_secret: None,
        scopes: Vec::new(),
    };
    let events = run_task(Task::stream(authorize(
        endpoints,
        FetchOptions::default(),
        CallbackPort::Any,
        Duration::from_secs(1),
        false,
    )));
    assert!(
        matches!(events.as_slice(), [AuthEvent::Finished(Err(error))] if error.message.contains("authorization URL")),
        "{events:?}"
    );
}

/// A peer started by `scripts/peers/<kind>/start.sh` on a free loopback port, stopped
/// when dropped.
struct Peer {
    pid: String,
    port: u16,
}

impl Peer {
    fn start(script: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port");
        let output = std::process::Command::new(script)
            .arg(port.to_string())
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("the start script runs");
        assert!(
            output.status.success(),
            "{script} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Self {
            pid: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
            port,
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill").arg(&self.pid).status();
    }
}

/// Follows the authorization server's redirects (with cookies) to the loopback callback,
/// as the system browser would.
async fn play_browser(url: String) -> String {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::limited(20))
        .no_proxy()
        .build()
        .expect("a browser");
    let landed = browser.get(&url).send().await.expect("the redirect chain");
    landed.text().await.expect("the last page")
}

#[test]
fn authorize_in_the_browser_end_to_end_then_the_test_passes() {
    use crate::gui::screen::test_connection;
    use iced::futures::StreamExt;

    let oauth = Peer::start(
        "scripts/peers/oauth/start.sh",
        &["gui-client", "gui-secret"],
        &[("OAUTH_PKCE_REQUIRED", "1")],
    );
    let issuer = format!("http://127.0.0.1:{}", oauth.port);
    let scim = Peer::start(
        "scripts/peers/scim/start.sh",
        &["unused-static-token"],
        &[
            (
                "SCIM_INTROSPECTION_URL",
                format!("{issuer}/token/introspection").as_str(),
            ),
            ("SCIM_INTROSPECTION_CLIENT", "gui-client:gui-secret"),
        ],
    );

    let mut setup = Setup::default();
    let mut state = State::with_keyring(&setup, Keyring::mock());
    let base_url = format!("http://127.0.0.1:{}/v2", scim.port);
    type_field(&mut state, &mut setup, Field::BaseUrl, &base_url);
    type_field(
        &mut state,
        &mut setup,
        Field::AuthorizeUrl,
        &format!("{issuer}/auth"),
    );
    type_field(
        &mut state,
        &mut setup,
        Field::TokenUrl,
        &format!("{issuer}/token"),
    );
    type_field(&mut state, &mut setup, Field::ClientId, "gui-client");
    // The peer refuses an authorization that asks for no scope (access_denied).
    type_field(&mut state, &mut setup, Field::Scopes, "scim");
    type_secret(
        &mut state,
        &mut setup,
        SecretField::ClientSecret,
        "gui-secret",
    );
    assert!(matches!(
        state.update(Message::Authorize, &mut setup),
        Action::Run(_)
    ));
    let generation = state.auth_generation;

    // The same stream the Authorize task runs, without opening a real browser.
    let client_secret = Some(state.client_secret.clone());
    let endpoints = state.endpoints(true, client_secret);
    let options = FetchOptions {
        allow_http: true,
        ..FetchOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let events = runtime.block_on(async {
        let mut stream = Box::pin(authorize(
            endpoints,
            options,
            CallbackPort::Any,
            Duration::from_secs(30),
            false,
        ));
        let started = stream.next().await.expect("an event");
        let AuthEvent::Started { url, .. } = &started else {
            panic!("{started:?}")
        };
        let browser = tokio::spawn(play_browser(url.clone()));
        let finished = stream.next().await.expect("the end");
        let page = browser.await.expect("the browser");
        assert!(page.contains("Authorization complete"), "{page}");
        vec![started, finished]
    });
    for event in events {
        let _ = state.update(Message::Authorization(generation, event), &mut setup);
    }
    assert!(state.is_authorized(), "{:?}", state.authorization);
    assert!(state.can_continue(&setup));

    // The test step then passes with these credentials.
    let credentials = state.credentials(&setup).expect("complete");
    let events = runtime.block_on(
        test_connection::test_stream(
            base_url,
            credentials,
            goto_sso_wizard::provisioning::TestOptions {
                http: FetchOptions {
                    allow_http: true,
                    ..FetchOptions::default()
                },
                ..Default::default()
            },
        )
        .collect::<Vec<_>>(),
    );
    match events.last() {
        Some(test_connection::Event::Finished(report, _)) => {
            assert!(report.ok, "{report:#?}")
        }
        other => panic!("{other:?}"),
    }
}

fn is_widget_id(piece: &str) -> bool {
    let fields = [
        SecretField::ClientSecret,
        SecretField::Token,
        SecretField::Password,
    ];
    [
        id::BASE_URL,
        id::AUTHORIZE_URL,
        id::TOKEN_URL,
        id::CLIENT_ID,
        id::SCOPES,
        id::ADMIN_USER,
        id::AUTHORIZE,
        id::CANCEL_AUTHORIZE,
        id::COPY_URL,
        id::REMEMBER,
        id::SAVE_AGAIN,
        id::USE_SAVED,
        id::FORGET,
    ]
    .into_iter()
    .chain(Kind::ALL.map(Kind::radio_id))
    .chain(fields.map(SecretField::id))
    .chain(fields.map(SecretField::toggle_id))
    .any(|known| known == piece)
}

#[test]
fn every_string_id_used_here_is_defined() {
    let sources = [
        include_str!("mod.rs"),
        include_str!("authorization.rs"),
        include_str!("form.rs"),
        include_str!("remember.rs"),
        include_str!("update.rs"),
        include_str!("view.rs"),
    ];
    let mut checked = 0;
    for piece in sources
        .iter()
        .flat_map(|source| source.split('"').skip(1).step_by(2))
    {
        let is_id = (piece.starts_with("credentials-") || piece.starts_with("common-"))
            && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        // Widget ids share the prefix; a string id is one the bundle knows or must know.
        if is_id && !piece.ends_with('-') && tr(piece) == piece && !is_widget_id(piece) {
            panic!("no English string for {piece}");
        }
        checked += usize::from(is_id);
    }
    assert!(checked > 10, "the scan found the ids");
}

#[test]
fn the_screen_by_widget_id() -> Result<(), iced_test::Error> {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);

    let mut ui = Simulator::with_size(
        iced::Settings::default(),
        Size::new(860.0, 1400.0),
        state.view(&setup),
    );
    let _ = ui.find(tr("credentials-heading").as_str())?;
    let _ = ui.find(by_id(Kind::Browser.radio_id()))?;
    let _ = ui.find(tr("credentials-show").as_str())?;
    assert!(ui.find(tr("credentials-hide").as_str()).is_err());
    let _ = ui.click(by_id(SecretField::Token.toggle_id()))?;
    let _ = ui.click(by_id(Kind::LegacyPassword.radio_id()))?;
    let _ = ui.click(by_id(SecretField::Token.id()))?;
    let _ = ui.typewrite("abc");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        matches!(
            messages.as_slice(),
            [
                Message::ToggleReveal(SecretField::Token),
                Message::KindSelected(Kind::LegacyPassword),
                Message::SecretChanged(SecretField::Token, _),
                ..
            ]
        ),
        "{messages:?}"
    );
    for message in messages {
        let _ = state.update(message, &mut setup);
    }

    // Now the legacy kind, with its deprecation notice and the token field shown.
    let mut ui = Simulator::with_size(
        iced::Settings::default(),
        Size::new(860.0, 1400.0),
        state.view(&setup),
    );
    let _ = ui.find(tr("credentials-legacy-notice").as_str())?;
    let _ = ui.find(by_id(id::ADMIN_USER))?;
    let _ = ui.find(by_id(id::REMEMBER))?;
    assert!(ui.find(by_id(id::AUTHORIZE)).is_err(), "browser only");
    Ok(())
}

#[test]
fn a_change_of_the_credentials_is_told_to_the_frame_with_its_revision() {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
    let action = state.update(
        Message::SecretChanged(SecretField::Token, Secret::from(TOKEN)),
        &mut setup,
    );
    let Action::CredentialsChanged(current, _) = action else {
        panic!("the session hears of the new token: {action:?}");
    };
    assert_eq!(current.revision, state.credentials_revision());
    assert_eq!(current.base_url, "https://scim.example.com/v2");
    assert!(matches!(
        &current.credentials,
        Some(Credentials::BearerToken(token)) if token.expose() == TOKEN
    ));
    // Showing the masked value changes nothing.
    let action = state.update(Message::ToggleReveal(SecretField::Token), &mut setup);
    assert!(matches!(action, Action::None), "{action:?}");
}
