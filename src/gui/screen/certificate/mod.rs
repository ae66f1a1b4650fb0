//! The wizard step "Certificate": the identity provider's signing certificates from the metadata
//! loaded in the previous step, with validity and thumbprints; the admin picks the one GoTo gets
//! (the first, which Entra signs with, by default), copies it or saves it as PEM, .cer or DER.

use crate::gui::widget::style::{Tone, bold, muted, note, outlined};
use std::path::{Path, PathBuf};

use goto_sso_wizard::certificate::{Certificate, ExpiryStatus};
use goto_sso_wizard::metadata::{Entity, Metadata, SigningCertificate};
use goto_sso_wizard::setup::Setup;
use goto_sso_wizard::time_format::rfc3339;
use iced::widget::{button, container, radio, row, text, text_input};
use iced::{Center, Element, Fill, Font, Task, Theme};
use time::OffsetDateTime;

use super::Action;
use super::job::{Job, SaveDialog};
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
        self.extensions()[0]
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pem => &["pem"],
            Self::Cer => &["cer"],
            Self::Der => &["der"],
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
    /// The instant validity is judged at (set when metadata arrives).
    now: OffsetDateTime,
    copied: Option<Copied>,
    format: SaveFormat,
    save_path: String,
    /// The save dialog, then writing the file.
    save: Job,
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
    SaveDialogClosed(u64, Option<PathBuf>),
    /// Save to the typed path (Save button or Enter).
    SaveTyped,
    /// A save finished, for the run with this generation.
    Saved(u64, Result<PathBuf, String>),
}

impl State {
    /// A fresh state; the metadata is the session's.
    pub fn new(_setup: &Setup) -> Self {
        Self {
            now: OffsetDateTime::now_utc(),
            copied: None,
            format: SaveFormat::Pem,
            save_path: String::new(),
            save: Job::default(),
            saved: None,
            dialog_note: None,
        }
    }

    /// The session holds another document now: judge validity again and forget what was
    /// copied or saved from the old one.
    pub fn metadata_changed(&mut self) {
        self.now = OffsetDateTime::now_utc();
        self.copied = None;
        self.saved = None;
    }

    fn start_save(
        &mut self,
        path: PathBuf,
        setup: &Setup,
        metadata: Option<&Metadata>,
    ) -> Action<Message> {
        let Some(certificate) = selected_certificate(metadata, setup) else {
            return Action::None;
        };
        let bytes = self.format.bytes(certificate);
        self.saved = None;
        Action::Run(self.save.run(|generation| {
            Task::perform(write_file(path, bytes), move |result| {
                Message::Saved(generation, result)
            })
        }))
    }

    /// Handles a message, editing `setup`; `metadata` is the session's document.
    pub fn update(
        &mut self,
        message: Message,
        setup: &mut Setup,
        metadata: Option<&Metadata>,
    ) -> Action<Message> {
        match message {
            Message::Select(index) => {
                if let Some(signing) = certificates(metadata, setup).get(index) {
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
                if let Some(signing) = certificates(metadata, setup).get(index) {
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
                if let Some(certificate) = selected_certificate(metadata, setup) {
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
                if selected(metadata, setup).is_some() {
                    self.dialog_note = None;
                    return Action::Run(self.save.save_dialog(
                        SaveDialog {
                            title: tr("certificate-dialog-title"),
                            file_name: format!(
                                "goto-signing-certificate.{}",
                                self.format.extension()
                            ),
                            filter: self.format.label(),
                            extensions: self.format.extensions(),
                        },
                        Message::SaveDialogClosed,
                    ));
                }
            }
            Message::SaveDialogClosed(generation, path) => {
                if !self.save.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.save_path = path.display().to_string();
                        return self.start_save(path, setup, metadata);
                    }
                    None => self.dialog_note = Some(tr("certificate-no-file-chosen")),
                }
            }
            Message::SaveTyped => {
                let path = PathBuf::from(self.save_path.trim());
                if !path.as_os_str().is_empty() {
                    return self.start_save(path, setup, metadata);
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

    /// Whether Next may be pressed: a certificate of the loaded metadata is selected.
    pub fn can_continue(&self, setup: &Setup, metadata: Option<&Metadata>) -> bool {
        selected(metadata, setup).is_some()
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        self.save.stop();
    }
}

/// The identity provider whose certificates are listed: the one the setup names, else the
/// document's only one (the metadata step has the admin pick one of several).
fn provider<'m>(
    metadata: Option<&'m Metadata>,
    setup: &Setup,
) -> Option<(&'m Entity, &'m [SigningCertificate])> {
    let entity = metadata?
        .signing_provider(setup.metadata.idp_entity_id.as_deref())
        .ok()?;
    Some((entity, entity.idp.as_ref()?.signing_certificates.as_slice()))
}

fn certificates<'m>(metadata: Option<&'m Metadata>, setup: &Setup) -> &'m [SigningCertificate] {
    provider(metadata, setup)
        .map(|(_, certificates)| certificates)
        .unwrap_or_default()
}

/// The index of the certificate the setup records, when it is in the list.
fn selected(metadata: Option<&Metadata>, setup: &Setup) -> Option<usize> {
    let wanted = setup.metadata.certificate_sha256.as_deref()?;
    certificates(metadata, setup)
        .iter()
        .position(|signing| signing.certificate.info().sha256 == wanted)
}

fn selected_certificate<'m>(
    metadata: Option<&'m Metadata>,
    setup: &Setup,
) -> Option<&'m Certificate> {
    certificates(metadata, setup)
        .get(selected(metadata, setup)?)
        .map(|signing| &signing.certificate)
}

mod jobs;
mod view;

pub use jobs::write_file;
#[cfg(test)]
use view::newest;

#[cfg(test)]
mod tests;
