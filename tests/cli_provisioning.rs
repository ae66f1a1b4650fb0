//! `provisioning test` run as an admin would, against the real SCIM and OAuth peers.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command as StdCommand, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::cli::{json_of, wizard};
use common::peers::{start_oauth, start_scim, start_scim_with_introspection};
use common::servers::{Reply, Request, TestServer};
use predicates::prelude::*;

#[test]
fn a_good_token_gives_the_promised_json_and_exit_0() {
    let scim = start_scim("cli-good-token");
    let output = wizard()
        .env("SCIM_TOKEN", "cli-good-token")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.base_url(),
            "--token-env",
            "SCIM_TOKEN",
            "--allow-http",
            "--json",
        ])
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["ok"], true);
    let steps = json["steps"].as_array().expect("steps");
    let names: Vec<&str> = steps.iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "token",
            "service_provider_config",
            "users",
            "schemas",
            "attribute_mapping",
            "filter"
        ]
    );
    for step in steps {
        assert!(
            step["ok"].is_boolean() && step["latency_ms"].is_u64() && step["detail"].is_string()
        );
        assert!(step.get("http_status").is_some());
    }
    let text = String::from_utf8_lossy(&output.get_output().stdout).into_owned();
    assert!(
        !text.contains("cli-good-token"),
        "the token must never be printed"
    );
}

#[test]
fn a_bad_token_exits_1_and_never_prints_the_secret() {
    let scim = start_scim("the-right-one");
    let assert = wizard()
        .env("SCIM_TOKEN", "very-secret-wrong-token")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.base_url(),
            "--token-env",
            "SCIM_TOKEN",
            "--allow-http",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL  Read users"))
        .stdout(predicate::str::contains("Connection test failed"));
    let output = assert.get_output();
    for stream in [&output.stdout, &output.stderr] {
        assert!(!String::from_utf8_lossy(stream).contains("very-secret-wrong-token"));
    }
}

#[test]
fn secrets_only_come_from_the_environment() {
    wizard()
        .env_remove("NO_SUCH_VARIABLE")
        .args([
            "provisioning",
            "test",
            "--base-url",
            "https://scim.example.invalid/v2",
            "--token-env",
            "NO_SUCH_VARIABLE",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("NO_SUCH_VARIABLE"))
        .stderr(predicate::str::contains(
            "never taken from the command line",
        ));
    // Two methods at once, or none, is a usage error.
    wizard()
        .args([
            "provisioning",
            "test",
            "--base-url",
            "https://x.invalid/",
            "--token-env",
            "A",
            "--authorize",
        ])
        .assert()
        .code(2);
    wizard()
        .args(["provisioning", "test", "--base-url", "https://x.invalid/"])
        .assert()
        .code(2);
}

#[test]
fn client_credentials_from_the_cli() {
    let oauth = start_oauth("cli-client", "cli-secret", &[]);
    let scim = start_scim_with_introspection("x-static", &oauth);
    wizard()
        .env("CLIENT_SECRET", "cli-secret")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.base_url(),
            "--client-id",
            "cli-client",
            "--client-secret-env",
            "CLIENT_SECRET",
            "--token-url",
            &oauth.token_url(),
            "--allow-http",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("PASS  Token"))
        .stdout(predicate::str::contains("got an access token"));
}

#[test]
fn authorize_in_the_browser_from_the_cli() {
    let oauth = start_oauth("cli-browser", "cli-browser-secret", &[]);
    let scim = start_scim_with_introspection("y-static", &oauth);
    let binary = assert_cmd::cargo::cargo_bin("goto-sso-wizard");
    let mut child = StdCommand::new(binary)
        .env("CLIENT_SECRET", "cli-browser-secret")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.base_url(),
            "--authorize",
            "--no-browser",
            "--client-id",
            "cli-browser",
            "--client-secret-env",
            "CLIENT_SECRET",
            "--authorize-url",
            &format!("{}/auth", oauth.base_url()),
            "--token-url",
            &oauth.token_url(),
            "--scope",
            "scim",
            "--allow-http",
            "--json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the wizard");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut url = String::new();
    let mut seen = String::new();
    for _ in 0..10 {
        let mut line = String::new();
        stderr.read_line(&mut line).expect("read");
        seen.push_str(&line);
        if line.starts_with("http://127.0.0.1:") {
            url = line.trim().to_owned();
            break;
        }
    }
    assert!(
        !url.is_empty(),
        "the authorization URL was printed; stderr: {seen}"
    );
    // Play the browser: follow the authorization server to the local callback, keeping cookies.
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .no_proxy()
            .build()
            .unwrap();
        let landed = tokio::time::timeout(Duration::from_secs(20), browser.get(&url).send())
            .await
            .expect("in time")
            .expect("the chain");
        assert_eq!(landed.url().path(), "/callback");
    });
    let output = child.wait_with_output().expect("finish");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert_eq!(json_of(&output.stdout)["ok"], true);
}

#[test]
fn remember_then_saved_then_forget_keeps_the_secret_out_of_the_settings() {
    let scim = start_scim("remembered-token-42");
    let config = tempfile::tempdir().expect("config dir");
    let with_config = || {
        let mut command = wizard();
        command.env("GOTO_SSO_CONFIG_DIR", config.path());
        command
    };
    with_config()
        .env("SCIM_TOKEN", "remembered-token-42")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.base_url(),
            "--token-env",
            "SCIM_TOKEN",
            "--allow-http",
            "--remember",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("saved: the secret in the"));
    let settings =
        std::fs::read_to_string(config.path().join("settings.json")).expect("settings written");
    assert!(
        settings.contains("bearer_token") && settings.contains(&scim.base_url()),
        "{settings}"
    );
    assert!(
        !settings.contains("remembered-token-42"),
        "the secret must never reach the settings file"
    );

    // No environment variable now: the secret comes from the keyring.
    with_config()
        .env_remove("SCIM_TOKEN")
        .args(["provisioning", "test", "--saved", "--allow-http", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"ok\": true"))
        .stdout(predicate::str::contains("remembered-token-42").not());

    with_config()
        .args(["credentials", "forget"])
        .assert()
        .success()
        .stdout(predicate::str::contains("forgot the provisioning secret"));
    with_config()
        .args(["provisioning", "test", "--saved", "--allow-http"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--remember first"));
    with_config()
        .args(["credentials", "forget"])
        .assert()
        .success()
        .stdout(predicate::str::contains("no saved credentials"));
}

/// Standard output and standard error together.
fn everything_said(output: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A plain-HTTP server that records every request and answers like a SCIM server would (a 200
/// with a token for the token URL), so that a request reaching it is visible.
fn recording_plain_server() -> TestServer {
    TestServer::http(Arc::new(|request: &Request| {
        if request.target.contains("token") {
            Reply::ok(
                "application/json",
                r#"{"access_token":"leaked","token_type":"Bearer","expires_in":3600}"#,
            )
        } else {
            Reply::ok(
                "application/scim+json",
                r#"{"Resources":[],"totalResults":0}"#,
            )
        }
    }))
}

#[test]
fn a_bearer_token_is_never_sent_over_plain_http_to_a_named_host() {
    let server = recording_plain_server();
    let base = format!("http://scim.example.test:{}/scim/v2", server.address.port());
    let test = |extra: &[&str]| {
        let mut command = wizard();
        command
            .env("SCIM_TOKEN", "bearer-must-stay-home")
            .args(["provisioning", "test", "--base-url", &base])
            .args(["--token-env", "SCIM_TOKEN"])
            .args(["--resolve", "scim.example.test:127.0.0.1"])
            .args(extra);
        command
    };
    let assert = test(&[]).assert().code(1);
    let said = everything_said(assert.get_output());
    assert!(said.contains("plain http://"), "{said}");
    assert!(said.contains("--allow-http"), "{said}");
    assert!(
        server.requests.lock().unwrap().is_empty(),
        "nothing may reach a plain-HTTP host that is not this computer"
    );

    // With the explicit option the same command does reach it: the refusal above was the policy.
    test(&["--allow-http"]).output().expect("ran");
    assert!(!server.requests.lock().unwrap().is_empty());
}

#[test]
fn a_client_secret_is_never_sent_over_plain_http_to_a_named_token_url() {
    let server = recording_plain_server();
    let scim = TestServer::http(Arc::new(|_: &Request| Reply::ok("application/json", "{}")));
    let token_url = format!(
        "http://auth.example.test:{}/oauth/token",
        server.address.port()
    );
    let assert = wizard()
        .env("CLIENT_SECRET", "secret-must-stay-home")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &scim.url("http", "/scim/v2"),
            "--client-id",
            "wizard",
            "--client-secret-env",
            "CLIENT_SECRET",
            "--token-url",
            &token_url,
            "--resolve",
            "auth.example.test:127.0.0.1",
        ])
        .assert()
        .code(1);
    let said = everything_said(assert.get_output());
    assert!(said.contains("plain http://"), "{said}");
    assert!(server.requests.lock().unwrap().is_empty());
    assert!(scim.requests.lock().unwrap().is_empty());
}

#[test]
fn plain_http_on_this_computer_needs_no_option() {
    let server = recording_plain_server();
    wizard()
        .env("SCIM_TOKEN", "loopback-token")
        .args([
            "provisioning",
            "test",
            "--base-url",
            &server.url("http", "/scim/v2"),
            "--token-env",
            "SCIM_TOKEN",
        ])
        .output()
        .expect("ran");
    assert!(!server.requests.lock().unwrap().is_empty());
}
