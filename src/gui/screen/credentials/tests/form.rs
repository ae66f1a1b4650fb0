//! The form: kinds, fields and their validation, masking, revisions, Enter.

use super::*;

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
