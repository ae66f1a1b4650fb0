//! "Authorize in the browser": the authorization-code flow with PKCE, its loopback listener on
//! 127.0.0.1 (a fixed port whose redirect URI is registered with the OAuth client, or any free
//! one) and the callback it waits for.

use super::*;

/// "Authorize in the browser", begun: open [`BrowserAuthorization::url`] in the system browser,
/// then await [`BrowserAuthorization::finish`]. Dropping it closes the listener (cancel).
pub struct BrowserAuthorization {
    url: String,
    listener: TcpListener,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
    redirect_uri: String,
    endpoints: OAuthEndpoints,
}

impl std::fmt::Debug for BrowserAuthorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BrowserAuthorization")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// The loopback path the browser is sent back to.
const CALLBACK_PATH: &str = "/callback";

/// The loopback port the browser authorization listens on unless the admin picks another. An
/// OAuth client registered with GoTo accepts only the redirect URIs registered for it, exactly,
/// port included; a fixed port lets the admin register `http://127.0.0.1:47821/callback` once.
pub const DEFAULT_CALLBACK_PORT: u16 = 47821;

/// Which loopback port the browser authorization listens on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackPort {
    /// This port, whose redirect URI is registered with the OAuth client.
    Fixed(u16),
    /// Any free port, for authorization servers that accept any loopback port (RFC 8252 §7.3).
    Any,
}

impl Default for CallbackPort {
    fn default() -> Self {
        CallbackPort::Fixed(DEFAULT_CALLBACK_PORT)
    }
}

impl CallbackPort {
    /// `0` means any free port, as for sockets.
    pub fn from_number(port: u16) -> Self {
        if port == 0 {
            CallbackPort::Any
        } else {
            CallbackPort::Fixed(port)
        }
    }

    /// A fixed port typed by a person: 1024 to 65535 (lower ports need privileges to listen on).
    pub fn parse_fixed(text: &str) -> Option<Self> {
        text.trim()
            .parse::<u16>()
            .ok()
            .filter(|port| *port >= 1024)
            .map(CallbackPort::Fixed)
    }

    /// The number kept in settings: `0` for any free port.
    pub fn number(self) -> u16 {
        match self {
            CallbackPort::Fixed(port) => port,
            CallbackPort::Any => 0,
        }
    }

    /// The redirect URI to register with the OAuth client, when the port is fixed.
    pub fn redirect_uri(self) -> Option<String> {
        match self {
            CallbackPort::Fixed(port) => Some(redirect_uri(port)),
            CallbackPort::Any => None,
        }
    }
}

/// The redirect URI of a listener on `port`.
fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

impl BrowserAuthorization {
    /// [`BrowserAuthorization::begin_on`] any free port.
    pub async fn begin(endpoints: &OAuthEndpoints, policy: HttpPolicy) -> Result<Self, OAuthError> {
        Self::begin_on(endpoints, policy, CallbackPort::Any).await
    }

    /// Opens the one-shot listener on 127.0.0.1 at `port` and prepares the authorization URL
    /// (with `state` and a PKCE S256 challenge). The authorization and token URLs must pass
    /// `policy` (the browser is sent to the one, the code and verifier to the other).
    pub async fn begin_on(
        endpoints: &OAuthEndpoints,
        policy: HttpPolicy,
        port: CallbackPort,
    ) -> Result<Self, OAuthError> {
        let Some(authorize_url) = &endpoints.authorize_url else {
            return Err(OAuthError::new(
                "no authorization URL is set",
                "enter the authorization endpoint (for GoTo: https://authentication.logmeininc.com/oauth/authorize)",
            ));
        };
        for url in [authorize_url, &endpoints.token_url] {
            policy.check(url).map_err(transport_error)?;
        }
        let listener = match port {
            CallbackPort::Fixed(number) => {
                TcpListener::bind(("127.0.0.1", number)).await.map_err(|error| {
                    OAuthError::new(
                        format!("port {number} on this computer could not be opened for the browser's answer: {error}"),
                        "another authorization may still be waiting (close it), or another program uses the port: \
                         choose another port and register its redirect URI with your OAuth client",
                    )
                })?
            }
            CallbackPort::Any => TcpListener::bind(("127.0.0.1", 0)).await.map_err(|error| {
                OAuthError::new(
                    format!("no local port could be opened for the browser's answer: {error}"),
                    "a security tool may block local listeners; use the client-secret or token method instead",
                )
            })?,
        };
        let port = listener
            .local_addr()
            .map_err(|error| {
                OAuthError::new(format!("the local listener has no address: {error}"), "")
            })?
            .port();
        let redirect_uri = redirect_uri(port);
        let client = basic_client(endpoints)?.set_redirect_uri(
            RedirectUrl::new(redirect_uri.clone())
                .map_err(|error| OAuthError::new(format!("bad redirect URI: {error}"), ""))?,
        );
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .map_err(|error| {
                OAuthError::new(format!("the authorization URL is missing: {error}"), "")
            })?
            .set_pkce_challenge(challenge);
        for scope in &endpoints.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state) = request.url();
        Ok(Self {
            url: url.to_string(),
            listener,
            state,
            verifier,
            redirect_uri,
            endpoints: endpoints.clone(),
        })
    }

    /// The URL to open in the browser.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The loopback address the browser comes back to.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits (at most `wait`) for the browser to come back, checks `state`, exchanges the code
    /// (with the PKCE verifier) for tokens, and closes the listener.
    pub async fn finish(
        self,
        options: &FetchOptions,
        wait: Duration,
    ) -> Result<TokenSet, OAuthError> {
        let code = tokio::time::timeout(wait, self.wait_for_code())
            .await
            .map_err(|_| {
                OAuthError::new(
                    format!("no answer from the browser within {} s", wait.as_secs()),
                    "finish signing in in the browser window that opened, or start again",
                )
            })??;
        let http = http_client(&self.endpoints.token_url, options)?;
        let client = basic_client(&self.endpoints)?.set_redirect_uri(
            RedirectUrl::new(self.redirect_uri.clone())
                .map_err(|error| OAuthError::new(format!("bad redirect URI: {error}"), ""))?,
        );
        let response = client
            .exchange_code(AuthorizationCode::new(code))
            .set_pkce_verifier(self.verifier)
            .request_async(&http_adapter(http, options))
            .await;
        // The CLI and the window show this message as it is: a token endpoint echoing the
        // client secret back must not put it on the screen.
        token_set(response, &self.endpoints, options, "authorization code").map_err(|mut error| {
            let secrets: Vec<&Secret> = self.endpoints.client_secret.iter().collect();
            error.message = crate::provisioning::report::redact(&error.message, &secrets);
            error
        })
    }

    /// Serves every connection to the listener on a task of its own (a connection that never
    /// sends its request holds up nobody) until one brings this authorization's `state`.
    /// Callbacks with another `state` get an error page and are ignored: a stranger cannot end
    /// the flow. Returns when the right callback has been answered.
    async fn wait_for_code(&self) -> Result<String, OAuthError> {
        let expected: Arc<str> = Arc::from(self.state.secret().as_str());
        // Dropped on return (the answer came, or the caller timed out): aborts the rest.
        let mut connections = tokio::task::JoinSet::new();
        loop {
            tokio::select! {
                accepted = self.listener.accept() => {
                    let (stream, _) = accepted.map_err(|error| {
                        OAuthError::new(format!("the local listener failed: {error}"), "start again")
                    })?;
                    if connections.len() < MAX_CALLBACK_CONNECTIONS {
                        connections.spawn(serve_callback(stream, Arc::clone(&expected)));
                    }
                }
                Some(served) = connections.join_next(), if !connections.is_empty() => {
                    if let Ok(Some(outcome)) = served {
                        return outcome;
                    }
                }
            }
        }
    }
}

/// At most this many connections to the callback listener are served at once; more are closed
/// at once (each lasts at most [`CALLBACK_READ_TIMEOUT`]).
const MAX_CALLBACK_CONNECTIONS: usize = 64;

/// How long one connection may take to send its request head.
const CALLBACK_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Answers one connection to the callback listener. `None` when it was not the answer to this
/// authorization (another path, another `state`, no request at all): the flow waits on.
async fn serve_callback(
    mut stream: tokio::net::TcpStream,
    expected_state: Arc<str>,
) -> Option<Result<String, OAuthError>> {
    let target = read_request_target(&mut stream).await?;
    let url = url::Url::parse(&format!("http://127.0.0.1{target}")).ok();
    let Some(url) = url.filter(|url| url.path() == CALLBACK_PATH) else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return None;
    };
    let parameter = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    if parameter("state").as_deref() != Some(&*expected_state) {
        answer(
            &mut stream,
            "400 Bad Request",
            "This answer does not belong to the sign-in GoTo SSO Wizard is waiting for (its \
             state value differs), so it was ignored. If you started the authorization, finish \
             it in the browser tab the wizard opened, or start it again from the wizard.",
        )
        .await;
        return None;
    }
    let outcome = if let Some(error) = parameter("error") {
        let described = parameter("error_description").unwrap_or_default();
        Err(OAuthError::new(
            format!("the authorization was refused: {error} {described}"),
            "sign in as a GoTo organization admin and accept the request",
        ))
    } else if let Some(code) = parameter("code") {
        Ok(code)
    } else {
        Err(OAuthError::new(
            "the browser came back without a code",
            "start again",
        ))
    };
    match &outcome {
        Ok(_) => {
            answer(
                &mut stream,
                "200 OK",
                "Authorization complete. You can close this tab and return to GoTo SSO Wizard.",
            )
            .await;
        }
        Err(error) => {
            let page = format!(
                "Authorization failed: {}. Return to GoTo SSO Wizard.",
                error.message
            );
            answer(&mut stream, "400 Bad Request", &page).await;
        }
    }
    Some(outcome)
}

/// Writes a small HTML page saying `text` (escaped here) and closes the connection.
async fn answer(stream: &mut tokio::net::TcpStream, status: &str, text: &str) {
    let body = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>GoTo SSO Wizard</title></head>\
         <body style=\"font-family:sans-serif;margin:3em\"><p>{}</p></body></html>",
        html_escape(text)
    );
    let response = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(CALLBACK_READ_TIMEOUT, async {
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// The request target of one HTTP request head (at most 16 KiB, [`CALLBACK_READ_TIMEOUT`]).
async fn read_request_target(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    let read = async {
        while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
            let n = stream.read(&mut buffer).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(buffer.get(..n)?);
        }
        Some(())
    };
    tokio::time::timeout(CALLBACK_READ_TIMEOUT, read)
        .await
        .ok()??;
    let line = String::from_utf8_lossy(&head).lines().next()?.to_owned();
    let mut parts = line.split(' ');
    (parts.next()? == "GET").then_some(())?;
    parts.next().map(str::to_owned)
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
