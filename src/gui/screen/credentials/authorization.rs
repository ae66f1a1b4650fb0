//! "Authorize in the browser": the listener, the browser, the wait, as one cancellable stream.

use super::*;

impl State {
    pub(super) fn authorization_event(
        &mut self,
        event: AuthEvent,
        setup: &mut Setup,
    ) -> Action<Message> {
        match event {
            AuthEvent::Started {
                url: opened,
                browser_error: failure,
            } => {
                if let Authorization::Waiting {
                    url, browser_error, ..
                } = &mut self.authorization
                {
                    *url = Some(opened);
                    *browser_error = failure;
                }
                Action::None
            }
            AuthEvent::Finished(Ok(tokens)) => {
                self.authorization = Authorization::Idle;
                self.tokens = Some(tokens);
                self.changed(setup);
                if self.remember {
                    self.save_task().map_or(Action::None, Action::Run)
                } else {
                    Action::None
                }
            }
            AuthEvent::Finished(Err(error)) => {
                self.authorization = Authorization::Failed(tr_with(
                    "credentials-authorize-failed",
                    &[("message", &error.message), ("hint", &error.hint)],
                ));
                Action::None
            }
        }
    }

    pub(super) fn start_authorization(&mut self) -> Action<Message> {
        if self.kind != Kind::Browser || !self.kind_problems().is_empty() {
            return Action::None;
        }
        let Some(port) = self.oauth_client.callback_port() else {
            return Action::None;
        };
        self.abort_authorization();
        self.drop_authorization_tokens();
        self.auth_generation += 1;
        let generation = self.auth_generation;
        let client_secret = Some(self.client_secret.clone()).filter(|s| !s.is_empty());
        let endpoints = self.endpoints(true, client_secret);
        let options = FetchOptions::default();
        let stream = authorize(endpoints, options, port, AUTHORIZE_WAIT, true);
        let (task, handle) = Task::stream(stream)
            .map(move |event| Message::Authorization(generation, event))
            .abortable();
        self.authorization = Authorization::Waiting {
            handle,
            url: None,
            browser_error: None,
        };
        Action::Run(task)
    }

    pub(super) fn abort_authorization(&mut self) {
        if let Authorization::Waiting { handle, .. } = &self.authorization {
            handle.abort();
        }
        // A late message from the aborted task is dropped by its generation.
        self.auth_generation += 1;
        self.authorization = Authorization::Idle;
    }

    /// Endpoint or client changed: tokens from before no longer apply, a running authorization
    /// was started with the old values.
    pub(super) fn drop_authorization(&mut self) {
        if self.is_authorizing() {
            self.abort_authorization();
        }
        if !matches!(self.authorization, Authorization::Idle) {
            self.authorization = Authorization::Idle;
        }
        self.drop_authorization_tokens();
    }

    pub(super) fn drop_authorization_tokens(&mut self) {
        if self.tokens.take().is_some() {
            self.revision += 1;
        }
    }
}

/// "Authorize in the browser" as one stream: open the listener, open the browser (when
/// `open_browser`), report the URL, then wait for the browser to come back with the tokens.
/// Dropping the stream (abort) drops the listener, which closes it.
pub fn authorize(
    endpoints: OAuthEndpoints,
    options: FetchOptions,
    port: CallbackPort,
    wait: Duration,
    open_browser: bool,
) -> impl iced::futures::Stream<Item = AuthEvent> + Send + 'static {
    iced::stream::channel(2, async move |mut output| {
        let begun = BrowserAuthorization::begin_on(&endpoints, options.policy(), port).await;
        let authorization = match begun {
            Ok(authorization) => authorization,
            Err(error) => {
                let _ = output.send(AuthEvent::Finished(Err(error))).await;
                return;
            }
        };
        let url = authorization.url().to_owned();
        let browser_error = if open_browser {
            open::that_detached(&url)
                .err()
                .map(|error| error.to_string())
        } else {
            None
        };
        let _ = output.send(AuthEvent::Started { url, browser_error }).await;
        let result = authorization.finish(&options, wait).await;
        let _ = output.send(AuthEvent::Finished(result)).await;
    })
}
