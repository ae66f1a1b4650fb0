//! Builds the federation metadata URL GoTo needs from whatever the admin pasted: a tenant ID,
//! a domain, a metadata URL (tenant-wide or the portal's "App Federation Metadata Url"), or an
//! AD FS host, plus the application ID. Conflicts are reported, never silently resolved.

mod cloud;
mod error;

use url::Url;

use crate::ids::canonical_guid;
pub use cloud::Cloud;
pub use error::UrlError;

/// The path every Entra and AD FS federation metadata document lives at.
pub const METADATA_PATH: &str = "FederationMetadata/2007-06/FederationMetadata.xml";

/// The URL to fetch, with what it was built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MetadataUrl {
    /// The canonical URL.
    pub url: String,
    /// The tenant (GUID or domain, lower case), or the AD FS / custom host.
    pub tenant: String,
    /// The application ID (lower case), when there is one.
    pub app_id: Option<String>,
    /// Which cloud or server kind.
    pub cloud: Cloud,
    /// Things the admin should know (normalisations made, assumptions).
    pub warnings: Vec<String>,
}

/// What the admin typed.
#[derive(Debug, Clone, Default)]
pub struct UrlRequest<'a> {
    /// Tenant GUID, domain, metadata URL or AD FS host.
    pub tenant: &'a str,
    /// Application (client) ID, if any.
    pub app_id: Option<&'a str>,
    /// The cloud, when the admin chose one; `None` means "work it out" (global for bare IDs).
    pub cloud: Option<Cloud>,
}

/// Builds the canonical metadata URL.
pub fn build(request: &UrlRequest<'_>) -> Result<MetadataUrl, UrlError> {
    let typed_app_id = parse_app_id(request.app_id)?;
    let input = request.tenant.trim();
    if input.is_empty() {
        return Err(UrlError::Empty);
    }
    if input.chars().any(char::is_whitespace) {
        return Err(UrlError::Whitespace {
            input: input.to_owned(),
        });
    }
    let (mut built, url_app_id) = if input.contains("://") {
        from_url(input, request.cloud)?
    } else {
        (from_bare(input, request.cloud)?, None)
    };
    let app_id = match (url_app_id, typed_app_id) {
        (Some(in_url), Some(typed)) if in_url != typed => {
            return Err(UrlError::AppIdConflict { in_url, typed });
        }
        (in_url, typed) => in_url.or(typed),
    };
    let mut url = built.base;
    if built.cloud == Cloud::Adfs {
        if app_id.is_some() {
            built.warnings.push(
                "AD FS publishes one metadata document for the whole server: the application ID is not part of its URL and was left out"
                    .to_owned(),
            );
        }
        return Ok(MetadataUrl {
            url,
            tenant: built.tenant,
            app_id: None,
            cloud: built.cloud,
            warnings: built.warnings,
        });
    }
    match &app_id {
        Some(app_id) => url.push_str(&format!("?appid={app_id}")),
        None => built.warnings.push(
            "without an application ID this is the tenant-wide document; GoTo needs the application's own \
             (add the Application ID of the GoTo enterprise app)"
                .to_owned(),
        ),
    }
    Ok(MetadataUrl {
        url,
        tenant: built.tenant,
        app_id,
        cloud: built.cloud,
        warnings: built.warnings,
    })
}

/// The pieces being put together.
struct Parts {
    /// The URL without its query.
    base: String,
    tenant: String,
    cloud: Cloud,
    warnings: Vec<String>,
}

fn parse_app_id(app_id: Option<&str>) -> Result<Option<String>, UrlError> {
    match app_id.map(str::trim).filter(|id| !id.is_empty()) {
        None => Ok(None),
        Some(text) => canonical_guid(text)
            .map(Some)
            .ok_or_else(|| UrlError::InvalidAppId {
                input: text.to_owned(),
            }),
    }
}

/// A tenant GUID, a domain, or an AD FS host name, without a scheme.
fn from_bare(input: &str, cloud: Option<Cloud>) -> Result<Parts, UrlError> {
    let tenant_like = input.trim_end_matches('/');
    if tenant_like.contains('/') || tenant_like.contains('?') || tenant_like.contains('#') {
        return Err(UrlError::NotATenant {
            input: input.to_owned(),
        });
    }
    if let Some(guid) = canonical_guid(tenant_like) {
        let cloud = cloud.unwrap_or(Cloud::Global);
        if matches!(cloud, Cloud::Adfs | Cloud::Custom) {
            return Err(UrlError::NotATenant {
                input: input.to_owned(),
            });
        }
        return Ok(parts(cloud, guid, Vec::new()));
    }
    if reserved_tenant(&tenant_like.to_ascii_lowercase()) {
        return Err(UrlError::NotYourTenant {
            tenant: tenant_like.to_ascii_lowercase(),
        });
    }
    let domain = valid_domain(tenant_like).ok_or_else(|| UrlError::NotATenant {
        input: input.to_owned(),
    })?;
    let looks_like_adfs = domain
        .split('.')
        .next()
        .is_some_and(|label| ["adfs", "sts", "fs", "federation"].contains(&label));
    match cloud {
        Some(Cloud::Adfs) => Ok(parts(Cloud::Adfs, domain, Vec::new())),
        None if looks_like_adfs => Ok(parts(
            Cloud::Adfs,
            domain.clone(),
            vec![format!(
                "{domain} was taken for an AD FS server because of its first label; if it is a domain verified \
                 in Entra instead, choose the cloud explicitly (--cloud global)"
            )],
        )),
        Some(Cloud::Custom) => Err(UrlError::NotATenant {
            input: input.to_owned(),
        }),
        other => Ok(parts(other.unwrap_or(Cloud::Global), domain, Vec::new())),
    }
}

/// Entra: `https://<cloud host>/<tenant>/<path>`; AD FS: `https://<host>/<path>`.
fn parts(cloud: Cloud, tenant: String, warnings: Vec<String>) -> Parts {
    let base = match cloud.host() {
        Some(host) => format!("https://{host}/{tenant}/{METADATA_PATH}"),
        None => format!("https://{tenant}/{METADATA_PATH}"),
    };
    Parts {
        base,
        tenant,
        cloud,
        warnings,
    }
}

/// A full URL: Entra's tenant or application metadata URL, an AD FS metadata URL or host, or a
/// custom federation endpoint. Returns the parts and the `appid` found in the query.
fn from_url(input: &str, cloud: Option<Cloud>) -> Result<(Parts, Option<String>), UrlError> {
    let url = Url::parse(input).map_err(|error| UrlError::Malformed {
        input: input.to_owned(),
        reason: error.to_string(),
    })?;
    match url.scheme() {
        "https" => {}
        "http" => {
            return Err(UrlError::PlainHttp {
                input: input.to_owned(),
            });
        }
        other => {
            return Err(UrlError::Malformed {
                input: input.to_owned(),
                reason: format!("the scheme is {other}:, expected https:"),
            });
        }
    }
    if url.fragment().is_some() {
        return Err(UrlError::Fragment {
            input: input.to_owned(),
        });
    }
    let host = url
        .host_str()
        .ok_or_else(|| UrlError::Malformed {
            input: input.to_owned(),
            reason: "it has no host name".to_owned(),
        })?
        .to_ascii_lowercase();
    let host_with_port = match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    let mut warnings = Vec::new();
    let mut app_id = None;
    for (key, value) in url.query_pairs() {
        if key.eq_ignore_ascii_case("appid") {
            app_id = Some(
                canonical_guid(&value).ok_or_else(|| UrlError::InvalidAppId {
                    input: value.to_string(),
                })?,
            );
        } else {
            warnings.push(format!(
                "the query parameter {key} was dropped: the metadata URL takes only appid"
            ));
        }
    }
    let segments: Vec<String> = url
        .path_segments()
        .map(|segments| {
            segments
                .filter(|segment| !segment.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let metadata_suffix: Vec<&str> = METADATA_PATH.split('/').collect();
    let is_metadata_path = |rest: &[String]| {
        rest.len() == metadata_suffix.len()
            && rest
                .iter()
                .zip(&metadata_suffix)
                .all(|(have, want)| have.eq_ignore_ascii_case(want))
    };

    if let Some(url_cloud) = Cloud::from_entra_host(&host) {
        if let Some(chosen) = cloud.filter(|chosen| *chosen != url_cloud) {
            return Err(UrlError::CloudConflict {
                host,
                chosen,
                in_url: url_cloud,
            });
        }
        if host == "login.windows.net" {
            warnings.push(
                "login.windows.net was replaced by login.microsoftonline.com, which serves the same document".to_owned(),
            );
        }
        let [tenant, rest @ ..] = segments.as_slice() else {
            return Err(UrlError::NoTenantInUrl {
                input: input.to_owned(),
            });
        };
        if !rest.is_empty() && !is_metadata_path(rest) {
            return Err(UrlError::NotMetadataPath {
                input: input.to_owned(),
            });
        }
        if reserved_tenant(&tenant.to_ascii_lowercase()) {
            return Err(UrlError::NotYourTenant {
                tenant: tenant.to_ascii_lowercase(),
            });
        }
        let tenant = canonical_guid(tenant)
            .or_else(|| valid_domain(tenant))
            .ok_or_else(|| UrlError::NotATenant {
                input: tenant.clone(),
            })?;
        return Ok((parts(url_cloud, tenant, warnings), app_id));
    }

    // Not an Entra host: AD FS (a bare host, /adfs/..., or the metadata path) or a custom endpoint.
    let is_adfs = segments.is_empty()
        || segments
            .first()
            .is_some_and(|s| s.eq_ignore_ascii_case("adfs"))
        || (is_metadata_path(&segments) && cloud != Some(Cloud::Custom));
    if is_adfs && matches!(cloud, None | Some(Cloud::Adfs)) {
        if !segments.is_empty() && !is_metadata_path(&segments) {
            warnings.push(format!(
                "{input} is not the metadata document; AD FS serves it at https://{host_with_port}/{METADATA_PATH}"
            ));
        }
        return Ok((parts(Cloud::Adfs, host_with_port, warnings), app_id));
    }
    if let Some(chosen @ (Cloud::Global | Cloud::UsGov | Cloud::China)) = cloud {
        return Err(UrlError::CloudConflict {
            host,
            chosen,
            in_url: Cloud::Custom,
        });
    }
    // A custom federation endpoint: keep its path as typed (adding the metadata path when it has
    // none), and add appid when given.
    warnings.push(format!(
        "{host} is not a Microsoft sign-in host; it is used as a custom federation endpoint"
    ));
    let path = url.path().trim_end_matches('/');
    let base = if segments
        .last()
        .is_some_and(|s| s.eq_ignore_ascii_case("FederationMetadata.xml"))
    {
        format!("https://{host_with_port}{path}")
    } else {
        format!("https://{host_with_port}{path}/{METADATA_PATH}")
    };
    let custom = Parts {
        base,
        tenant: host_with_port,
        cloud: Cloud::Custom,
        warnings,
    };
    Ok((custom, app_id))
}

/// Lower-cased `text` when it is a plausible DNS name with at least one dot.
fn valid_domain(text: &str) -> Option<String> {
    let domain = text.trim_end_matches('.').to_ascii_lowercase();
    let labels: Vec<&str> = domain.split('.').collect();
    let ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.bytes().any(|b| b.is_ascii_alphabetic()));
    ok.then_some(domain)
}

/// Entra's tenant-independent aliases, which never identify the admin's own tenant.
fn reserved_tenant(tenant: &str) -> bool {
    matches!(tenant, "common" | "organizations" | "consumers")
}

#[cfg(test)]
mod tests;
