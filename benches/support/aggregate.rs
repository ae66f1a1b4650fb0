//! Makes a federation-sized metadata aggregate for the benchmark and for the Python
//! comparison (which reads the same file, written by `examples/make_aggregate.rs`).
//!
//! Each identity provider has a signing and an encryption key, three SSO endpoints, an
//! organization, a contact and mdui display names; every fifth entity is a service provider
//! with two reply URLs, as in real federations.

use base64::Engine as _;

/// Distinct certificates reused round-robin (making 5,000 keys would time the key generator).
const DISTINCT_CERTIFICATES: usize = 32;

/// Returns the XML of an aggregate with `entities` entities.
pub fn make_aggregate(entities: usize) -> String {
    let certificates: Vec<String> = (0..DISTINCT_CERTIFICATES)
        .map(|n| {
            let mut params = rcgen::CertificateParams::new(vec![format!("idp{n}.example.org")])
                .expect("certificate parameters");
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, format!("idp{n}.example.org"));
            let key = rcgen::KeyPair::generate().expect("key");
            let der = params
                .self_signed(&key)
                .expect("certificate")
                .der()
                .to_vec();
            wrap(&base64::engine::general_purpose::STANDARD.encode(der))
        })
        .collect();
    let mut xml = String::with_capacity(entities * 6_000);
    xml.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<md:EntitiesDescriptor \
         xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" \
         xmlns:mdui=\"urn:oasis:names:tc:SAML:metadata:ui\" Name=\"urn:example:bench-federation\" \
         validUntil=\"2099-01-01T00:00:00Z\">\n",
    );
    for n in 0..entities {
        let certificate = &certificates[n % DISTINCT_CERTIFICATES];
        let encryption = &certificates[(n + 1) % DISTINCT_CERTIFICATES];
        if n % 5 == 4 {
            xml.push_str(&format!(
                "<md:EntityDescriptor entityID=\"https://sp{n}.example.org/shibboleth\">\n\
                 <md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n\
                 <md:KeyDescriptor><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n{certificate}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n\
                 <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://sp{n}.example.org/Shibboleth.sso/SAML2/POST\" index=\"1\" isDefault=\"true\"/>\n\
                 <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\" Location=\"https://sp{n}.example.org/Shibboleth.sso/SAML2/Artifact\" index=\"2\"/>\n\
                 </md:SPSSODescriptor>\n</md:EntityDescriptor>\n"
            ));
            continue;
        }
        xml.push_str(&format!(
            "<md:EntityDescriptor entityID=\"https://idp{n}.example.org/idp/shibboleth\">\n\
             <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n\
             <md:Extensions><mdui:UIInfo><mdui:DisplayName xml:lang=\"en\">Example University {n}</mdui:DisplayName>\
             <mdui:DisplayName xml:lang=\"de\">Beispieluniversität {n}</mdui:DisplayName>\
             <mdui:Description xml:lang=\"en\">Identity provider number {n} of the benchmark federation.</mdui:Description>\
             </mdui:UIInfo></md:Extensions>\n\
             <md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n{certificate}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n\
             <md:KeyDescriptor use=\"encryption\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>\n{encryption}\n</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>\n\
             <md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp{n}.example.org/idp/profile/SAML2/Redirect/SLO\"/>\n\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://idp{n}.example.org/idp/profile/SAML2/POST/SSO\"/>\n\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://idp{n}.example.org/idp/profile/SAML2/Redirect/SSO\"/>\n\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:SOAP\" Location=\"https://idp{n}.example.org/idp/profile/SAML2/SOAP/ECP\"/>\n\
             </md:IDPSSODescriptor>\n\
             <md:Organization><md:OrganizationName xml:lang=\"en\">Example University {n}</md:OrganizationName>\
             <md:OrganizationDisplayName xml:lang=\"en\">Example University {n}</md:OrganizationDisplayName>\
             <md:OrganizationURL xml:lang=\"en\">https://www{n}.example.org/</md:OrganizationURL></md:Organization>\n\
             <md:ContactPerson contactType=\"technical\"><md:GivenName>Ada</md:GivenName><md:SurName>Admin</md:SurName>\
             <md:EmailAddress>mailto:it{n}@example.org</md:EmailAddress></md:ContactPerson>\n\
             </md:EntityDescriptor>\n"
        ));
    }
    xml.push_str("</md:EntitiesDescriptor>\n");
    xml
}

/// Base64 in 64-column lines, as most federations publish it.
fn wrap(base64: &str) -> String {
    base64
        .as_bytes()
        .chunks(64)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}
