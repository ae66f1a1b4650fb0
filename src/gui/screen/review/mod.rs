//! The wizard step "Review & export": the checklist of what is done on which side, the report
//! (HTML or Markdown, plus JSON), saving the setup to resume later, and a test sign-in.
//! Neither the report nor the saved setup can hold a secret: the [`Setup`] has none.

use std::fmt;
use std::path::{Path, PathBuf};

use goto_sso_wizard::report::{Report, Side, checklist};
use goto_sso_wizard::settings::SettingsStore;
use goto_sso_wizard::setup::{Product, Setup};
use iced::{Alignment, Element, Length, Task, Theme};

use super::Action;
use super::job::{Job, SaveDialog};
use crate::gui::i18n::{tr, tr_with};

mod files;
#[cfg(test)]
mod tests;
mod view;

use crate::gui::widget::{
    self, error_line, heading, note, primary_button, subheading, success_line, value_row,
};
use files::setup_file_path;
pub use files::{ReportFiles, save_setup};

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
                self.exported = None;
                let name = match self.format {
                    ReportFormat::Html => REPORT_HTML_NAME,
                    ReportFormat::Markdown => REPORT_MARKDOWN_NAME,
                };
                return Action::Run(self.export.save_dialog(
                    SaveDialog {
                        title: tr("review-export-dialog-title"),
                        file_name: name.into(),
                        filter: self.format.to_string(),
                        extensions: self.format.extensions(),
                    },
                    Message::ExportDialogClosed,
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
                self.saved = None;
                return Action::Run(self.save.save_dialog(
                    SaveDialog {
                        title: tr("review-save-dialog-title"),
                        file_name: SETUP_NAME.into(),
                        filter: tr("review-save-filter"),
                        extensions: &["json"],
                    },
                    Message::SaveDialogClosed,
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
        Action::Run(self.export.run(|generation| {
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
        Action::Run(self.save.run(|generation| {
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
