//! The input half of the diagnose screen: the capture (pasted, or read from a file), what it is
//! checked against, the optional details; and the blocking work a run does with them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use goto_sso_wizard::diagnose::{
    self, CheckTime, DEFAULT_SKEW_SECONDS, Diagnosis, Expected, MAX_CAPTURE_BYTES,
};
use goto_sso_wizard::limited_read::{LimitedReadError, read_limited};
use goto_sso_wizard::setup::{Product, Setup};
use iced::keyboard::{Key, key::Named};
use iced::widget::{column, pick_list, radio, row, text, text_editor, text_input};
use iced::{Alignment, Element, Font, Length};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{
    Against, CAPTURE_OPEN_ID, CAPTURE_PATH_ID, CaptureFile, EDITOR_ID, FORGET_ID, Failure,
    MESSAGE_ID, Message, OPEN_ID, PRODUCT_ID, ProductChoice, ReadCapture, SETUP_FILE_CHOOSE_ID,
    SETUP_FILE_ID, SKEW_ID, State, TIME_ID, USER_ID,
};
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::style::{self, Tone};
use crate::gui::widget::{self, bold, error_line, note, small_button, subheading};

/// Files up to this size that are text go into the editor; larger ones are held aside, because
/// the editor is for pasting and slows down with megabytes in it.
pub const INLINE_LIMIT: usize = 64 * 1024;

/// Whether `setup` has something to check a response against beyond GoTo's published values:
/// the identity provider's entity ID or certificate, which only the metadata gives.
pub fn can_check_against(setup: &Setup) -> bool {
    setup.sso
        && (setup.metadata.idp_entity_id.is_some() || setup.metadata.certificate_pem.is_some())
}

/// The capture's time: `None` when blank (the clock's time is used).
pub fn parse_time(typed: &str) -> Result<Option<OffsetDateTime>, ()> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    OffsetDateTime::parse(typed, &Rfc3339)
        .map(Some)
        .map_err(|_| ())
}

/// The clock skew in seconds: `None` when blank (the core's default is used).
pub fn parse_skew(typed: &str) -> Result<Option<u64>, ()> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed.parse().map(Some).map_err(|_| ())
}

/// Which message of the capture to check: `None` when blank (the last response).
pub fn parse_message_number(typed: &str) -> Result<Option<usize>, ()> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    match typed.parse::<usize>() {
        Ok(number) if number >= 1 => Ok(Some(number)),
        _ => Err(()),
    }
}

/// Where the expectations come from, taken when Diagnose is pressed.
#[derive(Debug)]
pub enum Source {
    /// The wizard's setup.
    Setup(Box<Setup>),
    /// GoTo's published values.
    Published,
    /// A setup file, read by the run.
    File(PathBuf),
}

/// The optional details, read when Diagnose is pressed.
#[derive(Debug)]
pub struct Options {
    /// The user's GoTo e-mail address.
    pub user: Option<String>,
    /// The product they were signing in to.
    pub product: Option<Product>,
    /// Clock skew allowed.
    pub skew: Option<u64>,
    /// Which message of the capture (1-based); `None`: the last response.
    pub message: Option<usize>,
    /// When the checks happen.
    pub time: CheckTime,
}

/// Builds the expectations and diagnoses the capture. Blocks: it reads the setup file, and a
/// big HAR file takes seconds of CPU.
pub fn run(capture: &[u8], source: &Source, options: &Options) -> Result<Arc<Diagnosis>, Failure> {
    let expected = expected(source, options).map_err(|reason| {
        Failure::Checks(tr_with("diagnose-setup-unusable", &[("reason", &reason)]))
    })?;
    diagnose::diagnose_message_number(capture, &expected, options.time, options.message)
        .map(Arc::new)
        .map_err(|error| {
            Failure::Capture(tr_with(
                "diagnose-capture-unusable",
                &[("reason", &widget::error_chain(&error))],
            ))
        })
}

fn expected(source: &Source, options: &Options) -> Result<Expected, String> {
    let mut expected = match source {
        Source::Setup(setup) => Expected::from_setup(setup),
        Source::Published => Ok(Expected::published()),
        Source::File(path) => Expected::load(path),
    }
    .map_err(|error| widget::error_chain(&error))?;
    if let Some(user) = &options.user {
        expected.user = Some(user.clone());
    }
    if let Some(skew) = options.skew {
        expected.skew_seconds = skew;
    }
    if options.product.is_some() {
        expected.choose_relay_state(options.product, None, "the window");
    }
    Ok(expected)
}

/// Reads a captured file, refusing one larger than a capture can be. Blocks.
pub fn read_capture(path: &Path) -> Result<ReadCapture, String> {
    let shown = widget::display(path);
    let unreadable = |reason: String| {
        tr_with(
            "diagnose-file-unreadable",
            &[("path", &shown), ("reason", &reason)],
        )
    };
    let bytes = read_limited(path, MAX_CAPTURE_BYTES).map_err(|error| match error {
        LimitedReadError::TooLarge { .. } => tr_with(
            "diagnose-file-too-large",
            &[("path", &shown), ("limit", &size_text(MAX_CAPTURE_BYTES))],
        ),
        LimitedReadError::Io(_) => unreadable(error.reason()),
    })?;
    if bytes.len() <= INLINE_LIMIT
        && let Ok(text) = std::str::from_utf8(&bytes)
    {
        return Ok(ReadCapture::Text(text.to_owned()));
    }
    let name = path
        .file_name()
        .map_or_else(|| shown.clone(), |name| name.to_string_lossy().into_owned());
    Ok(ReadCapture::File(CaptureFile {
        name,
        bytes: bytes.into(),
    }))
}

/// A size as people read it: "812 bytes", "14.2 kB", "2.3 MB".
pub fn size_text(bytes: usize) -> String {
    // Shown, never computed with: the precision lost in the conversion does not matter.
    let value = bytes as f64;
    if bytes < 1_000 {
        format!("{bytes} bytes")
    } else if bytes < 1_000_000 {
        format!("{:.1} kB", value / 1_000.0)
    } else {
        format!("{:.1} MB", value / 1_000_000.0)
    }
}

/// The system's open dialog for a capture; `None` when cancelled or when no dialog can open.
pub async fn pick_capture_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("diagnose-open-dialog-title"))
        .add_filter(
            tr("diagnose-open-filter"),
            &["har", "json", "xml", "txt", "b64"],
        )
        .pick_file()
        .await
        .map(|file| file.path().to_path_buf())
}

/// The system's open dialog for a setup file; `None` when cancelled or when no dialog can open.
pub async fn pick_setup_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("diagnose-setup-file-dialog-title"))
        .add_filter(tr("diagnose-setup-file-filter"), &["json", "xml"])
        .pick_file()
        .await
        .map(|file| file.path().to_path_buf())
}

/// Ctrl+Enter (Cmd+Enter on macOS) in the editor diagnoses; every other key does what it does.
fn editor_keys(press: text_editor::KeyPress) -> Option<text_editor::Binding<Message>> {
    let focused = matches!(press.status, text_editor::Status::Focused { .. });
    let enter = matches!(press.key.as_ref(), Key::Named(Named::Enter));
    if focused && enter && press.modifiers.command() {
        return Some(text_editor::Binding::Custom(Message::Diagnose));
    }
    text_editor::Binding::from_key_press(press)
}

/// The capture: the editor, the file buttons, the typed path, and what went wrong.
pub fn capture_view(state: &State) -> Element<'_, Message> {
    let editor = text_editor(&state.capture)
        .id(EDITOR_ID)
        .placeholder(tr("diagnose-capture-placeholder"))
        .on_action(Message::Edited)
        .key_binding(editor_keys)
        .font(Font::MONOSPACE)
        .size(13)
        // Base64 is one long word: break it anywhere rather than scroll sideways.
        .wrapping(text::Wrapping::Glyph)
        .height(200);
    let busy = state.file_job.busy();
    let mut capture = column![
        subheading(tr("diagnose-capture-heading")),
        editor,
        small_button(
            tr("diagnose-open-file"),
            (!busy).then_some(Message::OpenPressed),
            OPEN_ID
        ),
    ]
    .spacing(8);
    if let Some(file) = &state.file {
        capture = capture.push(
            row![
                style::note(
                    tr_with(
                        "diagnose-file-loaded",
                        &[("name", &file.name), ("size", &size_text(file.bytes.len()))],
                    ),
                    Tone::Success,
                ),
                small_button(
                    tr("diagnose-file-forget"),
                    Some(Message::ForgetFile),
                    FORGET_ID
                ),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
    }
    capture = capture.push(text(tr("common-typed-path")).size(14));
    capture = capture.push(widget::typed_path(widget::TypedPath {
        placeholder: tr("diagnose-capture-path-placeholder"),
        value: &state.capture_path,
        input_id: CAPTURE_PATH_ID,
        on_input: Message::CapturePathChanged,
        submit: Message::OpenTyped,
        button: tr("diagnose-open-typed"),
        enabled: !state.file_job.running,
        button_id: CAPTURE_OPEN_ID,
    }));
    if state.file_job.running {
        capture = capture.push(note(tr("diagnose-file-reading")));
    } else if state.file_job.dialog_open {
        capture = capture.push(note(tr("diagnose-dialog-open")));
    }
    if let Some(error) = &state.capture_error {
        capture = capture.push(error_line(error.clone()));
    }
    capture.into()
}

/// What to check against, and the optional details.
pub fn checks_view(state: &State) -> Element<'_, Message> {
    let selected = Some(state.against);
    let usable = state.setup.as_deref().is_some_and(can_check_against);
    let mut against = column![subheading(tr("diagnose-against-heading"))].spacing(8);
    against = against.push(if usable {
        radio(
            tr("diagnose-against-setup"),
            Against::ThisSetup,
            selected,
            Message::AgainstSelected,
        )
        .into()
    } else {
        Element::from(note(tr("diagnose-against-setup-missing")))
    });
    against = against.push(radio(
        tr("diagnose-against-published"),
        Against::Published,
        selected,
        Message::AgainstSelected,
    ));
    against = against.push(radio(
        tr("diagnose-against-file"),
        Against::SetupFile,
        selected,
        Message::AgainstSelected,
    ));
    if state.against == Against::SetupFile {
        against = against.push(
            row![
                text_input(&tr("diagnose-setup-file-placeholder"), &state.setup_file)
                    .id(SETUP_FILE_ID)
                    .on_input(Message::SetupFileChanged)
                    .on_submit(Message::Diagnose)
                    .font(Font::MONOSPACE)
                    .width(Length::Fill),
                small_button(
                    tr("diagnose-setup-file-choose"),
                    (!state.setup_file_job.busy()).then_some(Message::ChooseSetupFile),
                    SETUP_FILE_CHOOSE_ID,
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        );
        if state.setup_file_job.dialog_open {
            against = against.push(note(tr("diagnose-dialog-open")));
        }
    }
    if let Some(error) = &state.checks_error {
        against = against.push(error_line(error.clone()));
    }

    let time_error = parse_time(&state.time)
        .is_err()
        .then(|| tr_with("diagnose-time-invalid", &[("text", state.time.trim())]));
    let skew_error = parse_skew(&state.skew).is_err().then(|| {
        tr_with(
            "diagnose-skew-invalid",
            &[
                ("text", state.skew.trim()),
                ("default", &DEFAULT_SKEW_SECONDS.to_string()),
            ],
        )
    });
    let message_error = parse_message_number(&state.message_number)
        .is_err()
        .then(|| {
            tr_with(
                "diagnose-message-invalid",
                &[("text", state.message_number.trim())],
            )
        });
    let details = column![
        subheading(tr("diagnose-options-heading")),
        field(
            tr("diagnose-user"),
            text_input(&tr("diagnose-user-placeholder"), &state.user)
                .id(USER_ID)
                .on_input(Message::UserChanged)
                .on_submit(Message::Diagnose)
                .into(),
            None,
        ),
        field(
            tr("diagnose-product"),
            widget::with_id(
                pick_list(
                    &ProductChoice::ALL[..],
                    Some(ProductChoice(state.product)),
                    Message::ProductSelected,
                )
                .text_size(14),
                PRODUCT_ID,
            ),
            None,
        ),
        field(
            tr("diagnose-time"),
            text_input(&tr("diagnose-time-placeholder"), &state.time)
                .id(TIME_ID)
                .on_input(Message::TimeChanged)
                .on_submit(Message::Diagnose)
                .font(Font::MONOSPACE)
                .into(),
            time_error,
        ),
        field(
            tr("diagnose-skew"),
            text_input(&DEFAULT_SKEW_SECONDS.to_string(), &state.skew)
                .id(SKEW_ID)
                .on_input(Message::SkewChanged)
                .on_submit(Message::Diagnose)
                .width(Length::Fixed(120.0))
                .into(),
            skew_error,
        ),
        field(
            tr("diagnose-message"),
            text_input(&tr("diagnose-message-placeholder"), &state.message_number)
                .id(MESSAGE_ID)
                .on_input(Message::WhichMessageChanged)
                .on_submit(Message::Diagnose)
                .width(Length::Fixed(120.0))
                .into(),
            message_error,
        ),
    ]
    .spacing(10);

    column![against, details].spacing(22).into()
}

/// A label above its input, and the input's error under it (the text typed stays as typed).
fn field<'a>(
    label: String,
    input: Element<'a, Message>,
    error: Option<String>,
) -> Element<'a, Message> {
    let mut field = column![text(label).size(14).font(bold()), input].spacing(4);
    if let Some(error) = error {
        field = field.push(error_line(error));
    }
    field.into()
}
