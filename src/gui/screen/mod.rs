//! One module per screen. Each has its own `Message`, a `State` with `new`, `update` (which
//! returns an [`Action`] for the root), `view`, `can_continue` and `cancel`.
//!
//! Screens edit the shared [`Setup`](goto_sso_wizard::setup::Setup) through `update` and never
//! do I/O themselves: every read, write, download or keyring call is a `Task` they return.
//!
//! What steps share beyond the setup (the loaded metadata, the provisioning credentials) is the
//! frame's [`Session`](crate::gui::session::Session): screens read it (the frame passes what
//! they need) and change it only through the actions below (`MetadataLoaded`,
//! `CredentialsChanged`, …); no screen hands data to another.

pub mod certificate;
pub mod credentials;
pub mod diagnose;
pub mod goto_settings;
mod job;
pub mod metadata_url;
pub mod oauth_client;
pub mod relay_state;
pub mod review;
pub mod start;
pub mod test_connection;
pub mod welcome;

use std::sync::Arc;

use goto_sso_wizard::metadata::Metadata;
use goto_sso_wizard::provisioning::Credentials;
use goto_sso_wizard::setup::{MetadataSource, Setup};
use iced::Task;

use crate::gui::session::CurrentCredentials;

/// What a screen asks the root to do after an update.
pub enum Action<M> {
    /// Nothing.
    None,
    /// Run this task; its messages come back to the same screen.
    Run(Task<M>),
    /// Replace the whole setup (a saved setup was resumed); every screen starts afresh from it.
    Replace(Box<Setup>),
    /// Go to the next step, as if Next had been pressed (Enter in the last field).
    Next,
    /// Open the diagnose screen (beside the wizard, not a step of it).
    Diagnose,
    /// A metadata document loaded (by the metadata step, or again for a resumed setup): the
    /// session holds it from now on, for the certificate step and the ones after.
    MetadataLoaded(Arc<Metadata>, MetadataSource),
    /// The loaded document no longer applies (its inputs changed, or a new load failed).
    MetadataForgotten,
    /// The credentials step's credentials changed (a new revision), then `then`.
    CredentialsChanged(CurrentCredentials, Box<Action<M>>),
    /// A connection test refreshed the tokens (same revision): the session and the credentials
    /// step keep the newer ones.
    CredentialsRefreshed(Box<Credentials>),
}

impl<M: Send + 'static> Action<M> {
    /// The same action for a screen that wraps this one's messages in `wrap`.
    pub fn map<W: Send + 'static>(self, wrap: impl Fn(M) -> W + Send + 'static) -> Action<W> {
        match self {
            Action::None => Action::None,
            Action::Run(task) => Action::Run(task.map(wrap)),
            Action::Replace(setup) => Action::Replace(setup),
            Action::Next => Action::Next,
            Action::Diagnose => Action::Diagnose,
            Action::MetadataLoaded(metadata, source) => Action::MetadataLoaded(metadata, source),
            Action::MetadataForgotten => Action::MetadataForgotten,
            Action::CredentialsChanged(current, then) => {
                Action::CredentialsChanged(current, Box::new(then.map(wrap)))
            }
            Action::CredentialsRefreshed(credentials) => Action::CredentialsRefreshed(credentials),
        }
    }
}

impl<M> std::fmt::Debug for Action<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::None => "None",
            Action::Run(_) => "Run",
            Action::Replace(_) => "Replace",
            Action::Next => "Next",
            Action::Diagnose => "Diagnose",
            Action::MetadataLoaded(..) => "MetadataLoaded",
            Action::MetadataForgotten => "MetadataForgotten",
            Action::CredentialsChanged(..) => "CredentialsChanged",
            Action::CredentialsRefreshed(_) => "CredentialsRefreshed",
        })
    }
}
