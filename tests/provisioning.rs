//! The provisioning connection test against a real SCIM 2.0 server and a real OAuth 2.0 server
//! on 127.0.0.1 (scim2-server and oidc-provider, started by `common::peers`), and against the
//! project's own loopback servers for what the peers cannot do (rate limits, stalls).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::goto_scim::{self, GotoScim};
use common::peers::{OAuthPeer, start_oauth, start_scim, start_scim_with_introspection};
use common::servers::{Reply, Request, TestServer, closed_port};
use goto_sso_wizard::fetch::{DnsMode, FetchOptions, HttpPolicy, ProxyMode};
use goto_sso_wizard::provisioning::{
    BrowserAuthorization, CallbackPort, Credentials, DEFAULT_CALLBACK_PORT, OAuthEndpoints, Step,
    StepName, TestOptions, TestReport, TokenSet, run_test,
};
use goto_sso_wizard::secrets::Secret;

fn options() -> TestOptions {
    TestOptions {
        http: FetchOptions {
            // The peers speak plain HTTP on 127.0.0.1, which the policy allows without an option.
            proxy: ProxyMode::Direct,
            dns: DnsMode::Pinned(Vec::new()),
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            ..FetchOptions::default()
        },
        max_retry_wait: Duration::from_secs(5),
        ..TestOptions::default()
    }
}

async fn test(base: &str, credentials: Credentials) -> (TestReport, Credentials, Vec<StepName>) {
    test_with(base, credentials, &options()).await
}

async fn test_with(
    base: &str,
    credentials: Credentials,
    options: &TestOptions,
) -> (TestReport, Credentials, Vec<StepName>) {
    let mut seen = Vec::new();
    let mut progress = |step: &Step| seen.push(step.name);
    let (report, credentials) = run_test(base, credentials, options, &mut progress).await;
    (report, credentials, seen)
}

fn step(report: &TestReport, name: StepName) -> &Step {
    report
        .steps
        .iter()
        .find(|step| step.name == name)
        .unwrap_or_else(|| panic!("no {name:?} step in {report:#?}"))
}

fn endpoints(oauth: &OAuthPeer, secret: Option<&str>) -> OAuthEndpoints {
    OAuthEndpoints {
        authorize_url: Some(format!("{}/auth", oauth.base_url())),
        token_url: oauth.token_url(),
        client_id: oauth.client_id.clone(),
        client_secret: secret.map(Secret::from),
        scopes: vec!["scim".into()],
    }
}

#[tokio::test]
async fn a_good_token_passes_every_step_and_progress_is_live() {
    let scim = start_scim("good-token-123");
    let (report, _, seen) = test(
        &scim.base_url(),
        Credentials::BearerToken(Secret::from("good-token-123")),
    )
    .await;
    let names: Vec<StepName> = report.steps.iter().map(|s| s.name).collect();
    assert_eq!(seen, names, "every step is reported as it finishes");
    assert_eq!(
        names,
        [
            StepName::Token,
            StepName::ServiceProviderConfig,
            StepName::Users,
            StepName::Schemas,
            StepName::AttributeMapping,
            StepName::Filter
        ]
    );
    for name in names.iter().copied() {
        assert!(
            step(&report, name).ok,
            "{name:?}: {}",
            step(&report, name).detail
        );
    }
    assert!(report.ok);
    assert!(
        step(&report, StepName::ServiceProviderConfig)
            .detail
            .contains("proves nothing about the token")
    );
    assert!(
        step(&report, StepName::Users).detail.contains("user(s)"),
        "{}",
        step(&report, StepName::Users).detail
    );
    // scim2-server declares the core, enterprise and group schemas Entra's mapping needs.
    assert!(report.steps.iter().all(|s| !s.warning), "{report:#?}");
    assert!(
        step(&report, StepName::AttributeMapping)
            .detail
            .contains("every attribute")
    );
}

#[tokio::test]
async fn a_bad_token_fails_on_users_with_an_explanation() {
    let scim = start_scim("right-token");
    let (report, _, _) = test(
        &scim.base_url(),
        Credentials::BearerToken(Secret::from("wrong-token-xyz")),
    )
    .await;
    assert!(!report.ok);
    // Discovery answers without a token, so it passes: only /Users proves the token.
    assert!(step(&report, StepName::ServiceProviderConfig).ok);
    let users = step(&report, StepName::Users);
    assert!(!users.ok);
    assert_eq!(users.http_status, Some(401));
    assert!(
        users.detail.contains("token is wrong or has expired"),
        "{}",
        users.detail
    );
    assert!(
        report
            .steps
            .iter()
            .all(|s| !s.detail.contains("wrong-token-xyz"))
    );
}

#[tokio::test]
async fn a_wrong_base_url_shows_the_url_called() {
    let scim = start_scim("t0ken-abc");
    let wrong = format!("{}/nope", scim.base_url());
    let (report, _, _) = test(&wrong, Credentials::BearerToken(Secret::from("t0ken-abc"))).await;
    let users = step(&report, StepName::Users);
    assert_eq!(users.http_status, Some(404), "{users:?}");
    assert!(
        users.detail.contains(&format!("{wrong}/Users")),
        "{}",
        users.detail
    );
    assert!(users.detail.contains("base URL is wrong"));
}

#[tokio::test]
async fn a_server_that_is_down_or_stalls_is_named_and_nothing_hangs() {
    let down = format!("http://127.0.0.1:{}/v2", closed_port());
    let (report, _, _) = test(&down, Credentials::BearerToken(Secret::from("tok-1234"))).await;
    assert!(!report.ok);
    assert!(
        step(&report, StepName::ServiceProviderConfig)
            .detail
            .contains("refused")
    );

    let stall = TestServer::http(Arc::new(|_: &Request| {
        Reply::Stall(Duration::from_secs(60))
    }));
    let mut slow_options = options();
    slow_options.http.total_timeout = Duration::from_secs(1);
    let started = std::time::Instant::now();
    let (report, _) = run_test(
        &stall.url("http", "/v2"),
        Credentials::BearerToken(Secret::from("tok-1234")),
        &slow_options,
        &mut |_| {},
    )
    .await;
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "{:?}",
        started.elapsed()
    );
    let users = step(&report, StepName::Users);
    assert!(users.detail.contains("within 1 s"), "{}", users.detail);
}

/// A loopback rate limiter in front of the real SCIM server: the first request to /Users gets
/// `429 Retry-After: 1`, everything else is passed through.
fn rate_limited_front(scim: SocketAddr) -> (TestServer, Arc<AtomicUsize>) {
    let limited = Arc::new(AtomicUsize::new(0));
    let count = limited.clone();
    let server = TestServer::http(Arc::new(move |request: &Request| {
        if request.target.starts_with("/v2/Users?count=1")
            && count.fetch_add(1, Ordering::SeqCst) == 0
        {
            return Reply::Answer {
                status: 429,
                headers: vec![("Retry-After".into(), "1".into())],
                body: Vec::new(),
            };
        }
        forward(scim, request)
    }));
    (server, limited)
}

fn forward(to: SocketAddr, request: &Request) -> Reply {
    let mut upstream = TcpStream::connect(to).expect("SCIM peer");
    let mut head = format!(
        "GET {} HTTP/1.1\r\nHost: {to}\r\nConnection: close\r\n",
        request.target
    );
    for (name, value) in &request.headers {
        if name != "host" && name != "connection" {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str("\r\n");
    upstream.write_all(head.as_bytes()).expect("forward");
    let mut raw = Vec::new();
    upstream.read_to_end(&mut raw).expect("answer");
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("head");
    let text = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(502);
    let content_type = text
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_owned())
        })
        .unwrap_or_default();
    let mut body = raw[split + 4..].to_vec();
    if text
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply::status(status, &content_type, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

#[tokio::test]
async fn rate_limiting_is_waited_out_as_retry_after_asks() {
    let scim = start_scim("rate-token");
    let port: u16 = scim
        .base_url()
        .split(':')
        .nth(2)
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap();
    let (front, limited) = rate_limited_front(SocketAddr::from(([127, 0, 0, 1], port)));
    let started = std::time::Instant::now();
    let (report, _, _) = test(
        &front.url("http", "/v2"),
        Credentials::BearerToken(Secret::from("rate-token")),
    )
    .await;
    let users = step(&report, StepName::Users);
    assert!(users.ok, "{}", users.detail);
    assert!(
        users.detail.contains("after waiting 1 s"),
        "{}",
        users.detail
    );
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(
        limited.load(Ordering::SeqCst) >= 2,
        "the request was retried"
    );
}

#[tokio::test]
async fn client_credentials_good_and_bad_against_the_real_oauth_server() {
    let oauth = start_oauth("wizard-client", "s3cret-value", &[]);
    let scim = start_scim_with_introspection("static-token", &oauth);
    let good = Credentials::ClientCredentials {
        endpoints: endpoints(&oauth, None),
        client_secret: Secret::from("s3cret-value"),
    };
    let (report, _, _) = test(&scim.base_url(), good).await;
    assert!(
        step(&report, StepName::Token).ok,
        "{}",
        step(&report, StepName::Token).detail
    );
    assert!(
        step(&report, StepName::Users).ok,
        "{}",
        step(&report, StepName::Users).detail
    );

    let bad = Credentials::ClientCredentials {
        endpoints: endpoints(&oauth, None),
        client_secret: Secret::from("not-the-secret"),
    };
    let (report, _, _) = test(&scim.base_url(), bad).await;
    let token = step(&report, StepName::Token);
    assert!(!token.ok);
    assert!(
        token.detail.contains("client ID or client secret is wrong"),
        "{}",
        token.detail
    );
    assert!(
        !report.steps.iter().any(|s| s.name == StepName::Users),
        "no token, no /Users"
    );
    assert!(
        report
            .steps
            .iter()
            .all(|s| !s.detail.contains("not-the-secret"))
    );
}

/// Plays the browser: follows the authorization server's redirects (keeping cookies) until it
/// lands on the loopback callback, which it requests too.
async fn play_browser(url: String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::limited(20))
        .no_proxy()
        .build()
        .expect("browser");
    let landed = browser
        .get(&url)
        .send()
        .await
        .expect("the authorization chain");
    assert!(
        landed.url().path() == "/callback",
        "ended at {}",
        landed.url()
    );
    let page = landed.text().await.expect("page");
    assert!(page.contains("Authorization complete"), "{page}");
}

#[tokio::test]
async fn browser_authorization_end_to_end_then_expiry_and_refresh() {
    let oauth = start_oauth(
        "browser-client",
        "browser-secret",
        &[("OAUTH_ACCESS_TTL", "4"), ("OAUTH_PKCE_REQUIRED", "1")],
    );
    let scim = start_scim_with_introspection("unused-static", &oauth);
    let endpoints = endpoints(&oauth, Some("browser-secret"));
    let authorization = BrowserAuthorization::begin(&endpoints, HttpPolicy::default())
        .await
        .expect("listener");
    assert!(authorization.url().contains("code_challenge_method=S256"));
    assert!(
        authorization
            .redirect_uri()
            .starts_with("http://127.0.0.1:")
    );
    let browser = tokio::spawn(play_browser(authorization.url().to_owned()));
    let tokens = authorization
        .finish(&options().http, Duration::from_secs(20))
        .await
        .expect("tokens");
    browser.await.expect("browser");
    assert!(
        tokens.refresh_token.is_some(),
        "the code grant returns a refresh token"
    );
    let first_access_token = tokens.access_token.clone();

    // Without a margin, a token that is still valid is used as it is.
    let no_margin = TestOptions {
        refresh_margin: Duration::ZERO,
        ..options()
    };
    let credentials = Credentials::Authorized {
        endpoints: endpoints.clone(),
        tokens,
    };
    let (report, credentials, _) = test_with(&scim.base_url(), credentials, &no_margin).await;
    let token = step(&report, StepName::Token);
    assert!(
        token.ok && !token.detail.contains("refreshed"),
        "{}",
        token.detail
    );
    assert!(
        step(&report, StepName::Users).ok,
        "{}",
        step(&report, StepName::Users).detail
    );

    // The access token lives 4 s: once it has expired, the test refreshes it before using it.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (report, credentials, _) = test_with(&scim.base_url(), credentials, &no_margin).await;
    let token = step(&report, StepName::Token);
    assert!(
        token.ok && token.detail.contains("had expired") && token.detail.contains("refreshed"),
        "{}",
        token.detail
    );
    assert!(
        step(&report, StepName::Users).ok,
        "{}",
        step(&report, StepName::Users).detail
    );
    let Credentials::Authorized { tokens, .. } = &credentials else {
        panic!("still authorized credentials");
    };
    assert_ne!(
        tokens.access_token, first_access_token,
        "a new access token"
    );
}

/// The tokens of a browser authorization, the browser played by [`play_browser`].
async fn authorized_in_the_browser(endpoints: &OAuthEndpoints) -> TokenSet {
    let authorization = BrowserAuthorization::begin(endpoints, HttpPolicy::default())
        .await
        .expect("listener");
    let browser = tokio::spawn(play_browser(authorization.url().to_owned()));
    let tokens = authorization
        .finish(&options().http, Duration::from_secs(20))
        .await
        .expect("tokens");
    browser.await.expect("browser");
    tokens
}

#[tokio::test]
async fn a_token_about_to_expire_is_refreshed_within_the_margin() {
    let oauth = start_oauth(
        "margin-client",
        "margin-secret",
        &[("OAUTH_ACCESS_TTL", "60")],
    );
    let scim = start_scim_with_introspection("unused-static", &oauth);
    let endpoints = endpoints(&oauth, Some("margin-secret"));
    let tokens = authorized_in_the_browser(&endpoints).await;
    let credentials = Credentials::Authorized { endpoints, tokens };

    // Valid for 60 s: a 30 s margin uses it, a 120 s margin refreshes it first.
    let thirty = TestOptions {
        refresh_margin: Duration::from_secs(30),
        ..options()
    };
    let (report, credentials, _) = test_with(&scim.base_url(), credentials, &thirty).await;
    let token = step(&report, StepName::Token);
    assert!(
        token.ok && !token.detail.contains("refreshed"),
        "{}",
        token.detail
    );

    let long = TestOptions {
        refresh_margin: Duration::from_secs(120),
        ..options()
    };
    let (report, _, _) = test_with(&scim.base_url(), credentials, &long).await;
    let token = step(&report, StepName::Token);
    assert!(
        token.ok
            && token.detail.contains("expires within 120 s")
            && token.detail.contains("refreshed"),
        "{}",
        token.detail
    );
    assert!(
        step(&report, StepName::Users).ok,
        "{}",
        step(&report, StepName::Users).detail
    );
}

/// `GET url` as a plain client (no cookies, no redirects): the status and the page.
async fn get_page(url: String) -> (u16, String) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let response = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(url)
        .send()
        .await
        .expect("the listener answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_forged_callback_gets_an_error_page_and_the_flow_waits_for_the_real_one() {
    let oauth = start_oauth("state-client", "state-secret", &[]);
    let endpoints = endpoints(&oauth, Some("state-secret"));
    let authorization = BrowserAuthorization::begin(&endpoints, HttpPolicy::default())
        .await
        .expect("listener");
    let forged = format!("{}?code=abc&state=forged", authorization.redirect_uri());
    let url = authorization.url().to_owned();
    // A stranger's callback first (another tab, another program on this computer), then the
    // real browser.
    let browser = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let forged = get_page(forged).await;
        play_browser(url).await;
        forged
    });
    let tokens = authorization
        .finish(&options().http, Duration::from_secs(20))
        .await
        .expect("the real answer still completes the authorization");
    assert!(tokens.refresh_token.is_some());
    let (status, page) = browser.await.expect("browser");
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("ignored"), "{page}");
    assert!(
        !page.contains("forged"),
        "the page repeats nothing it was sent: {page}"
    );
}

#[tokio::test]
async fn a_stalled_connection_does_not_hold_up_the_real_callback() {
    let oauth = start_oauth("stall-client", "stall-secret", &[]);
    let endpoints = endpoints(&oauth, Some("stall-secret"));
    let authorization = BrowserAuthorization::begin(&endpoints, HttpPolicy::default())
        .await
        .expect("listener");
    let port = port_of(authorization.redirect_uri());
    // Connects and never sends a request (a half-open tab, a port scanner), and another that
    // sends half a request line and stops.
    let silent = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut half = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    half.write_all(b"GET /callb").expect("write");
    let browser = tokio::spawn(play_browser(authorization.url().to_owned()));
    // Shorter than any per-connection read timeout: only a listener that serves connections
    // side by side can finish in time.
    let started = std::time::Instant::now();
    let tokens = authorization
        .finish(&options().http, Duration::from_secs(4))
        .await
        .expect("the real callback is served while the others stall");
    assert!(tokens.refresh_token.is_some());
    assert!(started.elapsed() < Duration::from_secs(4));
    browser.await.expect("browser");
    drop((silent, half));
}

#[tokio::test]
async fn the_browser_flow_times_out_and_closes_its_listener() {
    let oauth = start_oauth("timeout-client", "timeout-secret", &[]);
    let authorization =
        BrowserAuthorization::begin(&endpoints(&oauth, None), HttpPolicy::default())
            .await
            .expect("listener");
    let port = port_of(authorization.redirect_uri());
    let forged = format!("{}?code=abc&state=forged", authorization.redirect_uri());
    let forger = tokio::spawn(get_page(forged));
    let error = authorization
        .finish(&options().http, Duration::from_millis(800))
        .await
        .expect_err("a forged answer is no answer: the flow times out");
    assert!(
        error.message.contains("no answer from the browser"),
        "{}",
        error.message
    );
    assert_eq!(forger.await.unwrap().0, 400);
    // The listener is closed after the timeout.
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "the listener must be closed"
    );
}

/// The port of a `http://127.0.0.1:PORT/callback` redirect URI.
fn port_of(redirect_uri: &str) -> u16 {
    redirect_uri
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .and_then(|p| p.parse().ok())
        .expect("a port")
}

#[tokio::test]
async fn legacy_admin_password_is_exchanged_by_the_password_grant_with_a_deprecation_notice() {
    let oauth = start_oauth(
        "legacy-client",
        "legacy-secret",
        &[("OAUTH_PASSWORD_USERS", "admin@contoso.com:hunter2-password")],
    );
    let scim = start_scim_with_introspection("legacy-static", &oauth);
    let legacy = |password: &str| Credentials::LegacyAdminPassword {
        endpoints: endpoints(&oauth, Some("legacy-secret")),
        user: "admin@contoso.com".into(),
        password: Secret::from(password),
    };
    let (report, _, _) = test(&scim.base_url(), legacy("hunter2-password")).await;
    let token = step(&report, StepName::Token);
    assert!(token.ok, "{}", token.detail);
    assert!(token.detail.contains("deprecated"), "{}", token.detail);
    assert!(
        step(&report, StepName::Users).ok,
        "{}",
        step(&report, StepName::Users).detail
    );

    let (report, _, _) = test(&scim.base_url(), legacy("not-the-password")).await;
    let token = step(&report, StepName::Token);
    assert!(!token.ok);
    assert!(
        token.detail.contains("user name or password is wrong"),
        "{}",
        token.detail
    );
    for secret in ["hunter2-password", "not-the-password", "legacy-secret"] {
        assert!(report.steps.iter().all(|s| !s.detail.contains(secret)));
    }
}

#[tokio::test]
async fn a_server_echoing_the_token_back_cannot_leak_it() {
    let echo = TestServer::http(Arc::new(|request: &Request| {
        let auth = request
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        Reply::status(
            200,
            "application/json",
            format!("{{\"detail\":\"you sent {auth}\"}}"),
        )
    }));
    let (report, _, _) = test(
        &echo.url("http", "/v2"),
        Credentials::BearerToken(Secret::from("leaky-token-777")),
    )
    .await;
    let text = serde_json::to_string(&report).unwrap();
    assert!(!text.contains("leaky-token-777"), "{text}");
    assert!(!report.ok);
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

#[tokio::test]
async fn a_fixed_callback_port_gives_the_redirect_uri_to_register() {
    let oauth = start_oauth("fixed-port-client", "fixed-port-secret", &[]);
    let endpoints = endpoints(&oauth, Some("fixed-port-secret"));
    let port = free_port();
    let fixed = CallbackPort::Fixed(port);
    let registered = format!("http://127.0.0.1:{port}/callback");
    assert_eq!(fixed.redirect_uri().as_deref(), Some(registered.as_str()));
    assert_eq!(
        CallbackPort::default(),
        CallbackPort::Fixed(DEFAULT_CALLBACK_PORT)
    );
    assert_eq!(CallbackPort::from_number(0), CallbackPort::Any);
    assert_eq!(CallbackPort::Any.redirect_uri(), None);

    let authorization = BrowserAuthorization::begin_on(&endpoints, HttpPolicy::default(), fixed)
        .await
        .expect("listener");
    assert_eq!(authorization.redirect_uri(), registered);
    let encoded: String = url::form_urlencoded::byte_serialize(registered.as_bytes()).collect();
    assert!(
        authorization
            .url()
            .contains(&format!("redirect_uri={encoded}")),
        "{}",
        authorization.url()
    );
    // The port is taken while this authorization waits: a second one says what to do.
    let busy = BrowserAuthorization::begin_on(&endpoints, HttpPolicy::default(), fixed)
        .await
        .expect_err("the port is in use");
    assert!(
        busy.message.contains(&format!("port {port}")),
        "{}",
        busy.message
    );
    assert!(busy.hint.contains("register"), "{}", busy.hint);

    let browser = tokio::spawn(play_browser(authorization.url().to_owned()));
    let tokens = authorization
        .finish(&options().http, Duration::from_secs(20))
        .await
        .expect("tokens through the fixed port");
    browser.await.expect("browser");
    assert!(tokens.refresh_token.is_some());
}

#[tokio::test]
async fn the_token_request_authenticates_the_client_with_http_basic() {
    // GoTo documents HTTP Basic for the client at its token endpoint.
    let server = TestServer::http(Arc::new(|request: &Request| {
        if request.target.starts_with("/oauth/token") {
            Reply::ok(
                "application/json",
                r#"{"access_token":"basic-access","token_type":"Bearer","expires_in":3600}"#,
            )
        } else {
            Reply::status(404, "text/plain", "not here")
        }
    }));
    let endpoints = OAuthEndpoints {
        authorize_url: None,
        token_url: server.url("http", "/oauth/token"),
        client_id: "goto-client:1".into(),
        client_secret: Some(Secret::from("s3cret/+=")),
        scopes: Vec::new(),
    };
    let credentials = Credentials::ClientCredentials {
        endpoints,
        client_secret: Secret::from("s3cret/+="),
    };
    let (report, _, _) = test(&server.url("http", "/identity/v1"), credentials).await;
    assert!(step(&report, StepName::Token).ok, "{report:#?}");
    let requests = server.requests.lock().unwrap();
    let token_request = requests
        .iter()
        .find(|request| request.target.starts_with("/oauth/token"))
        .expect("a token request");
    assert_eq!(token_request.method, "POST");
    // RFC 6749 §2.3.1: both parts form-encoded, then "id:secret" in base64.
    use base64::Engine as _;
    let expected =
        base64::engine::general_purpose::STANDARD.encode("goto-client%3A1:s3cret%2F%2B%3D");
    assert_eq!(
        token_request
            .headers
            .get("authorization")
            .map(String::as_str),
        Some(format!("Basic {expected}").as_str())
    );
}

// ---- GoTo's published dialect, against the loopback server built from the project's
// description of it (tests/contracts/goto-scim.json, tests/common/goto_scim.rs).

/// Options that reach the GoTo-dialect server by GoTo's own host name, trusting its test CA.
fn goto_options(goto: &GotoScim) -> TestOptions {
    TestOptions {
        http: FetchOptions {
            proxy: ProxyMode::Direct,
            dns: DnsMode::Pinned(vec![(
                goto_scim::HOST.to_owned(),
                SocketAddr::from(([127, 0, 0, 1], goto.port())),
            )]),
            extra_ca_pem: Some(goto.pki.ca_pem().as_bytes().to_vec()),
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(10),
            ..FetchOptions::default()
        },
        max_retry_wait: Duration::from_secs(5),
        ..TestOptions::default()
    }
}

async fn goto_test(goto: &GotoScim, token: &str) -> (TestReport, serde_json::Value) {
    let (report, _, _) = test_with(
        &goto.base_url(),
        Credentials::BearerToken(Secret::from(token)),
        &goto_options(goto),
    )
    .await;
    let json = serde_json::to_value(&report).expect("the report is JSON");
    (report, json)
}

#[tokio::test]
async fn goto_dialect_an_admin_token_passes_every_step_and_the_report_says_dialect_and_account() {
    let goto = GotoScim::start();
    let (report, json) = goto_test(&goto, goto_scim::ADMIN_TOKEN).await;
    for step in &report.steps {
        assert!(step.ok, "{:?}: {}", step.name, step.detail);
    }
    let names: Vec<StepName> = report.steps.iter().map(|s| s.name).collect();
    assert_eq!(
        names,
        [
            StepName::Token,
            StepName::ServiceProviderConfig,
            StepName::Users,
            StepName::Schemas,
            StepName::AttributeMapping,
            StepName::Filter
        ]
    );
    assert!(report.ok);
    assert_eq!(json["dialect"], "goto", "{json:#}");
    let users = step(&report, StepName::Users);
    assert!(
        users.detail.contains(goto_scim::ADMIN_USER_NAME)
            && users.detail.contains(goto_scim::ADMIN_DISPLAY_NAME),
        "whose account: {}",
        users.detail
    );
    assert!(
        step(&report, StepName::ServiceProviderConfig)
            .detail
            .contains("GoTo"),
        "{}",
        step(&report, StepName::ServiceProviderConfig).detail
    );
    goto.assert_no_violations();
    assert!(
        report
            .steps
            .iter()
            .all(|s| !s.detail.contains(goto_scim::ADMIN_TOKEN))
    );
}

#[tokio::test]
async fn goto_dialect_rfc_paths_answer_404_and_goto_paths_are_used_instead() {
    let goto = GotoScim::start();
    let (report, _) = goto_test(&goto, goto_scim::ADMIN_TOKEN).await;
    assert!(report.ok, "{report:#?}");
    // The RFC 7644 path was asked first and answered 404; nothing else the description lacks.
    assert_eq!(goto.probes(), ["/ServiceProviderConfig"]);
    goto.assert_no_violations();
    let targets: Vec<String> = goto
        .server
        .requests
        .lock()
        .unwrap()
        .iter()
        .map(|r| r.target.clone())
        .collect();
    for path in ["/ServiceProviderConfigs", "/Users/me", "/Schemas/Users"] {
        assert!(
            targets.iter().any(|t| t == &format!("/identity/v1{path}")),
            "{path} in {targets:?}"
        );
    }
    // GoTo's config endpoint needs a token: it got one (so did every request GoTo describes;
    // only the RFC 7644 probe went without).
    for request in goto.server.requests.lock().unwrap().iter() {
        if request.target.ends_with("/ServiceProviderConfig") {
            continue;
        }
        assert!(
            request.headers.contains_key("authorization"),
            "{} without a token",
            request.target
        );
    }
}

#[tokio::test]
async fn goto_dialect_an_invalid_token_is_403_explained_as_invalid_or_expired() {
    let goto = GotoScim::start();
    let (report, json) = goto_test(&goto, "not-a-goto-token-31").await;
    assert!(!report.ok);
    assert_eq!(json["dialect"], "goto", "{json:#}");
    let users = step(&report, StepName::Users);
    assert_eq!(users.http_status, Some(403), "{users:?}");
    assert!(
        users.detail.contains("invalid or has expired") && users.detail.contains("authorize again"),
        "{}",
        users.detail
    );
    assert!(
        !users.detail.contains("lacks permission"),
        "GoTo's 403 is not a permission problem: {}",
        users.detail
    );
    goto.assert_no_violations();
    assert!(
        report
            .steps
            .iter()
            .all(|s| !s.detail.contains("not-a-goto-token-31"))
    );
}

#[tokio::test]
async fn goto_dialect_a_token_without_the_organization_role_is_401_explained_as_the_missing_admin_role()
 {
    let goto = GotoScim::start();
    let (report, json) = goto_test(&goto, goto_scim::NO_ROLE_TOKEN).await;
    assert!(!report.ok);
    assert_eq!(json["dialect"], "goto", "{json:#}");
    let users = step(&report, StepName::Users);
    assert!(!users.ok);
    assert_eq!(users.http_status, Some(401), "{users:?}");
    assert!(
        users.detail.contains("not an organization admin")
            && users.detail.contains("ROLE_ORG_READ")
            && users.detail.contains(goto_scim::MEMBER_USER_NAME),
        "{}",
        users.detail
    );
    assert!(
        !users.detail.contains("token is wrong"),
        "GoTo's 401 is not a bad token: {}",
        users.detail
    );
    goto.assert_no_violations();
}

#[tokio::test]
async fn goto_dialect_the_mapping_check_reads_gotos_user_schema_and_names_its_limits() {
    let goto = GotoScim::start();
    let (report, _) = goto_test(&goto, goto_scim::ADMIN_TOKEN).await;
    let schemas = step(&report, StepName::Schemas);
    assert!(
        schemas.ok && schemas.detail.contains("urn:scim:schemas:core:1.0:User"),
        "{}",
        schemas.detail
    );
    let mapping = step(&report, StepName::AttributeMapping);
    // Advice before the first sync: the step passes with a warning.
    assert!(mapping.ok && mapping.warning, "{mapping:?}");
    // GoTo's published user schema has name.givenName and name.familyName (as attribute
    // `name` with sub-attributes) but neither `active` nor the enterprise extension.
    for undeclared in [
        "active",
        "department",
        "employeeNumber",
        "costCenter",
        "division",
    ] {
        assert!(
            mapping.detail.contains(undeclared),
            "{undeclared}: {}",
            mapping.detail
        );
    }
    for declared in ["givenName", "familyName", "userName ("] {
        assert!(
            !mapping
                .detail
                .split("limits")
                .next()
                .unwrap_or_default()
                .contains(declared),
            "{declared} is declared by GoTo: {}",
            mapping.detail
        );
    }
    // The limits GoTo documents, from the project's data, agree with the contract.
    let contract = goto_scim::contract();
    let limits = &contract["limits"];
    for number in [
        limits["userName_max_chars"].to_string(),
        limits["givenName_max_chars"].to_string(),
    ] {
        assert!(
            mapping.detail.contains(&number),
            "{number}: {}",
            mapping.detail
        );
    }
    for words in ["ISO-639", "ISO-3166", "time zone", "organization's domains"] {
        assert!(
            mapping.detail.contains(words),
            "{words}: {}",
            mapping.detail
        );
    }
    goto.assert_no_violations();
}

#[tokio::test]
async fn goto_dialect_a_browser_token_refused_with_403_is_refreshed_once_and_used() {
    // GoTo refuses a stale token with 403 (not RFC 7644's 401): the test refreshes it at the
    // token endpoint, asks again with the new one, and hands the new tokens back.
    let goto = GotoScim::start();
    let oauth = TestServer::http(Arc::new(|request: &Request| {
        if request.method == "POST" && request.target.starts_with("/oauth/token") {
            Reply::ok(
                "application/json",
                format!(
                    r#"{{"access_token":"{}","token_type":"Bearer","expires_in":3600,"refresh_token":"goto-refresh-2"}}"#,
                    goto_scim::ADMIN_TOKEN
                ),
            )
        } else {
            Reply::status(404, "text/plain", "not here")
        }
    }));
    let credentials = Credentials::Authorized {
        endpoints: OAuthEndpoints {
            authorize_url: None,
            token_url: oauth.url("http", "/oauth/token"),
            client_id: "goto-client".into(),
            client_secret: Some(Secret::from("goto-client-secret")),
            scopes: Vec::new(),
        },
        tokens: TokenSet {
            access_token: Secret::from("stale-goto-access"),
            refresh_token: Some(Secret::from("goto-refresh-1")),
            expires_at: None,
        },
    };
    let (report, credentials, _) =
        test_with(&goto.base_url(), credentials, &goto_options(&goto)).await;
    for step in &report.steps {
        assert!(step.ok, "{:?}: {}", step.name, step.detail);
    }
    assert!(report.ok);
    let config = step(&report, StepName::ServiceProviderConfig);
    assert!(
        config.detail.contains("after refreshing the token"),
        "{}",
        config.detail
    );
    let Credentials::Authorized { tokens, .. } = &credentials else {
        panic!("still authorized credentials");
    };
    assert_eq!(tokens.access_token.expose(), goto_scim::ADMIN_TOKEN);
    assert_eq!(
        oauth
            .requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.method == "POST")
            .count(),
        1,
        "refreshed once"
    );
    goto.assert_no_violations();
}

#[tokio::test]
async fn an_endless_answer_is_cut_off_at_the_limit_not_read_whole() {
    // A server streaming far more than any SCIM or token answer, without a length: the test
    // stops reading at the limit and says so, for the SCIM calls and the token endpoint alike.
    let server = TestServer::http(Arc::new(|request: &Request| {
        if request.target.starts_with("/oauth/token") || request.target.contains("/Users") {
            Reply::Endless {
                size: 64 * 1024 * 1024,
            }
        } else {
            Reply::status(404, "text/plain", "not here")
        }
    }));
    let mut options = options();
    options.http.max_bytes = 256 * 1024;
    let mut progress = |_: &Step| {};
    let (report, _) = run_test(
        &server.url("http", "/scim/v2"),
        Credentials::BearerToken(Secret::from("endless-token")),
        &options,
        &mut progress,
    )
    .await;
    let users = step(&report, StepName::Users);
    assert!(!users.ok);
    assert!(
        users.detail.contains("larger than the limit"),
        "{}",
        users.detail
    );

    let endpoints = OAuthEndpoints {
        authorize_url: None,
        token_url: server.url("http", "/oauth/token"),
        client_id: "client".into(),
        client_secret: Some(Secret::from("secret")),
        scopes: Vec::new(),
    };
    let credentials = Credentials::ClientCredentials {
        endpoints,
        client_secret: Secret::from("secret"),
    };
    let (report, _) = run_test(
        &server.url("http", "/scim/v2"),
        credentials,
        &options,
        &mut progress,
    )
    .await;
    let token = step(&report, StepName::Token);
    assert!(!token.ok);
    assert!(
        token.detail.contains("larger than the limit"),
        "{}",
        token.detail
    );
}
