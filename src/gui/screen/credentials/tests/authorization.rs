//! "Authorize in the browser": the state machine, and the whole flow against the real OAuth peer.

use super::super::authorization::authorize;
use super::*;

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
