//! The step's views: the certificates as cards, and the save section.

use super::*;
use iced::widget::column;

impl State {
    /// Shows the step.
    pub fn view<'a>(
        &'a self,
        setup: &'a Setup,
        metadata: Option<&'a Metadata>,
    ) -> Element<'a, Message> {
        let mut body = column![
            crate::gui::widget::heading(tr("certificate-heading")),
            text(tr("certificate-intro")).size(14),
        ]
        .spacing(12)
        .max_width(760);

        match provider(metadata, setup) {
            None => {
                let message = if metadata.is_none() {
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
                let selected = selected(metadata, setup);
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
        let saving = self.save.busy();
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
pub(super) fn newest(certificates: &[SigningCertificate]) -> Option<usize> {
    if certificates.len() < 2 {
        return None;
    }
    certificates
        .iter()
        .enumerate()
        .max_by_key(|(_, signing)| signing.certificate.info().not_before)
        .map(|(index, _)| index)
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
