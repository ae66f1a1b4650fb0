//! The real binary downloading metadata from real HTTPS servers on 127.0.0.1, and building
//! metadata URLs, as an admin would run it.

mod common;

use std::sync::Arc;

use common::certs::self_signed;
use common::cli::{json_of, wizard};
use common::metadata_xml::{self, APP_ID, TENANT};
use common::servers::{Reply, Request, TestPki, TestProxy, TestServer, closed_port};
use predicates::prelude::*;

const HOST: &str = "login.microsoftonline.com";

struct Setup {
    pki: TestPki,
    server: TestServer,
    ca_file: tempfile::NamedTempFile,
}

impl Setup {
    fn new(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Self {
        let pki = TestPki::new("CLI Test CA");
        let server = TestServer::https(&pki.server(&[HOST], -1, 30), Arc::new(handler));
        let ca_file = tempfile::NamedTempFile::new().expect("temp file");
        std::fs::write(ca_file.path(), pki.ca_pem()).expect("write CA");
        Self {
            pki,
            server,
            ca_file,
        }
    }

    fn url(&self) -> String {
        format!(
            "https://{HOST}:{}/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}",
            self.server.address.port()
        )
    }

    fn resolve(&self) -> String {
        format!("{HOST}:127.0.0.1")
    }
}

fn document() -> String {
    metadata_xml::entra(&[
        self_signed("Microsoft Azure Federated SSO Certificate", -1, 1000).base64(),
    ])
}

#[test]
fn inspect_downloads_with_the_ca_file_and_gives_advice() {
    let body = document();
    let setup = Setup::new(move |_| Reply::ok("application/xml", body.clone()));
    let output = wizard()
        .args([
            "metadata",
            "inspect",
            &setup.url(),
            "--json",
            "--resolve",
            &setup.resolve(),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["entities"][0]["kind"], "entra-app");
    assert_eq!(json["source"]["final_url"], setup.url());
    assert!(
        json["advice"][0]
            .as_str()
            .unwrap()
            .contains("GoTo must get signing certificate [1]")
    );

    wizard()
        .args([
            "metadata",
            "inspect",
            &setup.url(),
            "--resolve",
            &setup.resolve(),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "Downloaded: https://login.microsoftonline.com:",
        ))
        .stdout(predicate::str::contains("For GoTo:"));
}

#[test]
fn failures_are_json_with_kind_hint_status_and_aadsts() {
    let setup = Setup::new(|_| {
        Reply::status(
            400,
            "text/html",
            "<html>AADSTS700016: Application with identifier 'x' was not found</html>",
        )
    });
    // Without the CA file: the certificate is not trusted.
    let output = wizard()
        .args([
            "metadata",
            "inspect",
            &setup.url(),
            "--json",
            "--resolve",
            &setup.resolve(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("what to do:"));
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["error"]["kind"], "tls_unknown_issuer");
    assert!(
        json["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("--ca-file")
    );
    assert!(json["error"]["http_status"].is_null());

    // With it: Entra's error page, explained.
    let output = wizard()
        .args([
            "metadata",
            "inspect",
            &setup.url(),
            "--json",
            "--resolve",
            &setup.resolve(),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .code(1);
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["error"]["kind"], "http_status");
    assert_eq!(json["error"]["http_status"], 400);
    assert_eq!(json["error"]["aadsts"], "AADSTS700016");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no application with that identifier")
    );
    drop(setup.pki);
}

#[test]
fn a_slow_server_gives_up_at_the_timeout() {
    let setup = Setup::new(|_| Reply::Stall(std::time::Duration::from_secs(60)));
    let started = std::time::Instant::now();
    let output = wizard()
        .args([
            "metadata",
            "inspect",
            &setup.url(),
            "--json",
            "--timeout",
            "1",
            "--resolve",
            &setup.resolve(),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .code(1);
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert_eq!(
        json_of(&output.get_output().stdout)["error"]["kind"],
        "timeout"
    );
}

#[test]
fn https_proxy_from_the_environment_is_used() {
    let body = document();
    let setup = Setup::new(move |_| Reply::ok("application/xml", body.clone()));
    let proxy = TestProxy::to(setup.server.address);
    // The host resolves to a closed port: only the proxy can reach the server.
    let url = format!(
        "https://{HOST}/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
    );
    wizard()
        .env("HTTPS_PROXY", proxy.url())
        .args([
            "metadata",
            "inspect",
            &url,
            "--json",
            "--resolve",
            &format!("{HOST}:127.0.0.1:{}", closed_port()),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .success();
    assert_eq!(
        proxy.asked.lock().unwrap().as_slice(),
        [format!("{HOST}:443")]
    );

    // --no-proxy ignores it, and then the closed port answers.
    wizard()
        .env("HTTPS_PROXY", proxy.url())
        .args([
            "metadata",
            "inspect",
            &url,
            "--no-proxy",
            "--resolve",
            &format!("{HOST}:127.0.0.1"),
            "--ca-file",
        ])
        .arg(setup.ca_file.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("refused"));
    assert_eq!(proxy.asked.lock().unwrap().len(), 1);
}

#[test]
fn plain_http_elsewhere_needs_the_option() {
    let body = document();
    let server = TestServer::http(Arc::new(move |_: &Request| {
        Reply::ok("application/xml", body.clone())
    }));
    let url = format!(
        "http://metadata.example.test:{}/FederationMetadata/2007-06/FederationMetadata.xml",
        server.address.port()
    );
    let resolve = "metadata.example.test:127.0.0.1";
    wizard()
        .args(["metadata", "inspect", &url, "--resolve", resolve, "--json"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(r#""kind":"plain_http""#));
    assert!(server.requests.lock().unwrap().is_empty());
    wizard()
        .args(["metadata", "inspect", &url, "--resolve", resolve])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("plain http://"));
    wizard()
        .args([
            "metadata",
            "inspect",
            &url,
            "--resolve",
            resolve,
            "--allow-http",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("plain HTTP"));
    // On this computer plain HTTP needs no option.
    wizard()
        .args(["metadata", "inspect", &server.url("http", "/m.xml")])
        .assert()
        .success();
}

#[test]
fn metadata_url_builds_and_explains() {
    let output = wizard()
        .args([
            "metadata",
            "url",
            "--tenant",
            "Contoso.com",
            "--app-id",
            &format!("{{{}}}", APP_ID.to_uppercase()),
            "--json",
        ])
        .assert()
        .success();
    let json = json_of(&output.get_output().stdout);
    assert_eq!(
        json["url"],
        format!(
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
        )
    );
    assert_eq!(json["tenant"], "contoso.com");
    assert_eq!(json["app_id"], APP_ID);
    assert_eq!(json["cloud"], "global");
    assert!(json["warnings"].as_array().unwrap().is_empty());

    wizard()
        .args(["metadata", "url", "--tenant", TENANT, "--cloud", "usgov"])
        .assert()
        .success()
        .stdout(format!("https://login.microsoftonline.us/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml\n"))
        .stderr(predicate::str::contains("tenant-wide"));

    let output = wizard()
        .args([
            "metadata",
            "url",
            "--tenant",
            TENANT,
            "--app-id",
            "not-a-guid",
            "--json",
        ])
        .assert()
        .code(1);
    let json = json_of(&output.get_output().stdout);
    assert_eq!(json["error"]["kind"], "invalid_app_id");
    assert!(
        json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Properties")
    );

    wizard().args(["metadata", "url"]).assert().code(2);
    wizard()
        .args(["metadata", "url", "--tenant", "x", "--cloud", "mars"])
        .assert()
        .code(2);
}
