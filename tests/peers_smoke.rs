//! The protocol peers (scripts/peers, through tests/common/peers.rs) behave the way the
//! provisioning "Test Connection" relies on: a real SCIM 2.0 server and a real OAuth 2.0
//! server on 127.0.0.1. The first run installs them into target/peers.

mod common;

use std::net::{Ipv4Addr, TcpStream};
use std::time::Duration;

use common::peers::{self, OAuthPeer};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};

fn client() -> reqwest::Client {
    // reqwest is built without a default crypto provider; ring is the one in this build.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy() // loopback only, whatever the environment says
        .timeout(Duration::from_secs(20))
        .build()
        .expect("reqwest client")
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|error| panic!("not JSON ({error}): {body}"))
}

/// `POST /token` with `grant_type=client_credentials&scope=scim` and Basic client auth.
async fn client_credentials(
    client: &reqwest::Client,
    oauth: &OAuthPeer,
    secret: &str,
) -> (StatusCode, serde_json::Value) {
    let response = client
        .post(oauth.token_url())
        .basic_auth(&oauth.client_id, Some(secret))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&scope=scim")
        .send()
        .await
        .expect("POST /token");
    let status = response.status();
    (status, json(&response.text().await.expect("token body")))
}

/// `GET /Users?count=1&startIndex=1`, the authenticated call a "Test Connection" makes.
async fn list_users(client: &reqwest::Client, base_url: &str, token: Option<&str>) -> StatusCode {
    let mut request = client.get(format!("{base_url}/Users?count=1&startIndex=1"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("GET /Users").status()
}

#[tokio::test]
async fn scim_discovery_is_open_and_users_need_the_token() {
    let scim = peers::start_scim("smoke-scim-token");
    let base = scim.base_url();
    assert_eq!(base, format!("http://127.0.0.1:{}/v2", scim.peer.port));
    let client = client();

    let config = client
        .get(format!("{base}/ServiceProviderConfig"))
        .send()
        .await
        .expect("GET /ServiceProviderConfig");
    assert_eq!(config.status(), StatusCode::OK, "{}", scim.peer.log());
    let config = json(&config.text().await.unwrap());
    assert!(
        config["schemas"]
            .to_string()
            .contains("ServiceProviderConfig"),
        "{config}"
    );

    assert_eq!(
        list_users(&client, &base, Some(&scim.token)).await,
        StatusCode::OK
    );
    assert_eq!(
        list_users(&client, &base, None).await,
        StatusCode::UNAUTHORIZED
    );
    let wrong = client
        .get(format!("{base}/Users?count=1&startIndex=1"))
        .bearer_auth("wrong-token")
        .send()
        .await
        .expect("GET /Users with a wrong token");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let challenge = wrong.headers().get(WWW_AUTHENTICATE).cloned();
    assert!(
        challenge.is_some_and(|value| value.to_str().unwrap_or("").starts_with("Bearer")),
        "401 without a Bearer challenge"
    );
    let error = json(&wrong.text().await.unwrap());
    assert_eq!(error["status"], "401", "{error}");

    // Dropping the peer stops the server: nothing listens on its port any more.
    let port = scim.peer.port;
    drop(scim);
    assert!(
        TcpStream::connect_timeout(&(Ipv4Addr::LOCALHOST, port).into(), Duration::from_secs(1))
            .is_err(),
        "the SCIM peer still listens on {port} after drop"
    );
}

#[tokio::test]
async fn oauth_client_credentials_and_wrong_secret() {
    let oauth = peers::start_oauth("smoke-client", "smoke-secret", &[]);
    assert_eq!(
        oauth.base_url(),
        format!("http://127.0.0.1:{}", oauth.peer.port)
    );
    let client = client();

    let (status, body) = client_credentials(&client, &oauth, "smoke-secret").await;
    assert_eq!(status, StatusCode::OK, "{body}\n{}", oauth.peer.log());
    assert!(
        body["access_token"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert_eq!(body["token_type"], "Bearer", "{body}");
    assert_eq!(body["expires_in"], 3600, "{body}");

    let (status, body) = client_credentials(&client, &oauth, "wrong-secret").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(body["error"], "invalid_client", "{body}");
}

#[tokio::test]
async fn scim_accepts_tokens_the_oauth_peer_issued() {
    let oauth = peers::start_oauth("chain-client", "chain-secret", &[]);
    let scim = peers::start_scim_with_introspection("chain-static-token", &oauth);
    let client = client();
    let base = scim.base_url();

    let (status, body) = client_credentials(&client, &oauth, "chain-secret").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let token = body["access_token"].as_str().expect("access_token");

    assert_eq!(
        list_users(&client, &base, Some(token)).await,
        StatusCode::OK,
        "{}",
        scim.peer.log()
    );
    assert_eq!(
        list_users(&client, &base, Some("bogus-token")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        list_users(&client, &base, Some(&scim.token)).await,
        StatusCode::OK
    );
    assert_eq!(
        list_users(&client, &base, None).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn oauth_env_knobs_reach_the_server_and_expired_tokens_are_refused() {
    let oauth = peers::start_oauth("ttl-client", "ttl-secret", &[("OAUTH_ACCESS_TTL", "2")]);
    let scim = peers::start_scim_with_introspection("ttl-static-token", &oauth);
    let client = client();

    let (status, body) = client_credentials(&client, &oauth, "ttl-secret").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["expires_in"], 2, "{body}");
    let token = body["access_token"].as_str().expect("access_token");
    assert_eq!(
        list_users(&client, &scim.base_url(), Some(token)).await,
        StatusCode::OK
    );

    tokio::time::sleep(Duration::from_millis(3100)).await;
    assert_eq!(
        list_users(&client, &scim.base_url(), Some(token)).await,
        StatusCode::UNAUTHORIZED,
        "an expired token was still accepted"
    );
}

/// `POST /token` with `grant_type=password` (RFC 6749 §4.3), the user's credentials as form
/// fields and Basic client auth: what the deprecated "GoToMeeting admin user name + password"
/// credential kind sends.
async fn password_grant(
    client: &reqwest::Client,
    oauth: &OAuthPeer,
    username: &str,
    password: &str,
) -> (StatusCode, serde_json::Value) {
    let form = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("grant_type", "password")
        .append_pair("username", username)
        .append_pair("password", password)
        .append_pair("scope", "scim")
        .finish();
    let response = client
        .post(oauth.token_url())
        .basic_auth(&oauth.client_id, Some(&oauth.client_secret))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("POST /token");
    let status = response.status();
    (status, json(&response.text().await.expect("token body")))
}

#[tokio::test]
async fn oauth_password_grant_tokens_reach_scim_and_wrong_passwords_are_refused() {
    let oauth = peers::start_oauth("ropc-client", "ropc-secret", &[]);
    let scim = peers::start_scim_with_introspection("ropc-static-token", &oauth);
    let client = client();

    // The default resource owner (OAUTH_PASSWORD_USERS unset).
    let (status, body) =
        password_grant(&client, &oauth, "admin@example.com", "admin-password").await;
    assert_eq!(status, StatusCode::OK, "{body}\n{}", oauth.peer.log());
    let token = body["access_token"].as_str().expect("access_token");
    assert!(!token.is_empty(), "{body}");
    assert_eq!(body["token_type"], "Bearer", "{body}");
    assert_eq!(body["expires_in"], 3600, "{body}");
    assert_eq!(body["scope"], "scim", "{body}");
    assert!(
        body["refresh_token"]
            .as_str()
            .is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert_eq!(
        list_users(&client, &scim.base_url(), Some(token)).await,
        StatusCode::OK,
        "{}",
        scim.peer.log()
    );

    for (username, password) in [
        ("admin@example.com", "wrong-password"),
        ("nobody@example.com", "admin-password"),
    ] {
        let (status, body) = password_grant(&client, &oauth, username, password).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{username}: {body}");
        assert_eq!(body["error"], "invalid_grant", "{username}: {body}");
    }
    let (status, body) = password_grant(&client, &oauth, "admin@example.com", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_request", "{body}");
}
