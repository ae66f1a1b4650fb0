//! Downloads against real HTTPS servers on 127.0.0.1 with their own test CA: every way a
//! metadata download fails is produced for real and must be named correctly, and nothing hangs.

mod common;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::certs::self_signed;
use common::metadata_xml::{self, APP_ID, TENANT};
use common::servers::{Reply, Request, TestPki, TestProxy, TestServer, closed_port};
use goto_sso_wizard::fetch::{self, DnsMode, FetchErrorKind, FetchOptions, ProxyMode};
use goto_sso_wizard::metadata::{EntityKind, ParseOptions};

const ENTRA_HOST: &str = "login.microsoftonline.com";

fn entra_path() -> String {
    format!("/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}")
}

/// Options that trust `pki`, pin the Entra host to `server`, and never touch a real resolver or proxy.
fn options(pki: &TestPki, server: SocketAddr) -> FetchOptions {
    FetchOptions {
        extra_ca_pem: Some(pki.ca_pem().as_bytes().to_vec()),
        proxy: ProxyMode::Direct,
        dns: DnsMode::Pinned(vec![(ENTRA_HOST.to_owned(), server)]),
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        ..FetchOptions::default()
    }
}

fn entra_url(server: &TestServer) -> String {
    format!(
        "https://{ENTRA_HOST}:{}{}",
        server.address.port(),
        entra_path()
    )
}

fn serve(pki: &TestPki, handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
    TestServer::https(
        &pki.server(&[ENTRA_HOST, "127.0.0.1"], -1, 30),
        Arc::new(handler),
    )
}

fn entra_document() -> String {
    let key = self_signed("Microsoft Azure Federated SSO Certificate", -1, 1000);
    metadata_xml::entra(&[key.base64()])
}

async fn failure(url: &str, options: &FetchOptions) -> fetch::FetchError {
    let started = Instant::now();
    let result = fetch::fetch_metadata(url, options, &ParseOptions::default()).await;
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "took {:?}",
        started.elapsed()
    );
    match result {
        Ok(fetched) => panic!(
            "expected a failure, got {} entities",
            fetched.metadata.entities.len()
        ),
        Err(error) => error,
    }
}

#[tokio::test]
async fn success_parses_the_metadata_and_records_redirects() {
    let pki = TestPki::new("Test Root CA");
    let document = entra_document();
    let server = serve(&pki, move |request| {
        if request.target.starts_with("/old") {
            Reply::redirect(&entra_path())
        } else {
            Reply::ok("application/xml; charset=utf-8", document.clone())
        }
    });
    let url = format!("https://{ENTRA_HOST}:{}/old", server.address.port());
    let fetched = fetch::fetch_metadata(
        &url,
        &options(&pki, server.address),
        &ParseOptions::default(),
    )
    .await
    .expect("download succeeds");
    assert_eq!(fetched.fetched.redirects.len(), 1);
    assert!(
        fetched
            .fetched
            .final_url
            .ends_with(&format!("appid={APP_ID}"))
    );
    assert_eq!(
        fetched.metadata.entities[0].entity_id,
        format!("https://sts.windows.net/{TENANT}/")
    );

    // The appid in the URL tells the application document from the tenant one.
    let direct = fetch::fetch_metadata(
        &entra_url(&server),
        &options(&pki, server.address),
        &ParseOptions::default(),
    )
    .await
    .expect("download succeeds");
    assert_eq!(direct.metadata.entities[0].kind, EntityKind::EntraApp);
    let requests = server.requests.lock().unwrap();
    assert!(requests.iter().all(|r| {
        r.headers
            .get("user-agent")
            .is_some_and(|ua| ua.starts_with("goto-sso-wizard/"))
    }));
}

#[tokio::test]
async fn an_unknown_issuer_suggests_the_ca_file() {
    let trusted = TestPki::new("Trusted CA");
    let inspection = TestPki::new("Corporate TLS Inspection CA");
    let server = TestServer::https(
        &inspection.server(&[ENTRA_HOST], -1, 30),
        Arc::new(|_: &Request| Reply::ok("application/xml", "<x/>")),
    );
    let error = failure(&entra_url(&server), &options(&trusted, server.address)).await;
    assert_eq!(error.kind, FetchErrorKind::TlsUnknownIssuer, "{error:?}");
    assert!(error.hint.contains("--ca-file"), "{}", error.hint);
    assert!(!error.chain.is_empty());

    // ...and with that CA trusted, the same server is fine as far as TLS goes.
    let error = failure(&entra_url(&server), &options(&inspection, server.address)).await;
    assert_eq!(error.kind, FetchErrorKind::NotMetadata, "{error:?}");
}

#[tokio::test]
async fn an_expired_server_certificate_is_named() {
    let pki = TestPki::new("Test CA");
    let server = TestServer::https(
        &pki.server(&[ENTRA_HOST], -400, -10),
        Arc::new(|_: &Request| Reply::ok("application/xml", "<x/>")),
    );
    let error = failure(&entra_url(&server), &options(&pki, server.address)).await;
    assert_eq!(error.kind, FetchErrorKind::TlsExpired, "{error:?}");
    assert!(error.hint.contains("date and time"));
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_hostname_mismatch() {
    let pki = TestPki::new("Test CA");
    let server = TestServer::https(
        &pki.server(&["portal.hotel-wifi.example"], -1, 30),
        Arc::new(|_: &Request| Reply::ok("application/xml", "<x/>")),
    );
    let error = failure(&entra_url(&server), &options(&pki, server.address)).await;
    assert_eq!(error.kind, FetchErrorKind::TlsHostname, "{error:?}");
}

#[tokio::test]
async fn a_slow_server_times_out_within_the_limit() {
    let pki = TestPki::new("Test CA");
    let server = serve(&pki, |_| Reply::Stall(Duration::from_secs(30)));
    let mut options = options(&pki, server.address);
    options.total_timeout = Duration::from_secs(1);
    let started = Instant::now();
    let error = failure(&entra_url(&server), &options).await;
    assert_eq!(error.kind, FetchErrorKind::Timeout, "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "gave up only after {:?}",
        started.elapsed()
    );
    assert!(error.message.contains("within 1 s"), "{}", error.message);
}

#[tokio::test]
async fn refused_connections_and_unknown_names() {
    let pki = TestPki::new("Test CA");
    let port = closed_port();
    let mut options = options(&pki, SocketAddr::from(([127, 0, 0, 1], port)));
    let url = format!("https://{ENTRA_HOST}:{port}{}", entra_path());
    let error = failure(&url, &options).await;
    assert_eq!(error.kind, FetchErrorKind::Connect, "{error:?}");
    assert!(error.message.contains("refused"), "{}", error.message);

    options.dns = DnsMode::Pinned(Vec::new());
    let error = failure(
        &format!("https://login.microsoftonlin.com/{TENANT}/"),
        &options,
    )
    .await;
    assert_eq!(error.kind, FetchErrorKind::Dns, "{error:?}");
    assert!(error.message.contains("login.microsoftonlin.com"));
}

#[tokio::test]
async fn redirect_loops_limits_and_downgrades_are_refused() {
    let pki = TestPki::new("Test CA");
    let plain = TestServer::http(Arc::new(|_: &Request| Reply::ok("application/xml", "<x/>")));
    let plain_url = plain.url("http", "/metadata.xml");
    let server = serve(&pki, move |request| match request.target.as_str() {
        "/a" => Reply::redirect("/b"),
        "/b" => Reply::redirect("/a"),
        "/down" => Reply::redirect(&plain_url),
        other => {
            // /hop/N goes to /hop/N+1 forever
            let n: u32 = other.trim_start_matches("/hop/").parse().unwrap_or(0);
            Reply::redirect(&format!("/hop/{}", n + 1))
        }
    });
    let base = format!("https://{ENTRA_HOST}:{}", server.address.port());
    let options = options(&pki, server.address);

    let error = failure(&format!("{base}/a"), &options).await;
    assert_eq!(error.kind, FetchErrorKind::Redirect, "{error:?}");
    assert!(error.message.contains("loop"), "{}", error.message);

    let error = failure(&format!("{base}/hop/0"), &options).await;
    assert_eq!(error.kind, FetchErrorKind::Redirect, "{error:?}");
    assert!(
        error.message.contains("more than 5 redirects"),
        "{}",
        error.message
    );

    let error = failure(&format!("{base}/down"), &options).await;
    assert_eq!(error.kind, FetchErrorKind::Redirect, "{error:?}");
    assert!(error.message.contains("unencrypted"), "{}", error.message);
    assert!(
        plain.requests.lock().unwrap().is_empty(),
        "the http URL must never be requested"
    );
}

#[tokio::test]
async fn huge_answers_are_cut_off_with_or_without_a_length() {
    let pki = TestPki::new("Test CA");
    let announced = vec![b' '; 3 * 1024 * 1024];
    let server = serve(&pki, move |request| {
        if request.target.starts_with("/endless") {
            Reply::Endless {
                size: 64 * 1024 * 1024,
            }
        } else {
            Reply::ok("application/xml", announced.clone())
        }
    });
    let mut options = options(&pki, server.address);
    options.max_bytes = 1024 * 1024;
    let base = format!("https://{ENTRA_HOST}:{}", server.address.port());
    for path in ["/announced", "/endless"] {
        let error = failure(&format!("{base}{path}"), &options).await;
        assert_eq!(error.kind, FetchErrorKind::TooLarge, "{path}: {error:?}");
    }
}

#[tokio::test]
async fn web_pages_empty_bodies_and_other_xml_are_not_metadata() {
    let pki = TestPki::new("Test CA");
    let server = serve(&pki, |request| match request.target.as_str() {
        "/portal" => Reply::ok(
            "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body>Accept the terms to use the Wi-Fi</body></html>",
        ),
        "/sniffed" => Reply::ok(
            "application/octet-stream",
            "\n  <html><head><title>Sign in</title></head></html>",
        ),
        "/empty" => Reply::ok("application/xml", ""),
        _ => Reply::ok(
            "application/xml",
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>",
        ),
    });
    let base = format!("https://{ENTRA_HOST}:{}", server.address.port());
    let options = options(&pki, server.address);
    for (path, kind) in [
        ("/portal", FetchErrorKind::HtmlPage),
        ("/sniffed", FetchErrorKind::HtmlPage),
        ("/empty", FetchErrorKind::Empty),
        ("/feed", FetchErrorKind::NotMetadata),
    ] {
        let error = failure(&format!("{base}{path}"), &options).await;
        assert_eq!(error.kind, kind, "{path}: {error:?}");
        assert_eq!(error.http_status.unwrap_or(200), 200);
    }
}

#[tokio::test]
async fn entra_error_pages_are_explained_with_their_aadsts_code() {
    let pki = TestPki::new("Test CA");
    let server = serve(&pki, |request| {
        if request.target.contains("contoso.con") {
            Reply::status(
                400,
                "text/html",
                "<html><body>AADSTS90002: Tenant 'contoso.con' not found. Check to make sure you have the correct tenant ID.</body></html>",
            )
        } else if request.target.contains("appid=") {
            Reply::status(
                400,
                "application/json",
                r#"{"error":"invalid_request","error_description":"AADSTS700016: Application with identifier 'x' was not found in the directory."}"#,
            )
        } else {
            Reply::status(503, "text/plain", "Service Unavailable")
        }
    });
    let base = format!("https://{ENTRA_HOST}:{}", server.address.port());
    let options = options(&pki, server.address);

    let error = failure(
        &format!("{base}/contoso.con/FederationMetadata/2007-06/FederationMetadata.xml"),
        &options,
    )
    .await;
    assert_eq!(error.kind, FetchErrorKind::HttpStatus);
    assert_eq!(error.http_status, Some(400));
    assert_eq!(error.aadsts.as_deref(), Some("AADSTS90002"));
    assert!(
        error.message.contains("tenant was not found"),
        "{}",
        error.message
    );
    assert!(error.hint.contains("typos"), "{}", error.hint);

    let error = failure(&format!("{base}{}", entra_path()), &options).await;
    assert_eq!(error.aadsts.as_deref(), Some("AADSTS700016"));
    assert!(error.hint.contains("Application ID"), "{}", error.hint);

    let error = failure(&format!("{base}/x"), &options).await;
    assert_eq!(
        (error.kind, error.http_status, error.aadsts.clone()),
        (FetchErrorKind::HttpStatus, Some(503), None)
    );
}

#[tokio::test]
async fn plain_http_to_another_computer_is_refused_unless_allowed() {
    let document = entra_document();
    let plain = TestServer::http(Arc::new(move |_: &Request| {
        Reply::ok("application/xml", document.clone())
    }));
    // The name resolves to this computer here, but the rule judges the URL as written: the same
    // name resolves elsewhere on a real network.
    let url = format!(
        "http://{ENTRA_HOST}:{}/FederationMetadata/2007-06/FederationMetadata.xml",
        plain.address.port()
    );
    let pki = TestPki::new("unused");
    let mut options = options(&pki, plain.address);
    let error = failure(&url, &options).await;
    assert_eq!(error.kind, FetchErrorKind::PlainHttp);
    assert!(
        error.message.contains("nothing was sent"),
        "{}",
        error.message
    );
    assert!(plain.requests.lock().unwrap().is_empty());

    options.allow_http = true;
    let fetched = fetch::fetch_metadata(&url, &options, &ParseOptions::default())
        .await
        .expect("allowed");
    assert!(
        fetched
            .fetched
            .warnings
            .iter()
            .any(|w| w.contains("plain HTTP"))
    );
}

#[tokio::test]
async fn plain_http_to_this_computer_needs_no_option() {
    let document = entra_document();
    let plain = TestServer::http(Arc::new(move |_: &Request| {
        Reply::ok("application/xml", document.clone())
    }));
    let pki = TestPki::new("unused");
    let options = options(&pki, plain.address);
    for host in ["127.0.0.1", "localhost"] {
        let url = format!(
            "http://{host}:{}/FederationMetadata/2007-06/FederationMetadata.xml",
            plain.address.port()
        );
        let options = FetchOptions {
            dns: DnsMode::Pinned(vec![("localhost".to_owned(), plain.address)]),
            ..options.clone()
        };
        fetch::fetch_metadata(&url, &options, &ParseOptions::default())
            .await
            .unwrap_or_else(|error| panic!("{url}: {error}"));
    }
    assert_eq!(plain.requests.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_redirect_from_this_computer_to_plain_http_elsewhere_is_refused() {
    let document = entra_document();
    let target = TestServer::http(Arc::new(move |_: &Request| {
        Reply::ok("application/xml", document.clone())
    }));
    let elsewhere = format!("http://{ENTRA_HOST}:{}/metadata.xml", target.address.port());
    let local = TestServer::http(Arc::new(move |_: &Request| Reply::redirect(&elsewhere)));
    let pki = TestPki::new("unused");
    let options = options(&pki, target.address);
    let error = failure(&local.url("http", "/start"), &options).await;
    assert_eq!(error.kind, FetchErrorKind::Redirect);
    assert!(
        error.message.contains("not on this computer"),
        "{}",
        error.message
    );
    assert_eq!(local.requests.lock().unwrap().len(), 1);
    assert!(target.requests.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_explicit_proxy_carries_the_request() {
    let pki = TestPki::new("Test CA");
    let document = entra_document();
    let server = serve(&pki, move |_| {
        Reply::ok("application/xml", document.clone())
    });
    let proxy = TestProxy::to(server.address);
    let mut options = options(&pki, server.address);
    // The name resolves to a closed port: only the proxy can reach the server.
    options.dns = DnsMode::Pinned(vec![(
        ENTRA_HOST.to_owned(),
        SocketAddr::from(([127, 0, 0, 1], closed_port())),
    )]);
    options.proxy = ProxyMode::Explicit(proxy.url());
    let url = format!(
        "https://{ENTRA_HOST}/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
    );
    let fetched = fetch::fetch_metadata(&url, &options, &ParseOptions::default())
        .await
        .expect("through the proxy");
    assert_eq!(fetched.metadata.entities.len(), 1);
    assert_eq!(
        proxy.asked.lock().unwrap().as_slice(),
        [format!("{ENTRA_HOST}:443")]
    );
}

#[tokio::test]
async fn a_bad_ca_file_is_reported_before_connecting() {
    let options = FetchOptions {
        extra_ca_pem: Some(b"not a certificate".to_vec()),
        proxy: ProxyMode::Direct,
        dns: DnsMode::Pinned(Vec::new()),
        ..FetchOptions::default()
    };
    let error = failure("https://login.microsoftonline.com/x/", &options).await;
    assert_eq!(error.kind, FetchErrorKind::CaFile, "{error:?}");
}

#[tokio::test]
async fn dropping_the_download_cancels_it_promptly() {
    let pki = TestPki::new("Test CA");
    let server = serve(&pki, |_| Reply::Stall(Duration::from_secs(30)));
    let options = options(&pki, server.address);
    let url = entra_url(&server);
    let parse = ParseOptions::default();
    let download = fetch::fetch_metadata(&url, &options, &parse);
    let started = Instant::now();
    let outcome = tokio::time::timeout(Duration::from_millis(300), download).await;
    assert!(
        outcome.is_err(),
        "the stalled download cannot have finished"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}
