//! The wizard step "Credentials": how the wizard (and later Entra) signs in to GoTo's
//! provisioning service, in one of four ways, "Authorize in the browser" first. Secrets stay in
//! this state as [`Secret`]s (wiped when dropped) and, when asked, in the OS keyring; the setup
//! keeps only the method, URLs, client ID and a [`CredentialRef`].

use crate::gui::style::{bold, muted};
use std::time::Duration;

use goto_sso_wizard::fetch::FetchOptions;
use goto_sso_wizard::provisioning::saved::{SavedCredentials, SavedError, SavedStore};
use goto_sso_wizard::provisioning::{
    BrowserAuthorization, CallbackPort, Credentials, OAuthEndpoints, OAuthError, TokenSet,
};
use goto_sso_wizard::secrets::{CredentialRef, Keyring, Secret, StoreKind};
use goto_sso_wizard::settings::{ProvisioningMethod, ProvisioningSettings, SettingsStore};
use goto_sso_wizard::setup::Setup;
use iced::futures::SinkExt;
use iced::task::Handle;
use iced::widget::{button, checkbox, column, container, radio, row, text, text_input};
use iced::{Alignment, Element, Fill, Font, Task, Theme};

use super::Action;
use super::oauth_client;
use super::start::kit;
use crate::gui::i18n::{tr, tr_with};

/// Widget ids, for tests and keyboard focus.
pub mod id {
    /// The SCIM base URL field.
    pub const BASE_URL: &str = "credentials-base-url";
    /// The authorization URL field (browser kind).
    pub const AUTHORIZE_URL: &str = "credentials-authorize-url";
    /// The token URL field.
    pub const TOKEN_URL: &str = "credentials-token-url";
    /// The client ID field.
    pub const CLIENT_ID: &str = "credentials-client-id";
    /// The scopes field.
    pub const SCOPES: &str = "credentials-scopes";
    /// The admin user name field (legacy kind).
    pub const ADMIN_USER: &str = "credentials-admin-user";
    /// The Authorize button.
    pub const AUTHORIZE: &str = "credentials-authorize";
    /// Cancel while waiting for the browser.
    pub const CANCEL_AUTHORIZE: &str = "credentials-cancel-authorize";
    /// Copy the authorization URL.
    pub const COPY_URL: &str = "credentials-copy-url";
    /// The "Remember in keyring" checkbox.
    pub const REMEMBER: &str = "credentials-remember";
    /// "Save now" / "Save again" when the keyring holds an older value or none.
    pub const SAVE_AGAIN: &str = "credentials-save-again";
    /// "Use saved credentials".
    pub const USE_SAVED: &str = "credentials-use-saved";
    /// "Forget saved credentials".
    pub const FORGET: &str = "credentials-forget";
}

/// With "Remember" ticked, edits are saved once the typing pauses this long, so the keyring
/// is not written on every keystroke.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(1500);

/// How long the browser authorization may take before it gives up.
const AUTHORIZE_WAIT: Duration = Duration::from_secs(300);

/// The four kinds of credentials, in the order offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// OAuth authorization code with PKCE in the system browser.
    Browser,
    /// OAuth client ID and secret (client credentials grant).
    OAuthClient,
    /// SCIM base URL + secret token.
    ScimToken,
    /// The deprecated GoToMeeting connector's admin user name and password.
    LegacyPassword,
}

impl Kind {
    /// Every kind, "Authorize in browser" first.
    pub const ALL: [Kind; 4] = [
        Kind::Browser,
        Kind::OAuthClient,
        Kind::ScimToken,
        Kind::LegacyPassword,
    ];

    /// The settings' name for it.
    pub fn method(self) -> ProvisioningMethod {
        match self {
            Kind::Browser => ProvisioningMethod::BrowserAuthorize,
            Kind::OAuthClient => ProvisioningMethod::ClientCredentials,
            Kind::ScimToken => ProvisioningMethod::BearerToken,
            Kind::LegacyPassword => ProvisioningMethod::LegacyAdminPassword,
        }
    }

    fn from_method(method: ProvisioningMethod) -> Self {
        match method {
            ProvisioningMethod::BrowserAuthorize => Kind::Browser,
            ProvisioningMethod::ClientCredentials => Kind::OAuthClient,
            ProvisioningMethod::BearerToken => Kind::ScimToken,
            ProvisioningMethod::LegacyAdminPassword => Kind::LegacyPassword,
        }
    }

    fn label(self) -> String {
        tr(match self {
            Kind::Browser => "credentials-kind-browser",
            Kind::OAuthClient => "credentials-kind-client",
            Kind::ScimToken => "credentials-kind-token",
            Kind::LegacyPassword => "credentials-kind-legacy",
        })
    }

    /// Widget id of its radio button.
    pub fn radio_id(self) -> &'static str {
        match self {
            Kind::Browser => "credentials-kind-browser",
            Kind::OAuthClient => "credentials-kind-client",
            Kind::ScimToken => "credentials-kind-token",
            Kind::LegacyPassword => "credentials-kind-legacy",
        }
    }
}

/// The masked fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretField {
    /// The OAuth client secret.
    ClientSecret,
    /// The SCIM secret token.
    Token,
    /// The admin's password.
    Password,
}

impl SecretField {
    /// Widget id of the field.
    pub fn id(self) -> &'static str {
        match self {
            SecretField::ClientSecret => "credentials-client-secret",
            SecretField::Token => "credentials-token",
            SecretField::Password => "credentials-password",
        }
    }

    /// Widget id of its show/hide button.
    pub fn toggle_id(self) -> &'static str {
        match self {
            SecretField::ClientSecret => "credentials-client-secret-toggle",
            SecretField::Token => "credentials-token-toggle",
            SecretField::Password => "credentials-password-toggle",
        }
    }

    fn index(self) -> usize {
        match self {
            SecretField::ClientSecret => 0,
            SecretField::Token => 1,
            SecretField::Password => 2,
        }
    }
}

/// A plain text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The SCIM base URL.
    BaseUrl,
    /// The OAuth authorization endpoint.
    AuthorizeUrl,
    /// The OAuth token endpoint.
    TokenUrl,
    /// The OAuth client ID.
    ClientId,
    /// The legacy admin user name.
    AdminUser,
    /// OAuth scopes, separated by spaces (optional).
    Scopes,
}

/// What the browser authorization reports while it runs.
#[derive(Debug, Clone)]
pub enum AuthEvent {
    /// The listener is up and the browser was asked to open `url` (`browser_error` when that
    /// failed: the URL must then be opened by hand).
    Started {
        /// The authorization URL.
        url: String,
        /// Why the browser could not be opened.
        browser_error: Option<String>,
    },
    /// The browser came back (or not).
    Finished(Result<TokenSet, OAuthError>),
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// A kind was chosen.
    KindSelected(Kind),
    /// A plain field was edited.
    FieldChanged(Field, String),
    /// A masked field was edited (the value is wrapped at once).
    SecretChanged(SecretField, Secret),
    /// Show or hide a masked field.
    ToggleReveal(SecretField),
    /// Enter in a field.
    Submit,
    /// "Authorize" pressed.
    Authorize,
    /// Progress of the authorization started as `generation`.
    Authorization(u64, AuthEvent),
    /// Cancel the authorization.
    CancelAuthorize,
    /// Copy the authorization URL.
    CopyAuthorizeUrl,
    /// The OAuth client's guidance and callback port.
    OAuthClient(oauth_client::Message),
    /// "Remember in keyring" ticked or unticked.
    RememberToggled(bool),
    /// Save the current secret again.
    SaveAgain,
    /// The pause after the edit numbered so is over: save, unless more edits came since.
    SaveDue(u64),
    /// A save finished.
    Saved {
        /// The store used (kept for later calls).
        keyring: Keyring,
        /// The name it was saved under.
        reference: CredentialRef,
        /// What was saved, to tell later whether the fields changed since.
        fingerprint: Box<Fingerprint>,
        /// The outcome, as a sentence.
        result: Result<(), String>,
    },
    /// "Use saved credentials" pressed.
    UseSaved,
    /// The saved credentials were read.
    SavedLoaded {
        /// The store used.
        keyring: Keyring,
        /// The credentials, or why there are none.
        result: Box<Result<SavedCredentials, SavedError>>,
    },
    /// The settings were looked at for credentials saved earlier (by the window or the CLI).
    SavedFound(Option<CredentialRef>),
    /// "Forget saved credentials" pressed.
    Forget,
    /// The saved secret was deleted.
    Forgotten {
        /// The store used.
        keyring: Keyring,
        /// The outcome.
        result: Result<(), String>,
    },
}

/// What was saved: the connection (method, URLs, client ID) and the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    connection: ProvisioningSettings,
    secret: Secret,
}

/// The browser authorization's progress.
#[derive(Debug, Default)]
enum Authorization {
    #[default]
    Idle,
    Waiting {
        handle: Handle,
        url: Option<String>,
        browser_error: Option<String>,
    },
    Failed(String),
    Cancelled,
}

/// The keyring's state as shown under the checkbox.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum KeyringStatus {
    #[default]
    Idle,
    Saving,
    Saved {
        store: StoreKind,
        fallback: Option<String>,
    },
    Failed(String),
    Loading,
    Loaded(StoreKind),
    LoadFailed(String),
    Forgotten,
}

/// This step's state.
#[derive(Debug)]
pub struct State {
    kind: Kind,
    base_url: String,
    authorize_url: String,
    token_url: String,
    client_id: String,
    scopes: String,
    admin_user: String,
    client_secret: Secret,
    token: Secret,
    password: Secret,
    revealed: [bool; 3],
    tokens: Option<TokenSet>,
    authorization: Authorization,
    auth_generation: u64,
    remember: bool,
    keyring: Option<Keyring>,
    /// Where saved credentials are described; `None`: the system's settings folder.
    settings_store: Option<SettingsStore>,
    keyring_status: KeyringStatus,
    saved: Option<Fingerprint>,
    saved_reference: Option<CredentialRef>,
    profile_name: String,
    default_authorize_url: String,
    default_token_url: String,
    base_url_note: String,
    /// Where the profile's default base URL comes from, when it has one.
    base_url_origin: Option<String>,
    /// The OAuth client's callback port (browser kind).
    oauth_client: oauth_client::State,
    admin_console: String,
    revision: u64,
    /// Counts edits while "Remember" is ticked; a [`Message::SaveDue`] for an older one is
    /// ignored.
    autosave_generation: u64,
    changed_since_update: bool,
}

impl State {
    /// A fresh state for `setup`: the choices it records, the URLs from its SP profile.
    pub fn new(setup: &Setup) -> Self {
        let profile = setup.profile();
        let provisioning = profile.map(|p| &p.provisioning);
        let default_authorize_url = provisioning
            .map(|p| p.authorize_url.clone())
            .unwrap_or_default();
        let default_token_url = provisioning
            .map(|p| p.token_url.clone())
            .unwrap_or_default();
        let saved = &setup.provisioning_settings;
        Self {
            kind: saved.method.map_or(Kind::Browser, Kind::from_method),
            base_url: saved
                .scim_base_url
                .clone()
                .or_else(|| provisioning.and_then(|p| p.scim_base_url.clone()))
                .unwrap_or_default(),
            authorize_url: saved
                .authorize_url
                .clone()
                .unwrap_or_else(|| default_authorize_url.clone()),
            token_url: saved
                .token_url
                .clone()
                .unwrap_or_else(|| default_token_url.clone()),
            client_id: saved.client_id.clone().unwrap_or_default(),
            scopes: String::new(),
            admin_user: saved.admin_user.clone().unwrap_or_default(),
            client_secret: Secret::default(),
            token: Secret::default(),
            password: Secret::default(),
            revealed: [false; 3],
            tokens: None,
            authorization: Authorization::Idle,
            auth_generation: 0,
            remember: false,
            keyring: None,
            settings_store: None,
            keyring_status: KeyringStatus::Idle,
            saved: None,
            saved_reference: saved.credential.clone(),
            profile_name: profile.map(|p| p.name.clone()).unwrap_or_default(),
            default_authorize_url,
            default_token_url,
            base_url_origin: provisioning.and_then(|p| p.scim_base_url_origin()),
            oauth_client: oauth_client::State::new(saved.callback_port),
            base_url_note: provisioning
                .and_then(|p| p.scim_base_url_note.clone())
                .unwrap_or_default(),
            admin_console: profile.map(|p| p.admin_console.clone()).unwrap_or_default(),
            revision: 0,
            autosave_generation: 0,
            changed_since_update: false,
        }
    }

    /// Like [`State::new`], with the credential store given instead of opening the system's
    /// (tests use `Keyring::mock()`), and settings in a folder of their own.
    #[cfg(test)]
    pub fn with_keyring(setup: &Setup, keyring: Keyring) -> Self {
        let folder = tempfile::tempdir().expect("a settings folder").keep();
        Self::with_store(setup, SavedStore::new(SettingsStore::at(folder), keyring))
    }

    /// Like [`State::new`], with the saved-credentials store given.
    #[cfg(test)]
    pub fn with_store(setup: &Setup, store: SavedStore) -> Self {
        Self {
            keyring: Some(store.keyring().clone()),
            settings_store: Some(store.settings().clone()),
            ..Self::new(setup)
        }
    }

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
            kit::blocking(move || {
                let settings = settings.map_or_else(SettingsStore::open_default, Ok).ok()?;
                goto_sso_wizard::provisioning::saved::saved_reference_in(&settings)
            }),
            |found| Message::SavedFound(found.ok().flatten()),
        )
    }

    /// The chosen kind.
    #[cfg(test)]
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The SCIM base URL as typed, trimmed.
    pub fn base_url(&self) -> &str {
        self.base_url.trim()
    }

    /// Whether the masked field shows its value.
    pub fn is_revealed(&self, field: SecretField) -> bool {
        self.revealed[field.index()]
    }

    /// Whether a browser authorization is running.
    pub fn is_authorizing(&self) -> bool {
        matches!(self.authorization, Authorization::Waiting { .. })
    }

    /// Whether the browser authorization succeeded (and nothing it depends on changed since).
    #[cfg(test)]
    pub fn is_authorized(&self) -> bool {
        self.tokens.is_some()
    }

    /// Increments on every change of the credentials or the base URL, so the test step can tell
    /// that a result it holds was made with other inputs.
    #[allow(dead_code, reason = "flow.rs hands it to the test step")]
    pub fn credentials_revision(&self) -> u64 {
        self.revision
    }

    /// The credentials, when complete and valid, for the connection test. `None` otherwise.
    pub fn credentials(&self, _setup: &Setup) -> Option<Credentials> {
        if self.problem(Field::BaseUrl).is_some() {
            return None;
        }
        self.kind_problems().is_empty().then_some(())?;
        let optional_secret = || Some(self.client_secret.clone()).filter(|s| !s.is_empty());
        match self.kind {
            Kind::Browser => Some(Credentials::Authorized {
                endpoints: self.endpoints(true, optional_secret()),
                tokens: self.tokens.clone()?,
            }),
            Kind::OAuthClient => Some(Credentials::ClientCredentials {
                endpoints: self.endpoints(false, None),
                client_secret: trimmed(&self.client_secret),
            }),
            Kind::ScimToken => Some(Credentials::BearerToken(trimmed(&self.token))),
            Kind::LegacyPassword => Some(Credentials::LegacyAdminPassword {
                endpoints: self.endpoints(false, optional_secret()),
                user: self.admin_user.trim().to_owned(),
                password: self.password.clone(),
            }),
        }
    }

    /// Takes the tokens a connection test refreshed (`credentials` as the test step returns
    /// them), so the next test or the saved refresh token starts from them. Not a change of the
    /// credentials: the revision stays, and so does the test result. With "Remember" ticked and
    /// a new refresh token (servers may rotate them), the new one is saved.
    #[allow(dead_code, reason = "flow.rs calls it when leaving the test step")]
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

    fn endpoints(&self, with_authorize: bool, client_secret: Option<Secret>) -> OAuthEndpoints {
        OAuthEndpoints {
            authorize_url: with_authorize.then(|| self.authorize_url.trim().to_owned()),
            token_url: self.token_url.trim().to_owned(),
            client_id: self.client_id.trim().to_owned(),
            client_secret: client_secret.map(|s| trimmed(&s)),
            scopes: self.scopes.split_whitespace().map(str::to_owned).collect(),
        }
    }

    /// What is wrong with a plain field, in words that say what to do; `None` when it is fine.
    pub fn problem(&self, field: Field) -> Option<String> {
        match field {
            Field::BaseUrl => url_problem(&self.base_url)
                .map(|p| p.unwrap_or_else(|| tr("credentials-base-url-missing"))),
            Field::AuthorizeUrl => url_problem(&self.authorize_url).map(Option::unwrap_or_default),
            Field::TokenUrl => url_problem(&self.token_url).map(Option::unwrap_or_default),
            Field::ClientId => self
                .client_id
                .trim()
                .is_empty()
                .then(|| tr("credentials-client-id-missing")),
            Field::AdminUser => self
                .admin_user
                .trim()
                .is_empty()
                .then(|| tr("credentials-admin-user-missing")),
            Field::Scopes => None,
        }
    }

    /// What is wrong with a masked field (only the required ones can be wrong).
    pub fn secret_problem(&self, field: SecretField) -> Option<String> {
        match (field, self.kind) {
            (SecretField::ClientSecret, Kind::OAuthClient) => trimmed(&self.client_secret)
                .is_empty()
                .then(|| tr("credentials-client-secret-missing")),
            (SecretField::Token, Kind::ScimToken) => trimmed(&self.token)
                .is_empty()
                .then(|| tr("credentials-token-missing")),
            (SecretField::Password, Kind::LegacyPassword) => self
                .password
                .is_empty()
                .then(|| tr("credentials-password-missing")),
            _ => None,
        }
    }

    /// The fields of the chosen kind that are not right yet (the base URL aside, and for the
    /// browser kind the authorization aside).
    fn kind_problems(&self) -> Vec<String> {
        let fields: &[Field] = match self.kind {
            Kind::Browser => &[Field::AuthorizeUrl, Field::TokenUrl, Field::ClientId],
            Kind::OAuthClient => &[Field::TokenUrl, Field::ClientId],
            Kind::ScimToken => &[],
            Kind::LegacyPassword => &[Field::TokenUrl, Field::ClientId, Field::AdminUser],
        };
        let secrets: &[SecretField] = match self.kind {
            Kind::Browser => &[],
            Kind::OAuthClient => &[SecretField::ClientSecret],
            Kind::ScimToken => &[SecretField::Token],
            Kind::LegacyPassword => &[SecretField::Password],
        };
        fields
            .iter()
            .filter_map(|field| self.problem(*field))
            .chain(
                secrets
                    .iter()
                    .filter_map(|field| self.secret_problem(*field)),
            )
            .collect()
    }

    /// Handles a message, recording the non-secret choices in `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
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

    fn handle(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
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
                        &[("error", &kit::error_chain(&error))],
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
                    let result = result.map_err(|error| kit::error_chain(&error));
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

    fn authorization_event(&mut self, event: AuthEvent, setup: &mut Setup) -> Action<Message> {
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

    fn start_authorization(&mut self) -> Action<Message> {
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

    fn abort_authorization(&mut self) {
        if let Authorization::Waiting { handle, .. } = &self.authorization {
            handle.abort();
        }
        // A late message from the aborted task is dropped by its generation.
        self.auth_generation += 1;
        self.authorization = Authorization::Idle;
    }

    /// Endpoint or client changed: tokens from before no longer apply, a running authorization
    /// was started with the old values.
    fn drop_authorization(&mut self) {
        if self.is_authorizing() {
            self.abort_authorization();
        }
        if !matches!(self.authorization, Authorization::Idle) {
            self.authorization = Authorization::Idle;
        }
        self.drop_authorization_tokens();
    }

    fn drop_authorization_tokens(&mut self) {
        if self.tokens.take().is_some() {
            self.revision += 1;
        }
    }

    /// Something the credentials depend on changed: new revision, and the setup records the
    /// non-secret choices.
    fn changed(&mut self, setup: &mut Setup) {
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
        settings.callback_port = self
            .oauth_client
            .saved_port()
            .filter(|_| self.kind == Kind::Browser);
    }

    /// The secret worth keeping for the chosen kind, and the name to keep it under; `None` while
    /// the credentials are incomplete.
    fn to_keep(&self) -> Option<Fingerprint> {
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
    fn connection(&self) -> ProvisioningSettings {
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
            callback_port: self
                .oauth_client
                .saved_port()
                .filter(|_| self.kind == Kind::Browser),
            credential: None,
        }
    }

    /// Saves the current secret in the keyring (the system's, opened on first use), when there
    /// is a complete one.
    fn save_task(&mut self) -> Option<Task<Message>> {
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
                Err(error) => (CredentialRef::new(""), Err(kit::error_chain(&error))),
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
    fn use_saved(&mut self, setup: &mut Setup, saved: SavedCredentials) {
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

    /// Shows the step.
    pub fn view<'a>(&'a self, _setup: &'a Setup) -> Element<'a, Message> {
        let mut body = column![
            text(tr("credentials-heading")).size(26).font(bold()),
            text(tr("credentials-intro")).size(14),
        ]
        .spacing(14)
        .max_width(760);

        if let Some(offer) = self.saved_offer() {
            body = body.push(offer);
        }

        body = body.push(self.base_url_section());

        let kinds = column(Kind::ALL.into_iter().map(|kind| {
            container(radio(kind.label(), kind, Some(self.kind), Message::KindSelected).size(16))
                .id(kind.radio_id())
                .into()
        }))
        .spacing(8);
        body = body.push(section(tr("credentials-kind-heading"), kinds.into()));
        body = body.push(self.kind_fields());
        body = body.push(self.remember_section());
        body.into()
    }

    fn base_url_section(&self) -> Element<'_, Message> {
        let input = text_input(&tr("credentials-base-url-placeholder"), &self.base_url)
            .id(id::BASE_URL)
            .font(Font::MONOSPACE)
            .on_input(|value| Message::FieldChanged(Field::BaseUrl, value))
            .on_submit(Message::Submit)
            .padding(8);
        let mut content =
            column![text(tr("credentials-base-url-label")).size(14), input].spacing(6);
        if let Some(problem) = self.problem(Field::BaseUrl) {
            content = content.push(problem_text(problem, !self.base_url.trim().is_empty()));
        }
        let where_from = match &self.base_url_origin {
            Some(origin) => tr_with(
                "credentials-base-url-from-profile",
                &[("origin", origin), ("console", &self.admin_console)],
            ),
            None => tr_with(
                "credentials-base-url-where",
                &[
                    ("note", &self.base_url_note),
                    ("console", &self.admin_console),
                ],
            ),
        };
        content = content.push(text(where_from).size(13).style(muted));
        section(tr("credentials-base-url-heading"), content.into())
    }

    fn kind_fields(&self) -> Element<'_, Message> {
        let mut fields = column![].spacing(10);
        match self.kind {
            Kind::Browser => {
                fields = fields
                    .push(text(tr("credentials-browser-explain")).size(14))
                    .push(self.url_field(Field::AuthorizeUrl))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, false))
                    .push(self.oauth_client.view().map(Message::OAuthClient))
                    .push(self.authorize_controls());
            }
            Kind::OAuthClient => {
                fields = fields
                    .push(text(tr("credentials-client-explain")).size(14))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, true));
            }
            Kind::ScimToken => {
                fields = fields
                    .push(text(tr("credentials-token-explain")).size(14))
                    .push(self.secret_field(SecretField::Token, true));
            }
            Kind::LegacyPassword => {
                fields = fields
                    .push(
                        container(text(tr("credentials-legacy-notice")).size(14))
                            .padding(10)
                            .width(Fill)
                            .style(notice_box),
                    )
                    .push(self.plain_field(Field::AdminUser))
                    .push(self.secret_field(SecretField::Password, true))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, false));
            }
        }
        container(fields)
            .padding(14)
            .width(Fill)
            .style(container::bordered_box)
            .into()
    }

    fn url_field(&self, field: Field) -> Element<'_, Message> {
        let (label, value, widget_id, default) = match field {
            Field::AuthorizeUrl => (
                "credentials-authorize-url",
                &self.authorize_url,
                id::AUTHORIZE_URL,
                &self.default_authorize_url,
            ),
            _ => (
                "credentials-token-url",
                &self.token_url,
                id::TOKEN_URL,
                &self.default_token_url,
            ),
        };
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            text_input("https://", value)
                .id(widget_id)
                .font(Font::MONOSPACE)
                .on_input(move |value| Message::FieldChanged(field, value))
                .on_submit(Message::Submit)
                .padding(8),
        ]
        .spacing(4);
        if let Some(problem) = self.problem(field) {
            content = content.push(problem_text(problem, true));
        } else if value.trim() == default.as_str() && !default.is_empty() {
            content = content.push(
                text(tr_with(
                    "credentials-url-from-profile",
                    &[("profile", &self.profile_name)],
                ))
                .size(12)
                .style(muted),
            );
        }
        content.into()
    }

    fn plain_field(&self, field: Field) -> Element<'_, Message> {
        let (label, value, widget_id) = match field {
            Field::AdminUser => ("credentials-admin-user", &self.admin_user, id::ADMIN_USER),
            Field::Scopes => ("credentials-scopes", &self.scopes, id::SCOPES),
            _ => ("credentials-client-id", &self.client_id, id::CLIENT_ID),
        };
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            text_input("", value)
                .id(widget_id)
                .on_input(move |value| Message::FieldChanged(field, value))
                .on_submit(Message::Submit)
                .padding(8),
        ]
        .spacing(4);
        if let Some(problem) = self.problem(field) {
            content = content.push(problem_text(problem, false));
        }
        if field == Field::Scopes {
            content = content.push(text(tr("credentials-scopes-explain")).size(12).style(muted));
        }
        content.into()
    }

    fn secret_field(&self, field: SecretField, required: bool) -> Element<'_, Message> {
        let (label, value) = match field {
            SecretField::ClientSecret if required => {
                ("credentials-client-secret", &self.client_secret)
            }
            SecretField::ClientSecret => {
                ("credentials-client-secret-optional", &self.client_secret)
            }
            SecretField::Token => ("credentials-token", &self.token),
            SecretField::Password => ("credentials-password", &self.password),
        };
        let revealed = self.is_revealed(field);
        let input = text_input("", value.expose())
            .id(field.id())
            .secure(!revealed)
            .font(Font::MONOSPACE)
            // The typed text is wrapped at once, so the message carries no plain copy.
            .on_input(move |typed| Message::SecretChanged(field, Secret::new(typed)))
            .on_submit(Message::Submit)
            .padding(8);
        let toggle = container(
            button(text(tr(if revealed {
                "credentials-hide"
            } else {
                "credentials-show"
            })))
            .style(button::secondary)
            .on_press(Message::ToggleReveal(field)),
        )
        .id(field.toggle_id());
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            row![input, toggle].spacing(8).align_y(Alignment::Center),
        ]
        .spacing(4);
        if required && let Some(problem) = self.secret_problem(field) {
            content = content.push(problem_text(problem, false));
        }
        content.into()
    }

    fn authorize_controls(&self) -> Element<'_, Message> {
        let ready = self.kind_problems().is_empty();
        match &self.authorization {
            Authorization::Waiting {
                url, browser_error, ..
            } => {
                let mut content = column![
                    row![
                        text(tr("credentials-waiting")).size(14).width(Fill),
                        container(
                            button(text(tr("common-cancel")))
                                .style(button::secondary)
                                .on_press(Message::CancelAuthorize)
                        )
                        .id(id::CANCEL_AUTHORIZE),
                    ]
                    .spacing(10)
                    .align_y(Alignment::Center)
                ]
                .spacing(8);
                if let Some(reason) = browser_error {
                    content = content.push(problem_text(
                        tr_with("common-browser-failed", &[("reason", reason)]),
                        true,
                    ));
                }
                if let Some(url) = url {
                    content = content.push(text(tr("credentials-browser-url")).size(13));
                    content = content.push(
                        row![
                            text(url.as_str())
                                .font(Font::MONOSPACE)
                                .size(12)
                                .width(Fill),
                            container(
                                button(text(tr("common-copy")))
                                    .style(button::secondary)
                                    .on_press(Message::CopyAuthorizeUrl)
                            )
                            .id(id::COPY_URL),
                        ]
                        .spacing(8)
                        .align_y(Alignment::Center),
                    );
                }
                content.into()
            }
            other => {
                let label = if self.tokens.is_some() {
                    "credentials-authorize-again"
                } else {
                    "credentials-authorize"
                };
                let authorize = container(
                    button(text(tr(label)))
                        .style(button::primary)
                        .on_press_maybe(ready.then_some(Message::Authorize)),
                )
                .id(id::AUTHORIZE);
                let status: Element<'_, Message> = match (other, &self.tokens) {
                    (_, Some(tokens)) => text(tr_with(
                        "credentials-authorized",
                        &[(
                            "refresh",
                            &if tokens.refresh_token.is_some() {
                                tr("credentials-authorized-refresh")
                            } else {
                                String::new()
                            },
                        )],
                    ))
                    .size(14)
                    .style(text::success)
                    .into(),
                    (Authorization::Failed(message), None) => problem_text(message.clone(), true),
                    (Authorization::Cancelled, None) => {
                        text(tr("credentials-authorize-cancelled")).size(14).into()
                    }
                    _ if !ready => text(tr("credentials-authorize-fix-first"))
                        .size(13)
                        .style(muted)
                        .into(),
                    _ => text(tr("credentials-authorize-needed"))
                        .size(13)
                        .style(muted)
                        .into(),
                };
                row![authorize, container(status).width(Fill)]
                    .spacing(12)
                    .align_y(Alignment::Center)
                    .into()
            }
        }
    }

    fn saved_offer(&self) -> Option<Element<'_, Message>> {
        let reference = self.saved_reference.as_ref()?;
        if matches!(self.keyring_status, KeyringStatus::Loaded(_)) {
            return None;
        }
        let mut content = column![
            text(tr_with(
                "credentials-saved-found",
                &[("reference", &reference.to_string())]
            ))
            .size(14),
            row![
                container(
                    button(text(tr("credentials-use-saved")))
                        .style(button::primary)
                        .on_press_maybe(
                            (self.keyring_status != KeyringStatus::Loading)
                                .then_some(Message::UseSaved)
                        )
                )
                .id(id::USE_SAVED),
                container(
                    button(text(tr("credentials-forget")))
                        .style(button::secondary)
                        .on_press(Message::Forget)
                )
                .id(id::FORGET),
            ]
            .spacing(10),
        ]
        .spacing(8);
        match &self.keyring_status {
            KeyringStatus::Loading => {
                content = content.push(text(tr("credentials-loading")).size(13));
            }
            KeyringStatus::LoadFailed(message) => {
                content = content.push(problem_text(message.clone(), true));
            }
            _ => {}
        }
        Some(
            container(content)
                .padding(12)
                .width(Fill)
                .style(container::bordered_box)
                .into(),
        )
    }

    fn remember_section(&self) -> Element<'_, Message> {
        let mut content = column![
            container(
                checkbox(self.remember)
                    .label(tr("credentials-remember"))
                    .on_toggle(Message::RememberToggled)
            )
            .id(id::REMEMBER),
            text(tr("credentials-remember-explain"))
                .size(13)
                .style(muted),
        ]
        .spacing(6);
        let status: Option<Element<'_, Message>> = match &self.keyring_status {
            KeyringStatus::Saving => Some(text(tr("credentials-saving")).size(13).into()),
            KeyringStatus::Saved { store, fallback } => {
                let line = if store.keeps_secrets_after_exit() {
                    tr_with("credentials-saved", &[("store", store.describe())])
                } else {
                    tr_with("credentials-saved-memory", &[("store", store.describe())])
                };
                let mut lines = column![text(line).size(13)].spacing(4);
                if let Some(reason) = fallback {
                    lines = lines.push(
                        text(tr_with("credentials-fallback", &[("reason", reason)]))
                            .size(13)
                            .style(text::warning),
                    );
                }
                Some(lines.into())
            }
            KeyringStatus::Failed(error) => Some(problem_text(
                tr_with("credentials-save-failed", &[("error", error)]),
                true,
            )),
            KeyringStatus::Loaded(store) => Some(
                text(tr_with(
                    "credentials-loaded",
                    &[("store", store.describe())],
                ))
                .size(13)
                .into(),
            ),
            KeyringStatus::Forgotten => Some(text(tr("credentials-forgotten")).size(13).into()),
            KeyringStatus::Idle | KeyringStatus::Loading | KeyringStatus::LoadFailed(_) => None,
        };
        if let Some(status) = status {
            content = content.push(status);
        }
        let to_keep = self.to_keep();
        if self.remember
            && to_keep.is_some()
            && self.saved != to_keep
            && self.keyring_status != KeyringStatus::Saving
        {
            let (line, label) = if self.saved.is_some() {
                ("credentials-save-stale", "credentials-save-again")
            } else {
                ("credentials-not-saved", "credentials-save-now")
            };
            content = content.push(
                row![
                    text(tr(line)).size(13),
                    container(
                        button(text(tr(label)))
                            .style(button::secondary)
                            .on_press(Message::SaveAgain)
                    )
                    .id(id::SAVE_AGAIN),
                ]
                .spacing(10)
                .align_y(Alignment::Center),
            );
        } else if self.remember && to_keep.is_none() {
            let id = if self.kind == Kind::Browser
                && self.tokens.is_some()
                && self.kind_problems().is_empty()
            {
                "credentials-no-refresh"
            } else {
                "credentials-remember-incomplete"
            };
            content = content.push(text(tr(id)).size(13).style(muted));
        }
        content.into()
    }

    /// Whether Next may be pressed: the credentials are complete (for the browser kind: it is
    /// authorized).
    pub fn can_continue(&self, setup: &Setup) -> bool {
        self.credentials(setup).is_some()
    }

    /// Stops any running work (Esc, or leaving the step): the browser authorization. Keyring
    /// calls are short and left to finish, so a save started just before Next still records
    /// its reference in the setup.
    pub fn cancel(&mut self) {
        if self.is_authorizing() {
            self.abort_authorization();
            self.authorization = Authorization::Cancelled;
        }
    }
}

/// The keyring given, or the system's, opened off the UI thread.
async fn open(keyring: Option<Keyring>) -> Keyring {
    match keyring {
        Some(keyring) => keyring,
        None => Keyring::open_native_async().await,
    }
}

/// Runs `work` on the core's saved-credentials store (the settings folder and keyring given,
/// else the system's) on a blocking thread; gives back the keyring, to keep for later calls.
async fn with_saved_store<T: Send + 'static>(
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
    let result = kit::blocking(move || work(&store))
        .await
        .unwrap_or_else(|_| {
            Err(SavedError::Keyring(
                goto_sso_wizard::secrets::SecretError::Interrupted,
            ))
        });
    (keyring, result)
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

/// `None` when `value` is a usable URL; `Some(None)` when it is empty; `Some(Some(why))` when
/// it is wrong.
fn url_problem(value: &str) -> Option<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Some(None);
    }
    let parsed = match url::Url::parse(value) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Some(Some(tr_with(
                "credentials-url-invalid",
                &[("reason", &error.to_string())],
            )));
        }
    };
    if parsed.host_str().is_none_or(str::is_empty) {
        return Some(Some(tr("credentials-url-no-host")));
    }
    // The same rule every request obeys: https, or plain http to this computer only.
    match FetchOptions::default().policy().judge(&parsed) {
        Ok(()) => None,
        Err(_) => Some(Some(tr("credentials-url-scheme"))),
    }
}

/// The secret with surrounding whitespace removed (pasting often adds a newline).
fn trimmed(secret: &Secret) -> Secret {
    let value = secret.expose();
    if value.trim().len() == value.len() {
        secret.clone()
    } else {
        Secret::from(value.trim())
    }
}

fn section<'a>(title: String, content: Element<'a, Message>) -> Element<'a, Message> {
    column![text(title).size(18).font(bold()), content]
        .spacing(8)
        .into()
}

/// A validation message: red once the person has typed something wrong, quiet while a field is
/// simply still empty.
fn problem_text<'a>(message: String, is_error: bool) -> Element<'a, Message> {
    let shown = text(message).size(13);
    if is_error {
        shown.style(text::danger).into()
    } else {
        shown.style(muted).into()
    }
}

/// The deprecation notice: a warning-tinted box that stays readable in both themes.
fn notice_box(theme: &Theme) -> container::Style {
    let palette = theme.extended_palette();
    container::Style::default()
        .background(palette.warning.base.color.scale_alpha(0.18))
        .border(
            iced::border::rounded(6)
                .color(palette.warning.base.color)
                .width(1),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::Size;
    use iced_test::Simulator;
    use iced_test::selector::id as by_id;

    const TOKEN: &str = "scim-token-value-1234";

    use crate::gui::test_support::run_task;

    fn task_of(action: Action<Message>) -> Task<Message> {
        match action {
            Action::Run(task) => task,
            other => panic!("expected a task, got {other:?}"),
        }
    }

    fn type_field(state: &mut State, setup: &mut Setup, field: Field, value: &str) {
        let _ = state.update(Message::FieldChanged(field, value.to_owned()), setup);
    }

    fn type_secret(state: &mut State, setup: &mut Setup, field: SecretField, value: &str) {
        let _ = state.update(Message::SecretChanged(field, Secret::from(value)), setup);
    }

    fn with_base_url(setup: &mut Setup) -> State {
        let mut state = State::with_keyring(setup, Keyring::mock());
        type_field(
            &mut state,
            setup,
            Field::BaseUrl,
            "https://scim.example.com/v2",
        );
        state
    }

    fn tokens() -> TokenSet {
        TokenSet {
            access_token: Secret::from("access-token-abcd"),
            refresh_token: Some(Secret::from("refresh-token-abcd")),
            expires_at: None,
        }
    }

    #[test]
    fn starts_with_authorize_in_browser_and_the_profile_urls() {
        let setup = Setup::default();
        let state = State::new(&setup);
        let profile = setup.profile().expect("a default profile");
        assert_eq!(state.kind(), Kind::Browser);
        assert_eq!(Kind::ALL[0], Kind::Browser);
        assert_eq!(state.token_url, profile.provisioning.token_url);
        assert_eq!(state.authorize_url, profile.provisioning.authorize_url);
        assert!(!state.can_continue(&setup));
        // GoTo's published SCIM base URL is prefilled, and the window says where it comes from.
        assert_eq!(state.base_url, "https://api.getgo.com/identity/v1");
        assert_eq!(state.problem(Field::BaseUrl), None);
        let origin = state.base_url_origin.as_deref().expect("an origin");
        assert!(origin.contains("citrixonline.com/scim"), "{origin}");
        assert!(origin.contains("2026-12-03"), "{origin}");
    }

    #[test]
    fn the_base_url_is_validated_as_typed() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        for (typed, ok) in [
            ("not a url", false),
            ("ftp://scim.example.com", false),
            ("http://scim.example.com/v2", false),
            ("http://127.0.0.1:8080/v2", true),
            ("http://localhost:8080/v2", true),
            ("https://scim.example.com/v2", true),
        ] {
            type_field(&mut state, &mut setup, Field::BaseUrl, typed);
            assert_eq!(state.problem(Field::BaseUrl).is_none(), ok, "{typed}");
            // What was typed is kept, right or wrong.
            assert_eq!(state.base_url, typed);
        }
        assert_eq!(
            setup.provisioning_settings.scim_base_url.as_deref(),
            Some("https://scim.example.com/v2")
        );
    }

    #[test]
    fn scim_token_needs_base_url_and_token() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
        type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
        type_field(&mut state, &mut setup, Field::BaseUrl, "");
        assert!(!state.can_continue(&setup), "no base URL");
        assert_eq!(
            state.problem(Field::BaseUrl).as_deref(),
            Some(tr("credentials-base-url-missing").as_str())
        );
        type_field(
            &mut state,
            &mut setup,
            Field::BaseUrl,
            "https://scim.example.com/v2",
        );
        assert!(state.can_continue(&setup));
        match state.credentials(&setup) {
            Some(Credentials::BearerToken(token)) => assert_eq!(token.expose(), TOKEN),
            other => panic!("{other:?}"),
        }
        type_secret(&mut state, &mut setup, SecretField::Token, "  ");
        assert!(state.secret_problem(SecretField::Token).is_some());
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn oauth_client_needs_token_url_client_id_and_secret() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        let _ = state.update(Message::KindSelected(Kind::OAuthClient), &mut setup);
        assert!(!state.can_continue(&setup));
        type_field(&mut state, &mut setup, Field::ClientId, "client-1");
        assert!(!state.can_continue(&setup), "no secret yet");
        assert!(state.secret_problem(SecretField::ClientSecret).is_some());
        type_secret(
            &mut state,
            &mut setup,
            SecretField::ClientSecret,
            "client-secret-1\n",
        );
        assert!(state.can_continue(&setup));
        match state.credentials(&setup) {
            Some(Credentials::ClientCredentials {
                endpoints,
                client_secret,
            }) => {
                assert_eq!(client_secret.expose(), "client-secret-1", "trimmed");
                assert_eq!(endpoints.client_id, "client-1");
            }
            other => panic!("{other:?}"),
        }
        type_field(&mut state, &mut setup, Field::TokenUrl, "nonsense");
        assert!(state.problem(Field::TokenUrl).is_some());
        assert!(!state.can_continue(&setup));
        assert_eq!(
            setup.provisioning_settings.method,
            Some(ProvisioningMethod::ClientCredentials)
        );
        assert_eq!(
            setup.provisioning_settings.client_id.as_deref(),
            Some("client-1")
        );
    }

    #[test]
    fn legacy_needs_user_password_token_url_and_client_id() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        let _ = state.update(Message::KindSelected(Kind::LegacyPassword), &mut setup);
        type_field(
            &mut state,
            &mut setup,
            Field::AdminUser,
            "admin@example.com",
        );
        type_secret(&mut state, &mut setup, SecretField::Password, "pa55word");
        assert!(
            !state.can_continue(&setup),
            "the password grant needs a client"
        );
        type_field(&mut state, &mut setup, Field::ClientId, "legacy-client");
        assert!(state.can_continue(&setup));
        match state.credentials(&setup) {
            Some(Credentials::LegacyAdminPassword {
                endpoints,
                user,
                password,
            }) => {
                assert_eq!(user, "admin@example.com");
                assert_eq!(password.expose(), "pa55word");
                assert!(endpoints.client_secret.is_none(), "optional and empty");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            setup.provisioning_settings.admin_user.as_deref(),
            Some("admin@example.com")
        );
    }

    #[test]
    fn browser_kind_continues_only_when_authorized_and_field_changes_drop_the_tokens() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        assert!(
            matches!(state.update(Message::Authorize, &mut setup), Action::None),
            "no client ID: Authorize does nothing"
        );
        type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
        assert!(!state.can_continue(&setup), "not authorized yet");

        let action = state.update(Message::Authorize, &mut setup);
        assert!(matches!(action, Action::Run(_)));
        assert!(state.is_authorizing());
        let generation = state.auth_generation;
        let _ = state.update(
            Message::Authorization(
                generation,
                AuthEvent::Started {
                    url: "https://auth.example.com/oauth/authorize?x=1".into(),
                    browser_error: Some("no browser".into()),
                },
            ),
            &mut setup,
        );
        let before = state.credentials_revision();
        let _ = state.update(
            Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
            &mut setup,
        );
        assert!(state.is_authorized() && !state.is_authorizing());
        assert!(state.credentials_revision() > before);
        assert!(state.can_continue(&setup));
        assert!(matches!(
            state.credentials(&setup),
            Some(Credentials::Authorized { .. })
        ));

        // Tokens belong to the client that got them.
        type_field(&mut state, &mut setup, Field::ClientId, "another-client");
        assert!(!state.is_authorized());
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn cancel_aborts_the_authorization_and_drops_its_late_result() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
        let _ = state.update(Message::Authorize, &mut setup);
        let generation = state.auth_generation;
        state.cancel();
        assert!(!state.is_authorizing());
        assert!(matches!(state.authorization, Authorization::Cancelled));
        let _ = state.update(
            Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
            &mut setup,
        );
        assert!(!state.is_authorized(), "a result after cancel is dropped");

        let _ = state.update(Message::Authorize, &mut setup);
        let _ = state.update(Message::CancelAuthorize, &mut setup);
        assert!(!state.is_authorizing());
    }

    #[test]
    fn a_failed_authorization_says_what_to_do() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
        let _ = state.update(Message::Authorize, &mut setup);
        let generation = state.auth_generation;
        let error = OAuthError {
            message: "the authorization was refused".into(),
            hint: "sign in as an admin".into(),
            http_status: None,
            transport: None,
        };
        let _ = state.update(
            Message::Authorization(generation, AuthEvent::Finished(Err(error))),
            &mut setup,
        );
        match &state.authorization {
            Authorization::Failed(message) => {
                assert!(
                    message.contains("the authorization was refused"),
                    "{message}"
                );
                assert!(message.contains("sign in as an admin"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn secrets_are_masked_by_default_and_can_be_shown() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        for field in [
            SecretField::ClientSecret,
            SecretField::Token,
            SecretField::Password,
        ] {
            assert!(!state.is_revealed(field));
            let _ = state.update(Message::ToggleReveal(field), &mut setup);
            assert!(state.is_revealed(field));
            let _ = state.update(Message::ToggleReveal(field), &mut setup);
            assert!(!state.is_revealed(field));
        }
        // Debug output of the state never shows a secret.
        type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
        assert!(!format!("{state:?}").contains(TOKEN));
    }

    #[test]
    fn every_change_increments_the_revision() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let mut last = state.credentials_revision();
        let messages = [
            Message::KindSelected(Kind::ScimToken),
            Message::FieldChanged(Field::BaseUrl, "https://a.example/v2".into()),
            Message::SecretChanged(SecretField::Token, Secret::from("t1")),
            Message::SecretChanged(SecretField::Token, Secret::from("t2")),
            Message::FieldChanged(Field::BaseUrl, "https://b.example/v2".into()),
        ];
        for message in messages {
            let _ = state.update(message, &mut setup);
            assert!(state.credentials_revision() > last);
            last = state.credentials_revision();
        }
        let _ = state.update(Message::ToggleReveal(SecretField::Token), &mut setup);
        assert_eq!(state.credentials_revision(), last, "showing is no change");
    }

    #[test]
    fn enter_goes_next_only_when_complete() {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::None
        ));
        type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::Next
        ));
    }

    #[test]
    fn remember_saves_in_the_keyring_and_the_setup_keeps_only_a_reference() {
        let keyring = Keyring::mock();
        let mut setup = Setup::default();
        let mut state = State::with_keyring(&setup, keyring.clone());
        type_field(
            &mut state,
            &mut setup,
            Field::BaseUrl,
            "https://scim.example.com/v2",
        );
        let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);

        // Ticked while incomplete: nothing to save yet.
        assert!(matches!(
            state.update(Message::RememberToggled(true), &mut setup),
            Action::None
        ));
        type_secret(&mut state, &mut setup, SecretField::Token, TOKEN);
        let task = task_of(state.update(Message::RememberToggled(true), &mut setup));
        assert_eq!(state.keyring_status, KeyringStatus::Saving);
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(
            state.keyring_status,
            KeyringStatus::Saved {
                store: StoreKind::Mock,
                fallback: None
            }
        );
        let reference = setup
            .provisioning_settings
            .credential
            .clone()
            .expect("the setup names the saved secret");
        let stored = keyring.load(&reference).expect("readable");
        assert_eq!(stored.as_ref().map(Secret::expose), Some(TOKEN));
        let json = serde_json::to_string(&setup).expect("serializable");
        assert!(!json.contains(TOKEN), "{json}");
        assert_eq!(
            setup.provisioning_settings.method,
            Some(ProvisioningMethod::BearerToken)
        );

        // A change after saving is shown as such, and can be saved again.
        type_secret(&mut state, &mut setup, SecretField::Token, "another-token");
        assert_ne!(state.saved, state.to_keep());
        let task = task_of(state.update(Message::SaveAgain, &mut setup));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(state.saved, state.to_keep());

        // A new wizard with this setup offers the saved credentials and loads them.
        let mut fresh = State::with_store(&setup, state.saved_store());
        assert_eq!(fresh.kind(), Kind::ScimToken);
        assert!(!fresh.can_continue(&setup), "the secret is not loaded yet");
        let task = task_of(fresh.update(Message::UseSaved, &mut setup));
        for message in run_task(task) {
            let _ = fresh.update(message, &mut setup);
        }
        assert_eq!(fresh.keyring_status, KeyringStatus::Loaded(StoreKind::Mock));
        match fresh.credentials(&setup) {
            Some(Credentials::BearerToken(token)) => assert_eq!(token.expose(), "another-token"),
            other => panic!("{other:?}"),
        }

        // Forget deletes it from the keyring and the setup.
        let task = task_of(fresh.update(Message::Forget, &mut setup));
        for message in run_task(task) {
            let _ = fresh.update(message, &mut setup);
        }
        assert_eq!(setup.provisioning_settings.credential, None);
        assert_eq!(keyring.load(&reference).expect("readable"), None);
    }

    #[test]
    fn with_remember_ticked_edits_are_saved_once_typing_pauses() {
        let keyring = Keyring::mock();
        let mut setup = Setup::default();
        let mut state = State::with_keyring(&setup, keyring.clone());
        type_field(
            &mut state,
            &mut setup,
            Field::BaseUrl,
            "https://s.example/v2",
        );
        let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);
        assert!(matches!(
            state.update(Message::RememberToggled(true), &mut setup),
            Action::None
        ));

        // Each keystroke restarts the pause; only the last one's timer saves.
        let first = state.update(
            Message::SecretChanged(SecretField::Token, Secret::from("t")),
            &mut setup,
        );
        assert!(matches!(first, Action::Run(_)));
        let earlier = state.autosave_generation;
        let last = task_of(state.update(
            Message::SecretChanged(SecretField::Token, Secret::from(TOKEN)),
            &mut setup,
        ));
        assert!(matches!(
            state.update(Message::SaveDue(earlier), &mut setup),
            Action::None
        ));
        let due = run_task(last);
        assert!(
            matches!(due.as_slice(), [Message::SaveDue(g)] if *g == state.autosave_generation),
            "{due:?}"
        );
        for message in due {
            let save = task_of(state.update(message, &mut setup));
            for saved in run_task(save) {
                let _ = state.update(saved, &mut setup);
            }
        }
        let reference = setup
            .provisioning_settings
            .credential
            .clone()
            .expect("saved");
        assert_eq!(
            keyring.load(&reference).expect("readable"),
            Some(Secret::from(TOKEN))
        );
        // Without "Remember", edits are not saved.
        let _ = state.update(Message::RememberToggled(false), &mut setup);
        assert!(matches!(
            state.update(
                Message::SecretChanged(SecretField::Token, Secret::from("other")),
                &mut setup
            ),
            Action::None
        ));
    }

    #[test]
    fn refreshed_tokens_are_kept_without_a_new_revision_and_saved_when_remembered() {
        let keyring = Keyring::mock();
        let mut setup = Setup::default();
        let mut state = State::with_keyring(&setup, keyring.clone());
        type_field(
            &mut state,
            &mut setup,
            Field::BaseUrl,
            "https://s.example/v2",
        );
        type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
        let _ = state.update(Message::RememberToggled(true), &mut setup);
        let _ = state.update(Message::Authorize, &mut setup);
        let generation = state.auth_generation;
        let save = task_of(state.update(
            Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
            &mut setup,
        ));
        for message in run_task(save) {
            let _ = state.update(message, &mut setup);
        }
        let revision = state.credentials_revision();
        let Some(Credentials::Authorized { endpoints, .. }) = state.credentials(&setup) else {
            panic!("authorized")
        };
        let rotated = Credentials::Authorized {
            endpoints,
            tokens: TokenSet {
                access_token: Secret::from("access-2"),
                refresh_token: Some(Secret::from("refresh-2")),
                expires_at: None,
            },
        };
        let save = task_of(state.keep_refreshed(&rotated));
        assert_eq!(state.credentials_revision(), revision);
        for message in run_task(save) {
            let _ = state.update(message, &mut setup);
        }
        let reference = setup
            .provisioning_settings
            .credential
            .clone()
            .expect("saved");
        assert_eq!(
            keyring.load(&reference).expect("readable"),
            Some(Secret::from("refresh-2"))
        );
        // Another kind's credentials are not taken.
        assert!(matches!(
            state.keep_refreshed(&Credentials::BearerToken("x".into())),
            Action::None
        ));
    }

    #[test]
    fn a_browser_authorization_saves_its_refresh_token() {
        let keyring = Keyring::mock();
        let mut setup = Setup::default();
        let mut state = State::with_keyring(&setup, keyring.clone());
        type_field(
            &mut state,
            &mut setup,
            Field::BaseUrl,
            "https://s.example/v2",
        );
        type_field(&mut state, &mut setup, Field::ClientId, "browser-client");
        let _ = state.update(Message::RememberToggled(true), &mut setup);
        let _ = state.update(Message::Authorize, &mut setup);
        let generation = state.auth_generation;
        let task = task_of(state.update(
            Message::Authorization(generation, AuthEvent::Finished(Ok(tokens()))),
            &mut setup,
        ));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        let reference = setup
            .provisioning_settings
            .credential
            .clone()
            .expect("saved");
        assert_eq!(
            keyring.load(&reference).expect("readable"),
            Some(Secret::from("refresh-token-abcd"))
        );

        // Loading gives an expired access token with the refresh token, so the test refreshes.
        let mut fresh = State::with_store(&setup, state.saved_store());
        let task = task_of(fresh.update(Message::UseSaved, &mut setup));
        for message in run_task(task) {
            let _ = fresh.update(message, &mut setup);
        }
        assert!(fresh.is_authorized());
        assert!(fresh.can_continue(&setup));
    }

    #[test]
    fn a_secret_saved_by_an_earlier_window_is_moved_to_the_one_name() {
        let mut setup = Setup::default();
        let earlier = CredentialRef::new("provisioning/client-secret/client-1");
        setup.provisioning_settings = ProvisioningSettings {
            method: Some(ProvisioningMethod::ClientCredentials),
            scim_base_url: Some("https://s.example/v2".into()),
            client_id: Some("client-1".into()),
            credential: Some(earlier.clone()),
            ..ProvisioningSettings::default()
        };
        let keyring = Keyring::mock();
        keyring.save(&earlier, &Secret::from(TOKEN)).unwrap();
        let mut state = State::with_keyring(&setup, keyring.clone());
        let task = task_of(state.update(Message::UseSaved, &mut setup));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(state.keyring_status, KeyringStatus::Loaded(StoreKind::Mock));
        let store = state.saved_store();
        assert_eq!(
            keyring.load(&earlier).unwrap(),
            None,
            "the old entry is gone"
        );
        assert_eq!(
            setup.provisioning_settings.credential,
            Some(store.reference())
        );
        // The CLI's view: the settings describe it now.
        let saved = store.load(None).expect("found without the setup");
        assert_eq!(saved.secret.expose(), TOKEN);
        match state.credentials(&setup) {
            Some(Credentials::ClientCredentials { client_secret, .. }) => {
                assert_eq!(client_secret.expose(), TOKEN)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn credentials_saved_by_the_cli_are_offered_and_used_with_their_kind_and_fields() {
        let cli = State::with_keyring(&Setup::default(), Keyring::mock()).saved_store();
        // What `provisioning test --authorize --remember` saves.
        let authorized = Credentials::Authorized {
            endpoints: OAuthEndpoints {
                authorize_url: Some("https://auth.example.com/authorize".into()),
                token_url: "https://auth.example.com/token".into(),
                client_id: "cli-client".into(),
                client_secret: None,
                scopes: Vec::new(),
            },
            tokens: tokens(),
        };
        let (connection, secret) = goto_sso_wizard::provisioning::saved::connection_of(
            "https://s.example/v2",
            &authorized,
        )
        .unwrap();
        cli.save(&connection, secret).unwrap();

        let mut setup = Setup::default();
        let mut state = State::with_store(&setup, cli.clone());
        assert!(state.saved_offer().is_none(), "the setup names nothing");
        for message in run_task(state.look_for_saved()) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(state.saved_reference, Some(cli.reference()));
        assert!(state.saved_offer().is_some());
        let task = task_of(state.update(Message::UseSaved, &mut setup));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(state.kind(), Kind::Browser);
        assert_eq!(state.base_url(), "https://s.example/v2");
        assert!(state.can_continue(&setup));
        let Some(Credentials::Authorized { endpoints, tokens }) = state.credentials(&setup) else {
            panic!("authorized")
        };
        assert_eq!(endpoints.client_id, "cli-client");
        assert_eq!(endpoints.token_url, "https://auth.example.com/token");
        // Only the refresh token: no placeholder access token to register as a secret.
        let secrets: Vec<&str> = tokens.secrets().iter().map(|s| s.expose()).collect();
        assert_eq!(secrets, ["refresh-token-abcd"]);

        // Forget in the window forgets it for the CLI too.
        let task = task_of(state.update(Message::Forget, &mut setup));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        assert_eq!(state.keyring_status, KeyringStatus::Forgotten);
        assert!(matches!(
            cli.load(None),
            Err(goto_sso_wizard::provisioning::saved::SavedError::NothingSaved { .. })
        ));
    }

    #[test]
    fn a_missing_saved_entry_is_explained() {
        let mut setup = Setup::default();
        setup.provisioning_settings.method = Some(ProvisioningMethod::BearerToken);
        setup.provisioning_settings.credential = Some(CredentialRef::new("provisioning/none"));
        let mut state = State::with_keyring(&setup, Keyring::mock());
        let task = task_of(state.update(Message::UseSaved, &mut setup));
        for message in run_task(task) {
            let _ = state.update(message, &mut setup);
        }
        match &state.keyring_status {
            KeyringStatus::LoadFailed(message) => {
                assert!(message.contains("provisioning/none"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn authorize_stream_reports_a_missing_listener_target_as_an_error() {
        // No authorization URL: begin() fails at once, and the stream says so.
        let endpoints = OAuthEndpoints {
            authorize_url: None,
            token_url: "http://127.0.0.1:9/token".into(),
            client_id: "c".into(),
            client_secret: None,
            scopes: Vec::new(),
        };
        let events = run_task(Task::stream(authorize(
            endpoints,
            FetchOptions::default(),
            CallbackPort::Any,
            Duration::from_secs(1),
            false,
        )));
        assert!(
            matches!(events.as_slice(), [AuthEvent::Finished(Err(error))] if error.message.contains("authorization URL")),
            "{events:?}"
        );
    }

    /// A peer started by `scripts/peers/<kind>/start.sh` on a free loopback port, stopped
    /// when dropped.
    struct Peer {
        pid: String,
        port: u16,
    }

    impl Peer {
        fn start(script: &str, args: &[&str], env: &[(&str, &str)]) -> Self {
            let port = std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|listener| listener.local_addr())
                .map(|address| address.port())
                .expect("a free port");
            let output = std::process::Command::new(script)
                .arg(port.to_string())
                .args(args)
                .envs(env.iter().copied())
                .output()
                .expect("the start script runs");
            assert!(
                output.status.success(),
                "{script} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            Self {
                pid: String::from_utf8_lossy(&output.stdout).trim().to_owned(),
                port,
            }
        }
    }

    impl Drop for Peer {
        fn drop(&mut self) {
            let _ = std::process::Command::new("kill").arg(&self.pid).status();
        }
    }

    /// Follows the authorization server's redirects (with cookies) to the loopback callback,
    /// as the system browser would.
    async fn play_browser(url: String) -> String {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let browser = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::limited(20))
            .no_proxy()
            .build()
            .expect("a browser");
        let landed = browser.get(&url).send().await.expect("the redirect chain");
        landed.text().await.expect("the last page")
    }

    #[test]
    fn authorize_in_the_browser_end_to_end_then_the_test_passes() {
        use crate::gui::screen::test_connection;
        use iced::futures::StreamExt;

        let oauth = Peer::start(
            "scripts/peers/oauth/start.sh",
            &["gui-client", "gui-secret"],
            &[("OAUTH_PKCE_REQUIRED", "1")],
        );
        let issuer = format!("http://127.0.0.1:{}", oauth.port);
        let scim = Peer::start(
            "scripts/peers/scim/start.sh",
            &["unused-static-token"],
            &[
                (
                    "SCIM_INTROSPECTION_URL",
                    format!("{issuer}/token/introspection").as_str(),
                ),
                ("SCIM_INTROSPECTION_CLIENT", "gui-client:gui-secret"),
            ],
        );

        let mut setup = Setup::default();
        let mut state = State::with_keyring(&setup, Keyring::mock());
        let base_url = format!("http://127.0.0.1:{}/v2", scim.port);
        type_field(&mut state, &mut setup, Field::BaseUrl, &base_url);
        type_field(
            &mut state,
            &mut setup,
            Field::AuthorizeUrl,
            &format!("{issuer}/auth"),
        );
        type_field(
            &mut state,
            &mut setup,
            Field::TokenUrl,
            &format!("{issuer}/token"),
        );
        type_field(&mut state, &mut setup, Field::ClientId, "gui-client");
        // The peer refuses an authorization that asks for no scope (access_denied).
        type_field(&mut state, &mut setup, Field::Scopes, "scim");
        type_secret(
            &mut state,
            &mut setup,
            SecretField::ClientSecret,
            "gui-secret",
        );
        assert!(matches!(
            state.update(Message::Authorize, &mut setup),
            Action::Run(_)
        ));
        let generation = state.auth_generation;

        // The same stream the Authorize task runs, without opening a real browser.
        let client_secret = Some(state.client_secret.clone());
        let endpoints = state.endpoints(true, client_secret);
        let options = FetchOptions {
            allow_http: true,
            ..FetchOptions::default()
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let events = runtime.block_on(async {
            let mut stream = Box::pin(authorize(
                endpoints,
                options,
                CallbackPort::Any,
                Duration::from_secs(30),
                false,
            ));
            let started = stream.next().await.expect("an event");
            let AuthEvent::Started { url, .. } = &started else {
                panic!("{started:?}")
            };
            let browser = tokio::spawn(play_browser(url.clone()));
            let finished = stream.next().await.expect("the end");
            let page = browser.await.expect("the browser");
            assert!(page.contains("Authorization complete"), "{page}");
            vec![started, finished]
        });
        for event in events {
            let _ = state.update(Message::Authorization(generation, event), &mut setup);
        }
        assert!(state.is_authorized(), "{:?}", state.authorization);
        assert!(state.can_continue(&setup));

        // The test step then passes with these credentials.
        let credentials = state.credentials(&setup).expect("complete");
        let events = runtime.block_on(
            test_connection::test_stream(
                base_url,
                credentials,
                goto_sso_wizard::provisioning::TestOptions {
                    http: FetchOptions {
                        allow_http: true,
                        ..FetchOptions::default()
                    },
                    ..Default::default()
                },
            )
            .collect::<Vec<_>>(),
        );
        match events.last() {
            Some(test_connection::Event::Finished(report, _)) => {
                assert!(report.ok, "{report:#?}")
            }
            other => panic!("{other:?}"),
        }
    }

    fn is_widget_id(piece: &str) -> bool {
        let fields = [
            SecretField::ClientSecret,
            SecretField::Token,
            SecretField::Password,
        ];
        [
            id::BASE_URL,
            id::AUTHORIZE_URL,
            id::TOKEN_URL,
            id::CLIENT_ID,
            id::SCOPES,
            id::ADMIN_USER,
            id::AUTHORIZE,
            id::CANCEL_AUTHORIZE,
            id::COPY_URL,
            id::REMEMBER,
            id::SAVE_AGAIN,
            id::USE_SAVED,
            id::FORGET,
        ]
        .into_iter()
        .chain(Kind::ALL.map(Kind::radio_id))
        .chain(fields.map(SecretField::id))
        .chain(fields.map(SecretField::toggle_id))
        .any(|known| known == piece)
    }

    #[test]
    fn every_string_id_used_here_is_defined() {
        let source = include_str!("credentials.rs");
        let mut checked = 0;
        for piece in source.split('"').skip(1).step_by(2) {
            let is_id = (piece.starts_with("credentials-") || piece.starts_with("common-"))
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            // Widget ids share the prefix; a string id is one the bundle knows or must know.
            if is_id && !piece.ends_with('-') && tr(piece) == piece && !is_widget_id(piece) {
                panic!("no English string for {piece}");
            }
            checked += usize::from(is_id);
        }
        assert!(checked > 10, "the scan found the ids");
    }

    #[test]
    fn the_screen_by_widget_id() -> Result<(), iced_test::Error> {
        let mut setup = Setup::default();
        let mut state = with_base_url(&mut setup);
        let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);

        let mut ui = Simulator::with_size(
            iced::Settings::default(),
            Size::new(860.0, 1400.0),
            state.view(&setup),
        );
        let _ = ui.find(tr("credentials-heading").as_str())?;
        let _ = ui.find(by_id(Kind::Browser.radio_id()))?;
        let _ = ui.find(tr("credentials-show").as_str())?;
        assert!(ui.find(tr("credentials-hide").as_str()).is_err());
        let _ = ui.click(by_id(SecretField::Token.toggle_id()))?;
        let _ = ui.click(by_id(Kind::LegacyPassword.radio_id()))?;
        let _ = ui.click(by_id(SecretField::Token.id()))?;
        let _ = ui.typewrite("abc");
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [
                    Message::ToggleReveal(SecretField::Token),
                    Message::KindSelected(Kind::LegacyPassword),
                    Message::SecretChanged(SecretField::Token, _),
                    ..
                ]
            ),
            "{messages:?}"
        );
        for message in messages {
            let _ = state.update(message, &mut setup);
        }

        // Now the legacy kind, with its deprecation notice and the token field shown.
        let mut ui = Simulator::with_size(
            iced::Settings::default(),
            Size::new(860.0, 1400.0),
            state.view(&setup),
        );
        let _ = ui.find(tr("credentials-legacy-notice").as_str())?;
        let _ = ui.find(by_id(id::ADMIN_USER))?;
        let _ = ui.find(by_id(id::REMEMBER))?;
        assert!(ui.find(by_id(id::AUTHORIZE)).is_err(), "browser only");
        Ok(())
    }
}
