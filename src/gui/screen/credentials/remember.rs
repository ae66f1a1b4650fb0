//! Remembering the credentials in the keyring (saved a moment after typing pauses), and using
//! or forgetting saved ones.

use super::*;

impl State {
    /// The saved-credentials store this step uses (tests only: the window opens the system's).
    #[cfg(test)]
    pub fn saved_store(&self) -> SavedStore {
        SavedStore::new(
            self.settings_store.clone().expect("a test store"),
            self.keyring.clone().expect("a test keyring"),
        )
    }

    /// Looks in the settings for credentials saved earlier (by the window or the CLI), so they
    /// can be offered; reads no secret (no keyring prompt). Called when the step is entered.
    pub fn look_for_saved(&self) -> Task<Message> {
        if self.saved_reference.is_some() {
            return Task::none();
        }
        let settings = self.settings_store.clone();
        Task::perform(
            widget::blocking(move || {
                let settings = settings.map_or_else(SettingsStore::open_default, Ok).ok()?;
                goto_sso_wizard::provisioning::saved::saved_reference_in(&settings)
            }),
            |found| Message::SavedFound(found.ok().flatten()),
        )
    }

    /// Takes the tokens a connection test refreshed (`credentials` as the frame has them from
    /// the test step's [`Action::CredentialsRefreshed`]), so the next test or the saved refresh token starts from them. Not a change of the
    /// credentials: the revision stays, and so does the test result. With "Remember" ticked and
    /// a new refresh token (servers may rotate them), the new one is saved.
    pub fn keep_refreshed(&mut self, credentials: &Credentials) -> Action<Message> {
        let Credentials::Authorized { endpoints, tokens } = credentials else {
            return Action::None;
        };
        let same_client = self.kind == Kind::Browser
            && self.tokens.is_some()
            && endpoints.token_url == self.token_url.trim()
            && endpoints.client_id == self.client_id.trim();
        if !same_client {
            return Action::None;
        }
        self.tokens = Some(tokens.clone());
        if self.remember && self.saved.is_some() && self.saved != self.to_keep() {
            self.save_task().map_or(Action::None, Action::Run)
        } else {
            Action::None
        }
    }

    /// The secret worth keeping for the chosen kind, and the name to keep it under; `None` while
    /// the credentials are incomplete.
    pub(super) fn to_keep(&self) -> Option<Fingerprint> {
        if !self.kind_problems().is_empty() {
            return None;
        }
        let secret = match self.kind {
            Kind::Browser => self.tokens.as_ref()?.refresh_token.clone()?,
            Kind::OAuthClient => trimmed(&self.client_secret),
            Kind::ScimToken => trimmed(&self.token),
            Kind::LegacyPassword => self.password.clone(),
        };
        Some(Fingerprint {
            connection: self.connection(),
            secret,
        })
    }

    /// What is saved beside the secret, with every URL written out (also the profile's
    /// defaults), so the CLI's `--saved` finds all it needs.
    pub(super) fn connection(&self) -> ProvisioningSettings {
        let uses_oauth = self.kind != Kind::ScimToken;
        let kept = |value: &str, wanted: bool| {
            Some(value.trim().to_owned()).filter(|value| wanted && !value.is_empty())
        };
        ProvisioningSettings {
            method: Some(self.kind.method()),
            scim_base_url: kept(&self.base_url, true),
            token_url: kept(&self.token_url, uses_oauth),
            authorize_url: kept(&self.authorize_url, self.kind == Kind::Browser),
            client_id: kept(&self.client_id, uses_oauth),
            admin_user: kept(&self.admin_user, self.kind == Kind::LegacyPassword),
            callback_port: self.callback_port_setting(),
            credential: None,
        }
    }

    /// Saves the current secret in the keyring (the system's, opened on first use), when there
    /// is a complete one.
    pub(super) fn save_task(&mut self) -> Option<Task<Message>> {
        let fingerprint = self.to_keep()?;
        self.keyring_status = KeyringStatus::Saving;
        // The name the setup holds goes along: an earlier version's is removed once saved.
        let connection = ProvisioningSettings {
            credential: self.saved_reference.clone(),
            ..fingerprint.connection.clone()
        };
        let secret = fingerprint.secret.clone();
        let (settings, keyring) = (self.settings_store.clone(), self.keyring.clone());
        Some(Task::future(async move {
            let (keyring, result) = with_saved_store(settings, keyring, move |store| {
                store.save(&connection, &secret)
            })
            .await;
            let (reference, result) = match result {
                Ok(reference) => (reference, Ok(())),
                Err(error) => (CredentialRef::new(""), Err(widget::error_chain(&error))),
            };
            Message::Saved {
                keyring,
                reference,
                fingerprint: Box::new(fingerprint),
                result,
            }
        }))
    }

    /// Takes saved credentials (the window's or the CLI's): their kind, fields and secret.
    pub(super) fn use_saved(&mut self, setup: &mut Setup, saved: SavedCredentials) {
        let connection = saved.connection;
        self.oauth_client = oauth_client::State::new(connection.callback_port);
        if let Some(method) = connection.method {
            self.kind = Kind::from_method(method);
        }
        let fields = [
            (&mut self.base_url, connection.scim_base_url),
            (&mut self.token_url, connection.token_url),
            (&mut self.authorize_url, connection.authorize_url),
            (&mut self.client_id, connection.client_id),
            (&mut self.admin_user, connection.admin_user),
        ];
        for (field, value) in fields {
            if let Some(value) = value {
                *field = value;
            }
        }
        if let Some(reference) = connection.credential {
            setup.provisioning_settings.credential = Some(reference.clone());
            self.saved_reference = Some(reference);
        }
        let secret = saved.secret;
        match self.kind {
            Kind::Browser => {
                // Only the refresh token is kept: the test refreshes before its first request.
                self.tokens = Some(TokenSet::refresh_only(secret));
            }
            Kind::OAuthClient => self.client_secret = secret,
            Kind::ScimToken => self.token = secret,
            Kind::LegacyPassword => self.password = secret,
        }
        self.authorization = Authorization::Idle;
        self.remember = true;
        self.changed(setup);
        self.saved = self.to_keep();
    }
}

/// The keyring given, or the system's, opened off the UI thread.
pub(super) async fn open(keyring: Option<Keyring>) -> Keyring {
    match keyring {
        Some(keyring) => keyring,
        None => Keyring::open_native_async().await,
    }
}

/// Runs `work` on the core's saved-credentials store (the settings folder and keyring given,
/// else the system's) on a blocking thread; gives back the keyring, to keep for later calls.
pub(super) async fn with_saved_store<T: Send + 'static>(
    settings: Option<SettingsStore>,
    keyring: Option<Keyring>,
    work: impl FnOnce(&SavedStore) -> Result<T, SavedError> + Send + 'static,
) -> (Keyring, Result<T, SavedError>) {
    let keyring = open(keyring).await;
    let settings = match settings.map_or_else(SettingsStore::open_default, Ok) {
        Ok(settings) => settings,
        Err(error) => return (keyring, Err(SavedError::Settings(error))),
    };
    let store = SavedStore::new(settings, keyring.clone());
    let result = widget::blocking(move || work(&store))
        .await
        .unwrap_or_else(|_| {
            Err(SavedError::Keyring(
                goto_sso_wizard::secrets::SecretError::Interrupted,
            ))
        });
    (keyring, result)
}
