//! Metadata documents and certificates made for tests (shared with the certificate step's).
use base64::Engine as _;
use goto_sso_wizard::metadata::{self, Metadata, ParseOptions};

pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const APP_ID: &str = "00000000-1111-2222-3333-444444444444";
pub const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
pub const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// Base64 DER of a self-signed certificate `CN=<common_name>` valid between the dates.
pub fn certificate(common_name: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> String {
    let mut params = rcgen::CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, common_name);
    params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
    params.not_after = rcgen::date_time_ymd(until.0, until.1, until.2);
    let key = rcgen::KeyPair::generate().expect("key");
    let made = params.self_signed(&key).expect("certificate");
    base64::engine::general_purpose::STANDARD.encode(made.der())
}

/// Entra-shaped metadata for one application: signing keys in the IDPSSODescriptor, an
/// HTTP-POST sign-in endpoint listed before the HTTP-Redirect one.
pub fn entra(certificates: &[String]) -> String {
    let keys: String = certificates
        .iter()
        .map(|c| {
            format!(
                "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data>\
                 <X509Certificate>{c}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><EntityDescriptor entityID=\"https://sts.windows.net/{TENANT}/\" \
         xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">{keys}\
         <SingleLogoutService Binding=\"{REDIRECT}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2/logout\"/>\
         <SingleSignOnService Binding=\"{POST}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2/post\"/>\
         <SingleSignOnService Binding=\"{REDIRECT}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2\"/>\
         </IDPSSODescriptor></EntityDescriptor>"
    )
}

/// A service provider's metadata: no identity provider, so no signing certificate.
pub fn service_provider() -> String {
    "<EntityDescriptor entityID=\"https://authentication.logmeininc.com/saml/sp\" xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">\
     <SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
     <AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://authentication.logmeininc.com/saml/acs\" index=\"0\"/>\
     </SPSSODescriptor></EntityDescriptor>"
        .to_owned()
}

/// Two identity providers with a signing certificate each, in one aggregate.
pub fn two_identity_providers(certificates: &[String; 2]) -> String {
    let idp = |n: usize, certificate: &String| {
        format!(
            "<EntityDescriptor entityID=\"https://idp{n}.example.org/\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
             <KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data>\
             <X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>\
             <SingleSignOnService Binding=\"{REDIRECT}\" Location=\"https://idp{n}.example.org/sso\"/>\
             </IDPSSODescriptor></EntityDescriptor>"
        )
    };
    format!(
        "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{}{}</EntitiesDescriptor>",
        idp(1, &certificates[0]),
        idp(2, &certificates[1])
    )
}

pub fn parse(xml: &str) -> Metadata {
    metadata::parse(xml.as_bytes(), &ParseOptions::default()).expect("test metadata parses")
}
