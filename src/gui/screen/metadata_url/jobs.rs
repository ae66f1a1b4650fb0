//! The step's work off the window's thread: downloading, reading files, reloading a resumed
//! setup's metadata through the core, the open dialog.

use super::*;

impl State {
    /// Reads the metadata a resumed setup names again, through the core's load, as a run of
    /// this step (shown as running, cancellable, and its result shown as a load's).
    pub fn reload(&mut self, setup: &Setup) -> Action<Message> {
        let Some(source) = setup.metadata.source() else {
            return Action::None;
        };
        if let Source::File(path) = &source {
            self.file_path = path.display().to_string();
        }
        self.stop();
        let load = goto_sso_wizard::setup::load(source.clone(), FetchOptions::default());
        self.start_load(source, |generation| {
            Task::perform(load, move |result| {
                Message::Reloaded(generation, result.map(Box::new).map_err(Failure::from))
            })
        })
    }
}

/// Downloads and reads `url`, trusting the CA file at `ca_path` too when given.
pub async fn fetch(url: String, ca_path: Option<String>) -> Result<Box<FetchedMetadata>, Failure> {
    let extra_ca_pem = match ca_path {
        None => None,
        Some(path) => Some(
            read_ca_file(PathBuf::from(&path))
                .await
                .map_err(|reason| Failure::CaFile { path, reason })?,
        ),
    };
    let options = FetchOptions {
        extra_ca_pem,
        ..FetchOptions::default()
    };
    fetch_metadata(&url, &options, &ParseOptions::default())
        .await
        .map(Box::new)
        .map_err(|error| Failure::Fetch(Box::new(error)))
}

/// Reads and parses a metadata file off the window's thread (the core's reader).
pub async fn read_metadata_file(path: PathBuf) -> Result<Box<Metadata>, Failure> {
    let shown = path.clone();
    tokio::task::spawn_blocking(move || goto_sso_wizard::setup::read_file(&path))
        .await
        .unwrap_or_else(|error| {
            Err(LoadError::File {
                path: shown,
                reason: error.to_string(),
            })
        })
        .map(Box::new)
        .map_err(Failure::from)
}

/// Reads a CA file (PEM) off the window's thread, no larger than a certificate file can be.
async fn read_ca_file(path: PathBuf) -> Result<Vec<u8>, String> {
    tokio::task::spawn_blocking(move || {
        read_limited(&path, goto_sso_wizard::certificate::MAX_CERTIFICATE_INPUT)
            .map_err(|error| error.reason())
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}

/// The system's open dialog; `None` when cancelled or when no dialog can open.
pub(super) async fn pick_metadata_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("metadata-url-dialog-title"))
        .add_filter(tr("metadata-url-dialog-filter"), &["xml"])
        .pick_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}
