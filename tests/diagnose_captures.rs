//! Captures are bounded and forgiving: a message that cannot be decoded (junk, a truncated
//! `SAMLRequest` in a URL, a deflate bomb) is skipped with a note and the response that can be
//! read is still diagnosed; the number of messages and the bytes decoding may produce are capped.
//! (Peak memory is measured, not asserted: see docs/performance.md.)

use std::io::Write;

use base64::Engine as _;
use goto_sso_wizard::diagnose::{
    self, CheckTime, DecodeError, Diagnosis, Expected, MAX_DECODED_BYTES, MAX_MESSAGE_BYTES,
    MAX_MESSAGES, RootCause,
};
use serde_json::{Value, json};
use time::OffsetDateTime;

const RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_good" Version="2.0" IssueInstant="2026-03-02T08:15:00Z"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/><samlp:StatusMessage>AADSTS50105: not assigned</samlp:StatusMessage></samlp:Status></samlp:Response>"#;

const REQUEST: &str = r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_req_in_capture" Version="2.0" IssueInstant="2026-03-02T08:14:00Z"/>"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn deflated(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn time() -> CheckTime {
    CheckTime {
        now: OffsetDateTime::parse(
            "2026-03-02T08:16:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap(),
        given: true,
    }
}

fn post(value: &str) -> Value {
    json!({"request": {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
        "postData": {"mimeType": "application/x-www-form-urlencoded",
            "params": [{"name": "SAMLResponse", "value": url_encode(value)}]}}})
}

fn get_with_request(value: &str) -> Value {
    json!({"request": {"method": "GET",
        "url": format!("https://login.microsoftonline.com/t/saml2?SAMLRequest={}", url_encode(value))}})
}

fn har(entries: Vec<Value>) -> Vec<u8> {
    json!({"log": {"version": "1.2", "entries": entries}})
        .to_string()
        .into_bytes()
}

fn diagnose(capture: &[u8]) -> Result<Diagnosis, DecodeError> {
    diagnose::diagnose(capture, &Expected::published(), time())
}

fn skip_notes(diagnosis: &Diagnosis) -> Vec<&str> {
    diagnosis
        .findings
        .iter()
        .filter(|f| f.id.id() == "message_skipped")
        .map(|f| f.message.as_str())
        .collect()
}

/// A deflated SAMLResponse that inflates to more than a message may be.
fn bomb() -> String {
    let mut xml = b"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">".to_vec();
    xml.resize(MAX_MESSAGE_BYTES + 1024, b' ');
    b64(&deflated(&xml))
}

#[test]
fn junk_entries_and_a_truncated_request_are_skipped_with_a_note() {
    let request = b64(&deflated(REQUEST.as_bytes()));
    let truncated = &request[..request.len() / 2];
    let capture = har(vec![
        json!(42),
        json!({"request": "junk"}),
        json!({"request": {"method": ["GET"], "url": {"not": "a string"}, "postData": 7}}),
        get_with_request(&request),
        get_with_request(truncated),
        post(&b64(RESPONSE.as_bytes())),
        post("%%% not base64 %%%"),
    ]);
    let diagnosis = diagnose(&capture).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diagnosis.root_cause, Some(RootCause::IdpErrorStatus));
    assert_eq!(diagnosis.summary.capture.messages_in_capture, 4);
    let notes = skip_notes(&diagnosis);
    assert_eq!(notes.len(), 2, "{:?}", diagnosis.findings);
    assert!(
        notes[0].starts_with("Message 2 (HAR entry 5: GET"),
        "{notes:?}"
    );
    assert!(
        notes[1].starts_with("Message 4 (HAR entry 7: POST"),
        "{notes:?}"
    );
}

#[test]
fn a_deflate_bomb_entry_is_capped_and_skipped() {
    let capture = har(vec![post(&b64(RESPONSE.as_bytes())), post(&bomb())]);
    assert!(
        capture.len() < 100_000,
        "the bomb is small: {}",
        capture.len()
    );
    let diagnosis = diagnose(&capture).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diagnosis.root_cause, Some(RootCause::IdpErrorStatus));
    let notes = skip_notes(&diagnosis);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("larger than"), "{notes:?}");
}

#[test]
fn many_bombs_spend_the_budget_and_stop() {
    let bomb = bomb();
    let entries = (0..20).map(|_| post(&bomb)).collect();
    let error = diagnose(&har(entries)).unwrap_err();
    assert_eq!(
        error,
        DecodeError::DecodeBudgetExhausted {
            limit: MAX_DECODED_BYTES
        }
    );
}

#[test]
fn only_the_checked_message_is_decoded() {
    // Seven responses of nearly the largest size: all of them decoded would be twice the budget.
    let mut xml = RESPONSE.replace("</samlp:Response>", "").into_bytes();
    xml.resize(MAX_MESSAGE_BYTES - 1024, b' ');
    xml.extend_from_slice(b"</samlp:Response>");
    let big = b64(&deflated(&xml));
    let capture = har((0..7).map(|_| post(&big)).collect());
    assert!(7 * xml.len() > 2 * MAX_DECODED_BYTES);
    // Decoding everything is refused...
    assert!(matches!(
        diagnose::decode(&capture),
        Err(DecodeError::DecodeBudgetExhausted { .. })
    ));
    // ...while the diagnosis, which lists the others without decoding them, works.
    let diagnosis = diagnose(&capture).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diagnosis.summary.capture.messages_in_capture, 7);
    assert_eq!(
        diagnosis.summary.message.as_ref().map(|m| m.id.as_deref()),
        Some(Some("_good"))
    );
    assert!(skip_notes(&diagnosis).is_empty());
}

#[test]
fn a_capture_over_the_message_limit_is_refused_clearly() {
    let response = b64(RESPONSE.as_bytes());
    let at_limit: Vec<Value> = (0..MAX_MESSAGES).map(|_| post(&response)).collect();
    let diagnosis = diagnose(&har(at_limit.clone())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diagnosis.summary.capture.messages_in_capture, MAX_MESSAGES);
    let mut over = at_limit;
    over.push(post(&response));
    let error = diagnose(&har(over)).unwrap_err();
    assert_eq!(
        error,
        DecodeError::TooManyMessages {
            limit: MAX_MESSAGES
        }
    );
    assert!(error.to_string().contains("save only the failed sign-in"));
}

#[test]
fn a_saml_tracer_export_with_junk_is_read_too() {
    let export = json!({"requests": [
        "junk",
        {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
         "post": [["SAMLResponse", b64(RESPONSE.as_bytes())], ["RelayState"], 5]},
        {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
         "post": [["SAMLResponse", "not base64 !!"]]}
    ]});
    let diagnosis = diagnose(export.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(diagnosis.root_cause, Some(RootCause::IdpErrorStatus));
    let notes = skip_notes(&diagnosis);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].starts_with("Message 2 (SAML-tracer request 3: POST"));
}
