//! SAML responses shaped like Entra ID's, signed by the real `xmlsec1` (Debian package
//! `xmlsec1`), plus the signature-wrapping variants attackers build from them.
//!
//! The flow is: [`rsa_signing_key`] makes a key and certificate; [`ResponseSpec::healthy`] describes
//! a good Entra → GoTo response that tests change field by field; [`build_response`] writes it as
//! XML with empty `Signature` templates; [`sign`] has xmlsec1 fill them in ([`signed_response`]
//! does both). [`xmlsec1_verifies`] and [`xmlsec1_predigest`] use xmlsec1 as the independent
//! oracle the Rust verifier is compared against.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest as _, Sha256};
use time::{Duration, OffsetDateTime};

use super::certs::MadeCert;

/// SAML 2.0 protocol namespace (`samlp:`).
pub const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 assertion namespace (Entra writes it as the Assertion's default namespace).
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// GoTo's assertion consumer service URL.
pub const GOTO_ACS: &str = "https://authentication.logmeininc.com/saml/acs";
/// GoTo's SAML entity ID (the audience).
pub const GOTO_ENTITY_ID: &str = "https://authentication.logmeininc.com/saml/sp";
/// The tenant GUID in [`ResponseSpec::healthy`]'s issuer.
pub const TENANT_ID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

/// An RSA key and its certificate, as files xmlsec1 reads and as DER for the verifier.
pub struct SigningKey {
    /// The certificate (DER and PEM).
    pub cert: MadeCert,
    /// The private key, PKCS#8 PEM.
    pub key_pem_path: PathBuf,
    /// The certificate, PEM.
    pub cert_pem_path: PathBuf,
    _dir: tempfile::TempDir,
}

impl SigningKey {
    /// The certificate as the crate's type, ready to pass as trusted.
    pub fn certificate(&self) -> goto_sso_wizard::certificate::Certificate {
        goto_sso_wizard::certificate::Certificate::from_der(&self.cert.der)
            .expect("the made certificate parses")
    }
}

/// A 2048-bit RSA key from `openssl genpkey` (rcgen on ring cannot generate RSA keys) and a
/// self-signed certificate for it made by rcgen, valid from `days_from_now_start` to
/// `days_from_now_end` days relative to now (both may be negative: expired certificates are a
/// test case).
pub fn rsa_signing_key(
    common_name: &str,
    days_from_now_start: i64,
    days_from_now_end: i64,
) -> SigningKey {
    let dir = tempfile::tempdir().expect("temporary directory");
    let key_pem_path = dir.path().join("key.pem");
    let status = Command::new("openssl")
        .args([
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
        ])
        .arg(&key_pem_path)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the openssl command is needed by this test (Debian package openssl)");
    assert!(status.success(), "openssl genpkey failed");
    let key_pem = std::fs::read_to_string(&key_pem_path).expect("read key");
    let key = rcgen::KeyPair::from_pem(&key_pem).expect("rcgen reads the RSA key");

    let cert =
        super::certs::self_signed_with(&key, common_name, days_from_now_start, days_from_now_end);
    let cert_pem_path = dir.path().join("cert.pem");
    std::fs::write(&cert_pem_path, cert.pem()).expect("write certificate");
    SigningKey {
        cert: MadeCert {
            der: cert.der().to_vec(),
            pem: cert.pem(),
        },
        key_pem_path,
        cert_pem_path,
        _dir: dir,
    }
}

/// A second certificate for `key`'s private key, made by `openssl req -new -x509 -key`: what an
/// identity provider that renews its certificate but keeps its key sends. `days` from now.
pub fn renewed_certificate(key: &SigningKey, common_name: &str, days: u32) -> SigningKey {
    let dir = tempfile::tempdir().expect("temporary directory");
    let key_pem_path = dir.path().join("key.pem");
    std::fs::copy(&key.key_pem_path, &key_pem_path).expect("copy the key");
    let cert_pem_path = dir.path().join("cert.pem");
    let status = Command::new("openssl")
        .args(["req", "-new", "-x509", "-sha256", "-key"])
        .arg(&key_pem_path)
        .args(["-subj", &format!("/CN={common_name}")])
        .args(["-days", &days.to_string(), "-out"])
        .arg(&cert_pem_path)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("the openssl command is needed by this test (Debian package openssl)");
    assert!(status.success(), "openssl req -x509 failed");
    let pem = std::fs::read_to_string(&cert_pem_path).expect("read certificate");
    let der = goto_sso_wizard::certificate::Certificate::parse(pem.as_bytes())
        .expect("openssl's certificate parses")
        .0
        .der()
        .to_vec();
    SigningKey {
        cert: MadeCert { der, pem },
        key_pem_path,
        cert_pem_path,
        _dir: dir,
    }
}

/// The signature algorithm of a template (the digest follows it: SHA-256 or SHA-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigAlg {
    /// RSA-SHA256 with a SHA-256 digest (Entra's default).
    RsaSha256,
    /// RSA-SHA1 with a SHA-1 digest (Entra's legacy option).
    RsaSha1,
}

impl SigAlg {
    /// The SignatureMethod URI.
    pub fn signature_uri(self) -> &'static str {
        match self {
            SigAlg::RsaSha256 => "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            SigAlg::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        }
    }

    /// The DigestMethod URI.
    pub fn digest_uri(self) -> &'static str {
        match self {
            SigAlg::RsaSha256 => "http://www.w3.org/2001/04/xmlenc#sha256",
            SigAlg::RsaSha1 => "http://www.w3.org/2000/09/xmldsig#sha1",
        }
    }
}

/// Which signed element of a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamlNode {
    /// The `samlp:Response` (the document element).
    Response,
    /// The (first) `Assertion`.
    Assertion,
}

impl SamlNode {
    /// An XPath selecting this element's direct-child Signature, for xmlsec1's `--node-xpath`.
    pub fn signature_xpath(self) -> &'static str {
        match self {
            SamlNode::Response => "/*/*[local-name()='Signature']",
            SamlNode::Assertion => "(//*[local-name()='Assertion'])[1]/*[local-name()='Signature']",
        }
    }

    /// Finds the element in a parsed response.
    pub fn find<'a, 'i>(self, doc: &'a roxmltree::Document<'i>) -> roxmltree::Node<'a, 'i> {
        match self {
            SamlNode::Response => doc.root_element(),
            SamlNode::Assertion => doc
                .descendants()
                .find(|n| n.has_tag_name((SAML, "Assertion")))
                .expect("the response has an Assertion"),
        }
    }
}

/// Everything that varies in a SAML response. [`ResponseSpec::healthy`] is what a working
/// Entra → GoTo sign-in sends; tests change fields to make it unhealthy.
#[derive(Debug, Clone)]
pub struct ResponseSpec {
    /// The Response's `ID`.
    pub response_id: String,
    /// The Assertion's `ID`.
    pub assertion_id: String,
    /// `IssueInstant` of the Response and the Assertion.
    pub issue_instant: OffsetDateTime,
    /// The Response's `Destination`.
    pub destination: Option<String>,
    /// `InResponseTo` on the Response and the SubjectConfirmationData (`None` = IdP-initiated).
    pub in_response_to: Option<String>,
    /// The Issuer of the Response and the Assertion.
    pub issuer: String,
    /// The top-level StatusCode.
    pub status_code: String,
    /// A second-level StatusCode, as Entra adds on errors.
    pub sub_status: Option<String>,
    /// The StatusMessage (Entra puts the AADSTS error here).
    pub status_message: Option<String>,
    /// Whether the Assertion is present (Entra omits it on errors).
    pub include_assertion: bool,
    /// The NameID value.
    pub name_id: String,
    /// The NameID `Format`.
    pub name_id_format: String,
    /// SubjectConfirmationData `Recipient`.
    pub recipient: String,
    /// SubjectConfirmationData `NotOnOrAfter`.
    pub subject_not_on_or_after: OffsetDateTime,
    /// Conditions `NotBefore`.
    pub not_before: OffsetDateTime,
    /// Conditions `NotOnOrAfter`.
    pub not_on_or_after: OffsetDateTime,
    /// The Audience values (one AudienceRestriction).
    pub audiences: Vec<String>,
    /// AuthnStatement `AuthnInstant`.
    pub authn_instant: OffsetDateTime,
    /// AuthnContextClassRef.
    pub authn_context_class: String,
    /// AuthnStatement `SessionIndex`.
    pub session_index: String,
    /// Attributes: name and values, in order.
    pub attributes: Vec<(String, Vec<String>)>,
    /// Give each AttributeValue `xsi:type="xs:string"`, with `xs` and `xsi` declared on the
    /// Response (as AD FS and Okta do; Entra does not). `xs` is then used only inside an
    /// attribute value, which is what `InclusiveNamespaces PrefixList` exists for.
    pub typed_attribute_values: bool,
    /// A `PrefixList` for the Reference's exclusive-c14n transform, e.g. `"xs xsi"`.
    pub inclusive_namespaces: Option<String>,
    /// Sign the Response with this algorithm.
    pub sign_response: Option<SigAlg>,
    /// Sign the Assertion with this algorithm (Entra's default: RSA-SHA256).
    pub sign_assertion: Option<SigAlg>,
    /// Put the signing certificate in `KeyInfo/X509Data/X509Certificate` (Entra does).
    pub include_certificate: bool,
    /// Write Signatures with a `ds:` prefix instead of Entra's default namespace.
    pub ds_prefix: bool,
    /// Put a line break between elements (whitespace text nodes); Entra writes one line.
    pub indent: bool,
}

impl ResponseSpec {
    /// A good Entra → GoTo response: SP-initiated, success, assertion signed with RSA-SHA256,
    /// certificate included, valid now.
    pub fn healthy() -> Self {
        let now = OffsetDateTime::now_utc();
        let name_id = "alice@example.com".to_owned();
        ResponseSpec {
            response_id: format!("_r{}", unique_hex()),
            assertion_id: format!("_a{}", unique_hex()),
            issue_instant: now,
            destination: Some(GOTO_ACS.to_owned()),
            in_response_to: Some(format!("_req{}", unique_hex())),
            issuer: format!("https://sts.windows.net/{TENANT_ID}/"),
            status_code: "urn:oasis:names:tc:SAML:2.0:status:Success".to_owned(),
            sub_status: None,
            status_message: None,
            include_assertion: true,
            name_id: name_id.clone(),
            name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".to_owned(),
            recipient: GOTO_ACS.to_owned(),
            subject_not_on_or_after: now + Duration::minutes(5),
            not_before: now - Duration::minutes(5),
            not_on_or_after: now + Duration::hours(1),
            audiences: vec![GOTO_ENTITY_ID.to_owned()],
            authn_instant: now - Duration::seconds(3),
            authn_context_class:
                "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport".to_owned(),
            session_index: format!("_s{}", unique_hex()),
            attributes: vec![
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress".to_owned(),
                    vec![name_id],
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname".to_owned(),
                    vec!["Alice".to_owned()],
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname".to_owned(),
                    vec!["Example".to_owned()],
                ),
                (
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name".to_owned(),
                    vec!["alice@example.com".to_owned()],
                ),
            ],
            typed_attribute_values: false,
            inclusive_namespaces: None,
            sign_response: None,
            sign_assertion: Some(SigAlg::RsaSha256),
            include_certificate: true,
            ds_prefix: false,
            indent: false,
        }
    }
}

/// A fresh 32-hex-digit value for IDs (unique per process run and call).
pub fn unique_hex() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let seed = format!(
        "{}-{}-{}",
        OffsetDateTime::now_utc().unix_timestamp_nanos(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    hex::encode(&Sha256::digest(seed.as_bytes())[..16])
}

/// SAML's `xs:dateTime` as Entra writes it: UTC with milliseconds.
pub fn saml_time(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    utc.format(time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .expect("formats")
}

/// Escapes text content.
pub fn escape_text(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escapes an attribute value for double quotes.
pub fn escape_attr(value: &str) -> String {
    escape_text(value).replace('"', "&quot;")
}

/// A `Signature` template for the element with this ID: empty DigestValue and SignatureValue,
/// exclusive c14n, enveloped.
pub fn signature_template(
    reference_id: &str,
    alg: SigAlg,
    include_certificate: bool,
    inclusive_namespaces: Option<&str>,
    ds_prefix: bool,
) -> String {
    let (p, declaration) = if ds_prefix {
        ("ds:", "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"")
    } else {
        ("", "xmlns=\"http://www.w3.org/2000/09/xmldsig#\"")
    };
    let exc = "http://www.w3.org/2001/10/xml-exc-c14n#";
    let inclusive = inclusive_namespaces
        .map(|list| {
            format!(
                "<ec:InclusiveNamespaces xmlns:ec=\"{exc}\" PrefixList=\"{}\"/>",
                escape_attr(list)
            )
        })
        .unwrap_or_default();
    let key_info = if include_certificate {
        format!("<{p}KeyInfo><{p}X509Data><{p}X509Certificate/></{p}X509Data></{p}KeyInfo>")
    } else {
        String::new()
    };
    format!(
        "<{p}Signature {declaration}><{p}SignedInfo>\
         <{p}CanonicalizationMethod Algorithm=\"{exc}\"/>\
         <{p}SignatureMethod Algorithm=\"{sig}\"/>\
         <{p}Reference URI=\"#{id}\"><{p}Transforms>\
         <{p}Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\
         <{p}Transform Algorithm=\"{exc}\">{inclusive}</{p}Transform></{p}Transforms>\
         <{p}DigestMethod Algorithm=\"{digest}\"/><{p}DigestValue/></{p}Reference></{p}SignedInfo>\
         <{p}SignatureValue/>{key_info}</{p}Signature>",
        sig = alg.signature_uri(),
        digest = alg.digest_uri(),
        id = escape_attr(reference_id),
    )
}

/// The response as XML with `Signature` templates right after each signed element's Issuer,
/// where SAML's schema puts them. Not signed: see [`sign`].
pub fn build_response(spec: &ResponseSpec) -> String {
    let nl = if spec.indent { "\n" } else { "" };
    let in_response_to = spec
        .in_response_to
        .as_deref()
        .map(|id| format!(" InResponseTo=\"{}\"", escape_attr(id)))
        .unwrap_or_default();
    let destination = spec
        .destination
        .as_deref()
        .map(|url| format!(" Destination=\"{}\"", escape_attr(url)))
        .unwrap_or_default();
    let typed_namespaces = if spec.typed_attribute_values {
        " xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
    } else {
        ""
    };
    let signature = |id: &str, alg: Option<SigAlg>| {
        alg.map(|alg| {
            signature_template(
                id,
                alg,
                spec.include_certificate,
                spec.inclusive_namespaces.as_deref(),
                spec.ds_prefix,
            ) + nl
        })
        .unwrap_or_default()
    };

    let mut xml = format!(
        "<samlp:Response ID=\"{id}\" Version=\"2.0\" IssueInstant=\"{instant}\"{destination}{in_response_to} \
         xmlns:samlp=\"{SAMLP}\"{typed_namespaces}>{nl}\
         <Issuer xmlns=\"{SAML}\">{issuer}</Issuer>{nl}{signature}",
        id = escape_attr(&spec.response_id),
        instant = saml_time(spec.issue_instant),
        issuer = escape_text(&spec.issuer),
        signature = signature(&spec.response_id, spec.sign_response),
    );
    xml += &format!(
        "<samlp:Status><samlp:StatusCode Value=\"{}\">",
        escape_attr(&spec.status_code)
    );
    if let Some(sub) = &spec.sub_status {
        xml += &format!("<samlp:StatusCode Value=\"{}\"/>", escape_attr(sub));
    }
    xml += "</samlp:StatusCode>";
    if let Some(message) = &spec.status_message {
        xml += &format!(
            "<samlp:StatusMessage>{}</samlp:StatusMessage>",
            escape_text(message)
        );
    }
    xml += &format!("</samlp:Status>{nl}");

    if spec.include_assertion {
        xml += &format!(
            "<Assertion ID=\"{id}\" IssueInstant=\"{instant}\" Version=\"2.0\" xmlns=\"{SAML}\">{nl}\
             <Issuer>{issuer}</Issuer>{nl}{signature}\
             <Subject><NameID Format=\"{format}\">{name_id}</NameID>\
             <SubjectConfirmation Method=\"urn:oasis:names:tc:SAML:2.0:cm:bearer\">\
             <SubjectConfirmationData{in_response_to} NotOnOrAfter=\"{subject_noa}\" Recipient=\"{recipient}\"/>\
             </SubjectConfirmation></Subject>{nl}\
             <Conditions NotBefore=\"{not_before}\" NotOnOrAfter=\"{not_on_or_after}\"><AudienceRestriction>",
            id = escape_attr(&spec.assertion_id),
            instant = saml_time(spec.issue_instant),
            issuer = escape_text(&spec.issuer),
            signature = signature(&spec.assertion_id, spec.sign_assertion),
            format = escape_attr(&spec.name_id_format),
            name_id = escape_text(&spec.name_id),
            subject_noa = saml_time(spec.subject_not_on_or_after),
            recipient = escape_attr(&spec.recipient),
            not_before = saml_time(spec.not_before),
            not_on_or_after = saml_time(spec.not_on_or_after),
        );
        for audience in &spec.audiences {
            xml += &format!("<Audience>{}</Audience>", escape_text(audience));
        }
        xml += &format!("</AudienceRestriction></Conditions>{nl}<AttributeStatement>");
        let value_type = if spec.typed_attribute_values {
            " xsi:type=\"xs:string\""
        } else {
            ""
        };
        for (name, values) in &spec.attributes {
            xml += &format!("{nl}<Attribute Name=\"{}\">", escape_attr(name));
            for value in values {
                xml += &format!(
                    "<AttributeValue{value_type}>{}</AttributeValue>",
                    escape_text(value)
                );
            }
            xml += "</Attribute>";
        }
        xml += &format!(
            "</AttributeStatement>{nl}<AuthnStatement AuthnInstant=\"{}\" SessionIndex=\"{}\">\
             <AuthnContext><AuthnContextClassRef>{}</AuthnContextClassRef></AuthnContext>\
             </AuthnStatement>{nl}</Assertion>{nl}",
            saml_time(spec.authn_instant),
            escape_attr(&spec.session_index),
            escape_text(&spec.authn_context_class),
        );
    }
    xml + "</samlp:Response>"
}

/// The xmlsec1 options that declare SAML's `ID` attributes (there is no DTD or schema to do it).
const ID_ATTRS: [&str; 4] = [
    "--id-attr:ID",
    "urn:oasis:names:tc:SAML:2.0:protocol:Response",
    "--id-attr:ID",
    "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
];

/// Fills in every Signature template with `xmlsec1 --sign`: the Assertion's first, then the
/// Response's, so the Response signature covers the finished Assertion signature. Returns
/// xmlsec1's output (libxml2 re-serialises the document: an XML declaration is added, `/>`
/// forms are kept).
pub fn sign(xml_with_templates: &str, key: &SigningKey) -> String {
    let (assertion_template, response_template) = {
        let doc = roxmltree::Document::parse(xml_with_templates).expect("template parses");
        let has_signature =
            |node: roxmltree::Node| node.children().any(|c| c.tag_name().name() == "Signature");
        let assertion = doc
            .descendants()
            .find(|n| n.has_tag_name((SAML, "Assertion")))
            .is_some_and(has_signature);
        (assertion, has_signature(doc.root_element()))
    };
    let mut xml = xml_with_templates.to_owned();
    for (present, node) in [
        (assertion_template, SamlNode::Assertion),
        (response_template, SamlNode::Response),
    ] {
        if present {
            xml = xmlsec1_sign_one(&xml, key, node);
        }
    }
    xml
}

/// Fills in only `node`'s Signature template (for documents signed by two different keys).
pub fn xmlsec1_sign_one(xml: &str, key: &SigningKey, node: SamlNode) -> String {
    let dir = tempfile::tempdir().expect("temporary directory");
    let input = dir.path().join("in.xml");
    let output = dir.path().join("out.xml");
    std::fs::write(&input, xml).expect("write template");
    let mut key_and_cert = key.key_pem_path.clone().into_os_string();
    key_and_cert.push(",");
    key_and_cert.push(&key.cert_pem_path);
    let result = Command::new("xmlsec1")
        .arg("--sign")
        .arg("--privkey-pem")
        .arg(key_and_cert)
        .args(ID_ATTRS)
        .args(["--node-xpath", node.signature_xpath()])
        .arg("--output")
        .arg(&output)
        .arg(&input)
        .output()
        .expect("the xmlsec1 command is needed by this test (Debian package xmlsec1)");
    assert!(
        result.status.success(),
        "xmlsec1 --sign failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read_to_string(&output).expect("signed output")
}

/// [`build_response`] then [`sign`].
pub fn signed_response(spec: &ResponseSpec, key: &SigningKey) -> String {
    sign(&build_response(spec), key)
}

/// Runs `xmlsec1 --verify` on the Signature of `node`, with only `cert_pem` as the key: KeyInfo is
/// not consulted for keys (`--enabled-key-data key-name`), so an embedded certificate cannot
/// substitute for the one given. Returns xmlsec1's verdict and its stdout+stderr.
pub fn xmlsec1_verify(xml: &str, cert_pem: &Path, node: SamlNode) -> (bool, String) {
    xmlsec1_verify_with(xml, cert_pem, node, &[])
}

fn xmlsec1_verify_with(
    xml: &str,
    cert_pem: &Path,
    node: SamlNode,
    extra: &[&str],
) -> (bool, String) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let input = dir.path().join("in.xml");
    std::fs::write(&input, xml).expect("write document");
    let result = Command::new("xmlsec1")
        .arg("--verify")
        .arg("--pubkey-cert-pem")
        .arg(cert_pem)
        .args(["--enabled-key-data", "key-name"])
        .args(ID_ATTRS)
        .args(["--node-xpath", node.signature_xpath()])
        .args(extra)
        .arg(&input)
        .output()
        .expect("the xmlsec1 command is needed by this test (Debian package xmlsec1)");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&result.stdout),
        String::from_utf8_lossy(&result.stderr)
    );
    (result.status.success(), log)
}

/// Whether xmlsec1 accepts the Signature of `node` with `key`'s certificate.
pub fn xmlsec1_verifies(xml: &str, key: &SigningKey, node: SamlNode) -> bool {
    xmlsec1_verify(xml, &key.cert_pem_path, node).0
}

/// The octets xmlsec1 digested for the Reference of `node`'s Signature (from
/// `--store-references`), whether or not verification succeeds.
pub fn xmlsec1_predigest(xml: &str, key: &SigningKey, node: SamlNode) -> String {
    let (_, log) = xmlsec1_verify_with(xml, &key.cert_pem_path, node, &["--store-references"]);
    let start_marker = "== PreDigest data - start buffer:\n";
    let start = log
        .find(start_marker)
        .expect("xmlsec1 printed the pre-digest data")
        + start_marker.len();
    let end = log[start..]
        .find("\n== PreDigest data - end buffer")
        .expect("end of the pre-digest data")
        + start;
    log[start..end].to_owned()
}

/// Replaces the only occurrence of `from`; panics if there is not exactly one, so a tampering
/// test can never silently tamper with nothing.
pub fn replace_once(xml: &str, from: &str, to: &str) -> String {
    assert_eq!(
        xml.matches(from).count(),
        1,
        "expected exactly one {from:?} in the document"
    );
    xml.replacen(from, to, 1)
}

/// The byte range of the first `<Assertion …>…</Assertion>` element.
pub fn assertion_range(xml: &str) -> std::ops::Range<usize> {
    let start = xml.find("<Assertion ").expect("an Assertion");
    let end = xml[start..].find("</Assertion>").expect("its end") + start + "</Assertion>".len();
    start..end
}

/// The byte range of the first `Signature` element (prefixed or not) in this text.
fn signature_range(element: &str) -> std::ops::Range<usize> {
    let start = element
        .find("<Signature")
        .or_else(|| element.find("<ds:Signature"))
        .expect("a Signature");
    let end_tag = if element[start..].starts_with("<ds:") {
        "</ds:Signature>"
    } else {
        "</Signature>"
    };
    let end = element[start..].find(end_tag).expect("its end") + start + end_tag.len();
    start..end
}

/// The element text with its first `Signature` element (prefixed or not) removed.
pub fn without_signature(element: &str) -> String {
    let range = signature_range(element);
    format!("{}{}", &element[..range.start], &element[range.end..])
}

/// The first `Signature` element of this text (prefixed or not), including its namespace
/// declaration.
pub fn first_signature(element: &str) -> String {
    element[signature_range(element)].to_owned()
}

/// The ID of the (first) Assertion of a signed response.
fn assertion_id(signed: &str) -> String {
    let doc = roxmltree::Document::parse(signed).expect("signed response parses");
    SamlNode::Assertion
        .find(&doc)
        .attribute("ID")
        .expect("assertion ID")
        .to_owned()
}

/// `xml` with `insert` right after its first `</Issuer>`.
fn insert_after_issuer(xml: &str, insert: &str) -> String {
    let issuer_end = xml.find("</Issuer>").expect("an Issuer") + "</Issuer>".len();
    format!("{}{insert}{}", &xml[..issuer_end], &xml[issuer_end..])
}

/// A forged copy of the signed Assertion: unsigned, with this ID and NameID.
pub fn forged_assertion(signed: &str, forged_id: &str, forged_name_id: &str) -> String {
    let original = &signed[assertion_range(signed)];
    let doc = roxmltree::Document::parse(signed).expect("signed response parses");
    let assertion = SamlNode::Assertion.find(&doc);
    let id = assertion.attribute("ID").expect("assertion ID");
    let name_id = assertion
        .descendants()
        .find(|n| n.has_tag_name((SAML, "NameID")))
        .and_then(|n| n.text())
        .expect("NameID");
    without_signature(original)
        .replacen(&format!("ID=\"{id}\""), &format!("ID=\"{forged_id}\""), 1)
        .replacen(&format!(">{name_id}<"), &format!(">{forged_name_id}<"), 1)
}

/// XSW: the genuine signed Assertion moved into `samlp:Extensions` (right after the Response's
/// Issuer), and a forged unsigned Assertion with a new ID where a reader looks for it.
pub fn xsw_wrapped_in_extensions(signed: &str, forged_name_id: &str) -> String {
    let range = assertion_range(signed);
    let original = signed[range.clone()].to_owned();
    let forged = forged_assertion(signed, &format!("_f{}", unique_hex()), forged_name_id);
    let mut xml = signed.to_owned();
    xml.replace_range(range, &forged);
    insert_after_issuer(
        &xml,
        &format!("<samlp:Extensions>{original}</samlp:Extensions>"),
    )
}

/// XSW: a forged unsigned Assertion with the *same* ID as the genuine one, placed before it so a
/// reader taking the first Assertion reads the forgery.
pub fn xsw_duplicate_id(signed: &str, forged_name_id: &str) -> String {
    let range = assertion_range(signed);
    let id = assertion_id(signed);
    let forged = forged_assertion(signed, &id, forged_name_id);
    let mut xml = signed.to_owned();
    xml.insert_str(range.start, &forged);
    xml
}

/// XSW: the Response's signature moved into a forged Assertion (after its Issuer), the genuine
/// Assertion removed. The signature still references the Response.
pub fn xsw_response_signature_in_forged_assertion(signed: &str, forged_name_id: &str) -> String {
    let range = assertion_range(signed);
    let response_part = &signed[..range.start];
    let signature = first_signature(response_part);
    let forged = insert_after_issuer(
        &forged_assertion(signed, &format!("_f{}", unique_hex()), forged_name_id),
        &signature,
    );
    let mut xml = signed.to_owned();
    xml.replace_range(range, &forged);
    xml.replacen(&signature, "", 1)
}

/// XSW: the genuine Assertion replaced by a forged one carrying a copy of the genuine
/// Signature; `keep_id` decides whether the forgery also keeps the genuine ID.
pub fn xsw_copied_signature(signed: &str, forged_name_id: &str, keep_id: bool) -> String {
    let range = assertion_range(signed);
    let original = &signed[range.clone()];
    let signature = first_signature(original);
    let forged_id = if keep_id {
        assertion_id(signed)
    } else {
        format!("_f{}", unique_hex())
    };
    let forged = insert_after_issuer(
        &forged_assertion(signed, &forged_id, forged_name_id),
        &signature,
    );
    let mut xml = signed.to_owned();
    xml.replace_range(range, &forged);
    xml
}
