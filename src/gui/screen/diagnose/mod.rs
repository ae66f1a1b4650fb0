//! The diagnose screen: support staff paste or open what was captured when a sign-in to GoTo
//! failed and see the verdict, every finding with its fix, and what the message says; then copy
//! or save a report. It sits beside the wizard, not in it: the wizard keeps its state meanwhile.
//!
//! The checks are the core's (`goto_sso_wizard::diagnose`). This screen gathers the input
//! (`input`), runs the checks off the window's thread, shows the answer (`result`) and shares
//! it (`export`).

mod export;
mod input;
mod result;
#[cfg(test)]
pub(crate) mod tests;

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use goto_sso_wizard::diagnose::{self, Diagnosis};
use goto_sso_wizard::setup::{Product, Setup};
use iced::widget::{column, row, text, text_editor};
use iced::{Alignment, Element, Length, Task};

use super::Action;
use super::job::{Job, SaveDialog};
use super::review::ReportFormat;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::style::{self, Tone};
use crate::gui::widget::{self, heading, note, primary_button, small_button};

/// Widget id of "Back to the setup" (in the frame's footer).
pub const BACK_ID: &str = "diagnose-back";
/// Widget id of the capture editor.
pub const EDITOR_ID: &str = "diagnose-capture";
/// Widget id of "Open file…".
pub const OPEN_ID: &str = "diagnose-open";
/// Widget id of the typed capture path.
pub const CAPTURE_PATH_ID: &str = "diagnose-capture-path";
/// Widget id of the button that opens the typed capture path.
pub const CAPTURE_OPEN_ID: &str = "diagnose-capture-open";
/// Widget id of "Forget the file".
pub const FORGET_ID: &str = "diagnose-forget";
/// Widget id of the typed setup file path.
pub const SETUP_FILE_ID: &str = "diagnose-setup-file";
/// Widget id of the setup file's "Choose…".
pub const SETUP_FILE_CHOOSE_ID: &str = "diagnose-setup-file-choose";
/// Widget id of the user's e-mail field.
pub const USER_ID: &str = "diagnose-user";
/// Widget id of the product picker.
pub const PRODUCT_ID: &str = "diagnose-product";
/// Widget id of the capture-time field.
pub const TIME_ID: &str = "diagnose-time";
/// Widget id of the clock-skew field.
pub const SKEW_ID: &str = "diagnose-skew";
/// Widget id of the message-number field.
pub const MESSAGE_ID: &str = "diagnose-message";
/// Widget id of "Diagnose".
pub const RUN_ID: &str = "diagnose-run";
/// Widget id of Cancel while the diagnosis runs.
pub const CANCEL_ID: &str = "diagnose-cancel";
/// Widget id of "Show the XML".
pub const XML_ID: &str = "diagnose-xml";
/// Widget id of the redaction checkbox.
pub const REDACT_ID: &str = "diagnose-redact";
/// Widget id of "Copy as text".
pub const COPY_ID: &str = "diagnose-copy";
/// Widget id of the report format picker.
pub const FORMAT_ID: &str = "diagnose-format";
/// Widget id of "Save report…".
pub const SAVE_ID: &str = "diagnose-save";
/// Widget id of the typed report path.
pub const SAVE_PATH_ID: &str = "diagnose-save-path";
/// Widget id of the button that saves to the typed path.
pub const SAVE_TYPED_ID: &str = "diagnose-save-typed";

/// What the response is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Against {
    /// The wizard's setup (offered when it has the identity provider's metadata).
    ThisSetup,
    /// GoTo's published values only.
    #[default]
    Published,
    /// A setup file: saved by the wizard, or the diagnostics JSON format.
    SetupFile,
}

/// A product in the picker; `None` is "any product".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProductChoice(pub Option<Product>);

impl ProductChoice {
    /// "Any product", then every product in the wizard's order.
    pub const ALL: [ProductChoice; 5] = [
        ProductChoice(None),
        ProductChoice(Some(Product::GoToMeeting)),
        ProductChoice(Some(Product::GoToWebinar)),
        ProductChoice(Some(Product::GoToTraining)),
        ProductChoice(Some(Product::GoToAssist)),
    ];
}

impl fmt::Display for ProductChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(product) => f.write_str(product.name()),
            None => f.write_str(&tr("diagnose-product-any")),
        }
    }
}

/// A captured file too large to show in the editor: the screen shows its name and size only.
#[derive(Clone)]
pub struct CaptureFile {
    /// The file's name, as shown.
    pub name: String,
    /// Its contents.
    pub bytes: Arc<[u8]>,
}

// Messages are printed by tests and logs: a 50 MiB capture must not be.
impl fmt::Debug for CaptureFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CaptureFile({:?}, {} bytes)",
            self.name,
            self.bytes.len()
        )
    }
}

/// A captured file as read: small text goes into the editor, anything else is held aside.
#[derive(Debug, Clone)]
pub enum ReadCapture {
    /// Text small enough to edit.
    Text(String),
    /// Held aside.
    File(CaptureFile),
}

/// Why a run ended without a verdict; each is shown under the part of the input it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The capture is unusable (the core's `DecodeError` says what to do).
    Capture(String),
    /// The setup to check against is unusable.
    Checks(String),
}

/// The last verdict, and whether the input changed since.
#[derive(Debug)]
struct Outcome {
    diagnosis: Arc<Diagnosis>,
    /// The input changed after (or while) this was made: shown, marked stale, until the next run.
    stale: bool,
}

/// How the last press of Diagnose ended when it gave no verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RunNote {
    Cancelled,
    FixFields,
    /// The reason is under the capture or the checks, maybe out of sight from the button.
    Failed,
}

/// The screen's state. Kept while the wizard is shown, so reopening finds everything as left.
#[derive(Debug)]
pub struct State {
    /// Pasted text (or a small file's text).
    capture: text_editor::Content,
    /// A file held aside; when present, it is what is diagnosed.
    file: Option<CaptureFile>,
    /// The typed capture path, kept as typed.
    capture_path: String,
    /// Why the capture cannot be used, or what to do.
    capture_error: Option<String>,
    /// The open dialog, then the read.
    file_job: Job,
    against: Against,
    /// The wizard's setup when the screen was opened.
    setup: Option<Box<Setup>>,
    /// Whether the screen was opened before (the first opening picks what to check against).
    opened: bool,
    setup_file: String,
    setup_file_job: Job,
    /// Why the setup to check against cannot be used.
    checks_error: Option<String>,
    user: String,
    product: Option<Product>,
    /// The capture's time as typed (RFC 3339, blank for the clock).
    time: String,
    /// The clock skew as typed (seconds, blank for the default).
    skew: String,
    /// Which message of the capture to check, as typed (blank: the last response).
    message_number: String,
    run: Job,
    /// The input changed while the run was under way: its answer is stale on arrival.
    changed_while_running: bool,
    run_note: Option<RunNote>,
    outcome: Option<Outcome>,
    show_xml: bool,
    redact: bool,
    format: ReportFormat,
    save_path: String,
    save: Job,
    saved: Option<Result<PathBuf, String>>,
    copied: bool,
}

impl Default for State {
    fn default() -> Self {
        Self {
            capture: text_editor::Content::new(),
            file: None,
            capture_path: String::new(),
            capture_error: None,
            file_job: Job::default(),
            against: Against::default(),
            setup: None,
            opened: false,
            setup_file: String::new(),
            setup_file_job: Job::default(),
            checks_error: None,
            user: String::new(),
            product: None,
            time: String::new(),
            skew: String::new(),
            message_number: String::new(),
            run: Job::default(),
            changed_while_running: false,
            run_note: None,
            outcome: None,
            show_xml: false,
            // Reports go into tickets: the person's data stays out unless asked for.
            redact: true,
            format: ReportFormat::default(),
            save_path: String::new(),
            save: Job::default(),
            saved: None,
            copied: false,
        }
    }
}

/// The screen's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// The capture editor was used (typing, pasting, moving the cursor…).
    Edited(text_editor::Action),
    /// "Open file…": the system's file dialog.
    OpenPressed,
    /// The open dialog closed, with the file chosen, if any.
    OpenDialogClosed(u64, Option<PathBuf>),
    /// The typed capture path changed.
    CapturePathChanged(String),
    /// Open the typed capture path (button or Enter).
    OpenTyped,
    /// A captured file was read (or not).
    FileRead(u64, Result<ReadCapture, String>),
    /// "Forget the file": diagnose the editor's text again.
    ForgetFile,
    /// What to check against.
    AgainstSelected(Against),
    /// The typed setup file path changed.
    SetupFileChanged(String),
    /// The setup file's "Choose…".
    ChooseSetupFile,
    /// That dialog closed, with the file chosen, if any.
    SetupFileChosen(u64, Option<PathBuf>),
    /// The user's e-mail changed.
    UserChanged(String),
    /// A product was picked.
    ProductSelected(ProductChoice),
    /// The capture's time changed.
    TimeChanged(String),
    /// The clock skew changed.
    SkewChanged(String),
    /// The number of the message to check changed.
    WhichMessageChanged(String),
    /// "Diagnose" (or Ctrl+Enter in the editor, or Enter elsewhere on the screen).
    Diagnose,
    /// Cancel the running diagnosis.
    Cancel,
    /// The diagnosis finished (or could not start on this input).
    Diagnosed(u64, Result<Arc<Diagnosis>, Failure>),
    /// "Show the XML" / "Hide the XML".
    ToggleXml,
    /// The redaction checkbox.
    RedactToggled(bool),
    /// The report format.
    FormatSelected(ReportFormat),
    /// "Copy as text".
    Copy,
    /// "Save report…": the system's save dialog.
    SavePressed,
    /// The save dialog closed, with the path chosen, if any.
    SaveDialogClosed(u64, Option<PathBuf>),
    /// The typed report path changed.
    SavePathChanged(String),
    /// Save to the typed path (button or Enter).
    SaveTyped,
    /// The report was written (or not).
    Saved(u64, Result<PathBuf, String>),
}

impl State {
    /// Shows the screen for `setup` (the wizard's setup now). What was typed before stays; a
    /// result checked against a setup that has changed since is marked stale.
    pub fn open(&mut self, setup: &Setup) {
        let changed = self.setup.as_deref() != Some(setup);
        let usable = input::can_check_against(setup);
        self.setup = Some(Box::new(setup.clone()));
        if !self.opened {
            self.opened = true;
            self.against = if usable {
                Against::ThisSetup
            } else {
                Against::Published
            };
        } else if self.against == Against::ThisSetup && (changed || !usable) {
            if !usable {
                self.against = Against::Published;
            }
            self.input_changed();
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::Edited(action) => {
                let edit = action.is_edit();
                self.capture.perform(action);
                if edit {
                    // Pasting means "diagnose this": a file held aside no longer is the capture.
                    self.file = None;
                    self.capture_error = None;
                    self.input_changed();
                }
            }
            Message::OpenPressed => {
                let generation = self.file_job.open_dialog();
                self.capture_error = None;
                return Action::Run(Task::perform(input::pick_capture_file(), move |path| {
                    Message::OpenDialogClosed(generation, path)
                }));
            }
            Message::OpenDialogClosed(generation, path) => {
                if !self.file_job.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.capture_path = widget::display(&path);
                        return self.read_file(path);
                    }
                    None => self.capture_error = Some(tr("diagnose-no-dialog")),
                }
            }
            Message::CapturePathChanged(path) => self.capture_path = path,
            Message::OpenTyped => {
                let typed = self.capture_path.trim();
                if typed.is_empty() {
                    self.capture_error = Some(tr("diagnose-path-empty"));
                } else {
                    return self.read_file(PathBuf::from(typed));
                }
            }
            Message::FileRead(generation, result) => {
                if !self.file_job.finish(generation) {
                    return Action::None;
                }
                match result {
                    Ok(ReadCapture::Text(text)) => {
                        self.capture = text_editor::Content::with_text(&text);
                        self.file = None;
                        self.input_changed();
                    }
                    Ok(ReadCapture::File(file)) => {
                        self.file = Some(file);
                        self.input_changed();
                    }
                    Err(error) => self.capture_error = Some(error),
                }
            }
            Message::ForgetFile => {
                self.file = None;
                self.input_changed();
            }
            Message::AgainstSelected(against) => {
                self.against = against;
                self.checks_error = None;
                self.input_changed();
            }
            Message::SetupFileChanged(path) => {
                self.setup_file = path;
                self.checks_error = None;
                self.input_changed();
            }
            Message::ChooseSetupFile => {
                let generation = self.setup_file_job.open_dialog();
                self.checks_error = None;
                return Action::Run(Task::perform(input::pick_setup_file(), move |path| {
                    Message::SetupFileChosen(generation, path)
                }));
            }
            Message::SetupFileChosen(generation, path) => {
                if !self.setup_file_job.finish(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.setup_file = widget::display(&path);
                        self.against = Against::SetupFile;
                        self.input_changed();
                    }
                    None => self.checks_error = Some(tr("diagnose-setup-file-no-dialog")),
                }
            }
            Message::UserChanged(user) => {
                self.user = user;
                self.input_changed();
            }
            Message::ProductSelected(ProductChoice(product)) => {
                self.product = product;
                self.input_changed();
            }
            Message::TimeChanged(time) => {
                self.time = time;
                self.input_changed();
            }
            Message::SkewChanged(skew) => {
                self.skew = skew;
                self.input_changed();
            }
            Message::WhichMessageChanged(number) => {
                self.message_number = number;
                self.input_changed();
            }
            Message::Diagnose => return self.start(),
            Message::Cancel => self.cancel_run(),
            Message::Diagnosed(generation, result) => {
                if !self.run.finish(generation) {
                    return Action::None;
                }
                match result {
                    Ok(diagnosis) => {
                        self.outcome = Some(Outcome {
                            diagnosis,
                            stale: self.changed_while_running,
                        });
                        self.show_xml = false;
                        self.saved = None;
                        self.copied = false;
                    }
                    Err(Failure::Capture(error)) => {
                        self.capture_error = Some(error);
                        self.run_note = Some(RunNote::Failed);
                    }
                    Err(Failure::Checks(error)) => {
                        self.checks_error = Some(error);
                        self.run_note = Some(RunNote::Failed);
                    }
                }
            }
            Message::ToggleXml => self.show_xml = !self.show_xml,
            Message::RedactToggled(on) => {
                self.redact = on;
                self.copied = false;
            }
            Message::FormatSelected(format) => self.format = format,
            Message::Copy => {
                if let Some(outcome) = &self.outcome {
                    let text = export::plain_text(&outcome.diagnosis, self.redact);
                    self.copied = true;
                    return Action::Run(iced::clipboard::write(text));
                }
            }
            Message::SavePressed => {
                self.saved = None;
                return Action::Run(self.save.save_dialog(
                    SaveDialog {
                        title: tr("diagnose-save-dialog-title"),
                        file_name: export::file_name(self.format).into(),
                        filter: self.format.to_string(),
                        extensions: self.format.extensions(),
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
                        return self.save_to(path);
                    }
                    None => self.saved = Some(Err(tr("diagnose-save-no-dialog"))),
                }
            }
            Message::SavePathChanged(path) => {
                self.save_path = path;
                self.saved = None;
            }
            Message::SaveTyped => {
                let typed = self.save_path.trim();
                if typed.is_empty() {
                    self.saved = Some(Err(tr("diagnose-save-path-empty")));
                } else {
                    return self.save_to(PathBuf::from(typed));
                }
            }
            Message::Saved(generation, result) => {
                if self.save.finish(generation) {
                    self.saved = Some(result);
                }
            }
        }
        Action::None
    }

    /// Something the verdict depends on changed: the result no longer answers for the input.
    fn input_changed(&mut self) {
        if let Some(outcome) = &mut self.outcome {
            outcome.stale = true;
        }
        if self.run.running {
            self.changed_while_running = true;
        }
        self.run_note = None;
    }

    /// Reads a captured file in a task.
    fn read_file(&mut self, path: PathBuf) -> Action<Message> {
        self.capture_error = None;
        Action::Run(self.file_job.run(|generation| {
            Task::perform(
                widget::blocking(move || input::read_capture(&path)),
                move |result| Message::FileRead(generation, result.and_then(|r| r)),
            )
        }))
    }

    /// Starts a diagnosis of the input as it is now, off the window's thread.
    fn start(&mut self) -> Action<Message> {
        if self.run.running {
            return Action::None;
        }
        self.run_note = None;
        self.capture_error = None;
        self.checks_error = None;
        let (Ok(time), Ok(skew), Ok(message)) = (
            input::parse_time(&self.time),
            input::parse_skew(&self.skew),
            input::parse_message_number(&self.message_number),
        ) else {
            self.run_note = Some(RunNote::FixFields);
            return Action::None;
        };
        let capture: Arc<[u8]> = match &self.file {
            Some(file) => Arc::clone(&file.bytes),
            None => self.capture.text().into_bytes().into(),
        };
        if capture.trim_ascii().is_empty() {
            self.capture_error = Some(tr("diagnose-capture-empty"));
            self.run_note = Some(RunNote::Failed);
            return Action::None;
        }
        let source = match (self.against, &self.setup) {
            (Against::ThisSetup, Some(setup)) if input::can_check_against(setup) => {
                input::Source::Setup(setup.clone())
            }
            (Against::SetupFile, _) => {
                let path = self.setup_file.trim();
                if path.is_empty() {
                    self.checks_error = Some(tr("diagnose-setup-file-empty"));
                    self.run_note = Some(RunNote::Failed);
                    return Action::None;
                }
                input::Source::File(PathBuf::from(path))
            }
            _ => input::Source::Published,
        };
        let options = input::Options {
            user: Some(self.user.trim().to_owned()).filter(|user| !user.is_empty()),
            product: self.product,
            skew,
            message,
            time: time.map_or_else(diagnose::CheckTime::clock, |now| diagnose::CheckTime {
                now,
                given: true,
            }),
        };
        self.changed_while_running = false;
        Action::Run(self.run.run(|generation| {
            Task::perform(
                widget::blocking(move || input::run(&capture, &source, &options)),
                move |result| {
                    Message::Diagnosed(generation, result.map_err(Failure::Capture).and_then(|r| r))
                },
            )
        }))
    }

    /// Cancel: the run's answer is dropped when it comes.
    fn cancel_run(&mut self) {
        if self.run.running {
            self.run.stop();
            self.run_note = Some(RunNote::Cancelled);
        }
    }

    /// Writes the report of the result shown, in a task.
    fn save_to(&mut self, path: PathBuf) -> Action<Message> {
        let Some(outcome) = &self.outcome else {
            return Action::None;
        };
        let diagnosis = Arc::clone(&outcome.diagnosis);
        let (redact, format) = (self.redact, self.format);
        self.saved = None;
        Action::Run(self.save.run(|generation| {
            Task::perform(
                widget::blocking(move || export::write(&diagnosis, redact, format, path)),
                move |result| Message::Saved(generation, result.and_then(|r| r)),
            )
        }))
    }

    /// The capture editor's text.
    #[cfg(test)]
    pub fn capture_text(&self) -> String {
        self.capture.text()
    }

    /// Whether a result is shown.
    #[cfg(test)]
    pub fn has_result(&self) -> bool {
        self.outcome.is_some()
    }

    /// Whether work runs that Esc should stop before it leaves the screen.
    pub fn is_running(&self) -> bool {
        self.run.running || self.file_job.running || self.save.running
    }

    /// Stops what runs (Esc): the diagnosis, a file read, a report being written.
    pub fn cancel(&mut self) {
        self.cancel_run();
        self.file_job.stop();
        self.setup_file_job.stop();
        self.save.stop();
    }

    /// Shows the screen.
    pub fn view(&self) -> Element<'_, Message> {
        let mut page = column![
            heading(tr("diagnose-heading")),
            note(tr("diagnose-intro")),
            input::capture_view(self),
            input::checks_view(self),
            self.run_view(),
        ];
        if let Some(outcome) = &self.outcome {
            page = page.push(result::view(
                &outcome.diagnosis,
                outcome.stale,
                self.show_xml,
            ));
            page = page.push(export::view(self));
        }
        widget::page(page)
    }

    /// Diagnose, or the busy line with Cancel while it runs.
    fn run_view(&self) -> Element<'_, Message> {
        if self.run.running {
            return row![
                style::note(tr("diagnose-running"), Tone::Info),
                small_button(tr("common-cancel"), Some(Message::Cancel), CANCEL_ID),
            ]
            .spacing(12)
            .align_y(Alignment::Center)
            .into();
        }
        let mut line = row![primary_button(
            tr("diagnose-run"),
            Some(Message::Diagnose),
            RUN_ID
        )]
        .spacing(12)
        .align_y(Alignment::Center);
        match self.run_note {
            Some(RunNote::Cancelled) => {
                line = line.push(text(tr("diagnose-cancelled")).size(14).width(Length::Fill));
            }
            Some(RunNote::FixFields) => {
                line = line.push(widget::error_line(tr("diagnose-fix-fields")).width(Length::Fill));
            }
            Some(RunNote::Failed) => {
                line = line.push(widget::error_line(tr("diagnose-failed")).width(Length::Fill));
            }
            // Diagnose sits low in the window and the result lands below it, often out of
            // sight: the verdict is repeated beside the button.
            None => {
                if let Some(outcome) = self.outcome.as_ref().filter(|outcome| !outcome.stale) {
                    let tone = result::verdict_tone(outcome.diagnosis.verdict);
                    line = line.push(style::note(
                        tr_with(
                            "diagnose-result-below",
                            &[("verdict", &result::verdict_text(&outcome.diagnosis))],
                        ),
                        tone,
                    ));
                }
            }
        }
        line.into()
    }
}
