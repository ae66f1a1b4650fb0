//! The wizard step "GoTo settings": the values for GoTo's identity-provider page in its three
//! modes (automatic, upload, manual), the signing certificate saved as PEM, and the reminder to
//! verify the company domain at GoTo.

use std::path::{Path, PathBuf};

use goto_sso_wizard::certificate::Certificate;
use goto_sso_wizard::setup::{Setup, goto_values};
use iced::widget::{button, column, row, text};
use iced::{Element, Task};

use super::Action;
use super::job::{Job, SaveDialog};
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::{
    self, error_line, heading, mono, note, small_button, subheading, success_line, value_row,
};

/// Widget id of "Save certificate as PEM…".
pub const SAVE_PEM_ID: &str = "goto-settings-save-pem";
/// Widget id of the typed PEM path.
pub const PEM_PATH_ID: &str = "goto-settings-pem-path";
/// Widget id of the button that saves to the typed path.
pub const SAVE_PEM_TYPED_ID: &str = "goto-settings-save-pem-typed";
/// Widget id of "Open in browser" for the admin console.
pub const OPEN_CONSOLE_ID: &str = "goto-settings-open-console";
/// Widget id of "Open in browser" for the metadata URL.
pub const OPEN_METADATA_ID: &str = "goto-settings-open-metadata";

/// The file name the save dialog suggests.
const PEM_FILE_NAME: &str = "entra-signing-certificate.pem";

/// GoTo's three ways to configure the identity provider.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// Paste the metadata URL.
    #[default]
    Automatic,
    /// Upload the metadata file.
    Upload,
    /// Type the URLs and upload the certificate.
    Manual,
}

impl Mode {
    /// All modes, in GoTo's order.
    pub const ALL: [Mode; 3] = [Mode::Automatic, Mode::Upload, Mode::Manual];

    /// Widget id of the mode's tab.
    pub fn tab_id(self) -> &'static str {
        match self {
            Mode::Automatic => "goto-settings-tab-automatic",
            Mode::Upload => "goto-settings-tab-upload",
            Mode::Manual => "goto-settings-tab-manual",
        }
    }

    fn title(self) -> String {
        match self {
            Mode::Automatic => tr("goto-settings-tab-automatic"),
            Mode::Upload => tr("goto-settings-tab-upload"),
            Mode::Manual => tr("goto-settings-tab-manual"),
        }
    }
}

/// This step's state.
#[derive(Debug, Default)]
pub struct State {
    /// The tab the admin picked; until then one that fits the metadata (see `shown_mode`).
    mode: Option<Mode>,
    /// The typed path for the PEM file, kept as typed.
    pem_path: String,
    /// The save dialog, then writing the PEM file.
    pem: Job,
    /// The last save: where, or what went wrong and what to do.
    saved: Option<Result<PathBuf, String>>,
    /// The widget id of the Copy button whose value is on the clipboard.
    copied: Option<String>,
    /// The browser could not open: the reason.
    browser_error: Option<String>,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// A mode's tab.
    ModeSelected(Mode),
    /// Copy: the button's id and the value.
    Copy(String, String),
    /// Open a URL in the browser.
    OpenBrowser(String),
    /// The browser was asked to open a URL.
    BrowserOpened(Result<(), String>),
    /// "Save certificate as PEM…".
    SavePemPressed,
    /// The save dialog closed, with the path chosen, if any.
    PemDialogClosed(u64, Option<PathBuf>),
    /// The typed path changed.
    PemPathChanged(String),
    /// Save to the typed path (button or Enter).
    SavePemTyped,
    /// The PEM file was written (or not).
    PemSaved(u64, Result<PathBuf, String>),
}

impl State {
    /// A fresh state for `setup`.
    pub fn new(_setup: &Setup) -> Self {
        Self::default()
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::ModeSelected(mode) => self.mode = Some(mode),
            Message::Copy(id, value) => {
                self.copied = Some(id);
                return Action::Run(iced::clipboard::write(value));
            }
            Message::OpenBrowser(url) => {
                self.browser_error = None;
                return Action::Run(Task::perform(
                    widget::open_in_browser(url),
                    Message::BrowserOpened,
                ));
            }
            Message::BrowserOpened(result) => self.browser_error = result.err(),
            Message::SavePemPressed => {
                if setup.metadata.certificate_pem.is_none() {
                    self.saved = Some(Err(tr("goto-settings-pem-missing")));
                    return Action::None;
                }
                self.saved = None;
                return Action::Run(self.pem.save_dialog(
                    SaveDialog {
                        title: tr("goto-settings-pem-dialog-title"),
                        file_name: PEM_FILE_NAME.into(),
                        filter: tr("goto-settings-pem-filter"),
                        extensions: &["pem", "crt", "cer"],
                    },
                    Message::PemDialogClosed,
                ));
            }
            Message::PemDialogClosed(generation, path) => {
                if !self.pem.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.pem_path = widget::display(&path);
                        return self.save(path, setup);
                    }
                    None => self.saved = Some(Err(tr("goto-settings-no-dialog"))),
                }
            }
            Message::PemPathChanged(path) => {
                self.pem_path = path;
                self.saved = None;
            }
            Message::SavePemTyped => {
                let typed = self.pem_path.trim();
                if typed.is_empty() {
                    self.saved = Some(Err(tr("goto-settings-pem-path-empty")));
                } else {
                    return self.save(pem_file_path(typed), setup);
                }
            }
            Message::PemSaved(generation, result) => {
                if !self.pem.finish(generation) {
                    return Action::None;
                }
                self.saved = Some(result);
            }
        }
        Action::None
    }

    /// Writes the certificate to `path` in a task.
    fn save(&mut self, path: PathBuf, setup: &Setup) -> Action<Message> {
        let Some(pem) = setup.metadata.certificate_pem.clone() else {
            self.saved = Some(Err(tr("goto-settings-pem-missing")));
            return Action::None;
        };
        self.saved = None;
        // A dialog still open answers for an older generation: its answer is dropped.
        Action::Run(self.pem.run(|generation| {
            Task::perform(
                widget::blocking(move || write_pem(&path, &pem)),
                move |result| Message::PemSaved(generation, result.and_then(|r| r)),
            )
        }))
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut page = column![heading(tr("goto-settings-heading"))];
        if !has_values(setup) {
            page = page.push(error_line(tr("goto-settings-no-metadata")));
        }
        if let Some(profile) = setup.profile() {
            page = page.push(
                column![
                    note(tr("goto-settings-console-intro")),
                    self.copy_row(
                        tr("goto-settings-console"),
                        profile.admin_console.clone(),
                        "goto-settings-console-copy",
                    ),
                    small_button(
                        tr("common-open-browser"),
                        Some(Message::OpenBrowser(profile.admin_console.clone())),
                        OPEN_CONSOLE_ID,
                    ),
                ]
                .spacing(8),
            );
        }
        if let Some(reason) = &self.browser_error {
            page = page.push(error_line(tr_with(
                "common-browser-failed",
                &[("reason", reason)],
            )));
        }

        let shown = self.shown_mode(setup);
        let tabs = Mode::ALL.into_iter().fold(row![].spacing(6), |tabs, mode| {
            let style = if mode == shown {
                button::primary
            } else {
                widget::outlined
            };
            tabs.push(widget::with_id(
                button(text(mode.title()).size(15))
                    .padding([6, 16])
                    .style(style)
                    .on_press(Message::ModeSelected(mode)),
                mode.tab_id(),
            ))
        });
        page = page.push(
            column![
                subheading(tr("goto-settings-modes-heading")),
                note(tr("goto-settings-modes-intro")),
                tabs,
                match shown {
                    Mode::Automatic => self.automatic(setup),
                    Mode::Upload => self.upload(setup),
                    Mode::Manual => self.manual(setup),
                },
            ]
            .spacing(12),
        );

        page = page.push(
            column![
                subheading(tr("goto-settings-domain-heading")),
                note(tr("goto-settings-domain-intro")),
                text(tr("goto-settings-domain-dns")).size(14),
                mono("goto-verification-code=<uuid>".to_owned()),
                text(tr("goto-settings-domain-file")).size(14),
                mono("http://<domain>/goto-verification-code.txt".to_owned()),
                note(tr("goto-settings-domain-deadline")),
            ]
            .spacing(6),
        );

        widget::page(page)
    }

    fn automatic<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        match goto_values(setup).metadata_url {
            Some(url) => column![
                note(tr("goto-settings-automatic-intro")),
                self.copy_row(
                    tr("goto-settings-metadata-url"),
                    url,
                    "goto-settings-metadata-url-copy"
                ),
            ]
            .spacing(8)
            .into(),
            None => note(tr("goto-settings-automatic-none")).into(),
        }
    }

    fn upload<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let metadata = &setup.metadata;
        if let Some(file) = &metadata.file {
            return column![
                note(tr("goto-settings-upload-file")),
                self.copy_row(
                    tr("goto-settings-upload-path"),
                    widget::display(file),
                    "goto-settings-upload-path-copy",
                ),
            ]
            .spacing(8)
            .into();
        }
        match &metadata.url {
            // The wizard keeps the values it read, not the document: the admin downloads it.
            Some(url) => column![
                note(tr("goto-settings-upload-download")),
                self.copy_row(
                    tr("goto-settings-metadata-url"),
                    url.clone(),
                    "goto-settings-upload-url-copy",
                ),
                small_button(
                    tr("common-open-browser"),
                    Some(Message::OpenBrowser(url.clone())),
                    OPEN_METADATA_ID,
                ),
            ]
            .spacing(8)
            .into(),
            None => error_line(tr("goto-settings-no-metadata")).into(),
        }
    }

    fn manual<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let values = goto_values(setup);
        let mut manual = column![note(tr("goto-settings-manual-intro"))].spacing(12);
        for (label, value, id) in [
            (
                tr("goto-settings-sign-in-url"),
                values.sign_in_url,
                "goto-settings-sign-in-url-copy",
            ),
            (
                tr("goto-settings-sign-out-url"),
                values.sign_out_url,
                "goto-settings-sign-out-url-copy",
            ),
            (
                tr("goto-settings-idp-entity-id"),
                values.idp_entity_id,
                "goto-settings-idp-entity-id-copy",
            ),
        ] {
            manual = manual.push(match value {
                Some(value) => self.copy_row(label, value, id),
                None => column![
                    text(label).size(14).font(widget::bold()),
                    note(tr("goto-settings-value-missing"))
                ]
                .spacing(4)
                .into(),
            });
        }

        manual = manual.push(
            text(tr("goto-settings-certificate"))
                .size(14)
                .font(widget::bold()),
        );
        let Some(pem) = &setup.metadata.certificate_pem else {
            return manual
                .push(error_line(tr("goto-settings-pem-missing")))
                .into();
        };
        if let Some(thumbprint) = thumbprint(setup, pem) {
            manual = manual.push(self.copy_row(
                tr("goto-settings-sha256"),
                thumbprint,
                "goto-settings-sha256-copy",
            ));
        }
        let busy = self.pem.busy();
        manual = manual.push(
            column![
                note(tr("goto-settings-pem-intro")),
                widget::primary_button(
                    tr("goto-settings-save-pem"),
                    (!busy).then_some(Message::SavePemPressed),
                    SAVE_PEM_ID,
                ),
                text(tr("common-typed-path")).size(14),
                widget::typed_path(widget::TypedPath {
                    placeholder: tr("goto-settings-pem-placeholder"),
                    value: &self.pem_path,
                    input_id: PEM_PATH_ID,
                    on_input: Message::PemPathChanged,
                    submit: Message::SavePemTyped,
                    button: tr("goto-settings-save-typed"),
                    enabled: !self.pem.running,
                    button_id: SAVE_PEM_TYPED_ID,
                }),
            ]
            .spacing(8),
        );
        if self.pem.running {
            manual = manual.push(note(tr("goto-settings-saving")));
        } else if self.pem.dialog_open {
            manual = manual.push(note(tr("goto-settings-dialog-open")));
        }
        match &self.saved {
            Some(Ok(path)) => {
                manual = manual.push(success_line(tr_with(
                    "common-saved",
                    &[("path", &widget::display(path))],
                )));
            }
            Some(Err(error)) => manual = manual.push(error_line(error.clone())),
            None => {}
        }
        manual.into()
    }

    fn copy_row<'a>(&self, label: String, value: String, id: &str) -> Element<'a, Message> {
        value_row(
            label,
            value.clone(),
            id.to_owned(),
            self.copied.as_deref() == Some(id),
            Message::Copy(id.to_owned(), value),
        )
    }

    /// The tab on show: the admin's pick, else "Upload" when the metadata came from a file (there is
    /// no URL for the automatic mode then), else "Automatic".
    fn shown_mode(&self, setup: &Setup) -> Mode {
        self.mode.unwrap_or(
            if setup.metadata.url.is_none() && setup.metadata.file.is_some() {
                Mode::Upload
            } else {
                Mode::Automatic
            },
        )
    }

    /// Whether Next may be pressed: the metadata step left values for at least one mode.
    pub fn can_continue(&self, setup: &Setup) -> bool {
        has_values(setup)
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        self.pem.stop();
    }
}

/// Whether GoTo can be configured in at least one mode: a metadata URL (automatic), a loaded
/// file (upload), or the identity provider's entity ID and sign-in URL (manual).
fn has_values(setup: &Setup) -> bool {
    let metadata = &setup.metadata;
    metadata.url.is_some()
        || metadata.file.is_some()
        || (metadata.idp_entity_id.is_some() && metadata.sign_in_url.is_some())
}

/// The certificate's SHA-256 thumbprint: the one recorded, else worked out from the PEM.
fn thumbprint(setup: &Setup, pem: &str) -> Option<String> {
    setup.metadata.certificate_sha256.clone().or_else(|| {
        Certificate::parse(pem.as_bytes())
            .ok()
            .map(|(certificate, _)| certificate.info().sha256.clone())
    })
}

/// The typed path, with `.pem` added when it has no extension.
fn pem_file_path(typed: &str) -> PathBuf {
    let path = PathBuf::from(typed);
    if path.extension().is_none() {
        path.with_extension("pem")
    } else {
        path
    }
}

/// Writes the PEM text to `path` atomically. Blocks.
pub fn write_pem(path: &Path, pem: &str) -> Result<PathBuf, String> {
    goto_sso_wizard::private_file::write(path, pem.as_bytes())
        .map(|()| path.to_path_buf())
        .map_err(|error| {
            tr_with(
                "goto-settings-pem-write-failed",
                &[
                    ("path", &widget::display(path)),
                    ("reason", &error.to_string()),
                ],
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tab_fits_the_metadata_until_the_admin_picks_one() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        setup.metadata.file = Some(std::path::PathBuf::from("metadata.xml"));
        assert_eq!(
            state.shown_mode(&setup),
            Mode::Upload,
            "no URL: the file is for upload"
        );
        setup.metadata.url = Some(
            "https://login.microsoftonline.com/x/FederationMetadata/2007-06/FederationMetadata.xml"
                .into(),
        );
        assert_eq!(state.shown_mode(&setup), Mode::Automatic);
        let _ = state.update(Message::ModeSelected(Mode::Manual), &mut setup);
        assert_eq!(
            state.shown_mode(&setup),
            Mode::Manual,
            "the admin's pick wins"
        );
    }
    use goto_sso_wizard::setup::MetadataChoice;
    use iced_test::Simulator;
    use iced_test::selector::id;

    const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    fn fetched() -> Setup {
        Setup {
            metadata: MetadataChoice {
                url: Some("https://login.microsoftonline.com/t/FederationMetadata/2007-06/FederationMetadata.xml?appid=a".into()),
                idp_entity_id: Some("https://sts.windows.net/t/".into()),
                sign_in_url: Some("https://login.microsoftonline.com/t/saml2".into()),
                sign_out_url: Some("https://login.microsoftonline.com/t/saml2".into()),
                certificate_sha256: Some("AB".repeat(32)),
                certificate_pem: Some(PEM.into()),
                ..MetadataChoice::default()
            },
            ..Setup::default()
        }
    }

    fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
        crate::gui::test_support::simulator(state.view(setup))
    }

    #[test]
    fn continues_only_with_metadata_values() {
        let state = State::new(&Setup::default());
        assert!(!state.can_continue(&Setup::default()));
        assert!(state.can_continue(&fetched()));
        let mut file_only = Setup::default();
        file_only.metadata.file = Some("/tmp/metadata.xml".into());
        assert!(state.can_continue(&file_only));
        let mut half = Setup::default();
        half.metadata.idp_entity_id = Some("x".into());
        assert!(!state.can_continue(&half));
    }

    #[test]
    fn saving_the_pem_to_a_typed_path_writes_it() {
        let folder = tempfile::tempdir().unwrap();
        let mut setup = fetched();
        let mut state = State::new(&setup);
        let typed = folder.path().join("idp").display().to_string();
        let _ = state.update(Message::PemPathChanged(typed), &mut setup);
        let action = state.update(Message::SavePemTyped, &mut setup);
        assert!(matches!(action, Action::Run(_)));
        assert!(state.pem.running);

        let path = folder.path().join("idp.pem");
        let result = write_pem(&path, PEM);
        let _ = state.update(Message::PemSaved(state.pem.generation, result), &mut setup);
        assert_eq!(state.saved, Some(Ok(path.clone())));
        assert!(!state.pem.running);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), PEM);
        assert_eq!(pem_file_path("a/b.crt"), PathBuf::from("a/b.crt"));

        let error = write_pem(&folder.path().join("missing/x.pem"), PEM).unwrap_err();
        assert!(error.contains("missing"), "{error}");
    }

    #[test]
    fn without_a_certificate_or_a_path_it_says_what_to_do() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let _ = state.update(Message::SavePemPressed, &mut setup);
        assert_eq!(state.saved, Some(Err(tr("goto-settings-pem-missing"))));

        let mut setup = fetched();
        let _ = state.update(Message::SavePemTyped, &mut setup);
        assert_eq!(state.saved, Some(Err(tr("goto-settings-pem-path-empty"))));

        // No dialog: say so, keep the typed path.
        let _ = state.update(Message::PemPathChanged("kept".into()), &mut setup);
        let _ = state.update(Message::SavePemPressed, &mut setup);
        let _ = state.update(
            Message::PemDialogClosed(state.pem.generation, None),
            &mut setup,
        );
        assert_eq!(state.saved, Some(Err(tr("goto-settings-no-dialog"))));
        assert_eq!(state.pem_path, "kept");
    }

    #[test]
    fn stale_results_are_dropped_after_cancel() {
        let folder = tempfile::tempdir().unwrap();
        let mut setup = fetched();
        let mut state = State::new(&setup);
        let path = folder.path().join("c.pem");
        let _ = state.update(
            Message::PemPathChanged(path.display().to_string()),
            &mut setup,
        );
        let _ = state.update(Message::SavePemTyped, &mut setup);
        let stale = state.pem.generation;
        state.cancel();
        assert!(!state.pem.running && state.pem.handle.is_none());
        let _ = state.update(Message::PemSaved(stale, Ok(path.clone())), &mut setup);
        assert_eq!(
            state.saved, None,
            "a result from before the cancel is dropped"
        );

        let _ = state.update(Message::SavePemPressed, &mut setup);
        let stale = state.pem.generation;
        state.cancel();
        let action = state.update(Message::PemDialogClosed(stale, Some(path)), &mut setup);
        assert!(matches!(action, Action::None));
        assert!(!state.pem.running);
    }

    #[test]
    fn thumbprint_is_the_recorded_one_or_worked_out() {
        let setup = fetched();
        assert_eq!(thumbprint(&setup, PEM), Some("AB".repeat(32)));
        let mut unrecorded = setup.clone();
        unrecorded.metadata.certificate_sha256 = None;
        assert_eq!(thumbprint(&unrecorded, PEM), None, "not a real certificate");
    }

    #[test]
    fn browser_failure_is_shown() {
        let mut setup = fetched();
        let mut state = State::new(&setup);
        let action = state.update(Message::OpenBrowser("https://x".into()), &mut setup);
        assert!(matches!(action, Action::Run(_)));
        let _ = state.update(Message::BrowserOpened(Err("no browser".into())), &mut setup);
        assert_eq!(state.browser_error.as_deref(), Some("no browser"));
    }

    #[test]
    fn strings_exist() {
        widget::assert_ids_exist(include_str!("goto_settings.rs"));
    }

    #[test]
    fn simulator_switches_tabs_and_copies_by_id() -> Result<(), iced_test::Error> {
        let mut setup = fetched();
        let mut state = State::new(&setup);
        {
            let mut ui = simulator(&state, &setup);
            let _ = ui.find(setup.metadata.url.clone().unwrap())?;
            let _ = ui.find("goto-verification-code=<uuid>")?;
            let _ = ui.find("https://organization.logmeininc.com")?;
            assert!(
                ui.find(tr("goto-settings-sign-in-url")).is_err(),
                "not on Automatic"
            );
            let _ = ui.click(id("goto-settings-metadata-url-copy"))?;
            let _ = ui.click(id(Mode::Manual.tab_id()))?;
            for message in ui.into_messages() {
                let _ = state.update(message, &mut setup);
            }
        }
        assert_eq!(state.mode, Some(Mode::Manual));
        assert_eq!(
            state.copied.as_deref(),
            Some("goto-settings-metadata-url-copy")
        );

        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("goto-settings-sign-in-url"))?;
        let _ = ui.find("AB".repeat(32))?;
        let _ = ui.click(id(SAVE_PEM_ID))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::SavePemPressed]),
            "{messages:?}"
        );
        Ok(())
    }
}
