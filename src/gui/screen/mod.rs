//! One module per screen. Each has its own `Message`, a `State` with `new`, `update` (which
//! returns an [`Action`] for the root), `view`, `can_continue` and `cancel`.
//!
//! Screens edit the shared [`Setup`](goto_sso_wizard::setup::Setup) through `update` and never
//! do I/O themselves: every read, write, download or keyring call is a `Task` they return.

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

use goto_sso_wizard::setup::Setup;
use iced::Task;

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
        })
    }
}
