//! The wizard step "Credentials": how the wizard (and later Entra) signs in to GoTo's
//! provisioning service, in one of four ways, "Authorize in the browser" first. Secrets stay in
//! this state as [`Secret`]s (wiped when dropped) and, when asked, in the OS keyring; the setup
//! keeps only the method, URLs, client ID and a [`CredentialRef`].

use crate::gui::widget::style::{bold, muted};
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
use iced::{Alignment, Element, Fill, Font, Task, Theme};

use super::Action;
use super::oauth_client;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::session::CurrentCredentials;
use crate::gui::widget;

mod authorization;
mod form;
mod remember;
#[cfg(test)]
mod tests;
mod update;
mod view;

use form::trimmed;
use remember::with_saved_store;

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
    #[cfg(test)]
    pub fn credentials_revision(&self) -> u64 {
        self.revision
    }

    /// What the session holds of this step: the credentials, their revision and the base URL.
    pub fn current(&self, setup: &Setup) -> CurrentCredentials {
        CurrentCredentials {
            credentials: self.credentials(setup),
            revision: self.revision,
            base_url: self.base_url().to_owned(),
        }
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

    fn endpoints(&self, with_authorize: bool, client_secret: Option<Secret>) -> OAuthEndpoints {
        OAuthEndpoints {
            authorize_url: with_authorize.then(|| self.authorize_url.trim().to_owned()),
            token_url: self.token_url.trim().to_owned(),
            client_id: self.client_id.trim().to_owned(),
            client_secret: client_secret.map(|s| trimmed(&s)),
            scopes: self.scopes.split_whitespace().map(str::to_owned).collect(),
        }
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
