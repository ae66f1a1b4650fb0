//! The token step: the bearer token given, or one got from the token endpoint (client
//! credentials, password), or the browser authorization's, refreshed when it has expired.

use super::*;

impl Run<'_> {
    pub(crate) async fn token(&mut self, credentials: &mut Credentials) -> Option<Auth> {
        let started = Instant::now();
        match credentials {
            Credentials::BearerToken(token) => {
                let auth = Auth::Bearer(token.clone());
                self.record(
                    StepName::Token,
                    true,
                    None,
                    started,
                    "the token given is used as it is (bearer)".into(),
                );
                Some(auth)
            }
            Credentials::LegacyAdminPassword {
                endpoints,
                user,
                password,
            } => match oauth::password(endpoints, user, password, &self.options.http).await {
                Ok(tokens) => {
                    self.secrets.extend(tokens.secrets().into_iter().cloned());
                    let detail = format!(
                        "exchanged the admin user name {user} and password for a token at {}{} (password grant, as the \
                         GoToMeeting connector did). Microsoft has deprecated that connector: use the GoTo app's \
                         \"Authorize\" instead",
                        endpoints.token_url,
                        lifetime(&tokens)
                    );
                    self.record(StepName::Token, true, None, started, detail);
                    Some(Auth::Bearer(tokens.access_token))
                }
                Err(error) => {
                    let detail = format!(
                        "{} (the admin user name and password belong to the GoToMeeting connector Microsoft has deprecated)",
                        oauth_detail(&error)
                    );
                    self.record(StepName::Token, false, error.http_status, started, detail);
                    None
                }
            },
            Credentials::ClientCredentials {
                endpoints,
                client_secret,
            } => {
                let endpoints = oauth::OAuthEndpoints {
                    client_secret: Some(client_secret.clone()),
                    ..endpoints.clone()
                };
                match oauth::client_credentials(&endpoints, &self.options.http).await {
                    Ok(tokens) => {
                        self.secrets.extend(tokens.secrets().into_iter().cloned());
                        let detail = format!(
                            "got an access token from {}{}",
                            endpoints.token_url,
                            lifetime(&tokens)
                        );
                        self.record(StepName::Token, true, None, started, detail);
                        Some(Auth::Bearer(tokens.access_token))
                    }
                    Err(error) => {
                        self.record(
                            StepName::Token,
                            false,
                            error.http_status,
                            started,
                            oauth_detail(&error),
                        );
                        None
                    }
                }
            }
            Credentials::Authorized { endpoints, tokens } => {
                let now = OffsetDateTime::now_utc();
                let margin =
                    i64::try_from(self.options.refresh_margin.as_secs()).unwrap_or(i64::MAX);
                if tokens.expires_within(now, margin) {
                    let why = if tokens.expires_within(now, 0) {
                        "the access token had expired".to_owned()
                    } else {
                        format!("the access token expires within {margin} s")
                    };
                    return self.refresh(endpoints, tokens, started, &why).await;
                }
                let detail = format!(
                    "the token from the browser authorization is used{}",
                    lifetime(tokens)
                );
                self.record(StepName::Token, true, None, started, detail);
                Some(Auth::Bearer(tokens.access_token.clone()))
            }
        }
    }

    pub(crate) async fn refresh(
        &mut self,
        endpoints: &oauth::OAuthEndpoints,
        tokens: &mut TokenSet,
        started: Instant,
        why: &str,
    ) -> Option<Auth> {
        let Some(refresh_token) = tokens.refresh_token.clone() else {
            self.record(
                StepName::Token,
                false,
                None,
                started,
                format!("{why} and there is no refresh token: authorize again in the browser"),
            );
            return None;
        };
        match oauth::refresh(endpoints, &refresh_token, &self.options.http).await {
            Ok(fresh) => {
                self.secrets.extend(fresh.secrets().into_iter().cloned());
                let detail = format!(
                    "{why}; refreshed it at {}{}",
                    endpoints.token_url,
                    lifetime(&fresh)
                );
                *tokens = fresh;
                self.record(StepName::Token, true, None, started, detail);
                Some(Auth::Bearer(tokens.access_token.clone()))
            }
            Err(error) => {
                self.record(
                    StepName::Token,
                    false,
                    error.http_status,
                    started,
                    format!("{why}; {}", oauth_detail(&error)),
                );
                None
            }
        }
    }
}

pub(crate) fn lifetime(tokens: &TokenSet) -> String {
    tokens
        .expires_at
        .map(|at| {
            let seconds = (at - OffsetDateTime::now_utc()).whole_seconds().max(0);
            format!(", valid for {seconds} more seconds")
        })
        .unwrap_or_default()
}

pub(crate) fn oauth_detail(error: &oauth::OAuthError) -> String {
    if error.hint.is_empty() {
        error.message.clone()
    } else {
        format!("{} — {}", error.message, error.hint)
    }
}
