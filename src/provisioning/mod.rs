//! Provisioning's "Test Connection", done the way Entra's provisioning service does it: get a
//! token, ask the SCIM server what it supports, prove the token on `/Users`, and check that
//! every attribute Entra's GoTo mapping sends is declared and that filtering by the matching
//! attribute works. Every step is timed and explained for a person; no secret is ever shown.

mod check;
mod credentials;
mod dialect;
mod explain;
mod mapping;
mod oauth;
mod report;
pub mod saved;

pub use check::{TestOptions, run_test};
pub use credentials::{Credentials, TokenSet};
pub use dialect::Dialect;
pub use oauth::{
    BrowserAuthorization, CallbackPort, DEFAULT_CALLBACK_PORT, OAuthEndpoints, OAuthError,
};
pub use report::{Step, StepName, TestReport, redact};
