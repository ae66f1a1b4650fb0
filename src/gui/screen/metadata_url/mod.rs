//! The wizard step "Metadata URL": the tenant (or federation endpoint) and the application ID
//! become the federation metadata URL as the admin types; "Fetch" downloads and reads it, or a
//! metadata file is loaded instead. What it finds (entity ID, sign-in and sign-out URLs, the
//! signing certificate GoTo gets by default) is recorded in the setup.

use std::path::PathBuf;
use std::sync::Arc;

use goto_sso_wizard::fetch::{FetchError, FetchOptions, FetchedMetadata, fetch_metadata};
use goto_sso_wizard::limited_read::read_limited;
use goto_sso_wizard::metadata::{Metadata, ParseOptions};
use goto_sso_wizard::metadata_url::{Cloud, MetadataUrl, UrlError, UrlRequest, build};
use goto_sso_wizard::setup::{LoadError, LoadedMetadata, Setup};
use iced::Task;

use super::Action;
use super::job::Job;
use crate::gui::i18n::{tr, tr_with};

/// Widget id of the tenant field.
pub const TENANT_ID: &str = "metadata-url-tenant";
/// Widget id of the application ID field.
pub const APP_ID_ID: &str = "metadata-url-app-id";
/// Widget id of the cloud pick list (its container).
pub const CLOUD_ID: &str = "metadata-url-cloud";
/// Widget id of the URL's Copy button.
pub const COPY_ID: &str = "metadata-url-copy";
/// Widget id of "Open in browser".
pub const OPEN_ID: &str = "metadata-url-open";
/// Widget id of "Fetch".
pub const FETCH_ID: &str = "metadata-url-fetch";
/// Widget id of Cancel while a download or file read runs.
pub const CANCEL_ID: &str = "metadata-url-cancel";
/// Widget id of the extra CA file field.
pub const CA_PATH_ID: &str = "metadata-url-ca-path";
/// Widget id of "Load metadata file…" (the dialog).
pub const PICK_FILE_ID: &str = "metadata-url-pick-file";
/// Widget id of the typed metadata file path.
pub const FILE_PATH_ID: &str = "metadata-url-file-path";
/// Widget id of the Load button next to the typed path.
pub const LOAD_FILE_ID: &str = "metadata-url-load-file";
/// Widget id of the failure's show/hide details button.
pub const DETAILS_ID: &str = "metadata-url-details";
/// Widget id of the identity-provider pick list (only shown for aggregates with several).
pub const ENTITY_ID: &str = "metadata-url-entity";

/// The cloud choices offered; `Automatic` lets the URL builder work it out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudChoice {
    /// Worked out from what was typed (global for bare IDs and domains).
    Automatic,
    /// Entra ID worldwide.
    Global,
    /// Entra ID for US Government.
    UsGov,
    /// Entra ID operated by 21Vianet.
    China,
    /// An AD FS server.
    Adfs,
}

impl CloudChoice {
    /// Every choice, in the order the list shows them.
    pub const ALL: [CloudChoice; 5] = [
        Self::Automatic,
        Self::Global,
        Self::UsGov,
        Self::China,
        Self::Adfs,
    ];

    fn cloud(self) -> Option<Cloud> {
        match self {
            Self::Automatic => None,
            Self::Global => Some(Cloud::Global),
            Self::UsGov => Some(Cloud::UsGov),
            Self::China => Some(Cloud::China),
            Self::Adfs => Some(Cloud::Adfs),
        }
    }

    fn from_cloud(cloud: Option<Cloud>) -> Self {
        match cloud {
            Some(Cloud::Global) => Self::Global,
            Some(Cloud::UsGov) => Self::UsGov,
            Some(Cloud::China) => Self::China,
            Some(Cloud::Adfs) => Self::Adfs,
            // A custom endpoint is recognised from the URL itself.
            None | Some(Cloud::Custom) => Self::Automatic,
        }
    }
}

impl std::fmt::Display for CloudChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&tr(match self {
            Self::Automatic => "metadata-url-cloud-automatic",
            Self::Global => "metadata-url-cloud-global",
            Self::UsGov => "metadata-url-cloud-usgov",
            Self::China => "metadata-url-cloud-china",
            Self::Adfs => "metadata-url-cloud-adfs",
        }))
    }
}

/// Where a metadata document came from.
pub use goto_sso_wizard::setup::MetadataSource as Source;

/// Why loading failed. `Clone`, so it can travel in a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The download failed, explained by the core.
    Fetch(Box<FetchError>),
    /// The extra CA file could not be read.
    CaFile {
        /// The path typed.
        path: String,
        /// The I/O error.
        reason: String,
    },
    /// The metadata file could not be read or is not metadata.
    File {
        /// The file.
        path: PathBuf,
        /// Why, as the core says it.
        reason: String,
    },
}

impl From<LoadError> for Failure {
    fn from(error: LoadError) -> Self {
        match error {
            LoadError::Fetch(error) => Failure::Fetch(error),
            LoadError::File { path, reason } => Failure::File { path, reason },
        }
    }
}

/// A document that loaded (the session holds the same one).
#[derive(Debug)]
struct Loaded {
    source: Source,
    metadata: Arc<Metadata>,
    /// Warnings of the download itself (plain HTTP and the like).
    fetch_warnings: Vec<String>,
}

/// What the last load produced.
#[derive(Debug)]
enum Outcome {
    Loaded(Box<Loaded>),
    Failed(Failure),
    /// The run reading this source was cancelled.
    Cancelled(Source),
}

impl Outcome {
    /// Whether it belongs to the URL section (else to the file section).
    fn is_from_url(&self) -> bool {
        match self {
            Outcome::Loaded(loaded) => matches!(loaded.source, Source::Url(_)),
            Outcome::Failed(failure) => !matches!(failure, Failure::File { .. }),
            Outcome::Cancelled(source) => matches!(source, Source::Url(_)),
        }
    }
}

/// This step's state.
#[derive(Debug)]
pub struct State {
    tenant: String,
    app_id: String,
    cloud: CloudChoice,
    built: Result<MetadataUrl, UrlError>,
    ca_path: String,
    file_path: String,
    /// The download or file read running now (its generation tells a late answer)...
    load: Job,
    /// ...and where it reads from.
    loading_from: Option<Source>,
    outcome: Option<Outcome>,
    copied: bool,
    browser_error: Option<String>,
    dialog_note: Option<String>,
    show_details: bool,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// The tenant field changed.
    TenantChanged(String),
    /// The application ID field changed.
    AppIdChanged(String),
    /// A cloud was picked.
    CloudPicked(CloudChoice),
    /// The extra CA path changed.
    CaPathChanged(String),
    /// Enter in the URL fields.
    Submit,
    /// Copy the built URL.
    CopyUrl,
    /// Open the built URL in the browser.
    OpenInBrowser,
    /// The browser was (or could not be) opened.
    BrowserOpened(Result<(), String>),
    /// Download the metadata.
    Fetch,
    /// A download finished, for the run with this generation.
    Fetched(u64, Result<Box<FetchedMetadata>, Failure>),
    /// Stop the running download or file read.
    Cancel,
    /// Open the file dialog.
    PickFile,
    /// The dialog closed, with a file or without.
    FilePicked(Option<PathBuf>),
    /// The typed metadata path changed.
    FilePathChanged(String),
    /// Load the typed file (Load button or Enter).
    LoadFile,
    /// A file read finished, for the run with this generation.
    FileLoaded(u64, Result<Box<Metadata>, Failure>),
    /// The metadata of a resumed setup was read again (the core's load), for the run with
    /// this generation.
    Reloaded(u64, Result<Box<LoadedMetadata>, Failure>),
    /// Show or hide a failure's details.
    ToggleDetails,
    /// An identity provider was picked (aggregates with several).
    EntityPicked(String),
}

impl State {
    /// A fresh state for `setup`, with what was typed before.
    pub fn new(setup: &Setup) -> Self {
        let choice = &setup.metadata;
        let mut state = Self {
            tenant: choice.tenant_input.clone(),
            app_id: choice.app_id_input.clone(),
            cloud: CloudChoice::from_cloud(choice.cloud),
            built: Err(UrlError::Empty),
            ca_path: String::new(),
            file_path: choice
                .file
                .as_ref()
                .map(|path| path.display().to_string())
                .unwrap_or_default(),
            load: Job::default(),
            loading_from: None,
            outcome: None,
            copied: false,
            browser_error: None,
            dialog_note: None,
            show_details: false,
        };
        state.rebuild();
        state
    }

    /// The metadata this step loaded (shown with its result; the session holds the same).
    pub fn metadata(&self) -> Option<&Metadata> {
        match &self.outcome {
            Some(Outcome::Loaded(loaded)) => Some(&loaded.metadata),
            _ => None,
        }
    }

    fn rebuild(&mut self) {
        let app_id = self.app_id.trim();
        self.built = build(&UrlRequest {
            tenant: &self.tenant,
            app_id: (!app_id.is_empty()).then_some(app_id),
            cloud: self.cloud.cloud(),
        });
    }

    /// The URL fields changed: rebuild, and forget a download made for the old URL.
    fn url_inputs_changed(&mut self, setup: &mut Setup) -> Action<Message> {
        self.rebuild();
        setup.metadata.tenant_input = self.tenant.clone();
        setup.metadata.app_id_input = self.app_id.clone();
        setup.metadata.cloud = self.cloud.cloud();
        self.copied = false;
        self.browser_error = None;
        if matches!(self.loading_from, Some(Source::Url(_))) {
            self.stop();
        }
        if self.outcome.as_ref().is_some_and(Outcome::is_from_url) {
            let forgotten = self.metadata().is_some();
            self.outcome = None;
            setup.metadata.forget_results();
            if forgotten {
                return Action::MetadataForgotten;
            }
        }
        Action::None
    }

    fn stop(&mut self) {
        self.load.stop();
        self.loading_from = None;
    }

    fn is_running(&self) -> bool {
        self.load.running
    }

    /// The generation the running load's answer must carry (tests answer for the task).
    #[cfg(test)]
    pub fn load_generation(&self) -> u64 {
        self.load.generation
    }

    /// Runs `task` (given its generation) as this step's load from `source`.
    fn start_load(
        &mut self,
        source: Source,
        task: impl FnOnce(u64) -> Task<Message>,
    ) -> Action<Message> {
        let task = self.load.run(task);
        self.loading_from = Some(source);
        self.outcome = None;
        self.show_details = false;
        Action::Run(task)
    }

    /// Starts a download of the built URL.
    fn start_fetch(&mut self, setup: &mut Setup) -> Action<Message> {
        let Ok(built) = &self.built else {
            return Action::None;
        };
        let url = built.url.clone();
        self.stop();
        if self.metadata().is_some() {
            setup.metadata.forget_results();
        }
        let ca_path = Some(self.ca_path.trim().to_owned()).filter(|path| !path.is_empty());
        let download = fetch(url.clone(), ca_path);
        self.start_load(Source::Url(url), |generation| {
            Task::perform(download, move |result| Message::Fetched(generation, result))
        })
    }

    /// Starts reading the typed metadata file.
    fn start_file(&mut self, setup: &mut Setup) -> Action<Message> {
        let path = PathBuf::from(self.file_path.trim());
        if path.as_os_str().is_empty() {
            return Action::None;
        }
        self.stop();
        if self.metadata().is_some() {
            setup.metadata.forget_results();
        }
        let read = read_metadata_file(path.clone());
        self.start_load(Source::File(path), |generation| {
            Task::perform(read, move |result| Message::FileLoaded(generation, result))
        })
    }

    /// Takes the running job's source when `generation` is the one running: else the answer
    /// is late (inputs changed, cancelled, or a newer run started) and must be dropped.
    fn finish(&mut self, generation: u64) -> Option<Source> {
        if self.load.is_current(generation) && self.load.finish(generation) {
            self.loading_from.take()
        } else {
            None
        }
    }

    /// A document loaded: recorded in the setup, shown, and handed to the frame for the session.
    fn loaded(
        &mut self,
        source: Source,
        metadata: Metadata,
        fetch_warnings: Vec<String>,
        setup: &mut Setup,
    ) -> Action<Message> {
        setup.metadata.record(&metadata, &source, None);
        let metadata = Arc::new(metadata);
        self.outcome = Some(Outcome::Loaded(Box::new(Loaded {
            source: source.clone(),
            metadata: Arc::clone(&metadata),
            fetch_warnings,
        })));
        Action::MetadataLoaded(metadata, source)
    }

    /// A load failed: shown, and the frame forgets the document the session held.
    fn failed(&mut self, failure: Failure) -> Action<Message> {
        self.outcome = Some(Outcome::Failed(failure));
        Action::MetadataForgotten
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::TenantChanged(tenant) => {
                self.tenant = tenant;
                return self.url_inputs_changed(setup);
            }
            Message::AppIdChanged(app_id) => {
                self.app_id = app_id;
                return self.url_inputs_changed(setup);
            }
            Message::CloudPicked(cloud) => {
                self.cloud = cloud;
                return self.url_inputs_changed(setup);
            }
            Message::CaPathChanged(path) => self.ca_path = path,
            Message::Submit => {
                if self.can_continue(setup) {
                    return Action::Next;
                }
                if !self.is_running() {
                    return self.start_fetch(setup);
                }
            }
            Message::CopyUrl => {
                if let Ok(built) = &self.built {
                    self.copied = true;
                    return Action::Run(iced::clipboard::write(built.url.clone()));
                }
            }
            Message::OpenInBrowser => {
                if let Ok(built) = &self.built {
                    self.browser_error = None;
                    let url = built.url.clone();
                    return Action::Run(Task::perform(
                        async move { open::that_detached(url).map_err(|error| error.to_string()) },
                        Message::BrowserOpened,
                    ));
                }
            }
            Message::BrowserOpened(result) => self.browser_error = result.err(),
            Message::Fetch => {
                if !self.is_running() {
                    return self.start_fetch(setup);
                }
            }
            Message::Fetched(generation, result) => {
                let Some(source) = self.finish(generation) else {
                    return Action::None;
                };
                return match result {
                    Ok(fetched) => {
                        let FetchedMetadata { fetched, metadata } = *fetched;
                        self.loaded(source, metadata, fetched.warnings, setup)
                    }
                    Err(failure) => self.failed(failure),
                };
            }
            Message::Cancel => {
                if self.is_running() {
                    self.cancel();
                }
            }
            Message::PickFile => {
                self.dialog_note = None;
                return Action::Run(Task::perform(pick_metadata_file(), Message::FilePicked));
            }
            Message::FilePicked(Some(path)) => {
                self.dialog_note = None;
                self.file_path = path.display().to_string();
                return self.start_file(setup);
            }
            Message::FilePicked(None) => {
                self.dialog_note = Some(tr("metadata-url-no-file-chosen"));
            }
            Message::FilePathChanged(path) => {
                self.file_path = path;
                self.dialog_note = None;
            }
            Message::LoadFile => {
                let typed = PathBuf::from(self.file_path.trim());
                let already = matches!(
                    &self.outcome,
                    Some(Outcome::Loaded(loaded)) if loaded.source == Source::File(typed)
                );
                if already && self.can_continue(setup) {
                    return Action::Next;
                }
                return self.start_file(setup);
            }
            Message::FileLoaded(generation, result) => {
                let Some(source) = self.finish(generation) else {
                    return Action::None;
                };
                return match result {
                    Ok(metadata) => self.loaded(source, *metadata, Vec::new(), setup),
                    Err(failure) => self.failed(failure),
                };
            }
            Message::Reloaded(generation, result) => {
                if self.finish(generation).is_none() {
                    return Action::None;
                }
                return match result {
                    Ok(loaded) => {
                        let LoadedMetadata {
                            metadata,
                            source,
                            warnings,
                        } = *loaded;
                        self.loaded(source, metadata, warnings, setup)
                    }
                    Err(failure) => self.failed(failure),
                };
            }
            Message::ToggleDetails => self.show_details = !self.show_details,
            Message::EntityPicked(entity_id) => {
                if let Some(Outcome::Loaded(loaded)) = &self.outcome {
                    setup
                        .metadata
                        .record(&loaded.metadata, &loaded.source, Some(&entity_id));
                }
            }
        }
        Action::None
    }

    /// Whether Next may be pressed: metadata loaded, and the identity provider GoTo is to
    /// trust chosen (the only one, or the one picked).
    pub fn can_continue(&self, setup: &Setup) -> bool {
        self.metadata().is_some_and(|metadata| {
            metadata
                .signing_provider(setup.metadata.idp_entity_id.as_deref())
                .is_ok()
        })
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        if self.is_running() {
            self.load.stop();
            if let Some(source) = self.loading_from.take() {
                self.outcome = Some(Outcome::Cancelled(source));
            }
        }
    }
}

mod jobs;
mod view;

use jobs::pick_metadata_file;
pub use jobs::{fetch, read_metadata_file};

#[cfg(test)]
pub(crate) mod test_metadata;
#[cfg(test)]
mod tests;
