//! The wizard's session: what the steps share, owned by the frame. Screens read it (the frame
//! passes it, or the part they need, to `view`, `update` and `can_continue`) and never keep
//! copies; they change it by returning an [`Action`](crate::gui::screen::Action) the frame
//! applies here.

use std::sync::Arc;

use goto_sso_wizard::metadata::Metadata;
use goto_sso_wizard::provisioning::Credentials;
use goto_sso_wizard::setup::{MetadataSource, Setup};

/// The metadata document in use, and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedMetadata {
    /// The parsed document, shared with the screens that show it.
    pub metadata: Arc<Metadata>,
    /// The file or URL it was read from.
    #[allow(
        dead_code,
        reason = "where the session's document came from; read by the tests"
    )]
    pub source: MetadataSource,
}

/// The provisioning credentials as the credentials step last gave them.
#[derive(Debug, Clone, Default)]
pub struct CurrentCredentials {
    /// Complete and valid credentials, else `None`.
    pub credentials: Option<Credentials>,
    /// Increases with every change the admin makes, so a test result of older credentials is
    /// recognised (refreshed tokens are no change).
    pub revision: u64,
    /// GoTo's SCIM base URL, trimmed.
    pub base_url: String,
}

/// Everything the steps share.
#[derive(Debug, Default)]
pub struct Session {
    /// The setup being made (saved, exported, resumed).
    pub setup: Setup,
    /// The metadata loaded by the metadata step (or again when a setup was resumed).
    pub metadata: Option<LoadedMetadata>,
    /// The credentials to test and keep.
    pub credentials: CurrentCredentials,
}

impl Session {
    /// A session for `setup`, before any metadata or credentials.
    pub fn new(setup: Setup) -> Self {
        Self {
            setup,
            metadata: None,
            credentials: CurrentCredentials::default(),
        }
    }

    /// The metadata document, when one is loaded.
    pub fn metadata(&self) -> Option<&Metadata> {
        self.metadata.as_ref().map(|loaded| &*loaded.metadata)
    }
}
