//! OAuth 2.0 for provisioning, on the `oauth2` crate with this project's HTTPS client: client
//! credentials, refresh, and "Authorize in the browser" (authorization code with PKCE through
//! the system browser and a one-shot listener on 127.0.0.1, as RFC 8252 prescribes).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use oauth2::basic::{BasicClient, BasicErrorResponseType, BasicTokenResponse};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, ResourceOwnerPassword,
    ResourceOwnerUsername, Scope, TokenResponse, TokenUrl,
};
use time::OffsetDateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::credentials::TokenSet;
use crate::fetch::{self, FetchError, FetchOptions, HttpPolicy};
use crate::secrets::Secret;

/// Where and as whom to ask for tokens.
#[derive(Debug, Clone)]
pub struct OAuthEndpoints {
    /// The authorization endpoint (browser flow only).
    pub authorize_url: Option<String>,
    /// The token endpoint.
    pub token_url: String,
    /// The client ID.
    pub client_id: String,
    /// The client secret, for confidential clients (sent with HTTP Basic).
    pub client_secret: Option<Secret>,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
}

/// Getting a token failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct OAuthError {
    /// What happened.
    pub message: String,
    /// What to do.
    pub hint: String,
    /// The token endpoint's HTTP status, when it answered.
    pub http_status: Option<u16>,
    /// The transport failure, when there was one.
    pub transport: Option<Box<FetchError>>,
}

impl OAuthError {
    fn new(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: hint.into(),
            http_status: None,
            transport: None,
        }
    }

    fn with_transport(mut self, error: FetchError) -> Self {
        self.transport = Some(Box::new(error));
        self
    }
}

/// A token endpoint's answer is a few hundred bytes; more than this is refused unread.
const MAX_TOKEN_RESPONSE: usize = 1024 * 1024;

/// The transport error handed through `oauth2`, kept typed so it can be classified.
#[derive(Debug)]
enum Transport {
    /// The request failed.
    Request(reqwest::Error),
    /// The answer could not be read (too large, cut off).
    Body(FetchError),
}

impl std::fmt::Display for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Request(error) => error.fmt(f),
            Transport::Body(error) => write!(f, "{}", error.message),
        }
    }
}

impl std::error::Error for Transport {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Transport::Request(error) => Some(error),
            Transport::Body(_) => None,
        }
    }
}

type HttpFuture = Pin<Box<dyn Future<Output = Result<oauth2::HttpResponse, Transport>> + Send>>;

/// Adapts the project's reqwest client to `oauth2`'s HTTP interface.
fn http_adapter(
    client: reqwest::Client,
    options: &FetchOptions,
) -> impl Fn(oauth2::HttpRequest) -> HttpFuture {
    let options = options.clone();
    move |request: oauth2::HttpRequest| {
        let client = client.clone();
        let options = options.clone();
        Box::pin(async move {
            let (parts, body) = request.into_parts();
            let response = client
                .request(parts.method, parts.uri.to_string())
                .headers(parts.headers)
                .body(body)
                .send()
                .await
                .map_err(Transport::Request)?;
            let mut builder = oauth2::http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                builder = builder.header(name, value);
            }
            let url = response.url().to_string();
            let mut response = response;
            let body = fetch::read_body(&mut response, MAX_TOKEN_RESPONSE, &url, &options)
                .await
                .map_err(Transport::Body)?;
            // The status and headers come from a valid response, so building cannot fail.
            Ok(builder.body(body).unwrap_or_default())
        })
    }
}

/// Client credentials grant.
pub(crate) async fn client_credentials(
    endpoints: &OAuthEndpoints,
    options: &FetchOptions,
) -> Result<TokenSet, OAuthError> {
    let http = http_client(&endpoints.token_url, options)?;
    let client = basic_client(endpoints)?;
    let mut request = client.exchange_client_credentials();
    for scope in &endpoints.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let response = request.request_async(&http_adapter(http, options)).await;
    token_set(response, endpoints, options, "client credentials")
}

/// Password grant (the deprecated connector's admin user name and password).
pub(crate) async fn password(
    endpoints: &OAuthEndpoints,
    user: &str,
    password: &Secret,
    options: &FetchOptions,
) -> Result<TokenSet, OAuthError> {
    let http = http_client(&endpoints.token_url, options)?;
    let client = basic_client(endpoints)?;
    let user = ResourceOwnerUsername::new(user.to_owned());
    let password = ResourceOwnerPassword::new(password.expose().to_owned());
    let mut request = client.exchange_password(&user, &password);
    for scope in &endpoints.scopes {
        request = request.add_scope(Scope::new(scope.clone()));
    }
    let response = request.request_async(&http_adapter(http, options)).await;
    token_set(response, endpoints, options, "password")
}

/// Refresh grant.
pub(crate) async fn refresh(
    endpoints: &OAuthEndpoints,
    refresh_token: &Secret,
    options: &FetchOptions,
) -> Result<TokenSet, OAuthError> {
    let http = http_client(&endpoints.token_url, options)?;
    let client = basic_client(endpoints)?;
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let response = client
        .exchange_refresh_token(&token)
        .request_async(&http_adapter(http, options))
        .await;
    let mut tokens = token_set(response, endpoints, options, "refresh")?;
    // Servers that do not rotate refresh tokens leave the old one valid.
    if tokens.refresh_token.is_none() {
        tokens.refresh_token = Some(refresh_token.clone());
    }
    Ok(tokens)
}

fn http_client(token_url: &str, options: &FetchOptions) -> Result<reqwest::Client, OAuthError> {
    // Token endpoints answer directly; following redirects with credentials would leak them.
    fetch::http_client_without_redirects(options, token_url).map_err(transport_error)
}

/// A request refused or failed on the way, as an [`OAuthError`] that keeps the named cause.
fn transport_error(error: FetchError) -> OAuthError {
    OAuthError::new(error.message.clone(), error.hint.clone()).with_transport(error)
}

type ConfiguredClient = oauth2::Client<
    oauth2::basic::BasicErrorResponse,
    BasicTokenResponse,
    oauth2::basic::BasicTokenIntrospectionResponse,
    oauth2::StandardRevocableToken,
    oauth2::basic::BasicRevocationErrorResponse,
    oauth2::EndpointMaybeSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

fn basic_client(endpoints: &OAuthEndpoints) -> Result<ConfiguredClient, OAuthError> {
    let token_url = TokenUrl::new(endpoints.token_url.clone()).map_err(|error| {
        OAuthError::new(
            format!("the token URL {} is not a valid URL ({error})", endpoints.token_url),
            "copy the token endpoint again (for GoTo: https://authentication.logmeininc.com/oauth/token)",
        )
    })?;
    let authorize_url = match &endpoints.authorize_url {
        Some(url) => Some(AuthUrl::new(url.clone()).map_err(|error| {
            OAuthError::new(
                format!("the authorization URL {url} is not a valid URL ({error})"),
                "copy the authorization endpoint again",
            )
        })?),
        None => None,
    };
    let mut client = BasicClient::new(ClientId::new(endpoints.client_id.clone()))
        .set_token_uri(token_url)
        .set_auth_uri_option(authorize_url);
    if let Some(secret) = &endpoints.client_secret {
        client = client.set_client_secret(ClientSecret::new(secret.expose().to_owned()));
    }
    Ok(client)
}

fn token_set<E: std::error::Error + 'static>(
    response: Result<BasicTokenResponse, RequestTokenError<E, oauth2::basic::BasicErrorResponse>>,
    endpoints: &OAuthEndpoints,
    options: &FetchOptions,
    grant: &str,
) -> Result<TokenSet, OAuthError> {
    match response {
        Ok(token) => Ok(TokenSet {
            access_token: Secret::new(token.access_token().secret().clone()),
            refresh_token: token
                .refresh_token()
                .map(|refresh| Secret::new(refresh.secret().clone())),
            expires_at: token.expires_in().and_then(|lifetime| {
                let seconds = i64::try_from(lifetime.as_secs()).ok()?;
                Some(OffsetDateTime::now_utc() + time::Duration::seconds(seconds))
            }),
        }),
        Err(RequestTokenError::ServerResponse(answer)) => {
            let (meaning, hint) = match answer.error() {
                BasicErrorResponseType::InvalidClient => (
                    "the client ID or client secret is wrong",
                    "copy the client ID and secret again; a secret is shown only once when it is created",
                ),
                BasicErrorResponseType::InvalidGrant if grant == "password" => (
                    "the user name or password is wrong",
                    "check the GoTo admin's user name and password; better, switch to \"Authorize\", which replaces this deprecated method",
                ),
                BasicErrorResponseType::InvalidGrant => (
                    "the authorization or refresh token is no longer valid",
                    "authorize again in the browser",
                ),
                BasicErrorResponseType::UnauthorizedClient => (
                    "this client may not use this kind of sign-in",
                    "ask the GoTo admin to allow the grant for this client",
                ),
                BasicErrorResponseType::InvalidScope => (
                    "the scopes asked for are not allowed",
                    "remove the scopes, or ask for the ones GoTo documents",
                ),
                BasicErrorResponseType::UnsupportedGrantType if grant == "password" => (
                    "the token endpoint no longer accepts a user name and password",
                    "Microsoft and GoTo have retired this method: use \"Authorize\" (or a client ID and secret) instead",
                ),
                BasicErrorResponseType::UnsupportedGrantType => (
                    "the token endpoint does not offer this kind of sign-in",
                    "choose another credential kind",
                ),
                _ => (
                    "the token endpoint refused the request",
                    "check the token URL and the client",
                ),
            };
            let described = answer
                .error_description()
                .map(|text| format!(": {text}"))
                .unwrap_or_default();
            Err(OAuthError::new(
                format!(
                    "{} grant at {}: {meaning} ({}{described})",
                    grant,
                    endpoints.token_url,
                    answer.error().as_ref()
                ),
                hint,
            ))
        }
        Err(RequestTokenError::Request(error)) => {
            let transport = find_reqwest(&error).map(|inner| {
                Box::new(fetch::describe_request_error(
                    inner,
                    &endpoints.token_url,
                    options,
                ))
            });
            let message = transport
                .as_ref()
                .map_or_else(|| error.to_string(), |named| named.message.clone());
            let hint = transport.as_ref().map_or_else(
                || "check the token URL and the network".to_owned(),
                |named| named.hint.clone(),
            );
            Err(OAuthError {
                transport,
                ..OAuthError::new(
                    format!("the token endpoint could not be reached: {message}"),
                    hint,
                )
            })
        }
        Err(RequestTokenError::Parse(error, body)) => Err(OAuthError::new(
            format!(
                "the token endpoint {} answered something that is not an OAuth token response ({error}; {} bytes)",
                endpoints.token_url,
                body.len()
            ),
            "check that the token URL is the token endpoint itself, not a sign-in page",
        )),
        Err(RequestTokenError::Other(text)) => {
            let status = text
                .split_whitespace()
                .find_map(|word| word.parse::<u16>().ok().filter(|n| (100..600).contains(n)));
            Err(OAuthError {
                http_status: status,
                ..OAuthError::new(
                    format!(
                        "the token endpoint {} answered: {text}",
                        endpoints.token_url
                    ),
                    "check the token URL; a 404 means the path is wrong",
                )
            })
        }
    }
}

fn find_reqwest<'e>(error: &'e (dyn std::error::Error + 'static)) -> Option<&'e reqwest::Error> {
    let mut current = Some(error);
    while let Some(candidate) = current {
        if let Some(found) = candidate.downcast_ref::<reqwest::Error>() {
            return Some(found);
        }
        current = candidate.source();
    }
    None
}

mod browser;

pub use browser::{BrowserAuthorization, CallbackPort, DEFAULT_CALLBACK_PORT};
