//! `diagnose --redact`, run as support staff would before attaching the result to a ticket:
//! unique strings (canaries) are planted in every place of a response and of a capture that
//! holds personal data, and every output form — text, `--show-xml`, `--json`, the Markdown and
//! the HTML report — is searched for each of them and for their escaped forms.

mod common;

use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use common::cli::wizard;
use common::saml::{self, ResponseSpec};
use time::OffsetDateTime;

/// Every canary carries this: no output of a redacted run may contain it at all.
const MARK: &str = "QZ";

/// A status message as Entra writes it, naming the user, with markup in it.
const STATUS_MESSAGE: &str = "AADSTS50105: The signed in user 'QZSTATUSMAIL@contoso.com' is blocked because QZSTATUSTEXT <b>is not assigned</b>.";

/// The planted values: (what, value as the message carries it once decoded).
fn canaries() -> Vec<(&'static str, &'static str)> {
    vec![
        ("NameID", "QZNAMEID"),
        ("attribute value with & (escaped as &amp;)", "QZR&QZD"),
        ("attribute value with quotes", "say \"QZQUOTED\" loud"),
        ("attribute value with < >", "<QZANGLE>"),
        ("short attribute value", "QZ"),
        ("status message user", "QZSTATUSMAIL@contoso.com"),
        ("status message text", "QZSTATUSTEXT"),
        ("SubjectConfirmationData@Address", "203.0.113.77"),
        ("SubjectLocality@Address", "198.51.100.23"),
        ("SubjectLocality@DNSName", "QZHOST.example.net"),
        ("SessionIndex", "_QZSESSION"),
        ("query string of the AuthnRequest URL", "QZHINT"),
        ("query string of the reply URL", "QZQUERY"),
    ]
}

/// The forms a value can take in an output: as is, XML/HTML-escaped, JSON- and Rust-escaped,
/// URL-encoded, Markdown-escaped.
fn forms(value: &str) -> Vec<String> {
    let xml = value
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    let json = serde_json::to_string(value).unwrap();
    let debug = format!("{value:?}");
    let url: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    let markdown = value.replace('<', "&lt;").replace('_', "\\_");
    let mut all = vec![
        value.to_owned(),
        xml.clone(),
        xml.replace('"', "&#34;").replace("&quot;", "&#34;"),
        value.replace('&', "&amp;").replace('\'', "&#39;"),
        json.trim_matches('"').to_owned(),
        debug.trim_matches('"').to_owned(),
        url,
        markdown,
    ];
    // Each alphanumeric piece on its own (a partial leak is a leak).
    all.extend(
        value
            .split(|c: char| !c.is_alphanumeric() && c != '.')
            .filter(|piece| piece.contains(MARK))
            .map(str::to_owned),
    );
    all.sort();
    all.dedup();
    all
}

/// An unsigned response carrying a canary in every personal place.
fn response_xml(spec: &ResponseSpec) -> String {
    let xml = saml::build_response(spec);
    let xml = saml::replace_once(
        &xml,
        "<SubjectConfirmationData",
        "<SubjectConfirmationData Address=\"203.0.113.77\"",
    );
    saml::replace_once(
        &xml,
        "<AuthnContext>",
        "<SubjectLocality Address=\"198.51.100.23\" DNSName=\"QZHOST.example.net\"/><AuthnContext>",
    )
}

fn spec() -> ResponseSpec {
    let mut spec = ResponseSpec::healthy();
    spec.sign_assertion = None;
    spec.name_id = "QZNAMEID".to_owned();
    spec.status_code = "urn:oasis:names:tc:SAML:2.0:status:Responder".to_owned();
    spec.status_message = Some(STATUS_MESSAGE.to_owned());
    spec.session_index = "_QZSESSION".to_owned();
    spec.attributes = vec![
        (
            "http://schemas.microsoft.com/ws/2008/06/identity/claims/department".to_owned(),
            vec!["QZR&QZD".to_owned()],
        ),
        (
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname".to_owned(),
            vec!["say \"QZQUOTED\" loud".to_owned(), "<QZANGLE>".to_owned()],
        ),
        ("initials".to_owned(), vec!["QZ".to_owned()]),
    ];
    spec
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn deflated_b64(text: &str) -> String {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    b64(&encoder.finish().unwrap())
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn authn_request(id: &str) -> String {
    format!(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="{id}" Version="2.0" IssueInstant="2026-01-01T00:00:00Z"/>"#
    )
}

fn request_url(spec: &ResponseSpec) -> String {
    format!(
        "https://login.microsoftonline.com/tenant/saml2?SAMLRequest={}&login_hint=QZHINT%40contoso.com",
        url_encode(&deflated_b64(&authn_request(
            spec.in_response_to.as_deref().unwrap()
        )))
    )
}

const REPLY_URL: &str = "https://authentication.logmeininc.com/saml/acs?QZQUERY=1";

/// A HAR: the redirect to Entra with the AuthnRequest, then the POST to GoTo's reply URL.
fn har(spec: &ResponseSpec) -> String {
    let now = OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    serde_json::json!({"log": {"entries": [
        {"startedDateTime": now, "request": {"method": "GET", "url": request_url(spec)}},
        {"startedDateTime": now, "request": {"method": "POST", "url": REPLY_URL,
            "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [
                {"name": "SAMLResponse", "value": url_encode(&b64(response_xml(spec).as_bytes()))},
                {"name": "RelayState", "value": url_encode("https://global.gotomeeting.com")}
            ]}}}
    ]}})
    .to_string()
}

/// A SAML-tracer export of the same sign-in.
fn saml_tracer(spec: &ResponseSpec) -> String {
    serde_json::json!({"requests": [
        {"method": "GET", "url": request_url(spec)},
        {"method": "POST", "url": REPLY_URL,
         "post": [["SAMLResponse", b64(response_xml(spec).as_bytes())],
                  ["RelayState", "https://global.gotomeeting.com"]]}
    ]})
    .to_string()
}

/// Every output form of `diagnose` on `capture`: (name, text).
fn outputs(capture: &Path, redact: bool) -> Vec<(String, String)> {
    let folder = capture.parent().unwrap();
    let mut all = Vec::new();
    for (name, extra) in [
        ("text with --show-xml", vec!["--show-xml"]),
        ("--json", vec!["--json"]),
        // The AuthnRequest, whose URL carries it in the query string.
        (
            "the request's text with --show-xml",
            vec!["--show-xml", "--message", "1"],
        ),
        ("the request's --json", vec!["--json", "--message", "1"]),
    ] {
        let mut command = wizard();
        command.arg("diagnose").arg(capture).args(extra);
        if redact {
            command.arg("--redact");
        }
        let output = command.output().unwrap();
        assert!(
            matches!(output.status.code(), Some(3 | 4)),
            "{name}: {output:?}"
        );
        all.push((
            name.to_owned(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        ));
        all.push((
            format!("{name} (standard error)"),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        ));
    }
    for extension in ["md", "html"] {
        let report = folder.join(format!("report-{redact}.{extension}"));
        let mut command = wizard();
        command
            .arg("diagnose")
            .arg(capture)
            .arg("--report")
            .arg(&report);
        if redact {
            command.arg("--redact");
        }
        let output = command.output().unwrap();
        assert!(matches!(output.status.code(), Some(3 | 4)), "{output:?}");
        all.push((
            format!("{extension} report"),
            std::fs::read_to_string(&report).unwrap(),
        ));
    }
    all
}

fn check_capture(kind: &str, capture_text: &str) {
    let folder = tempfile::tempdir().unwrap();
    let capture = folder.path().join(format!("capture.{kind}.json"));
    std::fs::write(&capture, capture_text).unwrap();

    // Without --redact every canary reaches some output: the places are real.
    let plain = outputs(&capture, false);
    for (what, value) in canaries() {
        assert!(
            plain.iter().any(
                |(_, text)| text.contains(value) || text.contains(&value.replace('&', "&amp;"))
            ),
            "{kind}: the canary for {what} ({value}) reaches no output even unredacted"
        );
    }

    let mut leaks = Vec::new();
    for (output, text) in outputs(&capture, true) {
        for (what, value) in canaries() {
            for form in forms(value) {
                if text.contains(&form) {
                    leaks.push(format!("{output}: {what} as {form:?}"));
                }
            }
        }
        if text.contains(MARK) {
            let at = text.find(MARK).unwrap();
            let context = &text[at.saturating_sub(60)..(at + 40).min(text.len())];
            leaks.push(format!("{output}: {MARK} in …{context}…"));
        }
        if !output.ends_with("(standard error)") && !output.starts_with("the request's") {
            assert!(
                text.contains("idp_error_status"),
                "{kind} {output}: the redacted output still names the root cause:\n{text}"
            );
        }
    }
    leaks.dedup();
    assert!(
        leaks.is_empty(),
        "{kind}: redacted outputs leak:\n{}",
        leaks.join("\n")
    );
}

#[test]
fn redaction_removes_every_canary_from_a_har_in_every_output() {
    check_capture("har", &har(&spec()));
}

#[test]
fn redaction_removes_every_canary_from_a_saml_tracer_export_in_every_output() {
    check_capture("saml-tracer", &saml_tracer(&spec()));
}
