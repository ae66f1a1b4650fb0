//! Metadata documents with the shapes real identity providers publish.

use super::certs::MadeCert;

pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
pub const APP_ID: &str = "00000000-1111-2222-3333-444444444444";

/// A `KeyDescriptor` whose XML-DSig elements use `ds_prefix` ("" for a default namespace,
/// "ds" for `ds:`), declared on `KeyInfo` as real documents do.
fn key_descriptor(use_attr: Option<&str>, certificate_base64: &str, ds_prefix: &str) -> String {
    let use_attr = use_attr
        .map(|u| format!(" use=\"{u}\""))
        .unwrap_or_default();
    let (p, declaration) = if ds_prefix.is_empty() {
        (String::new(), "xmlns".to_owned())
    } else {
        (format!("{ds_prefix}:"), format!("xmlns:{ds_prefix}"))
    };
    format!(
        "<KeyDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"{use_attr}><{p}KeyInfo {declaration}=\"http://www.w3.org/2000/09/xmldsig#\"><{p}X509Data>\
         <{p}X509Certificate>{certificate_base64}</{p}X509Certificate></{p}X509Data></{p}KeyInfo></KeyDescriptor>"
    )
}

/// Entra's federation metadata: a signature, signing keys under both the WS-Federation
/// security token service and the IDPSSODescriptor, one `RoleDescriptor` of another type
/// that must be ignored, endpoints with HTTP-Redirect. `certificates` are base64 bodies.
pub fn entra(certificates: &[String]) -> String {
    let keys = |prefix: &str| {
        certificates
            .iter()
            .map(|c| key_descriptor(Some("signing"), c, prefix))
            .collect::<String>()
    };
    format!(
        r##"<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_9d4a3c1e-0000-4000-8000-000000000001" entityID="https://sts.windows.net/{TENANT}/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#_9d4a3c1e-0000-4000-8000-000000000001"><DigestValue>AAAA</DigestValue></Reference></SignedInfo><SignatureValue>AAAA</SignatureValue><KeyInfo><X509Data><X509Certificate>{first}</X509Certificate></X509Data></KeyInfo></Signature><RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">{sts_keys}<fed:PassiveRequestorEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>https://login.microsoftonline.com/{TENANT}/wsfed</Address></EndpointReference></fed:PassiveRequestorEndpoint></RoleDescriptor><RoleDescriptor xsi:type="fed:ApplicationServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">{app_keys}</RoleDescriptor><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">{idp_keys}<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/{TENANT}/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/{TENANT}/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/{TENANT}/saml2"/></IDPSSODescriptor></EntityDescriptor>"##,
        first = certificates.first().cloned().unwrap_or_default(),
        sts_keys = keys(""),
        app_keys = keys(""),
        idp_keys = keys(""),
    )
}

/// AD FS metadata: `use="encryption"` and `use="signing"` keys, with the `ds:` prefix,
/// line breaks and CRLF, an SP role with reply URLs, and an `/adfs/ls/` endpoint.
pub fn adfs(signing: &MadeCert, encryption: &MadeCert) -> String {
    let signing_b64 = signing.base64_wrapped(76, "\r\n");
    let encryption_b64 = encryption.base64_wrapped(76, "\r\n");
    let text = format!(
        "<EntityDescriptor ID=\"_adfs\" entityID=\"http://adfs.contoso.example/adfs/services/trust\" xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">\n\
         <!-- AD FS publishes both roles -->\n\
         <SPSSODescriptor WantAssertionsSigned=\"true\" protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n\
         {sp_enc}\n\
         <AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://adfs.contoso.example/adfs/ls/\" index=\"0\" isDefault=\"true\"/>\n\
         <AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact\" Location=\"https://adfs.contoso.example/adfs/ls/\" index=\"1\"/>\n\
         </SPSSODescriptor>\n\
         <IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\n\
         {idp_enc}\n{idp_sign}\n\
         <SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://adfs.contoso.example/adfs/ls/\"/>\n\
         <SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"https://adfs.contoso.example/adfs/ls/\"/>\n\
         </IDPSSODescriptor>\n</EntityDescriptor>\n",
        sp_enc = key_descriptor(Some("encryption"), &encryption_b64, "ds"),
        idp_enc = key_descriptor(Some("encryption"), &encryption_b64, "ds"),
        idp_sign = key_descriptor(Some("signing"), &signing_b64, "ds"),
    );
    text.replace('\n', "\r\n")
}

/// A federation aggregate: a signed outer `EntitiesDescriptor` with a nested one, identity
/// providers with keys without `use`, and one service provider.
pub fn aggregate(idp_certificates: &[String], valid_until: &str) -> String {
    let idp = |n: usize, cert: &String| {
        format!(
            "<md:EntityDescriptor entityID=\"https://idp{n}.example.org/idp/shibboleth\">\
             <md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">{}\
             <md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://idp{n}.example.org/idp/profile/SAML2/POST/SSO\"/>\
             </md:IDPSSODescriptor></md:EntityDescriptor>",
            key_descriptor(None, cert, "ds")
        )
    };
    let mut entities = String::new();
    for (n, cert) in idp_certificates.iter().enumerate() {
        entities.push_str(&idp(n + 1, cert));
    }
    format!(
        "<?xml version=\"1.0\"?>\n<md:EntitiesDescriptor Name=\"urn:example:federation\" validUntil=\"{valid_until}\" \
         xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\
         <ds:Signature><ds:SignedInfo/><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>\
         <!-- identity providers -->{entities}\
         <md:EntitiesDescriptor Name=\"urn:example:federation:sps\">\
         <md:EntityDescriptor entityID=\"https://sp.example.org/shibboleth\"><md:SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         <md:AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://sp.example.org/Shibboleth.sso/SAML2/POST\" index=\"1\"/>\
         </md:SPSSODescriptor></md:EntityDescriptor></md:EntitiesDescriptor></md:EntitiesDescriptor>\n"
    )
}
