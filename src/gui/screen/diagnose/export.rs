//! Sharing a result: copied as text, or saved as an HTML or Markdown report to attach to a
//! ticket, with the person's data redacted (`diagnose::redacted`) unless asked otherwise.

use std::path::PathBuf;

use goto_sso_wizard::diagnose::{self, Diagnosis};
use iced::widget::{checkbox, column, pick_list, row, text};
use iced::{Alignment, Element};

use super::{COPY_ID, FORMAT_ID, Message, REDACT_ID, SAVE_ID, SAVE_PATH_ID, SAVE_TYPED_ID, State};
use crate::gui::i18n::{tr, tr_with};
use crate::gui::screen::review::ReportFormat;
use crate::gui::widget::{
    self, error_line, note, primary_button, small_button, subheading, success_line,
};

/// The name the save dialog suggests.
pub fn file_name(format: ReportFormat) -> &'static str {
    match format {
        ReportFormat::Html => "sign-in-diagnosis.html",
        ReportFormat::Markdown => "sign-in-diagnosis.md",
    }
}

/// The diagnosis as shared: redacted when asked.
fn shared(diagnosis: &Diagnosis, redact: bool) -> std::borrow::Cow<'_, Diagnosis> {
    if redact {
        std::borrow::Cow::Owned(diagnose::redacted(diagnosis))
    } else {
        std::borrow::Cow::Borrowed(diagnosis)
    }
}

/// The text report for the clipboard (the same as the command line prints).
pub fn plain_text(diagnosis: &Diagnosis, redact: bool) -> String {
    diagnose::to_text(&shared(diagnosis, redact))
}

/// The report in `format`.
pub fn render(diagnosis: &Diagnosis, redact: bool, format: ReportFormat) -> String {
    let shown = shared(diagnosis, redact);
    match format {
        ReportFormat::Html => diagnose::to_html(&shown),
        ReportFormat::Markdown => diagnose::to_markdown(&shown),
    }
}

/// Writes the report to `path` (the format's extension added when it has none) and returns
/// where it went. Blocks.
pub fn write(
    diagnosis: &Diagnosis,
    redact: bool,
    format: ReportFormat,
    path: PathBuf,
) -> Result<PathBuf, String> {
    let path = if path.extension().is_none() {
        path.with_extension(format.extension())
    } else {
        path
    };
    goto_sso_wizard::private_file::write(&path, render(diagnosis, redact, format).as_bytes())
        .map(|()| path.clone())
        .map_err(|error| {
            tr_with(
                "diagnose-save-failed",
                &[
                    ("path", &widget::display(&path)),
                    ("reason", &error.to_string()),
                ],
            )
        })
}

/// The share section: redaction, Copy, the format, Save report…, the typed path, the outcome.
pub fn view(state: &State) -> Element<'_, Message> {
    let mut share = column![
        subheading(tr("diagnose-share-heading")),
        note(tr("diagnose-share-intro")),
        widget::with_id(
            checkbox(state.redact)
                .label(tr("diagnose-redact"))
                .on_toggle(Message::RedactToggled),
            REDACT_ID,
        ),
        row![
            small_button(
                if state.copied {
                    tr("common-copied")
                } else {
                    tr("diagnose-copy")
                },
                Some(Message::Copy),
                COPY_ID,
            ),
            text(tr("diagnose-format")).size(14),
            widget::with_id(
                pick_list(
                    &ReportFormat::ALL[..],
                    Some(state.format),
                    Message::FormatSelected
                )
                .text_size(14),
                FORMAT_ID,
            ),
            primary_button(
                tr("diagnose-save"),
                (!state.save.busy()).then_some(Message::SavePressed),
                SAVE_ID,
            ),
        ]
        .spacing(10)
        .align_y(Alignment::Center),
        text(tr("common-typed-path")).size(14),
        widget::typed_path(widget::TypedPath {
            placeholder: tr("diagnose-save-placeholder"),
            value: &state.save_path,
            input_id: SAVE_PATH_ID,
            on_input: Message::SavePathChanged,
            submit: Message::SaveTyped,
            button: tr("diagnose-save-typed"),
            enabled: !state.save.running,
            button_id: SAVE_TYPED_ID,
        }),
    ]
    .spacing(8);
    if state.save.running {
        share = share.push(note(tr("diagnose-saving")));
    } else if state.save.dialog_open {
        share = share.push(note(tr("diagnose-dialog-open")));
    }
    match &state.saved {
        Some(Ok(path)) => {
            share = share.push(success_line(tr_with(
                "common-saved",
                &[("path", &widget::display(path))],
            )));
        }
        Some(Err(error)) => share = share.push(error_line(error.clone())),
        None => {}
    }
    share.into()
}
