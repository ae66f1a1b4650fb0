//! Why settings could not be saved, and where to look. The operating system's reason is the
//! error's `source()`.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;

/// A failure to find the settings folder or to save settings. (Loading never fails: see
/// [`super::SettingsStore::load`].) `Clone` so a GUI can keep it in its state.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SettingsError {
    /// The platform has no config folder for this user (no home directory).
    #[error(
        "no folder for settings was found (the home directory is unknown): set \
         GOTO_SSO_CONFIG_DIR to a folder for them"
    )]
    NoConfigDir,
    /// The settings folder could not be created.
    #[error(
        "the settings folder {} could not be created: check that its parent folder is \
         writable, or set GOTO_SSO_CONFIG_DIR to a folder that is",
        path.display()
    )]
    CreateDir {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: Arc<io::Error>,
    },
    /// The settings file could not be written.
    #[error(
        "settings could not be saved in {}: check that the folder is writable and the disk is \
         not full, or set GOTO_SSO_CONFIG_DIR to another folder",
        path.display()
    )]
    Write {
        /// The folder the file is written in.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: Arc<io::Error>,
    },
    /// The settings could not be turned into JSON (a bug: they are plain data).
    #[error("the settings could not be written as JSON; please report this bug")]
    Serialize {
        /// serde_json's reason.
        #[source]
        source: Arc<serde_json::Error>,
    },
}
