//! Handling the step's messages, and writing each change into the setup.

use super::*;

impl State {
    /// Handles a message, recording the non-secret choices in `setup`. When the credentials
    /// changed (a new revision), the frame hears it with [`Action::CredentialsChanged`], then
    /// does what the step asked besides.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        let revision = self.revision;
        let action = self.handle_and_autosave(message, setup);
        if self.revision == revision {
            return action;
        }
        Action::CredentialsChanged(self.current(setup), Box::new(action))
    }

    fn handle_and_autosave(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        self.changed_since_update = false;
        let action = self.handle(message, setup);
        if !self.changed_since_update || !matches!(action, Action::None) {
            return action;
        }
        // An edit while "Remember" is ticked: save once the typing pauses.
        if self.remember && self.to_keep().is_some() && self.saved != self.to_keep() {
            self.autosave_generation += 1;
            let generation = self.autosave_generation;
            return Action::Run(Task::perform(
                // Made inside the task: the timer needs the executor's runtime.
                async { tokio::time::sleep(AUTOSAVE_DELAY).await },
                move |()| Message::SaveDue(generation),
            ));
        }
        Action::None
    }

    pub(super) fn handle(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::KindSelected(kind) => {
                if kind != self.kind {
                    self.kind = kind;
                    self.changed(setup);
                }
                Action::None
            }
            Message::FieldChanged(field, value) => {
                let target = match field {
                    Field::BaseUrl => &mut self.base_url,
                    Field::AuthorizeUrl => &mut self.authorize_url,
                    Field::TokenUrl => &mut self.token_url,
                    Field::ClientId => &mut self.client_id,
                    Field::AdminUser => &mut self.admin_user,
                    Field::Scopes => &mut self.scopes,
                };
                *target = value;
                // Tokens belong to the endpoints and client that issued them.
                if matches!(
                    field,
                    Field::AuthorizeUrl | Field::TokenUrl | Field::ClientId | Field::Scopes
                ) {
                    self.drop_authorization();
                }
                self.changed(setup);
                Action::None
            }
            Message::SecretChanged(field, value) => {
                match field {
                    SecretField::ClientSecret => {
                        self.client_secret = value;
                        self.drop_authorization();
                    }
                    SecretField::Token => self.token = value,
                    SecretField::Password => self.password = value,
                }
                self.changed(setup);
                Action::None
            }
            Message::ToggleReveal(field) => {
                let revealed = &mut self.revealed[field.index()];
                *revealed = !*revealed;
                Action::None
            }
            Message::Submit => {
                if self.can_continue(setup) {
                    Action::Next
                } else if self.kind == Kind::Browser
                    && !self.is_authorizing()
                    && self.kind_problems().is_empty()
                    && self.tokens.is_none()
                {
                    self.start_authorization()
                } else {
                    Action::None
                }
            }
            Message::Authorize => self.start_authorization(),
            Message::Authorization(generation, event) => {
                if generation != self.auth_generation {
                    return Action::None;
                }
                self.authorization_event(event, setup)
            }
            Message::CancelAuthorize => {
                if self.is_authorizing() {
                    self.abort_authorization();
                    self.authorization = Authorization::Cancelled;
                }
                Action::None
            }
            Message::OAuthClient(message) => {
                let action = self.oauth_client.update(message);
                // A listener on another port needs another registered redirect URI, so a
                // finished authorization stays valid: only the next one uses the new port.
                self.changed(setup);
                action.map(Message::OAuthClient)
            }
            Message::CopyAuthorizeUrl => match &self.authorization {
                Authorization::Waiting { url: Some(url), .. } => {
                    Action::Run(iced::clipboard::write(url.clone()))
                }
                _ => Action::None,
            },
            Message::RememberToggled(remember) => {
                self.remember = remember;
                if remember {
                    self.save_task().map_or(Action::None, Action::Run)
                } else {
                    Action::None
                }
            }
            Message::SaveAgain => self.save_task().map_or(Action::None, Action::Run),
            Message::SaveDue(generation) => {
                let due = generation == self.autosave_generation
                    && self.remember
                    && self.saved != self.to_keep();
                if due {
                    self.save_task().map_or(Action::None, Action::Run)
                } else {
                    Action::None
                }
            }
            Message::Saved {
                keyring,
                reference,
                fingerprint,
                result,
            } => {
                self.keyring_status = match result {
                    Ok(()) => {
                        setup.provisioning_settings.credential = Some(reference.clone());
                        self.saved_reference = Some(reference);
                        self.saved = Some(*fingerprint);
                        KeyringStatus::Saved {
                            store: keyring.kind(),
                            fallback: keyring.unavailable_reason().map(str::to_owned),
                        }
                    }
                    Err(error) => KeyringStatus::Failed(error),
                };
                self.keyring = Some(keyring);
                Action::None
            }
            Message::UseSaved => {
                if self.saved_reference.is_none() {
                    return Action::None;
                }
                self.keyring_status = KeyringStatus::Loading;
                let from_setup = setup.provisioning_settings.clone();
                let (settings, keyring) = (self.settings_store.clone(), self.keyring.clone());
                Action::Run(Task::future(async move {
                    let (keyring, result) = with_saved_store(settings, keyring, move |store| {
                        store.load(Some(&from_setup))
                    })
                    .await;
                    Message::SavedLoaded {
                        keyring,
                        result: Box::new(result),
                    }
                }))
            }
            Message::SavedLoaded { keyring, result } => {
                self.keyring_status = match *result {
                    Ok(saved) => {
                        self.use_saved(setup, saved);
                        KeyringStatus::Loaded(keyring.kind())
                    }
                    Err(SavedError::MissingEntry { reference }) => {
                        KeyringStatus::LoadFailed(tr_with(
                            "credentials-load-missing",
                            &[("reference", &reference.to_string())],
                        ))
                    }
                    Err(SavedError::NothingSaved { .. }) => KeyringStatus::LoadFailed(tr_with(
                        "credentials-load-missing",
                        &[(
                            "reference",
                            &self
                                .saved_reference
                                .as_ref()
                                .map(ToString::to_string)
                                .unwrap_or_default(),
                        )],
                    )),
                    Err(error) => KeyringStatus::LoadFailed(tr_with(
                        "credentials-load-failed",
                        &[("error", &widget::error_chain(&error))],
                    )),
                };
                self.keyring = Some(keyring);
                Action::None
            }
            Message::SavedFound(found) => {
                if self.saved_reference.is_none() {
                    self.saved_reference = found;
                }
                Action::None
            }
            Message::Forget => {
                if self.saved_reference.is_none() {
                    return Action::None;
                }
                let from_setup = setup.provisioning_settings.clone();
                let (settings, keyring) = (self.settings_store.clone(), self.keyring.clone());
                Action::Run(Task::future(async move {
                    let (keyring, result) = with_saved_store(settings, keyring, move |store| {
                        store.forget(Some(&from_setup)).map(|_| ())
                    })
                    .await;
                    let result = result.map_err(|error| widget::error_chain(&error));
                    Message::Forgotten { keyring, result }
                }))
            }
            Message::Forgotten { keyring, result } => {
                self.keyring_status = match result {
                    Ok(()) => {
                        setup.provisioning_settings.credential = None;
                        self.saved_reference = None;
                        self.saved = None;
                        self.remember = false;
                        KeyringStatus::Forgotten
                    }
                    Err(error) => KeyringStatus::Failed(tr_with(
                        "credentials-forget-failed",
                        &[("error", &error)],
                    )),
                };
                self.keyring = Some(keyring);
                Action::None
            }
        }
    }

    /// Something the credentials depend on changed: new revision, and the setup records the
    /// non-secret choices.
    pub(super) fn changed(&mut self, setup: &mut Setup) {
        self.revision += 1;
        self.changed_since_update = true;
        let settings = &mut setup.provisioning_settings;
        settings.method = Some(self.kind.method());
        settings.scim_base_url = Some(self.base_url().to_owned()).filter(|url| !url.is_empty());
        let uses_oauth = self.kind != Kind::ScimToken;
        let differs = |value: &str, default: &str| {
            let value = value.trim();
            (uses_oauth && !value.is_empty() && value != default).then(|| value.to_owned())
        };
        settings.token_url = differs(&self.token_url, &self.default_token_url);
        settings.authorize_url = if self.kind == Kind::Browser {
            differs(&self.authorize_url, &self.default_authorize_url)
        } else {
            None
        };
        settings.client_id =
            Some(self.client_id.trim().to_owned()).filter(|id| uses_oauth && !id.is_empty());
        settings.admin_user = Some(self.admin_user.trim().to_owned())
            .filter(|user| self.kind == Kind::LegacyPassword && !user.is_empty());
        settings.callback_port = self.callback_port_setting();
    }

    /// The callback port the settings keep: only the browser authorization listens, and the
    /// default port is not written.
    pub(super) fn callback_port_setting(&self) -> Option<u16> {
        self.oauth_client
            .saved_port()
            .filter(|_| self.kind == Kind::Browser)
    }
}
