//! The four ways an admin can give provisioning its credentials, and the tokens they lead to.

use time::OffsetDateTime;

use super::oauth::OAuthEndpoints;
use crate::secrets::Secret;

/// Credentials for the SCIM server.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// "Authorize" in the browser (OAuth 2.0 authorization code with PKCE): the tokens it gave.
    Authorized {
        /// Where to refresh.
        endpoints: OAuthEndpoints,
        /// The tokens (refreshed when expired).
        tokens: TokenSet,
    },
    /// An OAuth client: client ID and secret at the token endpoint (client credentials grant).
    ClientCredentials {
        /// The token endpoint and client ID.
        endpoints: OAuthEndpoints,
        /// The client secret.
        client_secret: Secret,
    },
    /// A SCIM secret token, sent as a bearer token.
    BearerToken(Secret),
    /// The deprecated GoToMeeting connector's admin user name and password, exchanged for a
    /// token at the token endpoint (OAuth 2.0 password grant, as that connector did).
    LegacyAdminPassword {
        /// The token endpoint and client.
        endpoints: OAuthEndpoints,
        /// The GoTo admin's user name (e-mail).
        user: String,
        /// Their password.
        password: Secret,
    },
}

impl Credentials {
    /// Every secret in these credentials, for redaction.
    pub fn secrets(&self) -> Vec<&Secret> {
        let mut secrets: Vec<&Secret> = match self {
            Credentials::Authorized { endpoints, tokens } => tokens
                .secrets()
                .into_iter()
                .chain(endpoints.client_secret.as_ref())
                .collect(),
            Credentials::ClientCredentials {
                endpoints,
                client_secret,
            } => std::iter::once(client_secret)
                .chain(endpoints.client_secret.as_ref())
                .collect(),
            Credentials::BearerToken(token) => vec![token],
            Credentials::LegacyAdminPassword {
                endpoints,
                password,
                ..
            } => std::iter::once(password)
                .chain(endpoints.client_secret.as_ref())
                .collect(),
        };
        // Nothing given is nothing to hide.
        secrets.retain(|secret| !secret.is_empty());
        secrets
    }
}

/// An access token, with its refresh token and expiry when the server gave them.
#[derive(Debug, Clone)]
pub struct TokenSet {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token.
    pub refresh_token: Option<Secret>,
    /// When the access token expires.
    pub expires_at: Option<OffsetDateTime>,
}

impl TokenSet {
    /// Only a refresh token, as kept between runs: there is no access token (an empty one,
    /// never a secret), and it counts as long expired, so the first request refreshes.
    pub fn refresh_only(refresh_token: Secret) -> Self {
        Self {
            access_token: Secret::default(),
            refresh_token: Some(refresh_token),
            expires_at: Some(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// True when the access token has expired, or will within `margin_seconds`.
    pub fn expires_within(&self, now: OffsetDateTime, margin_seconds: i64) -> bool {
        self.expires_at
            .is_some_and(|expires| expires <= now + time::Duration::seconds(margin_seconds))
    }

    /// The secrets, for redaction (an empty access token is none).
    pub fn secrets(&self) -> Vec<&Secret> {
        std::iter::once(&self.access_token)
            .chain(self.refresh_token.as_ref())
            .filter(|secret| !secret.is_empty())
            .collect()
    }
}
