//! The wizard step "Certificate": the identity provider's signing certificates from the metadata
//! loaded in the previous step, with validity and thumbprints; the admin picks the one GoTo gets
//! (the first, which Entra signs with, by default), copies it or saves it as PEM, .cer or DER.

use crate::gui::widget::style::{Tone, bold, muted, note, outlined};
use std::path::{Path, PathBuf};

use goto_sso_wizard::certificate::{Certificate, ExpiryStatus};
use goto_sso_wizard::metadata::{Entity, Metadata, SigningCertificate};
use goto_sso_wizard::setup::Setup;
use goto_sso_wizard::time_format::rfc3339;
use iced::widget::{button, column, container, radio, row, text, text_input};
use iced::{Center, Element, Fill, Font, Task, Theme};
use time::OffsetDateTime;

use super::Action;
use crate::gui::i18n::{tr, tr_with};

/// Widget id of "Copy PEM".
pub const COPY_PEM_ID: &str = "certificate-copy-pem";
/// Widget id of "Save as…" (the dialog).
pub const SAVE_DIALOG_ID: &str = "certificate-save-dialog";
/// Widget id of the typed save path.
pub const SAVE_PATH_ID: &str = "certificate-save-path";
/// Widget id of the Save button next to the typed path.
pub const SAVE_TYPED_ID: &str = "certificate-save-typed";

/// Widget id of the selection radio of certificate `index` (0-based).
pub fn select_id(index: usize) -> String {
    format!("certificate-select-{index}")
}

/// Widget id of the SHA-1 Copy button of certificate `index`.
pub fn copy_sha1_id(index: usize) -> String {
    format!("certificate-copy-sha1-{index}")
}

/// Widget id of the SHA-256 Copy button of certificate `index`.
pub fn copy_sha256_id(index: usize) -> String {
    format!("certificate-copy-sha256-{index}")
}

/// Widget id of the format choice `format`.
pub fn format_id(format: SaveFormat) -> &'static str {
    match format {
        SaveFormat::Pem => "certificate-format-pem",
        SaveFormat::Cer => "certificate-format-cer",
        SaveFormat::Der => "certificate-format-der",
    }
}

/// The forms a certificate can be saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveFormat {
    /// PEM text with `\n` line ends: what GoTo's manual form takes.
    Pem,
    /// Windows' "Base-64 encoded X.509 (.CER)": the same PEM with `\r\n` line ends.
    Cer,
    /// Binary DER.
    Der,
}

impl SaveFormat {
    /// Every format, in the order the screen lists them.
    pub const ALL: [SaveFormat; 3] = [Self::Pem, Self::Cer, Self::Der];

    /// The file's bytes for `certificate`.
    pub fn bytes(self, certificate: &Certificate) -> Vec<u8> {
        match self {
            Self::Pem => certificate.to_pem().into_bytes(),
            Self::Cer => certificate.to_base64_cer().into_bytes(),
            Self::Der => certificate.der().to_vec(),
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Pem => "pem",
            Self::Cer => "cer",
            Self::Der => "der",
        }
    }

    fn label(self) -> String {
        tr(match self {
            Self::Pem => "certificate-format-pem",
            Self::Cer => "certificate-format-cer",
            Self::Der => "certificate-format-der",
        })
    }
}

/// What was put on the clipboard last, so its button reads "Copied".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Copied {
    Sha1(usize),
    Sha256(usize),
    Pem,
}

/// This step's state.
#[derive(Debug)]
pub struct State {
    metadata: Option<Metadata>,
    /// The instant validity is judged at (set when metadata arrives).
    now: OffsetDateTime,
    copied: Option<Copied>,
    format: SaveFormat,
    save_path: String,
    /// Increased for every save, so a late answer is recognised.
    generation: u64,
    saving: Option<(u64, iced::task::Handle)>,
    saved: Option<Result<PathBuf, String>>,
    dialog_note: Option<String>,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// Certificate `index` is the one GoTo gets.
    Select(usize),
    /// Copy certificate `index`'s SHA-1 thumbprint.
    CopySha1(usize),
    /// Copy certificate `index`'s SHA-256 thumbprint.
    CopySha256(usize),
    /// Copy the selected certificate as PEM.
    CopyPem,
    /// A file format was chosen.
    FormatPicked(SaveFormat),
    /// The typed save path changed.
    SavePathChanged(String),
    /// Open the save dialog.
    SaveDialog,
    /// The save dialog closed, with a path or without.
    SaveDialogClosed(Option<PathBuf>),
    /// Save to the typed path (Save button or Enter).
    SaveTyped,
    /// A save finished, for the run with this generation.
    Saved(u64, Result<PathBuf, String>),
}

impl State {
    /// A fresh state: no metadata until the metadata step hands it over.
    pub fn new(_setup: &Setup) -> Self {
        Self {
            metadata: None,
            now: OffsetDateTime::now_utc(),
            copied: None,
            format: SaveFormat::Pem,
            save_path: String::new(),
            generation: 0,
            saving: None,
            saved: None,
            dialog_note: None,
        }
    }

    /// Takes the metadata the previous step loaded (called when moving on to this step).
    pub fn load_metadata(&mut self, metadata: Metadata) {
        self.metadata = Some(metadata);
        self.now = OffsetDateTime::now_utc();
        self.copied = None;
        self.saved = None;
    }

    /// The identity provider whose certificates are listed: the one the setup names, else the
    /// document's only one (the metadata step has the admin pick one of several).
    fn provider<'a>(&'a self, setup: &Setup) -> Option<(&'a Entity, &'a [SigningCertificate])> {
        let entity = self
            .metadata
            .as_ref()?
            .signing_provider(setup.metadata.idp_entity_id.as_deref())
            .ok()?;
        Some((entity, entity.idp.as_ref()?.signing_certificates.as_slice()))
    }

    fn certificates(&self, setup: &Setup) -> &[SigningCertificate] {
        self.provider(setup)
            .map(|(_, certificates)| certificates)
            .unwrap_or_default()
    }

    /// The index of the certificate the setup records, when it is in the list.
    fn selected(&self, setup: &Setup) -> Option<usize> {
        let wanted = setup.metadata.certificate_sha256.as_deref()?;
        self.certificates(setup)
            .iter()
            .position(|signing| signing.certificate.info().sha256 == wanted)
    }

    fn selected_certificate<'a>(&'a self, setup: &Setup) -> Option<&'a Certificate> {
        let index = self.selected(setup)?;
        self.certificates(setup)
            .get(index)
            .map(|signing| &signing.certificate)
    }

    fn start_save(&mut self, path: PathBuf, setup: &Setup) -> Action<Message> {
        let Some(certificate) = self.selected_certificate(setup) else {
            return Action::None;
        };
        let bytes = self.format.bytes(certificate);
        if let Some((_, handle)) = self.saving.take() {
            handle.abort();
        }
        self.generation += 1;
        let generation = self.generation;
        self.saved = None;
        let (task, handle) = Task::perform(write_file(path, bytes), move |result| {
            Message::Saved(generation, result)
        })
        .abortable();
        self.saving = Some((generation, handle));
        Action::Run(task)
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::Select(index) => {
                if let Some(signing) = self.certificates(setup).get(index) {
                    let certificate = &signing.certificate;
                    setup.metadata.certificate_sha256 = Some(certificate.info().sha256.clone());
                    setup.metadata.certificate_pem = Some(certificate.to_pem());
                    // "Copied" on Copy PEM was about the certificate selected before.
                    if self.copied == Some(Copied::Pem) {
                        self.copied = None;
                    }
                    self.saved = None;
                }
            }
            Message::CopySha1(index) | Message::CopySha256(index) => {
                let sha1 = matches!(message, Message::CopySha1(_));
                if let Some(signing) = self.certificates(setup).get(index) {
                    let info = signing.certificate.info();
                    let (value, copied) = if sha1 {
                        (info.sha1.clone(), Copied::Sha1(index))
                    } else {
                        (info.sha256.clone(), Copied::Sha256(index))
                    };
                    self.copied = Some(copied);
                    return Action::Run(iced::clipboard::write(value));
                }
            }
            Message::CopyPem => {
                if let Some(certificate) = self.selected_certificate(setup) {
                    let pem = certificate.to_pem();
                    self.copied = Some(Copied::Pem);
                    return Action::Run(iced::clipboard::write(pem));
                }
            }
            Message::FormatPicked(format) => {
                self.format = format;
                // Keep a typed name in step with the format, when it has a known extension.
                let path = Path::new(self.save_path.trim());
                let known = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| matches!(e, "pem" | "cer" | "der" | "crt"));
                if known {
                    self.save_path = path
                        .with_extension(format.extension())
                        .display()
                        .to_string();
                }
            }
            Message::SavePathChanged(path) => {
                self.save_path = path;
                self.dialog_note = None;
            }
            Message::SaveDialog => {
                if self.selected(setup).is_some() {
                    self.dialog_note = None;
                    return Action::Run(Task::perform(
                        save_dialog(self.format),
                        Message::SaveDialogClosed,
                    ));
                }
            }
            Message::SaveDialogClosed(Some(path)) => {
                self.save_path = path.display().to_string();
                return self.start_save(path, setup);
            }
            Message::SaveDialogClosed(None) => {
                self.dialog_note = Some(tr("certificate-no-file-chosen"));
            }
            Message::SaveTyped => {
                let path = PathBuf::from(self.save_path.trim());
                if !path.as_os_str().is_empty() {
                    return self.start_save(path, setup);
                }
            }
            Message::Saved(generation, result) => {
                if self
                    .saving
                    .as_ref()
                    .is_some_and(|(running, _)| *running == generation)
                {
                    self.saving = None;
                    self.saved = Some(result);
                }
            }
        }
        Action::None
    }

    /// Whether Next may be pressed: a certificate of the loaded metadata is selected.
    pub fn can_continue(&self, setup: &Setup) -> bool {
        self.selected(setup).is_some()
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        if let Some((_, handle)) = self.saving.take() {
            handle.abort();
            self.generation += 1;
        }
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut body = column![
            crate::gui::widget::heading(tr("certificate-heading")),
            text(tr("certificate-intro")).size(14),
        ]
        .spacing(12)
        .max_width(760);

        match self.provider(setup) {
            None => {
                let message = if self.metadata.is_none() {
                    tr("certificate-no-metadata")
                } else {
                    tr("certificate-no-signing")
                };
                body = body.push(
                    container(text(message).size(15))
                        .padding([10, 14])
                        .width(Fill)
                        .style(container::bordered_box),
                );
            }
            Some((entity, certificates)) => {
                body = body.push(
                    text(tr_with(
                        "certificate-of-entity",
                        &[("entity", &entity.entity_id)],
                    ))
                    .size(13)
                    .wrapping(text::Wrapping::WordOrGlyph),
                );
                let selected = self.selected(setup);
                let newest = newest(certificates);
                for (index, signing) in certificates.iter().enumerate() {
                    body = body.push(self.certificate_card(
                        index,
                        &signing.certificate,
                        selected,
                        newest,
                    ));
                }
                body = body.push(self.save_section(selected.is_some()));
            }
        }
        container(body).center_x(Fill).into()
    }

    fn certificate_card<'a>(
        &'a self,
        index: usize,
        certificate: &'a Certificate,
        selected: Option<usize>,
        newest: Option<usize>,
    ) -> Element<'a, Message> {
        let info = certificate.info();
        let expiry = certificate.expiry(self.now);
        let choose = container(
            radio(
                tr_with(
                    "certificate-number",
                    &[("number", &(index + 1).to_string())],
                ),
                index,
                selected,
                Message::Select,
            )
            .size(18)
            .text_size(16),
        )
        .id(select_id(index));

        let mut tags = row![badge(expiry.describe(), expiry.status)].spacing(8);
        if index == 0 {
            tags = tags.push(tag(tr("certificate-active")));
        }
        if newest == Some(index) {
            tags = tags.push(tag(tr("certificate-newest")));
        }
        if selected == Some(index) {
            tags = tags.push(goto_tag(tr("certificate-for-goto")));
        }

        let copy_label = |copied: Copied| {
            if self.copied == Some(copied) {
                tr("common-copied")
            } else {
                tr("common-copy")
            }
        };
        let content = column![
            row![choose, tags.wrap()].spacing(16).align_y(Center),
            value_line(tr("certificate-subject"), &info.subject, None),
            value_line(
                tr("certificate-validity"),
                &tr_with(
                    "certificate-validity-range",
                    &[
                        ("from", &utc(info.not_before)),
                        ("until", &utc(info.not_after)),
                    ],
                ),
                None,
            ),
            value_line(
                tr("certificate-sha1"),
                &info.sha1,
                Some(copy_button(
                    copy_label(Copied::Sha1(index)),
                    Message::CopySha1(index),
                    copy_sha1_id(index),
                )),
            ),
            value_line(
                tr("certificate-sha256"),
                &info.sha256,
                Some(copy_button(
                    copy_label(Copied::Sha256(index)),
                    Message::CopySha256(index),
                    copy_sha256_id(index),
                )),
            ),
        ]
        .spacing(6);
        container(content)
            .padding([10, 14])
            .width(Fill)
            .style(container::bordered_box)
            .into()
    }

    fn save_section(&self, has_selection: bool) -> Element<'_, Message> {
        let copy_pem_label = if self.copied == Some(Copied::Pem) {
            tr("common-copied")
        } else {
            tr("certificate-copy-pem")
        };
        let formats = SaveFormat::ALL
            .into_iter()
            .fold(row![].spacing(16), |line, format| {
                line.push(
                    container(
                        radio(
                            format.label(),
                            format,
                            Some(self.format),
                            Message::FormatPicked,
                        )
                        .size(16)
                        .text_size(14),
                    )
                    .id(format_id(format)),
                )
            });
        let saving = self.saving.is_some();
        let can_save = has_selection && !saving;
        let typed = row![
            text_input(&tr("certificate-save-placeholder"), &self.save_path)
                .id(SAVE_PATH_ID)
                .on_input(Message::SavePathChanged)
                .on_submit(Message::SaveTyped)
                .padding(8)
                .width(Fill),
            small_button(
                tr("certificate-save"),
                (can_save && !self.save_path.trim().is_empty()).then_some(Message::SaveTyped),
                SAVE_TYPED_ID.into(),
            ),
        ]
        .spacing(8)
        .align_y(Center);

        let mut content = column![
            crate::gui::widget::subheading(tr("certificate-save-heading")),
            small_button(
                copy_pem_label,
                has_selection.then_some(Message::CopyPem),
                COPY_PEM_ID.into()
            ),
            text(tr("certificate-format-label")).size(14).font(bold()),
            formats.wrap(),
            small_button(
                tr("common-save-as"),
                can_save.then_some(Message::SaveDialog),
                SAVE_DIALOG_ID.into()
            ),
            text(tr("common-typed-path")).size(13).style(muted),
            typed,
        ]
        .spacing(8);
        if saving {
            content = content.push(text(tr("certificate-saving")).size(13));
        }
        if let Some(note) = &self.dialog_note {
            content = content.push(self::note(note, Tone::Warning));
        }
        match &self.saved {
            Some(Ok(path)) => {
                content = content.push(note(
                    tr_with("common-saved", &[("path", &path.display().to_string())]),
                    Tone::Success,
                ));
            }
            Some(Err(reason)) => {
                content = content.push(note(
                    tr_with("certificate-save-failed", &[("reason", reason)]),
                    Tone::Danger,
                ));
            }
            None => {}
        }
        content.into()
    }
}

/// `2027-01-10 00:00 UTC`: the RFC 3339 instant, easier to read.
fn utc(instant: OffsetDateTime) -> String {
    let text = rfc3339(instant);
    match text.strip_suffix('Z').and_then(|t| t.split_once('T')) {
        Some((date, time)) => format!("{date} {} UTC", time.get(..5).unwrap_or(time)),
        None => text,
    }
}

/// The index of the certificate with the latest start date (the newest), when there are several.
fn newest(certificates: &[SigningCertificate]) -> Option<usize> {
    if certificates.len() < 2 {
        return None;
    }
    certificates
        .iter()
        .enumerate()
        .max_by_key(|(_, signing)| signing.certificate.info().not_before)
        .map(|(index, _)| index)
}

/// Writes `bytes` to `path` privately and whole (see `private_file`), so a failure never leaves
/// half a certificate behind. Returns the path written.
pub async fn write_file(path: PathBuf, bytes: Vec<u8>) -> Result<PathBuf, String> {
    tokio::task::spawn_blocking(move || {
        let describe = |error: std::io::Error| {
            tr_with(
                "certificate-write-error",
                &[
                    ("path", &path.display().to_string()),
                    ("reason", &error.to_string()),
                ],
            )
        };
        if path.file_name().is_none() {
            return Err(describe(std::io::Error::other(tr(
                "certificate-not-a-file",
            ))));
        }
        goto_sso_wizard::private_file::write(&path, &bytes).map_err(describe)?;
        Ok(path)
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}

/// The system's save dialog; `None` when cancelled or when no dialog can open.
async fn save_dialog(format: SaveFormat) -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("certificate-dialog-title"))
        .set_file_name(format!("goto-signing-certificate.{}", format.extension()))
        .add_filter(format.label(), &[format.extension()])
        .save_file()
        .await
        .map(|handle| handle.path().to_path_buf())
}

/// A label, a monospace value, and an optional Copy button.
fn value_line<'a>(
    label: String,
    value: &str,
    copy: Option<Element<'a, Message>>,
) -> Element<'a, Message> {
    let mut line = row![
        text(label).size(13).font(bold()).width(90),
        text(value.to_owned())
            .size(13)
            .font(Font::MONOSPACE)
            .wrapping(text::Wrapping::WordOrGlyph)
            .width(Fill),
    ]
    .spacing(8)
    .align_y(Center);
    if let Some(copy) = copy {
        line = line.push(copy);
    }
    line.into()
}

/// The expiry badge: a status colour from the theme's palette, readable in both themes.
fn badge<'a>(label: String, status: ExpiryStatus) -> Element<'a, Message> {
    container(text(label).size(12))
        .padding([2, 8])
        .style(move |theme: &Theme| {
            let palette = theme.extended_palette();
            let pair = match status {
                ExpiryStatus::Valid => palette.success.weak,
                ExpiryStatus::Expiring => palette.warning.weak,
                ExpiryStatus::Expired | ExpiryStatus::NotYetValid => palette.danger.weak,
            };
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(4))
        })
        .into()
}

/// A neutral tag ("active", "newest").
/// The tag of the certificate GoTo gets: in the theme's primary colour, to stand out.
fn goto_tag<'a>(label: String) -> Element<'a, Message> {
    container(text(label).size(12))
        .padding([2, 8])
        .style(|theme: &Theme| {
            let pair = theme.extended_palette().primary.weak;
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(4))
        })
        .into()
}

fn tag<'a>(label: String) -> Element<'a, Message> {
    container(text(label).size(12))
        .padding([2, 8])
        .style(|theme: &Theme| {
            let pair = theme.extended_palette().background.strong;
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(4))
        })
        .into()
}

fn copy_button<'a>(label: String, message: Message, id: String) -> Element<'a, Message> {
    small_button(label, Some(message), id)
}

/// A small outlined button, inside a container for its id (iced 0.14 buttons carry none).
fn small_button<'a>(label: String, on_press: Option<Message>, id: String) -> Element<'a, Message> {
    container(
        button(text(label).size(13))
            .padding([4, 12])
            .style(outlined)
            .on_press_maybe(on_press),
    )
    .id(id)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::screen::metadata_url::test_metadata;

    fn certificates() -> Vec<String> {
        vec![
            test_metadata::certificate("CN Active", (2025, 1, 1), (2035, 1, 1)),
            test_metadata::certificate("CN Next", (2026, 6, 1), (2036, 6, 1)),
        ]
    }

    /// A state with Entra-shaped metadata for `certificates`, and an empty setup.
    fn loaded(certificates: &[String]) -> (State, Setup) {
        let setup = Setup::default();
        let mut state = State::new(&setup);
        state.load_metadata(test_metadata::parse(&test_metadata::entra(certificates)));
        (state, setup)
    }

    fn parsed(base64: &str) -> Certificate {
        Certificate::from_base64(base64).unwrap()
    }

    #[test]
    fn without_metadata_there_is_nothing_to_choose() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        assert!(!state.can_continue(&setup));
        assert!(matches!(
            state.update(Message::Select(0), &mut setup),
            Action::None
        ));
        assert!(matches!(
            state.update(Message::CopyPem, &mut setup),
            Action::None
        ));
        assert_eq!(setup.metadata.certificate_sha256, None);
        // A certificate recorded without the metadata it came from is not enough.
        setup.metadata.certificate_sha256 = Some("AB".repeat(32));
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn selecting_a_certificate_records_it_for_goto() {
        let bodies = certificates();
        let (mut state, mut setup) = loaded(&bodies);
        assert!(!state.can_continue(&setup), "nothing selected yet");

        let _ = state.update(Message::Select(1), &mut setup);
        let second = parsed(&bodies[1]);
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&second.info().sha256)
        );
        assert_eq!(setup.metadata.certificate_pem, Some(second.to_pem()));
        assert_eq!(state.selected(&setup), Some(1));
        assert!(state.can_continue(&setup));

        let _ = state.update(Message::Select(0), &mut setup);
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&parsed(&bodies[0]).info().sha256)
        );
        // An index out of range changes nothing.
        let _ = state.update(Message::Select(7), &mut setup);
        assert_eq!(state.selected(&setup), Some(0));
    }

    #[test]
    fn the_metadata_steps_default_is_the_selection() {
        let bodies = certificates();
        let (state, mut setup) = loaded(&bodies);
        setup.metadata.certificate_sha256 = Some(parsed(&bodies[0]).info().sha256.clone());
        assert_eq!(state.selected(&setup), Some(0));
        assert!(state.can_continue(&setup));
    }

    #[test]
    fn the_newest_is_the_latest_start_date() {
        let bodies = certificates();
        let (state, setup) = loaded(&bodies);
        assert_eq!(newest(state.certificates(&setup)), Some(1));
        let (single, setup) = loaded(&bodies[..1]);
        assert_eq!(newest(single.certificates(&setup)), None);
    }

    #[test]
    fn copies_thumbprints_and_the_pem() {
        let bodies = certificates();
        let (mut state, mut setup) = loaded(&bodies);
        assert!(matches!(
            state.update(Message::CopySha1(1), &mut setup),
            Action::Run(_)
        ));
        assert_eq!(state.copied, Some(Copied::Sha1(1)));
        assert!(matches!(
            state.update(Message::CopySha256(0), &mut setup),
            Action::Run(_)
        ));
        assert_eq!(state.copied, Some(Copied::Sha256(0)));
        // Copy PEM needs a selection.
        assert!(matches!(
            state.update(Message::CopyPem, &mut setup),
            Action::None
        ));
        let _ = state.update(Message::Select(0), &mut setup);
        assert!(matches!(
            state.update(Message::CopyPem, &mut setup),
            Action::Run(_)
        ));
        assert_eq!(state.copied, Some(Copied::Pem));
    }

    #[tokio::test]
    async fn saves_as_pem_cer_and_der_atomically() {
        let bodies = certificates();
        let certificate = parsed(&bodies[0]);
        let dir = tempfile::tempdir().unwrap();
        for format in SaveFormat::ALL {
            let path = dir.path().join(format!("signing.{}", format.extension()));
            let written = write_file(path.clone(), format.bytes(&certificate)).await;
            assert_eq!(written, Ok(path.clone()));
            let bytes = std::fs::read(&path).unwrap();
            match format {
                SaveFormat::Pem => {
                    assert_eq!(bytes, certificate.to_pem().into_bytes());
                    assert!(!bytes.contains(&b'\r'));
                }
                SaveFormat::Cer => {
                    assert!(String::from_utf8(bytes.clone()).unwrap().contains("\r\n"));
                    assert_eq!(Certificate::parse(&bytes).unwrap().0, certificate);
                }
                SaveFormat::Der => assert_eq!(bytes, certificate.der()),
            }
        }
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 3, "no temporary file left: {names:?}");

        // A folder that does not exist: the error names the path.
        let bad = dir.path().join("no-such-folder").join("signing.pem");
        let error = write_file(bad.clone(), b"x".to_vec()).await.unwrap_err();
        assert!(error.contains(&bad.display().to_string()), "{error}");
    }

    #[test]
    fn saving_runs_in_a_task_and_late_or_cancelled_results_are_dropped() {
        let bodies = certificates();
        let (mut state, mut setup) = loaded(&bodies);
        let _ = state.update(
            Message::SavePathChanged("/tmp/x/signing.pem".into()),
            &mut setup,
        );
        // Nothing selected: nothing to save.
        assert!(matches!(
            state.update(Message::SaveTyped, &mut setup),
            Action::None
        ));

        let _ = state.update(Message::Select(0), &mut setup);
        assert!(matches!(
            state.update(Message::SaveTyped, &mut setup),
            Action::Run(_)
        ));
        let (generation, handle) = state.saving.clone().expect("saving");
        let path = PathBuf::from("/tmp/x/signing.pem");
        let _ = state.update(Message::Saved(generation + 1, Ok(path.clone())), &mut setup);
        assert_eq!(state.saved, None, "an answer for another run is dropped");
        let _ = state.update(Message::Saved(generation, Ok(path.clone())), &mut setup);
        assert_eq!(state.saved, Some(Ok(path.clone())));
        assert!(state.saving.is_none());
        assert!(!handle.is_aborted());

        let _ = state.update(Message::SaveTyped, &mut setup);
        let (generation, handle) = state.saving.clone().expect("saving");
        state.cancel();
        assert!(handle.is_aborted());
        let _ = state.update(Message::Saved(generation, Err("late".into())), &mut setup);
        assert_eq!(state.saved, None);
    }

    #[test]
    fn the_format_choice_follows_into_a_typed_name_and_a_closed_dialog_keeps_it() {
        let bodies = certificates();
        let (mut state, mut setup) = loaded(&bodies);
        let _ = state.update(Message::Select(0), &mut setup);
        let _ = state.update(
            Message::SavePathChanged("out/signing.pem".into()),
            &mut setup,
        );
        let _ = state.update(Message::FormatPicked(SaveFormat::Der), &mut setup);
        assert_eq!(state.format, SaveFormat::Der);
        assert_eq!(state.save_path, "out/signing.der");
        let _ = state.update(Message::SavePathChanged("out/my-cert".into()), &mut setup);
        let _ = state.update(Message::FormatPicked(SaveFormat::Cer), &mut setup);
        assert_eq!(
            state.save_path, "out/my-cert",
            "a name without extension is kept"
        );

        assert!(matches!(
            state.update(Message::SaveDialog, &mut setup),
            Action::Run(_)
        ));
        let _ = state.update(Message::SaveDialogClosed(None), &mut setup);
        assert_eq!(state.save_path, "out/my-cert");
        assert!(state.dialog_note.is_some());
        assert!(state.saving.is_none());
    }

    mod simulator {
        use super::*;
        use iced::Size;
        use iced_test::selector::id;
        use iced_test::{Error, Simulator};

        const SIZE: Size = Size::new(900.0, 1600.0);

        fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
            Simulator::with_size(iced::Settings::default(), SIZE, state.view(setup))
        }

        #[test]
        fn without_metadata_it_says_to_go_back() -> Result<(), Error> {
            let setup = Setup::default();
            let state = State::new(&setup);
            let mut ui = simulator(&state, &setup);
            let _ = ui.find(tr("certificate-no-metadata"))?;
            Ok(())
        }

        #[test]
        fn lists_the_certificates_and_copies_and_selects_by_id() -> Result<(), Error> {
            let bodies = vec![
                test_metadata::certificate("CN Active", (2025, 1, 1), (2035, 1, 1)),
                test_metadata::certificate("CN Old", (2020, 1, 1), (2021, 1, 1)),
            ];
            let (mut state, mut setup) = loaded(&bodies);
            let _ = state.update(Message::Select(0), &mut setup);
            let second = parsed(&bodies[1]);

            let mut ui = simulator(&state, &setup);
            let _ = ui.find(second.info().sha256.as_str())?;
            let _ = ui.find(second.info().sha1.as_str())?;
            let _ = ui.find("CN=CN Old")?;
            // The expired one carries its badge.
            let _ = ui.find(second.expiry(state.now).describe())?;
            let _ = ui.find(tr("certificate-active"))?;
            assert!(ui.find(tr("common-copied")).is_err(), "nothing copied yet");

            let _ = ui.click(id(copy_sha256_id(1)))?;
            let _ = ui.click(id(select_id(1)))?;
            let messages: Vec<Message> = ui.into_messages().collect();
            assert!(
                matches!(
                    messages.as_slice(),
                    [Message::CopySha256(1), Message::Select(1)]
                ),
                "{messages:?}"
            );
            for message in messages {
                let _ = state.update(message, &mut setup);
            }
            assert_eq!(
                setup.metadata.certificate_sha256.as_ref(),
                Some(&second.info().sha256)
            );

            let mut ui = simulator(&state, &setup);
            let _ = ui.find(tr("common-copied"))?;
            let _ = ui.find(tr("certificate-for-goto"))?;
            Ok(())
        }
    }
}
