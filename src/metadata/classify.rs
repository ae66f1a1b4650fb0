//! Tells who published an entity (Entra tenant-wide, Entra for one application, AD FS, or
//! someone else) and says why, because the answer decides which certificate GoTo must get.

use super::IdpRole;
use crate::ids::canonical_guid;

/// Who published an entity, as far as the document tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EntityKind {
    /// Microsoft Entra ID's tenant-wide federation metadata.
    EntraTenant,
    /// Microsoft Entra ID's metadata for one enterprise application (`?appid=`).
    EntraApp,
    /// Active Directory Federation Services.
    Adfs,
    /// Any other identity or service provider.
    Other,
}

impl EntityKind {
    /// A short name for people.
    pub fn describe(self) -> &'static str {
        match self {
            EntityKind::EntraTenant => "Microsoft Entra ID, tenant-wide metadata",
            EntityKind::EntraApp => "Microsoft Entra ID, application-specific metadata",
            EntityKind::Adfs => "AD FS",
            EntityKind::Other => "other",
        }
    }
}

/// Issuer hosts of Entra's entity IDs, per cloud: `https://<host>/<tenant guid>/`.
const ENTRA_ENTITY_HOSTS: [&str; 3] = [
    "sts.windows.net",
    "login.microsoftonline.us",
    "sts.chinacloudapi.cn",
];
/// Subject of the per-application SAML signing certificates Entra creates.
const ENTRA_APP_CERTIFICATE_CN: &str = "CN=Microsoft Azure Federated SSO Certificate";
/// Subject of Entra's tenant-wide token signing keys.
const ENTRA_TENANT_CERTIFICATE_CN: &str = "CN=accounts.accesscontrol.windows.net";

/// Returns the kind and the reason for it.
pub(super) fn classify(
    entity_id: &str,
    idp: Option<&IdpRole>,
    source: Option<&str>,
) -> (EntityKind, String) {
    if let Some(tenant) = entra_tenant(entity_id) {
        return classify_entra(&tenant, idp, source);
    }
    if let Some(reason) = adfs_reason(entity_id, idp) {
        return (EntityKind::Adfs, reason);
    }
    (
        EntityKind::Other,
        format!(
            "the entity ID {entity_id} is neither Entra's (https://sts.windows.net/<tenant>/) \
             nor AD FS's (.../adfs/services/trust)"
        ),
    )
}

fn classify_entra(
    tenant: &str,
    idp: Option<&IdpRole>,
    source: Option<&str>,
) -> (EntityKind, String) {
    let subjects: Vec<&str> = idp
        .into_iter()
        .flat_map(|idp| &idp.signing_certificates)
        .map(|signing| signing.certificate.info().subject.as_str())
        .collect();
    if let Some(app_id) = source.and_then(app_id_in_url) {
        return (
            EntityKind::EntraApp,
            format!(
                "Entra tenant {tenant}; the document was fetched for application {app_id} (appid in the URL)"
            ),
        );
    }
    if subjects
        .iter()
        .any(|subject| subject.contains(ENTRA_APP_CERTIFICATE_CN))
    {
        return (
            EntityKind::EntraApp,
            format!(
                "Entra tenant {tenant}; the signing certificate is an application's \
                 (\"{}\")",
                ENTRA_APP_CERTIFICATE_CN.trim_start_matches("CN=")
            ),
        );
    }
    let tenant_wide = !subjects.is_empty()
        && subjects
            .iter()
            .all(|subject| subject.contains(ENTRA_TENANT_CERTIFICATE_CN));
    let why = if tenant_wide {
        "its signing certificates are the tenant-wide keys (accounts.accesscontrol.windows.net)"
    } else {
        "there is no sign of a single application (no appid, no application certificate)"
    };
    (
        EntityKind::EntraTenant,
        format!(
            "Entra tenant {tenant} (entity ID https://sts.windows.net/{tenant}/); {why}. \
             GoTo needs the application's own metadata: add ?appid=<application ID> to the URL"
        ),
    )
}

/// The tenant GUID of an Entra entity ID, when it is one.
fn entra_tenant(entity_id: &str) -> Option<String> {
    let rest = entity_id.trim().strip_prefix("https://")?;
    let (host, path) = rest.split_once('/')?;
    if !ENTRA_ENTITY_HOSTS
        .iter()
        .any(|known| host.eq_ignore_ascii_case(known))
    {
        return None;
    }
    canonical_guid(path.trim_end_matches('/'))
}

fn adfs_reason(entity_id: &str, idp: Option<&IdpRole>) -> Option<String> {
    if entity_id
        .trim_end_matches('/')
        .to_ascii_lowercase()
        .ends_with("/adfs/services/trust")
    {
        return Some(format!(
            "the entity ID {entity_id} ends in /adfs/services/trust, AD FS's identifier"
        ));
    }
    let endpoint = idp?
        .sso
        .iter()
        .find(|endpoint| endpoint.location.to_ascii_lowercase().contains("/adfs/ls"))?;
    Some(format!(
        "the sign-in endpoint {} is AD FS's /adfs/ls/",
        endpoint.location
    ))
}

/// The `appid` query parameter of a URL, if any.
fn app_id_in_url(url: &str) -> Option<&str> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.eq_ignore_ascii_case("appid") && !value.is_empty()).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENANT: &str = "3f2a8b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

    #[test]
    fn entra_entity_ids_in_each_cloud() {
        for host in ENTRA_ENTITY_HOSTS {
            let id = format!("https://{host}/{}/", TENANT.to_uppercase());
            assert_eq!(entra_tenant(&id).as_deref(), Some(TENANT), "{id}");
        }
        assert_eq!(entra_tenant("https://sts.windows.net/not-a-guid/"), None);
        assert_eq!(
            entra_tenant("https://example.com/3f2a8b1c-5d6e-4f70-8a9b-0c1d2e3f4a5b/"),
            None
        );
    }

    #[test]
    fn appid_in_the_source_url_makes_it_application_specific() {
        let id = format!("https://sts.windows.net/{TENANT}/");
        let url = format!(
            "https://login.microsoftonline.com/{TENANT}/FederationMetadata/2007-06/FederationMetadata.xml?appid=abc"
        );
        let (kind, reason) = classify(&id, None, Some(&url));
        assert_eq!(kind, EntityKind::EntraApp);
        assert!(reason.contains("abc"), "{reason}");
        let (kind, reason) = classify(&id, None, None);
        assert_eq!(kind, EntityKind::EntraTenant);
        assert!(reason.contains("appid"), "{reason}");
    }

    #[test]
    fn adfs_by_entity_id() {
        let (kind, _) = classify("http://sts.contoso.com/adfs/services/trust", None, None);
        assert_eq!(kind, EntityKind::Adfs);
        let (kind, reason) = classify("https://idp.example.org/idp/shibboleth", None, None);
        assert_eq!(kind, EntityKind::Other);
        assert!(reason.contains("idp.example.org"));
    }
}
