//! The window's shared widgets and helpers, one vocabulary for every screen: the page column,
//! one type scale (title, section, body, small), notes and error lines, value rows with a Copy
//! button, buttons with widget ids, the typed-path field, and the small jobs screens run (open a
//! dialog, run blocking work, open a browser). Styles derived from the theme are in [`style`].

pub mod style;

use std::path::Path;

use iced::widget::{Column, Text, button, column, container, row, text};
use iced::{Alignment, Element, Font, Length};

use crate::gui::i18n::tr;
pub use style::{bold, muted, outlined};

/// The readable width of a step's column.
pub const MAX_WIDTH: f32 = 760.0;

/// A step's page: one column, spaced, no wider than [`MAX_WIDTH`].
pub fn page<'a, M: 'a>(content: Column<'a, M>) -> Element<'a, M> {
    content.spacing(22).max_width(MAX_WIDTH).into()
}

/// The step's title.
pub fn heading<'a>(label: String) -> Text<'a> {
    text(label).size(24).font(bold())
}

/// A section's title.
pub fn subheading<'a>(label: String) -> Text<'a> {
    text(label).size(18).font(bold())
}

/// An explanation.
pub fn note<'a>(label: String) -> Text<'a> {
    text(label).size(14).style(muted)
}

/// A message that says what is wrong and what to do.
pub fn error_line<'a>(label: String) -> Text<'a> {
    text(label).size(14).style(text::danger)
}

/// A success message.
pub fn success_line<'a>(label: String) -> Text<'a> {
    text(label).size(14).style(text::success)
}

/// A value to copy or check, in monospace.
pub fn mono<'a>(value: String) -> Text<'a> {
    text(value).font(Font::MONOSPACE).size(14)
}

/// Gives `element` a widget id (buttons, checkboxes and radios have none of their own).
pub fn with_id<'a, M: 'a>(
    element: impl Into<Element<'a, M>>,
    id: impl Into<iced::widget::Id>,
) -> Element<'a, M> {
    container(element).id(id).into()
}

/// A small outlined button with a widget id; disabled when `on_press` is `None`.
pub fn small_button<'a, M: Clone + 'a>(
    label: String,
    on_press: Option<M>,
    id: impl Into<iced::widget::Id>,
) -> Element<'a, M> {
    labelled_button(label, [4, 12], outlined, on_press, id)
}

/// A typed-path field with its button: the fallback beside every file dialog.
pub struct TypedPath<'a, M> {
    /// Placeholder of the field.
    pub placeholder: String,
    /// What was typed (kept as typed).
    pub value: &'a str,
    /// The field's widget id.
    pub input_id: &'static str,
    /// The message for each edit.
    pub on_input: fn(String) -> M,
    /// The message for Enter and the button.
    pub submit: M,
    /// The button's label.
    pub button: String,
    /// Whether the button may be pressed now.
    pub enabled: bool,
    /// The button's widget id.
    pub button_id: &'static str,
}

/// The row of a [`TypedPath`]: a monospace field and its button.
pub fn typed_path<'a, M: Clone + 'a>(field: TypedPath<'a, M>) -> Element<'a, M> {
    row![
        iced::widget::text_input(&field.placeholder, field.value)
            .id(field.input_id)
            .on_input(field.on_input)
            .on_submit(field.submit.clone())
            .font(Font::MONOSPACE)
            .width(Length::Fill),
        small_button(
            field.button,
            field.enabled.then_some(field.submit),
            field.button_id
        ),
    ]
    .spacing(8)
    .align_y(Alignment::Center)
    .into()
}

/// The main button of a section.
pub fn primary_button<'a, M: Clone + 'a>(
    label: String,
    on_press: Option<M>,
    id: impl Into<iced::widget::Id>,
) -> Element<'a, M> {
    labelled_button(label, [6, 14], button::primary, on_press, id)
}

/// A button with a text label, padding and style, a widget id, disabled without `on_press`.
fn labelled_button<'a, M: Clone + 'a>(
    label: String,
    padding: [u16; 2],
    style: impl Fn(&iced::Theme, button::Status) -> button::Style + 'a,
    on_press: Option<M>,
    id: impl Into<iced::widget::Id>,
) -> Element<'a, M> {
    with_id(
        button(text(label).size(14))
            .padding(padding)
            .style(style)
            .on_press_maybe(on_press),
        id,
    )
}

/// A Copy button that reads "Copied" once its value is on the clipboard.
pub fn copy_button<'a, M: Clone + 'a>(id: String, copied: bool, on_press: M) -> Element<'a, M> {
    let label = if copied {
        tr("common-copied")
    } else {
        tr("common-copy")
    };
    small_button(label, Some(on_press), id)
}

/// A labelled value in monospace with a Copy button beside it.
pub fn value_row<'a, M: Clone + 'a>(
    label: String,
    value: String,
    copy_id: String,
    copied: bool,
    on_copy: M,
) -> Element<'a, M> {
    column![
        text(label).size(14).font(bold()),
        row![
            mono(value).width(Length::Fill),
            copy_button(copy_id, copied, on_copy)
        ]
        .spacing(10)
        .align_y(Alignment::Center),
    ]
    .spacing(4)
    .into()
}

/// An error and its causes, each once.
pub fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !message.contains(&cause_text) {
            message.push_str(": ");
            message.push_str(&cause_text);
        }
        source = cause.source();
    }
    message
}

/// A path as people read it.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}

/// A number no task result of any screen instance has carried: a state made afresh (after
/// a resumed setup replaced everything) must not take an old task's answer for its own.
pub fn next_generation() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Runs blocking work (files, settings, the browser) off the window's thread.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| error.to_string())
}

/// Asks where to save with the system's file dialog; `None` when nothing was chosen or no
/// dialog could open (no portal under Xvfb): the caller then offers the typed path.
pub async fn pick_save_path(
    title: String,
    file_name: String,
    filter: String,
    extensions: &'static [&'static str],
) -> Option<std::path::PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(title)
        .set_file_name(file_name)
        .add_filter(filter, extensions)
        .save_file()
        .await
        .map(|file| file.path().to_path_buf())
}

/// Opens `url` in the default browser; the error says why not.
pub async fn open_in_browser(url: String) -> Result<(), String> {
    blocking(move || open::that_detached(&url).map_err(|error| error.to_string()))
        .await
        .and_then(|result| result)
}

/// The Fluent ids a source file passes to `tr`/`tr_with` as literals.
#[cfg(test)]
pub fn literal_ids(source: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for pattern in ["tr(\"", "tr_with(\n", "tr_with(\""] {
        let mut rest = source;
        while let Some(at) = rest.find(pattern) {
            rest = &rest[at + pattern.len()..];
            let candidate = rest.trim_start().trim_start_matches('"');
            if let Some(end) = candidate.find('"') {
                let id = &candidate[..end];
                if !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

/// Every literal id in `source` has an English message.
#[cfg(test)]
pub fn assert_ids_exist(source: &str) {
    let ids = literal_ids(source);
    assert!(!ids.is_empty(), "the scan finds ids");
    for id in ids {
        assert_ne!(tr(id), id, "{id} has no English message");
    }
}
