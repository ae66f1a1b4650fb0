use std::io::Write;

use base64::Engine as _;

use super::*;

const RESPONSE: &str = r#"<?xml version="1.0"?><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0"><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status></samlp:Response>"#;

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn deflated(text: &str) -> Vec<u8> {
    let mut encoder =
        flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    encoder.finish().unwrap()
}

fn url_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn one(capture: &str) -> DecodedMessage {
    let mut found = decode(capture.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(found.len(), 1, "{found:?}");
    found.remove(0)
}

#[test]
fn raw_xml_base64_wrapped_and_url_encoded() {
    assert_eq!(one(RESPONSE).kind, InputKind::Xml);
    assert_eq!(one(RESPONSE).parameter, "Response");
    let encoded = b64(RESPONSE.as_bytes());
    let wrapped: String = encoded
        .as_bytes()
        .chunks(60)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n");
    for capture in [encoded.clone(), wrapped, url_encode(&encoded)] {
        let message = one(&capture);
        assert_eq!(
            (message.kind, message.binding),
            (InputKind::Base64, Binding::Post)
        );
        assert_eq!(message.xml, RESPONSE);
    }
}

#[test]
fn redirect_binding_is_inflated() {
    let message = one(&b64(&deflated(RESPONSE)));
    assert_eq!(
        (message.kind, message.binding),
        (InputKind::DeflatedBase64, Binding::Redirect)
    );
    assert_eq!(message.xml, RESPONSE);
}

#[test]
fn form_body_with_relay_state() {
    let body = format!(
        "SAMLResponse={}&RelayState={}",
        url_encode(&b64(RESPONSE.as_bytes())),
        url_encode("https://global.gotomeeting.com")
    );
    let message = one(&body);
    assert_eq!(message.kind, InputKind::FormBody);
    assert_eq!(message.parameter, "SAMLResponse");
    assert_eq!(
        message.relay_state.as_deref(),
        Some("https://global.gotomeeting.com")
    );
}

#[test]
fn har_finds_the_post_to_the_acs() {
    let har = serde_json::json!({"log": {"entries": [
        {"request": {"method": "GET", "url": "https://myapps.microsoft.com/"}},
        {"request": {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
            "postData": {"mimeType": "application/x-www-form-urlencoded", "params": [
                {"name": "SAMLResponse", "value": url_encode(&b64(RESPONSE.as_bytes()))},
                {"name": "RelayState", "value": url_encode("https://global.gotowebinar.com")}
            ]}}}
    ]}});
    let message = one(&har.to_string());
    assert_eq!(message.kind, InputKind::Har);
    assert_eq!(
        message.relay_state.as_deref(),
        Some("https://global.gotowebinar.com")
    );
    assert!(
        message
            .found_at
            .as_deref()
            .unwrap()
            .contains("entry 2: POST https://authentication.logmeininc.com/saml/acs")
    );
    assert_eq!(message.xml, RESPONSE);
}

#[test]
fn saml_tracer_export() {
    let export = serde_json::json!({"requests": [
        {"method": "GET", "url": format!("https://login.microsoftonline.com/x/saml2?SAMLRequest={}", url_encode(&b64(&deflated("<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"))))},
        {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs",
         "post": [["SAMLResponse", b64(RESPONSE.as_bytes())], ["RelayState", "https://app.gotoassist.com"]]}
    ]});
    let found = decode(export.to_string().as_bytes()).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(
        (found[0].parameter.as_str(), found[0].binding),
        ("SAMLRequest", Binding::Redirect)
    );
    assert_eq!(
        found[1].relay_state.as_deref(),
        Some("https://app.gotoassist.com")
    );
}

#[test]
fn clear_errors_for_bad_captures() {
    assert_eq!(decode(b"  "), Err(DecodeError::Empty));
    assert!(matches!(
        decode(b"not base64 at all!!"),
        Err(DecodeError::Unrecognised { .. })
    ));
    assert!(matches!(
        decode(b"{\"log\":{\"entries\":[]}}"),
        Err(DecodeError::NoMessageInCapture { what: "HAR file" })
    ));
    assert!(matches!(
        decode(b"{\"x\":1}"),
        Err(DecodeError::Unrecognised { .. })
    ));
    assert!(matches!(
        decode(b"{broken"),
        Err(DecodeError::Unrecognised { .. })
    ));
    assert!(matches!(
        decode(b64(&[0u8, 1, 2, 255]).as_bytes()),
        Err(DecodeError::Unrecognised { .. })
    ));
    let huge = vec![b'A'; MAX_CAPTURE_BYTES + 1];
    assert!(matches!(decode(&huge), Err(DecodeError::TooLarge { .. })));
}

#[test]
fn a_deflate_bomb_is_stopped_at_the_limit() {
    let bomb = deflated(&format!("<a>{}</a>", "x".repeat(MAX_MESSAGE_BYTES * 2)));
    assert!(bomb.len() < 100_000, "the bomb is small: {}", bomb.len());
    assert_eq!(
        decode(b64(&bomb).as_bytes()),
        Err(DecodeError::MessageTooLarge {
            limit: MAX_MESSAGE_BYTES
        })
    );
}

#[test]
fn never_panics_on_truncations_and_junk() {
    let samples = [
        b64(RESPONSE.as_bytes()),
        b64(&deflated(RESPONSE)),
        format!(
            "SAMLResponse={}&RelayState=x",
            url_encode(&b64(RESPONSE.as_bytes()))
        ),
    ];
    for sample in samples {
        for cut in 0..sample.len() {
            let _ = decode(&sample.as_bytes()[..cut]);
        }
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2000 {
        let len = (state % 300) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let _ = decode(&bytes);
    }
}
