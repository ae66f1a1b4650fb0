//! Table tests over every input form an admin may paste.

use super::*;

const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const APP: &str = "5c1e8e4d-3f9a-4b7c-9d2e-1a2b3c4d5e6f";
const PATH: &str = "FederationMetadata/2007-06/FederationMetadata.xml";

fn ok(tenant: &str, app_id: Option<&str>, cloud: Option<Cloud>) -> MetadataUrl {
    build(&UrlRequest {
        tenant,
        app_id,
        cloud,
    })
    .unwrap_or_else(|error| panic!("{tenant:?} / {app_id:?} / {cloud:?}: {error}"))
}

fn err(tenant: &str, app_id: Option<&str>, cloud: Option<Cloud>) -> UrlError {
    match build(&UrlRequest {
        tenant,
        app_id,
        cloud,
    }) {
        Ok(url) => panic!(
            "{tenant:?} / {app_id:?}: expected an error, got {}",
            url.url
        ),
        Err(error) => error,
    }
}

/// Input, typed app ID, chosen cloud, expected URL, expected cloud.
type Case<'a> = (String, Option<&'a str>, Option<Cloud>, String, Cloud);

#[test]
fn every_input_form_gives_the_canonical_url() {
    let upper_app = format!("{{{}}}", APP.to_uppercase());
    let cases: Vec<Case> = vec![
        // tenant GUID, any case, with app ID in braces and upper case
        (
            TENANT.to_uppercase(),
            Some(&upper_app),
            None,
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // verified domain and onmicrosoft.com
        (
            "Contoso.com".into(),
            Some(APP),
            None,
            format!("https://login.microsoftonline.com/contoso.com/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        (
            "contoso.onmicrosoft.com".into(),
            Some(APP),
            None,
            format!("https://login.microsoftonline.com/contoso.onmicrosoft.com/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // full tenant metadata URL: other host, any case, trailing slash, extra query
        (
            format!(
                "HTTPS://Login.Windows.Net/{TENANT}/federationmetadata/2007-06/federationmetadata.xml/?foo=bar"
            ),
            Some(APP),
            None,
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // App Federation Metadata Url from the portal
        (
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            None,
            None,
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // the same URL with the same app ID typed again (upper case) is no conflict
        (
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Some(&upper_app),
            None,
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // just the tenant part of a URL
        (
            format!("https://login.microsoftonline.com/{TENANT}/"),
            Some(APP),
            None,
            format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}"),
            Cloud::Global,
        ),
        // national clouds, by choice and by URL
        (
            TENANT.into(),
            Some(APP),
            Some(Cloud::UsGov),
            format!("https://login.microsoftonline.us/{TENANT}/{PATH}?appid={APP}"),
            Cloud::UsGov,
        ),
        (
            TENANT.into(),
            Some(APP),
            Some(Cloud::China),
            format!("https://login.partner.microsoftonline.cn/{TENANT}/{PATH}?appid={APP}"),
            Cloud::China,
        ),
        (
            format!("https://login.microsoftonline.us/{TENANT}/{PATH}"),
            Some(APP),
            None,
            format!("https://login.microsoftonline.us/{TENANT}/{PATH}?appid={APP}"),
            Cloud::UsGov,
        ),
        (
            format!("https://login.partner.microsoftonline.cn/contoso.partner.onmschina.cn/{PATH}"),
            Some(APP),
            Some(Cloud::China),
            format!(
                "https://login.partner.microsoftonline.cn/contoso.partner.onmschina.cn/{PATH}?appid={APP}"
            ),
            Cloud::China,
        ),
        // AD FS: host, host URL, metadata URL; never an appid
        (
            "adfs.contoso.com".into(),
            None,
            None,
            format!("https://adfs.contoso.com/{PATH}"),
            Cloud::Adfs,
        ),
        (
            "fs.contoso.com".into(),
            None,
            Some(Cloud::Adfs),
            format!("https://fs.contoso.com/{PATH}"),
            Cloud::Adfs,
        ),
        (
            "https://sts.contoso.com".into(),
            None,
            None,
            format!("https://sts.contoso.com/{PATH}"),
            Cloud::Adfs,
        ),
        (
            format!("https://sts.contoso.com/{PATH}"),
            Some(APP),
            None,
            format!("https://sts.contoso.com/{PATH}"),
            Cloud::Adfs,
        ),
        (
            "https://sts.contoso.com:8443/adfs/ls/".into(),
            None,
            None,
            format!("https://sts.contoso.com:8443/{PATH}"),
            Cloud::Adfs,
        ),
        // a custom federation endpoint keeps its path and gets the appid
        (
            format!("https://idp.example.net/tenant1/{PATH}"),
            Some(APP),
            None,
            format!("https://idp.example.net/tenant1/{PATH}?appid={APP}"),
            Cloud::Custom,
        ),
    ];
    for (tenant, app_id, cloud, expected, expected_cloud) in cases {
        let built = ok(&tenant, app_id, cloud);
        assert_eq!(built.url, expected, "input {tenant:?}");
        assert_eq!(built.cloud, expected_cloud, "input {tenant:?}");
    }
}

#[test]
fn the_result_names_tenant_and_app_id_canonically() {
    let built = ok(&TENANT.to_uppercase(), Some(&APP.to_uppercase()), None);
    assert_eq!(built.tenant, TENANT);
    assert_eq!(built.app_id.as_deref(), Some(APP));
    assert!(built.warnings.is_empty(), "{:?}", built.warnings);
}

#[test]
fn warnings_say_what_was_assumed_or_changed() {
    let no_app = ok(TENANT, None, None);
    assert_eq!(no_app.app_id, None);
    assert!(no_app.url.ends_with(PATH));
    assert!(no_app.warnings.iter().any(|w| w.contains("tenant-wide")));

    let windows_net = ok(
        &format!("https://login.windows.net/{TENANT}/{PATH}?x=1"),
        Some(APP),
        None,
    );
    assert!(
        windows_net
            .warnings
            .iter()
            .any(|w| w.contains("login.windows.net"))
    );
    assert!(
        windows_net
            .warnings
            .iter()
            .any(|w| w.contains("x was dropped"))
    );

    let adfs_with_app = ok("https://adfs.contoso.com", Some(APP), None);
    assert_eq!(adfs_with_app.app_id, None);
    assert!(
        adfs_with_app
            .warnings
            .iter()
            .any(|w| w.contains("AD FS publishes one"))
    );

    let guessed_adfs = ok("sts.contoso.com", None, None);
    assert!(
        guessed_adfs
            .warnings
            .iter()
            .any(|w| w.contains("--cloud global"))
    );
    // and the admin can overrule the guess
    assert_eq!(
        ok("sts.contoso.com", Some(APP), Some(Cloud::Global)).cloud,
        Cloud::Global
    );

    let custom = ok("https://idp.example.net/federation", None, None);
    assert_eq!(
        custom.url,
        format!("https://idp.example.net/federation/{PATH}")
    );
    assert!(
        custom
            .warnings
            .iter()
            .any(|w| w.contains("custom federation endpoint"))
    );
}

#[test]
fn conflicts_are_reported_not_resolved() {
    let other = "11111111-2222-3333-4444-555555555555";
    let url = format!("https://login.microsoftonline.com/{TENANT}/{PATH}?appid={APP}");
    assert_eq!(
        err(&url, Some(other), None),
        UrlError::AppIdConflict {
            in_url: APP.into(),
            typed: other.into()
        }
    );
    assert!(matches!(
        err(
            &format!("https://login.microsoftonline.us/{TENANT}/{PATH}"),
            None,
            Some(Cloud::Global)
        ),
        UrlError::CloudConflict {
            chosen: Cloud::Global,
            in_url: Cloud::UsGov,
            ..
        }
    ));
}

#[test]
fn bad_input_gets_a_specific_error() {
    let cases: Vec<(&str, Option<&str>, &str)> = vec![
        ("", None, "empty"),
        ("   ", None, "empty"),
        ("contoso .com", None, "whitespace"),
        (TENANT, Some("not-a-guid"), "invalid_app_id"),
        (
            TENANT,
            Some("5c1e8e4d-3f9a-4b7c-9d2e-1a2b3c4d5e6"),
            "invalid_app_id",
        ),
        (
            "72f988bf-86f1-41af-91ab-2d7cd011db4",
            None,
            "invalid_tenant",
        ),
        ("contoso", None, "invalid_tenant"),
        ("common", None, "invalid_tenant"),
        (
            "https://login.microsoftonline.com/organizations/FederationMetadata/2007-06/FederationMetadata.xml",
            None,
            "invalid_tenant",
        ),
        (
            "http://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml",
            None,
            "plain_http",
        ),
        (
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml#top",
            None,
            "fragment",
        ),
        ("https://login.microsoftonline.com/", None, "invalid_url"),
        (
            "https://login.microsoftonline.com/contoso.com/oauth2/v2.0/authorize",
            None,
            "invalid_url",
        ),
        (
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid=nope",
            None,
            "invalid_app_id",
        ),
        ("ftp://example.com/x", None, "invalid_url"),
        ("https://", None, "invalid_url"),
        ("contoso.com/path", None, "invalid_tenant"),
    ];
    for (tenant, app_id, kind) in cases {
        let error = err(tenant, app_id, None);
        assert_eq!(error.kind(), kind, "{tenant:?}: {error}");
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn the_message_for_a_bad_guid_says_where_to_find_the_right_one() {
    let message = err(TENANT, Some("xyz"), None).to_string();
    assert!(message.contains("Properties"), "{message}");
}
