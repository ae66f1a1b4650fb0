use super::*;
use crate::secrets::CredentialRef;
use crate::settings::ProvisioningMethod;
use crate::setup::Product;

fn sample() -> Setup {
    let mut setup = Setup {
        provisioning: true,
        products: vec![Product::GoToMeeting, Product::GoToWebinar],
        ..Setup::default()
    };
    setup.metadata.url = Some("https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid=5c1e8e4d-3f9a-4b7c-9d2e-1a2b3c4d5e6f".into());
    setup.metadata.idp_entity_id =
        Some("https://sts.windows.net/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/".into());
    setup.metadata.sign_in_url =
        Some("https://login.microsoftonline.com/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/saml2".into());
    setup.metadata.certificate_sha256 = Some("F3155F4C".into());
    setup.metadata.certificate_pem =
        Some("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n".into());
    setup.overrides.sign_on_url = Some("https://example.com/?a=1&b=<2>".into());
    setup.provisioning_settings.method = Some(ProvisioningMethod::ClientCredentials);
    setup.provisioning_settings.client_id = Some("client-123".into());
    setup.provisioning_settings.credential = Some(CredentialRef::new("provisioning (x)"));
    setup
}

#[test]
fn markdown_has_every_value_and_the_checklist() {
    let report = Report::new(&sample(), time::OffsetDateTime::UNIX_EPOCH);
    let text = report.to_markdown();
    for needle in [
        "| Identifier (Entity ID) | `https://authentication.logmeininc.com/saml/sp` |",
        "| Relay State (GoToWebinar) | `https://global.gotowebinar.com` |",
        "| Automatic: metadata URL |",
        "- [x] **GoTo**: Signing certificate chosen for GoTo",
        "- [ ] **GoTo**: Company domain verified",
        "-----BEGIN CERTIFICATE-----",
        "client-123",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
}

#[test]
fn html_escapes_everything() {
    let html = Report::new(&sample(), time::OffsetDateTime::UNIX_EPOCH).to_html();
    assert!(html.contains("https://example.com/?a=1&amp;b=&lt;2&gt;"));
    assert!(!html.contains("<2>"));
    assert!(!html.contains("<script"));
}

#[test]
fn json_round_trips_the_setup() {
    let report = Report::new(&sample(), time::OffsetDateTime::UNIX_EPOCH);
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(
        value["entra"]["reply_url"],
        "https://authentication.logmeininc.com/saml/acs"
    );
    assert_eq!(
        value["setup"]["products"],
        serde_json::json!(["gotomeeting", "gotowebinar"])
    );
}
