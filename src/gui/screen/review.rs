//! The wizard step "Review & export": the checklist of what is done on which side, the report
//! (HTML or Markdown, plus JSON), saving the setup to resume later, and a test sign-in.
//! Neither the report nor the saved setup can hold a secret: the [`Setup`] has none.

use std::fmt;
use std::path::{Path, PathBuf};

use goto_sso_wizard::report::{Report, Side, checklist};
use goto_sso_wizard::settings::SettingsStore;
use goto_sso_wizard::setup::{Product, Setup};
use iced::widget::{column, container, pick_list, row, text};
use iced::{Alignment, Element, Length, Task, Theme};

use super::Action;
use super::job::Job;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::{
    self, error_line, heading, note, primary_button, subheading, success_line, value_row,
};

/// Widget id of the report format picker.
pub const FORMAT_ID: &str = "review-format";
/// Widget id of "Export report…".
pub const EXPORT_ID: &str = "review-export";
/// Widget id of the typed report path.
pub const EXPORT_PATH_ID: &str = "review-export-path";
/// Widget id of the button that exports to the typed path.
pub const EXPORT_TYPED_ID: &str = "review-export-typed";
/// Widget id of "Save setup…".
pub const SAVE_ID: &str = "review-save";
/// Widget id of the typed setup path.
pub const SAVE_PATH_ID: &str = "review-save-path";
/// Widget id of the button that saves to the typed path.
pub const SAVE_TYPED_ID: &str = "review-save-typed";
/// Widget id of the product picker for the test sign-in.
pub const TEST_PRODUCT_ID: &str = "review-test-product";
/// Widget id of "Test sign-in".
pub const TEST_SIGN_IN_ID: &str = "review-test-sign-in";

const REPORT_HTML_NAME: &str = "goto-sso-report.html";
const REPORT_MARKDOWN_NAME: &str = "goto-sso-report.md";
const SETUP_NAME: &str = "goto-sso-setup.json";

/// The report's format; a JSON file always goes alongside.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportFormat {
    /// A standalone HTML page.
    #[default]
    Html,
    /// Markdown.
    Markdown,
}

impl ReportFormat {
    /// Both, in the picker's order.
    pub const ALL: [ReportFormat; 2] = [ReportFormat::Html, ReportFormat::Markdown];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Html => "html",
            ReportFormat::Markdown => "md",
        }
    }

    /// The extensions a save dialog filters on (the usual one first).
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            ReportFormat::Html => &["html", "htm"],
            ReportFormat::Markdown => &["md", "markdown"],
        }
    }
}

impl fmt::Display for ReportFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&match self {
            ReportFormat::Html => tr("review-format-html"),
            ReportFormat::Markdown => tr("review-format-markdown"),
        })
    }
}

/// A product in the test sign-in picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductChoice(pub Product);

impl fmt::Display for ProductChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name())
    }
}

/// A saved setup: where, and whether the recent-setups list could be updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    /// The file written.
    pub path: PathBuf,
    /// Why the settings' recent setups were not updated, if they were not.
    pub settings_note: Option<String>,
}

/// This step's state.
#[derive(Debug, Default)]
pub struct State {
    format: ReportFormat,
    /// The typed report path, kept as typed.
    export_path: String,
    /// The typed setup path, kept as typed.
    save_path: String,
    export: Job,
    save: Job,
    /// The last export: the files written, or what went wrong and what to do.
    exported: Option<Result<Vec<PathBuf>, String>>,
    /// The last save.
    saved: Option<Result<Saved, String>>,
    test_product: Option<Product>,
    /// The browser could not open: the reason.
    browser_error: Option<String>,
    copied: Option<String>,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// The report format picker.
    FormatSelected(ReportFormat),
    /// "Export report…".
    ExportPressed,
    /// The export dialog closed, with the path chosen, if any.
    ExportDialogClosed(u64, Option<PathBuf>),
    /// The typed report path changed.
    ExportPathChanged(String),
    /// Export to the typed path (button or Enter).
    ExportTyped,
    /// The report files were written (or not).
    Exported(u64, Result<Vec<PathBuf>, String>),
    /// "Save setup…".
    SavePressed,
    /// The save dialog closed, with the path chosen, if any.
    SaveDialogClosed(u64, Option<PathBuf>),
    /// The typed setup path changed.
    SavePathChanged(String),
    /// Save to the typed path (button or Enter).
    SaveTyped,
    /// The setup was saved (or not).
    Saved(u64, Result<Saved, String>),
    /// The product for the test sign-in.
    TestProductSelected(ProductChoice),
    /// "Test sign-in": open the product's relay-state URL.
    TestSignIn,
    /// The browser was asked to open it.
    BrowserOpened(Result<(), String>),
    /// Copy: the button's id and the value.
    Copy(String, String),
}

impl State {
    /// A fresh state for `setup`.
    pub fn new(_setup: &Setup) -> Self {
        Self::default()
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::FormatSelected(format) => self.format = format,
            Message::ExportPressed => {
                let generation = self.export.open_dialog();
                self.exported = None;
                let name = match self.format {
                    ReportFormat::Html => REPORT_HTML_NAME,
                    ReportFormat::Markdown => REPORT_MARKDOWN_NAME,
                };
                return Action::Run(Task::perform(
                    widget::pick_save_path(
                        tr("review-export-dialog-title"),
                        name,
                        self.format.to_string(),
                        self.format.extensions(),
                    ),
                    move |path| Message::ExportDialogClosed(generation, path),
                ));
            }
            Message::ExportDialogClosed(generation, path) => {
                if !self.export.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.export_path = widget::display(&path);
                        return self.export_to(&path, setup);
                    }
                    None => self.exported = Some(Err(tr("review-no-dialog"))),
                }
            }
            Message::ExportPathChanged(path) => {
                self.export_path = path;
                self.exported = None;
            }
            Message::ExportTyped => {
                let typed = self.export_path.trim().to_owned();
                if typed.is_empty() {
                    self.exported = Some(Err(tr("review-path-empty")));
                } else {
                    return self.export_to(Path::new(&typed), setup);
                }
            }
            Message::Exported(generation, result) => {
                if self.export.finish(generation) {
                    self.exported = Some(result);
                }
            }
            Message::SavePressed => {
                let generation = self.save.open_dialog();
                self.saved = None;
                return Action::Run(Task::perform(
                    widget::pick_save_path(
                        tr("review-save-dialog-title"),
                        SETUP_NAME,
                        tr("review-save-filter"),
                        &["json"],
                    ),
                    move |path| Message::SaveDialogClosed(generation, path),
                ));
            }
            Message::SaveDialogClosed(generation, path) => {
                if !self.save.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.save_path = widget::display(&path);
                        return self.save_to(&path, setup);
                    }
                    None => self.saved = Some(Err(tr("review-no-dialog"))),
                }
            }
            Message::SavePathChanged(path) => {
                self.save_path = path;
                self.saved = None;
            }
            Message::SaveTyped => {
                let typed = self.save_path.trim().to_owned();
                if typed.is_empty() {
                    self.saved = Some(Err(tr("review-path-empty")));
                } else {
                    return self.save_to(Path::new(&typed), setup);
                }
            }
            Message::Saved(generation, result) => {
                if self.save.finish(generation) {
                    self.saved = Some(result);
                }
            }
            Message::TestProductSelected(ProductChoice(product)) => {
                self.test_product = Some(product);
                self.browser_error = None;
            }
            Message::TestSignIn => {
                if let Some(url) = self.test_url(setup) {
                    self.browser_error = None;
                    return Action::Run(Task::perform(
                        widget::open_in_browser(url),
                        Message::BrowserOpened,
                    ));
                }
            }
            Message::BrowserOpened(result) => self.browser_error = result.err(),
            Message::Copy(id, value) => {
                self.copied = Some(id);
                return Action::Run(iced::clipboard::write(value));
            }
        }
        Action::None
    }

    /// Makes the report now and writes it (and its JSON) in a task.
    fn export_to(&mut self, path: &Path, setup: &Setup) -> Action<Message> {
        let report = Report::new(setup, time::OffsetDateTime::now_utc());
        let files = ReportFiles::new(&report, path, self.format);
        self.exported = None;
        Action::Run(self.export.write(|generation| {
            Task::perform(widget::blocking(move || files.write()), move |result| {
                Message::Exported(generation, result.and_then(|r| r))
            })
        }))
    }

    /// Saves the setup and remembers it in the settings, in a task.
    fn save_to(&mut self, path: &Path, setup: &Setup) -> Action<Message> {
        let setup = setup.clone();
        let path = setup_file_path(path);
        self.saved = None;
        Action::Run(self.save.write(|generation| {
            Task::perform(
                widget::blocking(move || {
                    let store = SettingsStore::open_default().map_err(|e| widget::error_chain(&e));
                    save_setup(&setup, &path, store.as_ref())
                }),
                move |result| Message::Saved(generation, result.and_then(|r| r)),
            )
        }))
    }

    /// The product the test sign-in uses: the one picked, else the first chosen.
    fn test_product(&self, setup: &Setup) -> Option<Product> {
        self.test_product
            .filter(|product| setup.products.contains(product))
            .or_else(|| setup.products.first().copied())
    }

    fn test_url(&self, setup: &Setup) -> Option<String> {
        setup.relay_state(self.test_product(setup)?)
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut page = column![heading(tr("review-heading")), note(tr("review-intro"))];
        if matches!(self.exported, Some(Ok(_))) || matches!(self.saved, Some(Ok(_))) {
            page = page.push(success_line(tr("review-complete")));
        }
        page = page.push(checklist_view(setup));
        page = page.push(self.export_view());
        page = page.push(self.save_view());
        if setup.sso && !setup.products.is_empty() {
            page = page.push(self.test_view(setup));
        }
        widget::page(page)
    }

    fn export_view(&self) -> Element<'_, Message> {
        let mut export = column![
            subheading(tr("review-export-heading")),
            note(tr("review-export-intro")),
            row![
                text(tr("review-format")).size(14),
                widget::with_id(
                    pick_list(
                        &ReportFormat::ALL[..],
                        Some(self.format),
                        Message::FormatSelected
                    )
                    .text_size(14),
                    FORMAT_ID,
                ),
                primary_button(
                    tr("review-export"),
                    (!self.export.busy()).then_some(Message::ExportPressed),
                    EXPORT_ID,
                ),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            text(tr("common-typed-path")).size(14),
            widget::typed_path(widget::TypedPath {
                placeholder: tr("review-export-placeholder"),
                value: &self.export_path,
                input_id: EXPORT_PATH_ID,
                on_input: Message::ExportPathChanged,
                submit: Message::ExportTyped,
                button: tr("review-export-typed"),
                enabled: !self.export.writing,
                button_id: EXPORT_TYPED_ID,
            }),
        ]
        .spacing(8);
        export = export.push(job_status(&self.export));
        match &self.exported {
            Some(Ok(paths)) => {
                for path in paths {
                    export = export.push(success_line(tr_with(
                        "common-saved",
                        &[("path", &widget::display(path))],
                    )));
                }
            }
            Some(Err(error)) => export = export.push(error_line(error.clone())),
            None => {}
        }
        export.into()
    }

    fn save_view(&self) -> Element<'_, Message> {
        let mut save = column![
            subheading(tr("review-save-heading")),
            note(tr("review-save-intro")),
            primary_button(
                tr("review-save"),
                (!self.save.busy()).then_some(Message::SavePressed),
                SAVE_ID,
            ),
            text(tr("common-typed-path")).size(14),
            widget::typed_path(widget::TypedPath {
                placeholder: tr("review-save-placeholder"),
                value: &self.save_path,
                input_id: SAVE_PATH_ID,
                on_input: Message::SavePathChanged,
                submit: Message::SaveTyped,
                button: tr("review-save-typed"),
                enabled: !self.save.writing,
                button_id: SAVE_TYPED_ID,
            }),
        ]
        .spacing(8);
        save = save.push(job_status(&self.save));
        match &self.saved {
            Some(Ok(saved)) => {
                save = save.push(success_line(tr_with(
                    "common-saved",
                    &[("path", &widget::display(&saved.path))],
                )));
                if let Some(note_text) = &saved.settings_note {
                    save = save.push(note(tr_with(
                        "review-recent-not-updated",
                        &[("reason", note_text)],
                    )));
                }
            }
            Some(Err(error)) => save = save.push(error_line(error.clone())),
            None => {}
        }
        save.into()
    }

    fn test_view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let choices: Vec<ProductChoice> =
            setup.products.iter().copied().map(ProductChoice).collect();
        let selected = self.test_product(setup).map(ProductChoice);
        let mut test = column![
            subheading(tr("review-test-heading")),
            note(tr("review-test-intro")),
            row![
                widget::with_id(
                    pick_list(choices, selected, Message::TestProductSelected).text_size(14),
                    TEST_PRODUCT_ID,
                ),
                primary_button(
                    tr("review-test-sign-in"),
                    self.test_url(setup).map(|_| Message::TestSignIn),
                    TEST_SIGN_IN_ID,
                ),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        ]
        .spacing(8);
        if let Some(reason) = &self.browser_error {
            test = test.push(error_line(tr_with(
                "common-browser-failed",
                &[("reason", reason)],
            )));
            if let Some(url) = self.test_url(setup) {
                let id = "review-test-url-copy";
                test = test.push(value_row(
                    tr("review-test-url"),
                    url.clone(),
                    id.to_owned(),
                    self.copied.as_deref() == Some(id),
                    Message::Copy(id.to_owned(), url),
                ));
            }
        }
        test.into()
    }

    /// Whether Next may be pressed. This is the last step: always.
    pub fn can_continue(&self, _setup: &Setup) -> bool {
        true
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        self.export.stop();
        self.save.stop();
    }
}

fn job_status<'a>(job: &Job) -> Element<'a, Message> {
    if job.writing {
        note(tr("review-writing")).into()
    } else if job.dialog_open {
        note(tr("review-dialog-open")).into()
    } else {
        column![].into()
    }
}

/// The checklist, grouped by side, each item marked done or to do.
fn checklist_view(setup: &Setup) -> Element<'_, Message> {
    let items = checklist(setup);
    let mut view = column![subheading(tr("review-checklist-heading"))].spacing(10);
    for side in [Side::Entra, Side::GoTo, Side::Test] {
        let on_side: Vec<_> = items.iter().filter(|item| item.side == side).collect();
        if on_side.is_empty() {
            continue;
        }
        let title = match side {
            Side::Entra => tr("review-side-entra"),
            Side::GoTo => tr("review-side-goto"),
            Side::Test => tr("review-side-test"),
        };
        let mut group = column![text(title).size(15).font(widget::bold())].spacing(6);
        for item in on_side {
            group = group.push(
                row![
                    badge(item.done),
                    text(checklist_text(item)).size(14).width(Length::Fill)
                ]
                .spacing(10)
                .align_y(Alignment::Center),
            );
        }
        view = view.push(group);
    }
    view.into()
}

/// "Done" or "To do", as a small badge that stays readable in light and dark themes.
fn badge<'a>(done: bool) -> Element<'a, Message> {
    let label = if done {
        tr("review-done")
    } else {
        tr("review-todo")
    };
    container(text(label).size(12))
        .padding([2, 8])
        .width(Length::Fixed(64.0))
        .center_x(Length::Fixed(64.0))
        .style(move |theme: &Theme| {
            let palette = theme.extended_palette();
            let pair = if done {
                palette.success.base
            } else {
                palette.background.weak
            };
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(4))
        })
        .into()
}

/// A report's two files and their contents, made on the window's thread, written in a task.
#[derive(Debug, Clone)]
pub struct ReportFiles {
    /// The HTML or Markdown file.
    pub main: PathBuf,
    /// Its contents.
    pub body: String,
    /// The JSON file beside it (`<name>.json`).
    pub json: PathBuf,
    /// Its contents.
    pub json_body: String,
}

impl ReportFiles {
    /// The files for `report` at `path` (the extension is set to the format's when it has
    /// none, or `.json`, which is the JSON file's).
    pub fn new(report: &Report, path: &Path, format: ReportFormat) -> Self {
        let main = match path.extension().and_then(|e| e.to_str()) {
            None => path.with_extension(format.extension()),
            Some(extension) if extension.eq_ignore_ascii_case("json") => {
                path.with_extension(format.extension())
            }
            Some(_) => path.to_path_buf(),
        };
        let body = match format {
            ReportFormat::Html => report.to_html(),
            ReportFormat::Markdown => report.to_markdown(),
        };
        Self {
            json: main.with_extension("json"),
            main,
            body,
            json_body: report.to_json(),
        }
    }

    /// Writes both files atomically. Blocks.
    pub fn write(&self) -> Result<Vec<PathBuf>, String> {
        for (path, body) in [(&self.main, &self.body), (&self.json, &self.json_body)] {
            goto_sso_wizard::private_file::write(path, body.as_bytes()).map_err(|error| {
                tr_with(
                    "review-write-failed",
                    &[
                        ("path", &widget::display(path)),
                        ("reason", &error.to_string()),
                    ],
                )
            })?;
        }
        Ok(vec![self.main.clone(), self.json.clone()])
    }
}

/// The typed setup path, with `.json` added when it has no extension.
fn setup_file_path(path: &Path) -> PathBuf {
    if path.extension().is_none() {
        path.with_extension("json")
    } else {
        path.to_path_buf()
    }
}

/// Saves `setup` to `path`, then puts it first in the settings' recent setups. A settings
/// problem never fails the save: it comes back as a note. Blocks.
pub fn save_setup(
    setup: &Setup,
    path: &Path,
    store: Result<&SettingsStore, &String>,
) -> Result<Saved, String> {
    setup
        .save(path)
        .map_err(|error| widget::error_chain(&error))?;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let settings_note = match store {
        Ok(store) => {
            let loaded = store.load();
            let mut settings = loaded.settings;
            settings.remember_setup(&path);
            match store.save(&settings) {
                Ok(()) => loaded.notice,
                Err(error) => Some(widget::error_chain(&error)),
            }
        }
        Err(reason) => Some(reason.clone()),
    };
    Ok(Saved {
        path,
        settings_note,
    })
}

/// A checklist item in the window's language: its Fluent text by the item's stable id, or the
/// core's English when a translation lacks it.
fn checklist_text(item: &goto_sso_wizard::report::CheckItem) -> String {
    let id = format!("review-check-{}", item.id);
    let translated = crate::gui::i18n::tr(&id);
    if translated == id {
        item.text.clone()
    } else {
        translated
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checklist_item_has_its_fluent_text() {
        let setup = Setup {
            provisioning: true,
            ..Setup::default()
        };
        for item in goto_sso_wizard::report::checklist(&setup) {
            let id = format!("review-check-{}", item.id);
            assert_ne!(
                crate::gui::i18n::tr(&id),
                id,
                "{id} missing from assets/i18n/en/review.ftl"
            );
        }
    }
    use goto_sso_wizard::secrets::CredentialRef;
    use goto_sso_wizard::settings::ProvisioningMethod;
    use iced::Size;
    use iced_test::Simulator;
    use iced_test::selector::id;

    const METADATA_URL: &str = "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid=5c1e8e4d-3f9a-4b7c-9d2e-1a2b3c4d5e6f";

    fn sample() -> Setup {
        let mut setup = Setup {
            products: vec![Product::GoToMeeting, Product::GoToWebinar],
            ..Setup::default()
        };
        setup.metadata.url = Some(METADATA_URL.into());
        setup.metadata.idp_entity_id = Some("https://sts.windows.net/0a1b2c3d/".into());
        setup.metadata.sign_in_url =
            Some("https://login.microsoftonline.com/0a1b2c3d/saml2".into());
        setup.metadata.certificate_sha256 = Some("F3155F4C".into());
        setup
    }

    fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
        Simulator::with_size(
            iced::Settings::default(),
            Size::new(812.0, 2400.0),
            state.view(setup),
        )
    }

    #[test]
    fn can_always_continue() {
        let state = State::new(&Setup::default());
        assert!(state.can_continue(&Setup::default()));
    }

    #[test]
    fn export_writes_the_report_and_its_json_with_the_values() {
        let folder = tempfile::tempdir().unwrap();
        let mut setup = sample();
        let mut state = State::new(&setup);
        let typed = folder.path().join("acme").display().to_string();
        let _ = state.update(Message::ExportPathChanged(typed), &mut setup);
        let action = state.update(Message::ExportTyped, &mut setup);
        assert!(matches!(action, Action::Run(_)));
        assert!(state.export.writing);

        // The task's work, then the message it sends.
        let report = Report::new(&setup, time::OffsetDateTime::UNIX_EPOCH);
        let html = ReportFiles::new(&report, &folder.path().join("acme"), ReportFormat::Html);
        let result = html.write();
        let _ = state.update(
            Message::Exported(state.export.generation, result),
            &mut setup,
        );
        let html_path = folder.path().join("acme.html");
        let json_path = folder.path().join("acme.json");
        assert_eq!(
            state.exported,
            Some(Ok(vec![html_path.clone(), json_path.clone()]))
        );
        assert!(!state.export.writing);

        // Markdown to a path typed with .json: the report gets .md, the JSON keeps .json.
        let markdown = ReportFiles::new(
            &report,
            &folder.path().join("acme.json"),
            ReportFormat::Markdown,
        );
        assert_eq!(
            markdown.write().unwrap(),
            [folder.path().join("acme.md"), json_path.clone()]
        );

        let html = std::fs::read_to_string(&html_path).unwrap();
        let markdown = std::fs::read_to_string(folder.path().join("acme.md")).unwrap();
        let json = std::fs::read_to_string(&json_path).unwrap();
        for text in [&html, &markdown, &json] {
            assert!(text.contains("https://authentication.logmeininc.com/saml/sp"));
            assert!(text.contains("https://global.gotowebinar.com"));
            assert!(text.contains("https://sts.windows.net/0a1b2c3d/"));
        }
        assert!(html.starts_with("<!DOCTYPE html") || html.contains("<html"));
        assert!(markdown.starts_with("# "));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["goto"]["metadata_url"], METADATA_URL);
        assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 3);

        let error = ReportFiles::new(&report, &folder.path().join("no/dir/r"), ReportFormat::Html)
            .write()
            .unwrap_err();
        assert!(error.contains("no/dir"), "{error}");
    }

    #[test]
    fn save_setup_round_trips_and_is_remembered() {
        let folder = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(folder.path().join("config"));
        let setup = sample();
        let path = setup_file_path(&folder.path().join("mine"));
        assert_eq!(path, folder.path().join("mine.json"));

        let saved = save_setup(&setup, &path, Ok(&store)).unwrap();
        assert_eq!(saved.path, path);
        assert_eq!(saved.settings_note, None);
        assert_eq!(Setup::load(&path).unwrap(), setup);
        assert_eq!(
            store.load().settings.recent_setups,
            std::slice::from_ref(&path)
        );

        // Without a settings folder the setup is still saved, with a note.
        let saved = save_setup(&setup, &path, Err(&"no home".to_owned())).unwrap();
        assert_eq!(saved.settings_note.as_deref(), Some("no home"));

        let error =
            save_setup(&setup, &folder.path().join("no/dir/x.json"), Ok(&store)).unwrap_err();
        assert!(error.contains("cannot write"), "{error}");

        // Through update: the result message.
        let mut setup = setup;
        let mut state = State::new(&setup);
        let _ = state.update(
            Message::SavePathChanged(path.display().to_string()),
            &mut setup,
        );
        assert!(matches!(
            state.update(Message::SaveTyped, &mut setup),
            Action::Run(_)
        ));
        let result = save_setup(&setup, &path, Ok(&store));
        let _ = state.update(Message::Saved(state.save.generation, result), &mut setup);
        assert!(matches!(&state.saved, Some(Ok(saved)) if saved.path == path));
    }

    #[test]
    fn a_report_holds_the_credential_reference_and_nothing_more() {
        const SECRET: &str = "s3cr3t-client-secret-value";
        let mut setup = sample();
        setup.provisioning = true;
        setup.provisioning_settings.method = Some(ProvisioningMethod::ClientCredentials);
        setup.provisioning_settings.client_id = Some("client-123".into());
        setup.provisioning_settings.credential =
            Some(CredentialRef::new("provisioning/client-secret/client-123"));
        // The secret itself lives in the keyring; the screens only ever hold it in their own
        // state, so nothing of it can reach a file made from the setup.
        let folder = tempfile::tempdir().unwrap();
        let report = Report::new(&setup, time::OffsetDateTime::UNIX_EPOCH);
        for format in ReportFormat::ALL {
            let files = ReportFiles::new(&report, &folder.path().join("r"), format);
            for path in files.write().unwrap() {
                let text = std::fs::read_to_string(&path).unwrap();
                assert!(!text.contains(SECRET), "{}", path.display());
            }
        }
        let saved = save_setup(&setup, &folder.path().join("s.json"), Err(&String::new())).unwrap();
        let saved_text = std::fs::read_to_string(saved.path).unwrap();
        assert!(!saved_text.contains(SECRET));

        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let credential = &json["setup"]["provisioning_settings"]["credential"];
        assert_eq!(
            credential,
            &serde_json::json!({
                "service": goto_sso_wizard::secrets::DEFAULT_SERVICE,
                "account": "provisioning/client-secret/client-123",
            }),
            "the reference, and nothing but the reference"
        );
        let settings: serde_json::Value = serde_json::from_str(&saved_text).unwrap();
        assert_eq!(settings["provisioning_settings"]["credential"], *credential);
    }

    #[test]
    fn stale_results_are_dropped_and_cancel_stops_both_jobs() {
        let mut setup = sample();
        let mut state = State::new(&setup);
        let _ = state.update(Message::ExportPathChanged("/tmp/r".into()), &mut setup);
        let _ = state.update(Message::ExportTyped, &mut setup);
        let export = state.export.generation;
        let _ = state.update(Message::SavePressed, &mut setup);
        let save = state.save.generation;
        state.cancel();
        assert!(!state.export.busy() && !state.save.busy());
        assert!(state.export.handle.is_none());
        let _ = state.update(Message::Exported(export, Ok(Vec::new())), &mut setup);
        assert_eq!(state.exported, None);
        let action = state.update(
            Message::SaveDialogClosed(save, Some("/tmp/s.json".into())),
            &mut setup,
        );
        assert!(matches!(action, Action::None));
        assert!(!state.save.writing);
    }

    #[test]
    fn no_dialog_or_no_path_says_what_to_do_and_keeps_the_typed_path() {
        let mut setup = sample();
        let mut state = State::new(&setup);
        let _ = state.update(Message::ExportTyped, &mut setup);
        assert_eq!(state.exported, Some(Err(tr("review-path-empty"))));
        let _ = state.update(Message::SavePathChanged("kept".into()), &mut setup);
        let _ = state.update(Message::SavePressed, &mut setup);
        let _ = state.update(
            Message::SaveDialogClosed(state.save.generation, None),
            &mut setup,
        );
        assert_eq!(state.saved, Some(Err(tr("review-no-dialog"))));
        assert_eq!(state.save_path, "kept");
    }

    #[test]
    fn test_sign_in_opens_the_chosen_products_relay_state() {
        let mut setup = sample();
        let mut state = State::new(&setup);
        assert_eq!(
            state.test_url(&setup).as_deref(),
            Some("https://global.gotomeeting.com")
        );
        let _ = state.update(
            Message::TestProductSelected(ProductChoice(Product::GoToWebinar)),
            &mut setup,
        );
        assert_eq!(
            state.test_url(&setup).as_deref(),
            Some("https://global.gotowebinar.com")
        );
        assert!(matches!(
            state.update(Message::TestSignIn, &mut setup),
            Action::Run(_)
        ));
        let _ = state.update(Message::BrowserOpened(Err("no browser".into())), &mut setup);
        assert_eq!(state.browser_error.as_deref(), Some("no browser"));
        // A product no longer chosen falls back to the first.
        setup.products = vec![Product::GoToAssist];
        assert_eq!(
            state.test_url(&setup).as_deref(),
            Some("https://app.gotoassist.com")
        );
    }

    #[test]
    fn strings_exist() {
        widget::assert_ids_exist(include_str!("review.rs"));
    }

    #[test]
    fn simulator_shows_the_checklist_and_exports_by_id() -> Result<(), iced_test::Error> {
        let mut setup = sample();
        let mut state = State::new(&setup);
        {
            let mut ui = simulator(&state, &setup);
            let _ = ui.find(tr("review-side-entra"))?;
            let _ = ui.find(tr("review-side-goto"))?;
            let _ = ui.find("Users or groups assigned to the app")?;
            let _ = ui.find(tr("review-done"))?;
            assert!(ui.find(tr("review-complete")).is_err());
            let _ = ui.click(id(EXPORT_ID))?;
            let _ = ui.click(id(TEST_SIGN_IN_ID))?;
            let messages: Vec<Message> = ui.into_messages().collect();
            assert!(
                matches!(
                    messages.as_slice(),
                    [Message::ExportPressed, Message::TestSignIn]
                ),
                "{messages:?}"
            );
        }
        let _ = state.update(Message::BrowserOpened(Err("no browser".into())), &mut setup);
        let _ = state.update(Message::SavePathChanged("/tmp/s.json".into()), &mut setup);
        let _ = state.update(Message::SaveTyped, &mut setup);
        let _ = state.update(
            Message::Saved(
                state.save.generation,
                Ok(Saved {
                    path: "/tmp/s.json".into(),
                    settings_note: None,
                }),
            ),
            &mut setup,
        );
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("review-complete"))?;
        let _ = ui.find("https://global.gotomeeting.com")?;
        let _ = ui.click(id("review-test-url-copy"))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::Copy(_, url)] if url == "https://global.gotomeeting.com"),
            "{messages:?}"
        );
        Ok(())
    }
}
