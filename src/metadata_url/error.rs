//! Why no metadata URL could be built, and what to type instead.

use super::Cloud;

/// Input that does not lead to a metadata URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Nothing typed.
    #[error(
        "enter your tenant: its ID (a GUID from the Entra overview page), a verified domain such as contoso.com, \
         or the App Federation Metadata Url from the enterprise app's Single sign-on page"
    )]
    Empty,
    /// Spaces inside the input.
    #[error("\"{input}\" contains spaces; paste the tenant ID, domain or URL without them")]
    Whitespace {
        /// What was typed.
        input: String,
    },
    /// Neither a GUID nor a domain nor a URL.
    #[error(
        "\"{input}\" is not a tenant ID (a GUID like 72f988bf-86f1-41af-91ab-2d7cd011db47), a domain \
         (contoso.com) or a URL (https://…)"
    )]
    NotATenant {
        /// What was typed.
        input: String,
    },
    /// `common`, `organizations` or `consumers`.
    #[error(
        "\"{tenant}\" is not your tenant but an alias for any tenant; use your tenant ID or verified domain instead"
    )]
    NotYourTenant {
        /// The alias.
        tenant: String,
    },
    /// The application ID is not a GUID.
    #[error(
        "\"{input}\" is not an application ID: copy the Application ID (a GUID) from the GoTo enterprise app's \
         Properties page in Entra"
    )]
    InvalidAppId {
        /// What was typed.
        input: String,
    },
    /// The pasted URL has one application ID and the typed one differs.
    #[error(
        "the URL is for application {in_url}, but the application ID typed is {typed}; clear one of them or make them match"
    )]
    AppIdConflict {
        /// The `appid` in the URL.
        in_url: String,
        /// The separately typed one.
        typed: String,
    },
    /// The chosen cloud and the URL's host disagree.
    #[error(
        "{host} belongs to the {in_url} cloud, but {chosen} was chosen; pick {in_url} or change the URL"
    )]
    CloudConflict {
        /// The URL's host.
        host: String,
        /// The cloud chosen.
        chosen: Cloud,
        /// The cloud of the host.
        in_url: Cloud,
    },
    /// `http://`.
    #[error(
        "{input} uses http://; metadata must come over https:// so that nobody can swap the certificate on the way"
    )]
    PlainHttp {
        /// What was typed.
        input: String,
    },
    /// A `#fragment`.
    #[error(
        "{input} has a #fragment, which is no part of a metadata URL; remove it and what follows"
    )]
    Fragment {
        /// What was typed.
        input: String,
    },
    /// Not parseable as a URL.
    #[error("{input} is not a valid URL: {reason}")]
    Malformed {
        /// What was typed.
        input: String,
        /// Why.
        reason: String,
    },
    /// A Microsoft sign-in URL without a tenant.
    #[error(
        "{input} has no tenant after the host; it should look like https://login.microsoftonline.com/<tenant>/{}",
        super::METADATA_PATH
    )]
    NoTenantInUrl {
        /// What was typed.
        input: String,
    },
    /// A Microsoft sign-in URL for something other than the metadata document.
    #[error(
        "{input} is not a federation metadata URL; copy the App Federation Metadata Url from the enterprise app's Single sign-on page"
    )]
    NotMetadataPath {
        /// What was typed.
        input: String,
    },
}

impl UrlError {
    /// A stable name for scripts (`--json` output).
    pub fn kind(&self) -> &'static str {
        match self {
            UrlError::Empty => "empty",
            UrlError::Whitespace { .. } => "whitespace",
            UrlError::NotATenant { .. } | UrlError::NotYourTenant { .. } => "invalid_tenant",
            UrlError::InvalidAppId { .. } => "invalid_app_id",
            UrlError::AppIdConflict { .. } => "app_id_conflict",
            UrlError::CloudConflict { .. } => "cloud_conflict",
            UrlError::PlainHttp { .. } => "plain_http",
            UrlError::Fragment { .. } => "fragment",
            UrlError::Malformed { .. }
            | UrlError::NoTenantInUrl { .. }
            | UrlError::NotMetadataPath { .. } => "invalid_url",
        }
    }
}
