//! The wizard step "Metadata URL": the tenant (or federation endpoint) and the application ID
//! become the federation metadata URL as the admin types; "Fetch" downloads and reads it, or a
//! metadata file is loaded instead. What it finds (entity ID, sign-in and sign-out URLs, the
//! signing certificate GoTo gets by default) is recorded in the setup.

use crate::gui::style::{Tone, bold, muted, note, outlined};
use std::path::PathBuf;

use goto_sso_wizard::fetch::{FetchError, FetchOptions, FetchedMetadata, fetch_metadata};
use goto_sso_wizard::limited_read::read_limited;
use goto_sso_wizard::metadata::{
    self, Entity, Metadata, ParseOptions, ProviderError, certificate_advice,
};
use goto_sso_wizard::metadata_url::{Cloud, MetadataUrl, UrlError, UrlRequest, build};
use goto_sso_wizard::setup::Setup;
use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Center, Element, Fill, Font, Task};

use super::Action;
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

/// A document that loaded.
#[derive(Debug)]
struct Loaded {
    source: Source,
    metadata: Metadata,
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

/// The work running now.
#[derive(Debug)]
struct Running {
    generation: u64,
    source: Source,
    handle: iced::task::Handle,
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
    /// Increased for every download or file read, so a late answer is recognised.
    generation: u64,
    running: Option<Running>,
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
            generation: 0,
            running: None,
            outcome: None,
            copied: false,
            browser_error: None,
            dialog_note: None,
            show_details: false,
        };
        state.rebuild();
        state
    }

    /// The metadata loaded, for the certificate step.
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
    fn url_inputs_changed(&mut self, setup: &mut Setup) {
        self.rebuild();
        setup.metadata.tenant_input = self.tenant.clone();
        setup.metadata.app_id_input = self.app_id.clone();
        setup.metadata.cloud = self.cloud.cloud();
        self.copied = false;
        self.browser_error = None;
        if self
            .running
            .as_ref()
            .is_some_and(|running| matches!(running.source, Source::Url(_)))
        {
            self.stop();
        }
        if self.outcome.as_ref().is_some_and(Outcome::is_from_url) {
            self.outcome = None;
            setup.metadata.forget_results();
        }
    }

    fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            running.handle.abort();
        }
    }

    fn is_running(&self) -> bool {
        self.running.is_some()
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
        self.generation += 1;
        let generation = self.generation;
        let ca_path = Some(self.ca_path.trim().to_owned()).filter(|path| !path.is_empty());
        let (task, handle) = Task::perform(fetch(url.clone(), ca_path), move |result| {
            Message::Fetched(generation, result)
        })
        .abortable();
        self.running = Some(Running {
            generation,
            source: Source::Url(url),
            handle,
        });
        self.outcome = None;
        self.show_details = false;
        Action::Run(task)
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
        self.generation += 1;
        let generation = self.generation;
        let (task, handle) = Task::perform(read_metadata_file(path.clone()), move |result| {
            Message::FileLoaded(generation, result)
        })
        .abortable();
        self.running = Some(Running {
            generation,
            source: Source::File(path),
            handle,
        });
        self.outcome = None;
        self.show_details = false;
        Action::Run(task)
    }

    /// Takes the running job's source when `generation` is the one running: else the answer
    /// is late (inputs changed, cancelled, or a newer run started) and must be dropped.
    fn finish(&mut self, generation: u64) -> Option<Source> {
        if self
            .running
            .as_ref()
            .is_some_and(|running| running.generation == generation)
        {
            self.running.take().map(|running| running.source)
        } else {
            None
        }
    }

    fn loaded(
        &mut self,
        source: Source,
        metadata: Metadata,
        fetch_warnings: Vec<String>,
        setup: &mut Setup,
    ) {
        setup.metadata.record(&metadata, &source, None);
        self.outcome = Some(Outcome::Loaded(Box::new(Loaded {
            source,
            metadata,
            fetch_warnings,
        })));
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::TenantChanged(tenant) => {
                self.tenant = tenant;
                self.url_inputs_changed(setup);
            }
            Message::AppIdChanged(app_id) => {
                self.app_id = app_id;
                self.url_inputs_changed(setup);
            }
            Message::CloudPicked(cloud) => {
                self.cloud = cloud;
                self.url_inputs_changed(setup);
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
                match result {
                    Ok(fetched) => {
                        let FetchedMetadata { fetched, metadata } = *fetched;
                        self.loaded(source, metadata, fetched.warnings, setup);
                    }
                    Err(failure) => self.outcome = Some(Outcome::Failed(failure)),
                }
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
                match result {
                    Ok(metadata) => self.loaded(source, *metadata, Vec::new(), setup),
                    Err(failure) => self.outcome = Some(Outcome::Failed(failure)),
                }
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
        if let Some(running) = self.running.take() {
            running.handle.abort();
            self.generation += 1;
            self.outcome = Some(Outcome::Cancelled(running.source));
        }
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut body = column![
            text(tr("metadata-url-heading")).size(24).font(bold()),
            text(tr("metadata-url-intro")).size(14),
            text(tr("metadata-url-section-url")).size(18).font(bold()),
            self.url_fields(),
            self.built_url(),
            self.ca_field(),
            self.fetch_row(),
        ]
        .spacing(12)
        .max_width(760);
        // Each result shows under the section that produced it.
        let outcome = self.outcome.as_ref();
        if let Some(outcome) = outcome.filter(|outcome| outcome.is_from_url()) {
            body = body.push(self.outcome_view(outcome, setup));
        }
        body = body
            .push(text(tr("metadata-url-section-file")).size(18).font(bold()))
            .push(text(tr("metadata-url-file-intro")).size(14))
            .push(self.file_fields());
        if let Some(outcome) = outcome.filter(|outcome| !outcome.is_from_url()) {
            body = body.push(self.outcome_view(outcome, setup));
        }
        if self.outcome.is_none() && !self.is_running() {
            let saved = setup.metadata.url.clone().or_else(|| {
                setup
                    .metadata
                    .file
                    .as_ref()
                    .map(|p| p.display().to_string())
            });
            if let Some(saved) = saved {
                body = body.push(
                    text(tr_with("metadata-url-resume-hint", &[("source", &saved)]))
                        .size(14)
                        .style(muted),
                );
            }
        }
        container(body).center_x(Fill).into()
    }

    fn url_fields(&self) -> Element<'_, Message> {
        let tenant = labelled(
            tr("metadata-url-tenant-label"),
            text_input(&tr("metadata-url-tenant-placeholder"), &self.tenant)
                .id(TENANT_ID)
                .on_input(Message::TenantChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .into(),
        );
        let app_id = labelled(
            tr("metadata-url-app-id-label"),
            text_input(&tr("metadata-url-app-id-placeholder"), &self.app_id)
                .id(APP_ID_ID)
                .on_input(Message::AppIdChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .font(Font::MONOSPACE)
                .into(),
        );
        let cloud = labelled(
            tr("metadata-url-cloud-label"),
            container(
                pick_list(CloudChoice::ALL, Some(self.cloud), Message::CloudPicked)
                    .padding(8)
                    .width(Fill),
            )
            .id(CLOUD_ID)
            .into(),
        );
        column![tenant, row![app_id, cloud].spacing(12)]
            .spacing(12)
            .into()
    }

    /// The URL being built, or what to type to get one.
    fn built_url(&self) -> Element<'_, Message> {
        match &self.built {
            Ok(built) => {
                let copy_label = if self.copied {
                    tr("common-copied")
                } else {
                    tr("common-copy")
                };
                let mut content = column![
                    text(tr("metadata-url-built-label")).size(14).font(bold()),
                    row![
                        text(&built.url)
                            .font(Font::MONOSPACE)
                            .size(14)
                            .wrapping(text::Wrapping::WordOrGlyph)
                            .width(Fill),
                        small_button(copy_label, Some(Message::CopyUrl), COPY_ID),
                        small_button(
                            tr("common-open-browser"),
                            Some(Message::OpenInBrowser),
                            OPEN_ID
                        ),
                    ]
                    .spacing(8)
                    .align_y(Center),
                ]
                .spacing(6);
                for warning in &built.warnings {
                    content = content.push(note(warning, Tone::Warning));
                }
                if let Some(reason) = &self.browser_error {
                    content = content.push(note(
                        tr_with("common-browser-failed", &[("reason", reason)]),
                        Tone::Danger,
                    ));
                }
                container(content)
                    .padding([10, 14])
                    .width(Fill)
                    .style(container::bordered_box)
                    .into()
            }
            // Nothing typed yet: the core's sentence says what to type, without alarm.
            Err(error @ UrlError::Empty) => text(error.to_string()).size(13).style(muted).into(),
            Err(error) => note(error.to_string(), Tone::Danger),
        }
    }

    fn ca_field(&self) -> Element<'_, Message> {
        labelled(
            tr("metadata-url-ca-label"),
            text_input(&tr("metadata-url-ca-placeholder"), &self.ca_path)
                .id(CA_PATH_ID)
                .on_input(Message::CaPathChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .into(),
        )
    }

    fn fetch_row(&self) -> Element<'_, Message> {
        let fetch = container(
            button(text(tr("metadata-url-fetch")))
                .padding([8, 20])
                .style(button::primary)
                .on_press_maybe(
                    (self.built.is_ok() && !self.is_running()).then_some(Message::Fetch),
                ),
        )
        .id(FETCH_ID);
        let mut line = row![fetch].spacing(12).align_y(Center);
        if let Some(Source::Url(url)) = self.running.as_ref().map(|running| &running.source) {
            line = line.push(progress(tr_with("metadata-url-fetching", &[("url", url)])));
        }
        line.into()
    }

    fn file_fields(&self) -> Element<'_, Message> {
        let pick = small_button(
            tr("metadata-url-load-file"),
            (!self.is_running()).then_some(Message::PickFile),
            PICK_FILE_ID,
        );
        let typed = row![
            text_input(&tr("metadata-url-file-placeholder"), &self.file_path)
                .id(FILE_PATH_ID)
                .on_input(Message::FilePathChanged)
                .on_submit(Message::LoadFile)
                .padding(8)
                .width(Fill),
            small_button(
                tr("metadata-url-load-typed"),
                (!self.file_path.trim().is_empty() && !self.is_running())
                    .then_some(Message::LoadFile),
                LOAD_FILE_ID,
            ),
        ]
        .spacing(8)
        .align_y(Center);
        let mut content = column![
            pick,
            text(tr("common-typed-path")).size(13).style(muted),
            typed
        ]
        .spacing(8);
        if let Some(note) = &self.dialog_note {
            content = content.push(self::note(note, Tone::Warning));
        }
        if let Some(Source::File(path)) = self.running.as_ref().map(|running| &running.source) {
            content = content.push(progress(tr_with(
                "metadata-url-loading-file",
                &[("path", &path.display().to_string())],
            )));
        }
        content.into()
    }

    fn outcome_view<'a>(&'a self, outcome: &'a Outcome, setup: &'a Setup) -> Element<'a, Message> {
        match outcome {
            Outcome::Cancelled(_) => text(tr("metadata-url-cancelled")).size(14).into(),
            Outcome::Failed(failure) => self.failure_view(failure),
            Outcome::Loaded(loaded) => loaded_view(loaded, setup),
        }
    }

    fn failure_view<'a>(&'a self, failure: &'a Failure) -> Element<'a, Message> {
        let mut content =
            column![note(tr("metadata-url-failed-heading"), Tone::Danger),].spacing(6);
        match failure {
            Failure::Fetch(error) => {
                content = content.push(text(&error.message).size(14));
                if !error.hint.is_empty() {
                    content = content.push(
                        text(tr_with("metadata-url-hint", &[("hint", &error.hint)])).size(14),
                    );
                }
                if let Some(status) = error.http_status {
                    content = content.push(
                        text(tr_with(
                            "metadata-url-http-status",
                            &[("status", &status.to_string())],
                        ))
                        .size(13),
                    );
                }
                if let Some(code) = &error.aadsts {
                    let line = match &error.aadsts_explained {
                        Some(explained) => tr_with(
                            "metadata-url-aadsts-explained",
                            &[
                                ("code", code),
                                ("meaning", &explained.meaning),
                                ("fix", &explained.fix),
                            ],
                        ),
                        None => tr_with("metadata-url-aadsts", &[("code", code)]),
                    };
                    content = content.push(text(line).size(13));
                }
                let label = if self.show_details {
                    tr("metadata-url-details-hide")
                } else {
                    tr("metadata-url-details-show")
                };
                content = content.push(small_button(
                    label,
                    Some(Message::ToggleDetails),
                    DETAILS_ID,
                ));
                if self.show_details {
                    let mut details = column![
                        text(tr_with(
                            "metadata-url-details-kind",
                            &[("kind", error.kind.as_str())]
                        ))
                        .size(12)
                        .font(Font::MONOSPACE),
                        text(&error.url)
                            .size(12)
                            .font(Font::MONOSPACE)
                            .wrapping(text::Wrapping::WordOrGlyph),
                    ]
                    .spacing(2);
                    for cause in &error.chain {
                        details = details.push(
                            text(cause)
                                .size(12)
                                .font(Font::MONOSPACE)
                                .wrapping(text::Wrapping::WordOrGlyph),
                        );
                    }
                    content = content.push(details);
                }
            }
            Failure::CaFile { path, reason } => {
                content = content.push(
                    text(tr_with(
                        "metadata-url-ca-unreadable",
                        &[("path", path), ("reason", reason)],
                    ))
                    .size(14),
                );
            }
            Failure::File { path, reason } => {
                content = content.push(
                    text(tr_with(
                        "metadata-url-file-failed",
                        &[("path", &path.display().to_string()), ("reason", reason)],
                    ))
                    .size(14),
                );
            }
        }
        container(content)
            .padding([10, 14])
            .width(Fill)
            .style(container::bordered_box)
            .into()
    }
}

/// The summary of a loaded document.
fn loaded_view<'a>(loaded: &'a Loaded, setup: &'a Setup) -> Element<'a, Message> {
    let metadata = &loaded.metadata;
    let origin = match &loaded.source {
        Source::Url(url) => tr_with("metadata-url-from-url", &[("url", url)]),
        Source::File(path) => tr_with(
            "metadata-url-from-file",
            &[("path", &path.display().to_string())],
        ),
    };
    let mut content = column![
        note(tr("metadata-url-result-heading"), Tone::Success),
        text(origin).size(13).wrapping(text::Wrapping::WordOrGlyph),
    ]
    .spacing(6);

    let providers: Vec<&Entity> = metadata.signing_providers().collect();
    if providers.len() > 1 {
        let ids: Vec<String> = providers.iter().map(|e| e.entity_id.clone()).collect();
        content = content.push(labelled(
            tr("metadata-url-identity-provider"),
            container(
                pick_list(
                    ids,
                    setup.metadata.idp_entity_id.clone(),
                    Message::EntityPicked,
                )
                .width(Fill),
            )
            .id(ENTITY_ID)
            .into(),
        ));
    }
    match metadata.signing_provider(setup.metadata.idp_entity_id.as_deref()) {
        Err(ProviderError::Ambiguous { choices }) => {
            content = content.push(note(
                tr_with(
                    "metadata-url-pick-provider",
                    &[("count", &choices.len().to_string())],
                ),
                Tone::Warning,
            ));
        }
        Err(_) => {
            content = content.push(note(tr("metadata-url-no-signing"), Tone::Danger));
        }
        Ok(entity) => {
            let idp = entity.idp.as_ref();
            let sso: Vec<String> = idp
                .map(|idp| idp.sso.iter().map(endpoint_line).collect())
                .unwrap_or_default();
            let slo: Vec<String> = idp
                .map(|idp| idp.slo.iter().map(endpoint_line).collect())
                .unwrap_or_default();
            let count = idp.map_or(0, |idp| idp.signing_certificates.len());
            content = content
                .push(field(
                    tr("metadata-url-entity-id"),
                    vec![entity.entity_id.clone()],
                ))
                .push(
                    column![
                        text(tr("metadata-url-kind")).size(13).font(bold()),
                        text(format!(
                            "{} — {}",
                            entity.kind.describe(),
                            entity.kind_reason
                        ))
                        .size(13),
                    ]
                    .spacing(2),
                )
                .push(field(tr("metadata-url-sso"), sso))
                .push(field(tr("metadata-url-slo"), slo))
                .push(
                    text(tr_with(
                        "metadata-url-signing-count",
                        &[("count", &count.to_string())],
                    ))
                    .size(14),
                );
        }
    }

    let warnings: Vec<&String> = metadata
        .warnings
        .iter()
        .chain(&loaded.fetch_warnings)
        .collect();
    if !warnings.is_empty() {
        content = content.push(
            text(tr("metadata-url-warnings-heading"))
                .size(14)
                .font(bold()),
        );
        for warning in warnings {
            content = content.push(note(warning, Tone::Warning));
        }
    }
    let advice = certificate_advice(metadata, time::OffsetDateTime::now_utc());
    if !advice.is_empty() {
        content = content.push(
            text(tr("metadata-url-advice-heading"))
                .size(14)
                .font(bold()),
        );
        for line in advice {
            content = content.push(text(line).size(13));
        }
    }
    container(content)
        .padding([10, 14])
        .width(Fill)
        .style(container::bordered_box)
        .into()
}

/// What is running, with its Cancel button.
fn progress<'a>(what: String) -> Element<'a, Message> {
    row![
        text(what)
            .size(14)
            .wrapping(text::Wrapping::WordOrGlyph)
            .width(Fill),
        small_button(tr("common-cancel"), Some(Message::Cancel), CANCEL_ID),
    ]
    .spacing(12)
    .align_y(Center)
    .width(Fill)
    .into()
}

/// A label above its value lines (monospace), or "(none)".
fn field<'a>(label: String, values: Vec<String>) -> Element<'a, Message> {
    let mut content = column![text(label).size(13).font(bold())].spacing(2);
    if values.is_empty() {
        content = content.push(text(tr("metadata-url-none")).size(13).style(muted));
    }
    for value in values {
        content = content.push(
            text(value)
                .size(13)
                .font(Font::MONOSPACE)
                .wrapping(text::Wrapping::WordOrGlyph),
        );
    }
    content.into()
}

/// `https://… (HTTP-Redirect)`.
fn endpoint_line(endpoint: &metadata::Endpoint) -> String {
    let binding = endpoint
        .binding
        .rsplit(':')
        .next()
        .unwrap_or(&endpoint.binding);
    format!("{} ({binding})", endpoint.location)
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

/// Reads and parses a metadata file off the window's thread.
pub async fn read_metadata_file(path: PathBuf) -> Result<Box<Metadata>, Failure> {
    let shown = path.clone();
    let parsed = tokio::task::spawn_blocking(move || -> Result<Metadata, String> {
        let options = ParseOptions::default();
        let bytes = read_limited(&path, options.max_bytes).map_err(|error| error.reason())?;
        metadata::parse(&bytes, &options).map_err(|error| error.to_string())
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()));
    parsed.map(Box::new).map_err(|reason| Failure::File {
        path: shown,
        reason,
    })
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
async fn pick_metadata_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("metadata-url-dialog-title"))
        .add_filter(tr("metadata-url-dialog-filter"), &["xml"])
        .pick_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}

fn labelled<'a>(label: String, input: Element<'a, Message>) -> Element<'a, Message> {
    column![text(label).size(14).font(bold()), input]
        .spacing(4)
        .width(Fill)
        .into()
}

/// A small outlined button, inside a container for its id (iced 0.14 buttons carry none).
fn small_button<'a>(
    label: String,
    on_press: Option<Message>,
    id: &'static str,
) -> Element<'a, Message> {
    container(
        button(text(label).size(13))
            .padding([5, 14])
            .style(outlined)
            .on_press_maybe(on_press),
    )
    .id(id)
    .into()
}

/// Metadata documents and certificates made for tests (shared with the certificate step's).
#[cfg(test)]
pub(crate) mod test_metadata {
    use base64::Engine as _;
    use goto_sso_wizard::metadata::{self, Metadata, ParseOptions};

    pub const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    pub const APP_ID: &str = "00000000-1111-2222-3333-444444444444";
    pub const REDIRECT: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    pub const POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    /// Base64 DER of a self-signed certificate `CN=<common_name>` valid between the dates.
    pub fn certificate(common_name: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> String {
        let mut params = rcgen::CertificateParams::default();
        params.distinguished_name = rcgen::DistinguishedName::new();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, common_name);
        params.not_before = rcgen::date_time_ymd(from.0, from.1, from.2);
        params.not_after = rcgen::date_time_ymd(until.0, until.1, until.2);
        let key = rcgen::KeyPair::generate().expect("key");
        let made = params.self_signed(&key).expect("certificate");
        base64::engine::general_purpose::STANDARD.encode(made.der())
    }

    /// Entra-shaped metadata for one application: signing keys in the IDPSSODescriptor, an
    /// HTTP-POST sign-in endpoint listed before the HTTP-Redirect one.
    pub fn entra(certificates: &[String]) -> String {
        let keys: String = certificates
            .iter()
            .map(|c| {
                format!(
                    "<KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data>\
                     <X509Certificate>{c}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>"
                )
            })
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><EntityDescriptor entityID=\"https://sts.windows.net/{TENANT}/\" \
             xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">{keys}\
             <SingleLogoutService Binding=\"{REDIRECT}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2/logout\"/>\
             <SingleSignOnService Binding=\"{POST}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2/post\"/>\
             <SingleSignOnService Binding=\"{REDIRECT}\" Location=\"https://login.microsoftonline.com/{TENANT}/saml2\"/>\
             </IDPSSODescriptor></EntityDescriptor>"
        )
    }

    /// A service provider's metadata: no identity provider, so no signing certificate.
    pub fn service_provider() -> String {
        "<EntityDescriptor entityID=\"https://authentication.logmeininc.com/saml/sp\" xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">\
         <SPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
         <AssertionConsumerService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"https://authentication.logmeininc.com/saml/acs\" index=\"0\"/>\
         </SPSSODescriptor></EntityDescriptor>"
            .to_owned()
    }

    /// Two identity providers with a signing certificate each, in one aggregate.
    pub fn two_identity_providers(certificates: &[String; 2]) -> String {
        let idp = |n: usize, certificate: &String| {
            format!(
                "<EntityDescriptor entityID=\"https://idp{n}.example.org/\"><IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">\
                 <KeyDescriptor use=\"signing\"><KeyInfo xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><X509Data>\
                 <X509Certificate>{certificate}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>\
                 <SingleSignOnService Binding=\"{REDIRECT}\" Location=\"https://idp{n}.example.org/sso\"/>\
                 </IDPSSODescriptor></EntityDescriptor>"
            )
        };
        format!(
            "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">{}{}</EntitiesDescriptor>",
            idp(1, &certificates[0]),
            idp(2, &certificates[1])
        )
    }

    pub fn parse(xml: &str) -> Metadata {
        metadata::parse(xml.as_bytes(), &ParseOptions::default()).expect("test metadata parses")
    }
}

#[cfg(test)]
mod tests {
    use super::test_metadata::{self, APP_ID, TENANT};
    use super::*;
    use goto_sso_wizard::certificate::Certificate;
    use goto_sso_wizard::fetch::{FetchErrorKind, Fetched};

    fn fresh() -> (State, Setup) {
        let setup = Setup::default();
        (State::new(&setup), setup)
    }

    fn typed(tenant: &str, app_id: &str) -> (State, Setup) {
        let (mut state, mut setup) = fresh();
        let _ = state.update(Message::TenantChanged(tenant.into()), &mut setup);
        let _ = state.update(Message::AppIdChanged(app_id.into()), &mut setup);
        (state, setup)
    }

    fn built_url(state: &State) -> &str {
        &state.built.as_ref().expect("a URL is built").url
    }

    fn fetched(url: &str, xml: &str) -> Box<FetchedMetadata> {
        Box::new(FetchedMetadata {
            fetched: Fetched {
                url: url.into(),
                final_url: url.into(),
                redirects: Vec::new(),
                status: 200,
                content_type: Some("application/xml".into()),
                body: xml.as_bytes().to_vec(),
                warnings: Vec::new(),
            },
            metadata: test_metadata::parse(xml),
        })
    }

    fn two_certificates() -> Vec<String> {
        vec![
            test_metadata::certificate(
                "Microsoft Azure Federated SSO Certificate",
                (2025, 1, 1),
                (2028, 1, 1),
            ),
            test_metadata::certificate(
                "Microsoft Azure Federated SSO Certificate",
                (2026, 6, 1),
                (2029, 6, 1),
            ),
        ]
    }

    /// The running job's generation and abort handle.
    fn running(state: &State) -> (u64, iced::task::Handle) {
        let running = state.running.as_ref().expect("something runs");
        (running.generation, running.handle.clone())
    }

    #[test]
    fn the_url_is_built_as_the_admin_types_and_written_back() {
        let (mut state, mut setup) = fresh();
        assert!(matches!(state.built, Err(UrlError::Empty)));

        let _ = state.update(Message::TenantChanged("Contoso.com".into()), &mut setup);
        assert_eq!(
            built_url(&state),
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml"
        );
        // Without an application ID the builder warns that this is the tenant-wide document.
        assert!(state.built.as_ref().unwrap().warnings[0].contains("tenant-wide"));

        let _ = state.update(Message::AppIdChanged(format!(" {APP_ID} ")), &mut setup);
        assert_eq!(
            built_url(&state),
            format!(
                "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
            )
        );
        let _ = state.update(Message::CloudPicked(CloudChoice::UsGov), &mut setup);
        assert!(built_url(&state).starts_with("https://login.microsoftonline.us/contoso.com/"));

        // What was typed is kept exactly, and written to the setup on every change.
        assert_eq!(setup.metadata.tenant_input, "Contoso.com");
        assert_eq!(setup.metadata.app_id_input, format!(" {APP_ID} "));
        assert_eq!(setup.metadata.cloud, Some(Cloud::UsGov));

        // A new screen for the same setup starts from it.
        let again = State::new(&setup);
        assert_eq!(again.tenant, "Contoso.com");
        assert_eq!(again.cloud, CloudChoice::UsGov);
        assert_eq!(built_url(&again), built_url(&state));
    }

    #[test]
    fn builder_errors_say_what_to_do_and_block_fetching() {
        let (mut state, mut setup) = typed(TENANT, "not-a-guid");
        let error = state.built.as_ref().unwrap_err();
        assert!(matches!(error, UrlError::InvalidAppId { .. }));
        assert!(error.to_string().contains("Application ID"), "{error}");
        assert!(matches!(
            state.update(Message::Fetch, &mut setup),
            Action::None
        ));
        assert!(state.running.is_none());

        let _ = state.update(Message::AppIdChanged(APP_ID.into()), &mut setup);
        let _ = state.update(
            Message::TenantChanged("http://login.microsoftonline.com/contoso.com".into()),
            &mut setup,
        );
        let error = state.built.as_ref().unwrap_err();
        assert!(error.to_string().contains("https://"), "{error}");

        let _ = state.update(Message::TenantChanged("common".into()), &mut setup);
        assert!(matches!(state.built, Err(UrlError::NotYourTenant { .. })));
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn a_fetch_records_the_identity_provider_and_the_first_certificate() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        assert!(matches!(
            state.update(Message::Fetch, &mut setup),
            Action::Run(_)
        ));
        let (generation, _) = running(&state);
        assert!(!state.can_continue(&setup), "nothing loaded while fetching");

        let certificates = two_certificates();
        let xml = test_metadata::entra(&certificates);
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.running.is_none());
        assert!(state.can_continue(&setup));
        let metadata = state.metadata().expect("kept for the certificate step");
        assert_eq!(metadata.entities.len(), 1);

        let first = Certificate::from_base64(&certificates[0]).unwrap();
        let recorded = &setup.metadata;
        assert_eq!(recorded.url.as_deref(), Some(url.as_str()));
        assert_eq!(recorded.file, None);
        assert_eq!(
            recorded.idp_entity_id.as_deref(),
            Some(format!("https://sts.windows.net/{TENANT}/").as_str())
        );
        // HTTP-Redirect is preferred although HTTP-POST is listed first.
        assert_eq!(
            recorded.sign_in_url.as_deref(),
            Some(format!("https://login.microsoftonline.com/{TENANT}/saml2").as_str())
        );
        assert_eq!(
            recorded.sign_out_url.as_deref(),
            Some(format!("https://login.microsoftonline.com/{TENANT}/saml2/logout").as_str())
        );
        assert_eq!(
            recorded.certificate_sha256.as_ref(),
            Some(&first.info().sha256)
        );
        assert_eq!(recorded.certificate_pem, Some(first.to_pem()));

        // Enter now moves on.
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::Next
        ));
    }

    #[test]
    fn a_certificate_chosen_later_survives_a_new_fetch_of_the_same_document() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let certificates = two_certificates();
        let xml = test_metadata::entra(&certificates);
        let second = Certificate::from_base64(&certificates[1]).unwrap();
        setup.metadata.certificate_sha256 = Some(second.info().sha256.clone());

        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, _) = running(&state);
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&second.info().sha256)
        );
        assert_eq!(setup.metadata.certificate_pem, Some(second.to_pem()));
    }

    #[test]
    fn changing_the_inputs_drops_a_late_result_and_clears_a_stale_one() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let xml = test_metadata::entra(&two_certificates());

        // A result arriving after the inputs changed is for the old URL: dropped.
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, handle) = running(&state);
        let _ = state.update(Message::TenantChanged("contoso.com".into()), &mut setup);
        assert!(
            handle.is_aborted(),
            "the download for the old URL is stopped"
        );
        assert!(state.running.is_none());
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.metadata().is_none());
        assert!(!state.can_continue(&setup));
        assert_eq!(setup.metadata.idp_entity_id, None);

        // A result already shown is cleared, in the setup too, when the inputs change.
        let url = built_url(&state).to_owned();
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, _) = running(&state);
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.can_continue(&setup));
        let _ = state.update(Message::AppIdChanged(String::new()), &mut setup);
        assert!(state.metadata().is_none());
        assert!(!state.can_continue(&setup));
        assert_eq!(setup.metadata.url, None);
        assert_eq!(setup.metadata.certificate_pem, None);

        // An answer for an older run than the one running is dropped as well.
        let _ = state.update(Message::Fetch, &mut setup);
        let (current, _) = running(&state);
        let _ = state.update(
            Message::Fetched(current - 1, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.metadata().is_none());
        assert!(state.running.is_some(), "the current run is still awaited");
    }

    #[test]
    fn cancel_aborts_the_download_and_ignores_its_answer() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, handle) = running(&state);

        state.cancel();
        assert!(handle.is_aborted());
        assert!(state.running.is_none());
        assert!(matches!(
            state.outcome,
            Some(Outcome::Cancelled(Source::Url(_)))
        ));
        let xml = test_metadata::entra(&two_certificates());
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.metadata().is_none());

        // The Cancel button does the same; with nothing running, cancel changes nothing.
        let _ = state.update(Message::Fetch, &mut setup);
        let (_, handle) = running(&state);
        let _ = state.update(Message::Cancel, &mut setup);
        assert!(handle.is_aborted());
        state.outcome = None;
        state.cancel();
        assert!(state.outcome.is_none());
    }

    #[test]
    fn a_failed_fetch_is_shown_and_blocks_next() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, _) = running(&state);
        let error = FetchError {
            kind: FetchErrorKind::HttpStatus,
            message: "the server answered 400 Bad Request".into(),
            hint: "check the application ID".into(),
            http_status: Some(400),
            aadsts: Some("AADSTS700016".into()),
            aadsts_explained: None,
            url: url.clone(),
            chain: vec!["outer".into(), "inner".into()],
        };
        let _ = state.update(
            Message::Fetched(generation, Err(Failure::Fetch(Box::new(error.clone())))),
            &mut setup,
        );
        assert!(matches!(&state.outcome, Some(Outcome::Failed(Failure::Fetch(e))) if **e == error));
        assert!(!state.can_continue(&setup));
        // Enter retries rather than moving on.
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::Run(_)
        ));
    }

    #[test]
    fn metadata_without_a_signing_identity_provider_cannot_continue() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, _) = running(&state);
        let xml = test_metadata::service_provider();
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        assert!(state.metadata().is_some());
        assert!(!state.can_continue(&setup));
        assert_eq!(setup.metadata.certificate_sha256, None);
    }

    #[test]
    fn of_several_identity_providers_the_admin_picks_the_one_to_trust() {
        let (mut state, mut setup) = typed(TENANT, APP_ID);
        let url = built_url(&state).to_owned();
        let _ = state.update(Message::Fetch, &mut setup);
        let (generation, _) = running(&state);
        let certificates = two_certificates();
        let xml = test_metadata::two_identity_providers(&[
            certificates[0].clone(),
            certificates[1].clone(),
        ]);
        let _ = state.update(
            Message::Fetched(generation, Ok(fetched(&url, &xml))),
            &mut setup,
        );
        // Never "the first": nothing is recorded until one is picked.
        assert!(!state.can_continue(&setup));
        assert_eq!(setup.metadata.idp_entity_id, None);
        assert_eq!(setup.metadata.certificate_sha256, None);

        let _ = state.update(
            Message::EntityPicked("https://idp2.example.org/".into()),
            &mut setup,
        );
        assert!(state.can_continue(&setup));
        assert_eq!(
            setup.metadata.idp_entity_id.as_deref(),
            Some("https://idp2.example.org/")
        );
        let second = Certificate::from_base64(&certificates[1]).unwrap();
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&second.info().sha256)
        );
    }

    #[tokio::test]
    async fn a_metadata_file_is_read_in_a_task_and_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("GoTo.xml");
        let certificates = two_certificates();
        std::fs::write(&path, test_metadata::entra(&certificates)).unwrap();

        let (mut state, mut setup) = fresh();
        let _ = state.update(
            Message::FilePathChanged(path.display().to_string()),
            &mut setup,
        );
        assert!(matches!(
            state.update(Message::LoadFile, &mut setup),
            Action::Run(_)
        ));
        let (generation, _) = running(&state);

        // The task's work, awaited directly.
        let result = read_metadata_file(path.clone()).await;
        assert!(result.is_ok(), "{result:?}");
        let _ = state.update(Message::FileLoaded(generation, result), &mut setup);
        assert!(state.can_continue(&setup));
        assert_eq!(setup.metadata.file.as_deref(), Some(path.as_path()));
        assert_eq!(setup.metadata.url, None);
        let first = Certificate::from_base64(&certificates[0]).unwrap();
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&first.info().sha256)
        );

        // Typing in the URL fields does not throw away a document loaded from a file.
        let _ = state.update(Message::TenantChanged("contoso.com".into()), &mut setup);
        assert!(state.can_continue(&setup));
        // Enter in the path field of the file already loaded moves on.
        assert!(matches!(
            state.update(Message::LoadFile, &mut setup),
            Action::Next
        ));
    }

    #[tokio::test]
    async fn a_file_that_is_missing_or_not_metadata_is_explained() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.xml");
        let Err(Failure::File { path, reason }) = read_metadata_file(missing.clone()).await else {
            panic!("a missing file fails");
        };
        assert_eq!(path, missing);
        assert!(!reason.is_empty());

        let html = dir.path().join("page.html");
        std::fs::write(&html, "<html><body>Sign in</body></html>").unwrap();
        let result = read_metadata_file(html).await;
        assert!(matches!(result, Err(Failure::File { .. })), "{result:?}");

        let (mut state, mut setup) = fresh();
        let _ = state.update(
            Message::FilePathChanged(missing.display().to_string()),
            &mut setup,
        );
        let _ = state.update(Message::LoadFile, &mut setup);
        let (generation, _) = running(&state);
        let failure = read_metadata_file(missing).await;
        let _ = state.update(Message::FileLoaded(generation, failure), &mut setup);
        assert!(matches!(
            state.outcome,
            Some(Outcome::Failed(Failure::File { .. }))
        ));
        assert!(!state.can_continue(&setup));
    }

    #[tokio::test]
    async fn an_unreadable_extra_ca_file_is_reported_before_any_download() {
        let result = fetch(
            "https://127.0.0.1:9/FederationMetadata/2007-06/FederationMetadata.xml".into(),
            Some("/nonexistent/proxy-ca.pem".into()),
        )
        .await;
        assert!(
            matches!(&result, Err(Failure::CaFile { path, .. }) if path == "/nonexistent/proxy-ca.pem"),
            "{result:?}"
        );
    }

    #[test]
    fn a_dialog_that_returns_nothing_leaves_the_typed_path() {
        let (mut state, mut setup) = fresh();
        let _ = state.update(
            Message::FilePathChanged("/tmp/typed.xml".into()),
            &mut setup,
        );
        assert!(matches!(
            state.update(Message::PickFile, &mut setup),
            Action::Run(_)
        ));
        let _ = state.update(Message::FilePicked(None), &mut setup);
        assert_eq!(state.file_path, "/tmp/typed.xml");
        assert!(state.dialog_note.is_some());
        assert!(state.running.is_none());
    }

    #[test]
    fn widget_ids_are_unique() {
        let mut ids = vec![
            TENANT_ID,
            APP_ID_ID,
            CLOUD_ID,
            COPY_ID,
            OPEN_ID,
            FETCH_ID,
            CANCEL_ID,
            CA_PATH_ID,
            PICK_FILE_ID,
            FILE_PATH_ID,
            LOAD_FILE_ID,
            DETAILS_ID,
            ENTITY_ID,
        ];
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    mod simulator {
        use super::*;
        use iced::Size;
        use iced_test::selector::id;
        use iced_test::{Error, Simulator};

        const SIZE: Size = Size::new(900.0, 1400.0);

        fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
            Simulator::with_size(iced::Settings::default(), SIZE, state.view(setup))
        }

        /// Types `text` into the field `field` one key at a time, applying each message before
        /// the next key (the simulated view shows the state it was made from).
        fn type_into(state: &mut State, setup: &mut Setup, field: &'static str, text: &str) {
            for character in text.chars() {
                let messages: Vec<Message> = {
                    let mut ui = simulator(state, setup);
                    let _ = ui.click(id(field)).expect("the field is there");
                    let _ = ui.tap_key(iced::keyboard::Key::Named(iced::keyboard::key::Named::End));
                    let _ = ui.typewrite(&character.to_string());
                    ui.into_messages().collect()
                };
                for message in messages {
                    let _ = state.update(message, setup);
                }
            }
        }

        #[test]
        fn typing_a_tenant_and_an_app_id_shows_the_url() -> Result<(), Error> {
            let (mut state, mut setup) = fresh();
            {
                let mut ui = simulator(&state, &setup);
                // The builder's prompt says what to type.
                let _ = ui.find(UrlError::Empty.to_string())?;
            }
            type_into(&mut state, &mut setup, TENANT_ID, "contoso.com");
            type_into(&mut state, &mut setup, APP_ID_ID, APP_ID);
            assert_eq!(setup.metadata.tenant_input, "contoso.com");

            let url = format!(
                "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
            );
            let mut ui = simulator(&state, &setup);
            let _ = ui.find(url.as_str())?;
            assert!(
                ui.find("https://example.com/other").is_err(),
                "find can fail"
            );

            let _ = ui.click(id(COPY_ID))?;
            let messages: Vec<Message> = ui.into_messages().collect();
            assert!(
                matches!(messages.as_slice(), [Message::CopyUrl]),
                "{messages:?}"
            );
            for message in messages {
                let _ = state.update(message, &mut setup);
            }

            // Fetch shows the progress line with a Cancel button, which cancels.
            let _ = state.update(Message::Fetch, &mut setup);
            let mut ui = simulator(&state, &setup);
            let _ = ui.find(tr("common-copied"))?;
            let _ = ui.find(tr_with("metadata-url-fetching", &[("url", &url)]))?;
            let _ = ui.click(id(CANCEL_ID))?;
            let messages: Vec<Message> = ui.into_messages().collect();
            assert!(
                matches!(messages.as_slice(), [Message::Cancel]),
                "{messages:?}"
            );
            Ok(())
        }
    }
}
