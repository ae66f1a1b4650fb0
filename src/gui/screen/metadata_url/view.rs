//! The step's views: the URL builder, the CA and file fields, progress, and the result or
//! the failure of a load.

use crate::gui::widget::style::{Tone, bold, muted, note, outlined};
use goto_sso_wizard::metadata::{self, Entity, ProviderError, certificate_advice};
use iced::widget::{button, column, container, pick_list, row, text, text_input};
use iced::{Center, Element, Fill, Font};

use super::*;

impl State {
    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut body = column![
            crate::gui::widget::heading(tr("metadata-url-heading")),
            text(tr("metadata-url-intro")).size(14),
            crate::gui::widget::subheading(tr("metadata-url-section-url")),
            self.url_fields(),
            self.built_url(),
            self.ca_field(),
            self.fetch_row(),
        ]
        .spacing(12)
        .max_width(760);
        // Each result shows under the section that produced it.
        let outcome = self.outcome.as_ref();
        if let Some(outcome) = outcome.filter(|outcome| outcome.is_from_url()) {
            body = body.push(self.outcome_view(outcome, setup));
        }
        body = body
            .push(crate::gui::widget::subheading(tr(
                "metadata-url-section-file",
            )))
            .push(text(tr("metadata-url-file-intro")).size(14))
            .push(self.file_fields());
        if let Some(outcome) = outcome.filter(|outcome| !outcome.is_from_url()) {
            body = body.push(self.outcome_view(outcome, setup));
        }
        if self.outcome.is_none() && !self.is_running() {
            let saved = setup.metadata.url.clone().or_else(|| {
                setup
                    .metadata
                    .file
                    .as_ref()
                    .map(|p| p.display().to_string())
            });
            if let Some(saved) = saved {
                body = body.push(
                    text(tr_with("metadata-url-resume-hint", &[("source", &saved)]))
                        .size(14)
                        .style(muted),
                );
            }
        }
        container(body).center_x(Fill).into()
    }

    fn url_fields(&self) -> Element<'_, Message> {
        let tenant = labelled(
            tr("metadata-url-tenant-label"),
            text_input(&tr("metadata-url-tenant-placeholder"), &self.tenant)
                .id(TENANT_ID)
                .on_input(Message::TenantChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .into(),
        );
        let app_id = labelled(
            tr("metadata-url-app-id-label"),
            text_input(&tr("metadata-url-app-id-placeholder"), &self.app_id)
                .id(APP_ID_ID)
                .on_input(Message::AppIdChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .font(Font::MONOSPACE)
                .into(),
        );
        let cloud = labelled(
            tr("metadata-url-cloud-label"),
            container(
                pick_list(CloudChoice::ALL, Some(self.cloud), Message::CloudPicked)
                    .padding(8)
                    .width(Fill),
            )
            .id(CLOUD_ID)
            .into(),
        );
        column![tenant, row![app_id, cloud].spacing(12)]
            .spacing(12)
            .into()
    }

    /// The URL being built, or what to type to get one.
    fn built_url(&self) -> Element<'_, Message> {
        match &self.built {
            Ok(built) => {
                let copy_label = if self.copied {
                    tr("common-copied")
                } else {
                    tr("common-copy")
                };
                let mut content = column![
                    text(tr("metadata-url-built-label")).size(14).font(bold()),
                    row![
                        text(&built.url)
                            .font(Font::MONOSPACE)
                            .size(14)
                            .wrapping(text::Wrapping::WordOrGlyph)
                            .width(Fill),
                        small_button(copy_label, Some(Message::CopyUrl), COPY_ID),
                        small_button(
                            tr("common-open-browser"),
                            Some(Message::OpenInBrowser),
                            OPEN_ID
                        ),
                    ]
                    .spacing(8)
                    .align_y(Center),
                ]
                .spacing(6);
                for warning in &built.warnings {
                    content = content.push(note(warning, Tone::Warning));
                }
                if let Some(reason) = &self.browser_error {
                    content = content.push(note(
                        tr_with("common-browser-failed", &[("reason", reason)]),
                        Tone::Danger,
                    ));
                }
                container(content)
                    .padding([10, 14])
                    .width(Fill)
                    .style(container::bordered_box)
                    .into()
            }
            // Nothing typed yet: the core's sentence says what to type, without alarm.
            Err(error @ UrlError::Empty) => text(error.to_string()).size(13).style(muted).into(),
            Err(error) => note(error.to_string(), Tone::Danger),
        }
    }

    fn ca_field(&self) -> Element<'_, Message> {
        labelled(
            tr("metadata-url-ca-label"),
            text_input(&tr("metadata-url-ca-placeholder"), &self.ca_path)
                .id(CA_PATH_ID)
                .on_input(Message::CaPathChanged)
                .on_submit(Message::Submit)
                .padding(8)
                .into(),
        )
    }

    fn fetch_row(&self) -> Element<'_, Message> {
        let fetch = container(
            button(text(tr("metadata-url-fetch")))
                .padding([8, 20])
                .style(button::primary)
                .on_press_maybe(
                    (self.built.is_ok() && !self.is_running()).then_some(Message::Fetch),
                ),
        )
        .id(FETCH_ID);
        let mut line = row![fetch].spacing(12).align_y(Center);
        if let Some(Source::Url(url)) = &self.loading_from {
            line = line.push(progress(tr_with("metadata-url-fetching", &[("url", url)])));
        }
        line.into()
    }

    fn file_fields(&self) -> Element<'_, Message> {
        let pick = small_button(
            tr("metadata-url-load-file"),
            (!self.is_running()).then_some(Message::PickFile),
            PICK_FILE_ID,
        );
        let typed = row![
            text_input(&tr("metadata-url-file-placeholder"), &self.file_path)
                .id(FILE_PATH_ID)
                .on_input(Message::FilePathChanged)
                .on_submit(Message::LoadFile)
                .padding(8)
                .width(Fill),
            small_button(
                tr("metadata-url-load-typed"),
                (!self.file_path.trim().is_empty() && !self.is_running())
                    .then_some(Message::LoadFile),
                LOAD_FILE_ID,
            ),
        ]
        .spacing(8)
        .align_y(Center);
        let mut content = column![
            pick,
            text(tr("common-typed-path")).size(13).style(muted),
            typed
        ]
        .spacing(8);
        if let Some(note) = &self.dialog_note {
            content = content.push(self::note(note, Tone::Warning));
        }
        if let Some(Source::File(path)) = &self.loading_from {
            content = content.push(progress(tr_with(
                "metadata-url-loading-file",
                &[("path", &path.display().to_string())],
            )));
        }
        content.into()
    }

    fn outcome_view<'a>(&'a self, outcome: &'a Outcome, setup: &'a Setup) -> Element<'a, Message> {
        match outcome {
            Outcome::Cancelled(_) => text(tr("metadata-url-cancelled")).size(14).into(),
            Outcome::Failed(failure) => self.failure_view(failure),
            Outcome::Loaded(loaded) => loaded_view(loaded, setup),
        }
    }

    fn failure_view<'a>(&'a self, failure: &'a Failure) -> Element<'a, Message> {
        let mut content =
            column![note(tr("metadata-url-failed-heading"), Tone::Danger),].spacing(6);
        match failure {
            Failure::Fetch(error) => {
                content = content.push(text(&error.message).size(14));
                if !error.hint.is_empty() {
                    content = content.push(
                        text(tr_with("metadata-url-hint", &[("hint", &error.hint)])).size(14),
                    );
                }
                if let Some(status) = error.http_status {
                    content = content.push(
                        text(tr_with(
                            "metadata-url-http-status",
                            &[("status", &status.to_string())],
                        ))
                        .size(13),
                    );
                }
                if let Some(code) = &error.aadsts {
                    let line = match &error.aadsts_explained {
                        Some(explained) => tr_with(
                            "metadata-url-aadsts-explained",
                            &[
                                ("code", code),
                                ("meaning", &explained.meaning),
                                ("fix", &explained.fix),
                            ],
                        ),
                        None => tr_with("metadata-url-aadsts", &[("code", code)]),
                    };
                    content = content.push(text(line).size(13));
                }
                let label = if self.show_details {
                    tr("metadata-url-details-hide")
                } else {
                    tr("metadata-url-details-show")
                };
                content = content.push(small_button(
                    label,
                    Some(Message::ToggleDetails),
                    DETAILS_ID,
                ));
                if self.show_details {
                    let mut details = column![
                        text(tr_with(
                            "metadata-url-details-kind",
                            &[("kind", error.kind.as_str())]
                        ))
                        .size(12)
                        .font(Font::MONOSPACE),
                        text(&error.url)
                            .size(12)
                            .font(Font::MONOSPACE)
                            .wrapping(text::Wrapping::WordOrGlyph),
                    ]
                    .spacing(2);
                    for cause in &error.chain {
                        details = details.push(
                            text(cause)
                                .size(12)
                                .font(Font::MONOSPACE)
                                .wrapping(text::Wrapping::WordOrGlyph),
                        );
                    }
                    content = content.push(details);
                }
            }
            Failure::CaFile { path, reason } => {
                content = content.push(
                    text(tr_with(
                        "metadata-url-ca-unreadable",
                        &[("path", path), ("reason", reason)],
                    ))
                    .size(14),
                );
            }
            Failure::File { path, reason } => {
                content = content.push(
                    text(tr_with(
                        "metadata-url-file-failed",
                        &[("path", &path.display().to_string()), ("reason", reason)],
                    ))
                    .size(14),
                );
            }
        }
        container(content)
            .padding([10, 14])
            .width(Fill)
            .style(container::bordered_box)
            .into()
    }
}

/// The summary of a loaded document.
fn loaded_view<'a>(loaded: &'a Loaded, setup: &'a Setup) -> Element<'a, Message> {
    let metadata = &loaded.metadata;
    let origin = match &loaded.source {
        Source::Url(url) => tr_with("metadata-url-from-url", &[("url", url)]),
        Source::File(path) => tr_with(
            "metadata-url-from-file",
            &[("path", &path.display().to_string())],
        ),
    };
    let mut content = column![
        note(tr("metadata-url-result-heading"), Tone::Success),
        text(origin).size(13).wrapping(text::Wrapping::WordOrGlyph),
    ]
    .spacing(6);

    let providers: Vec<&Entity> = metadata.signing_providers().collect();
    if providers.len() > 1 {
        let ids: Vec<String> = providers.iter().map(|e| e.entity_id.clone()).collect();
        content = content.push(labelled(
            tr("metadata-url-identity-provider"),
            container(
                pick_list(
                    ids,
                    setup.metadata.idp_entity_id.clone(),
                    Message::EntityPicked,
                )
                .width(Fill),
            )
            .id(ENTITY_ID)
            .into(),
        ));
    }
    match metadata.signing_provider(setup.metadata.idp_entity_id.as_deref()) {
        Err(ProviderError::Ambiguous { choices }) => {
            content = content.push(note(
                tr_with(
                    "metadata-url-pick-provider",
                    &[("count", &choices.len().to_string())],
                ),
                Tone::Warning,
            ));
        }
        Err(_) => {
            content = content.push(note(tr("metadata-url-no-signing"), Tone::Danger));
        }
        Ok(entity) => {
            let idp = entity.idp.as_ref();
            let sso: Vec<String> = idp
                .map(|idp| idp.sso.iter().map(endpoint_line).collect())
                .unwrap_or_default();
            let slo: Vec<String> = idp
                .map(|idp| idp.slo.iter().map(endpoint_line).collect())
                .unwrap_or_default();
            let count = idp.map_or(0, |idp| idp.signing_certificates.len());
            content = content
                .push(field(
                    tr("metadata-url-entity-id"),
                    vec![entity.entity_id.clone()],
                ))
                .push(
                    column![
                        text(tr("metadata-url-kind")).size(13).font(bold()),
                        text(format!(
                            "{} — {}",
                            entity.kind.describe(),
                            entity.kind_reason
                        ))
                        .size(13),
                    ]
                    .spacing(2),
                )
                .push(field(tr("metadata-url-sso"), sso))
                .push(field(tr("metadata-url-slo"), slo))
                .push(
                    text(tr_with(
                        "metadata-url-signing-count",
                        &[("count", &count.to_string())],
                    ))
                    .size(14),
                );
        }
    }

    let warnings: Vec<&String> = metadata
        .warnings
        .iter()
        .chain(&loaded.fetch_warnings)
        .collect();
    if !warnings.is_empty() {
        content = content.push(
            text(tr("metadata-url-warnings-heading"))
                .size(14)
                .font(bold()),
        );
        for warning in warnings {
            content = content.push(note(warning, Tone::Warning));
        }
    }
    let advice = certificate_advice(metadata, time::OffsetDateTime::now_utc());
    if !advice.is_empty() {
        content = content.push(
            text(tr("metadata-url-advice-heading"))
                .size(14)
                .font(bold()),
        );
        for line in advice {
            content = content.push(text(line).size(13));
        }
    }
    container(content)
        .padding([10, 14])
        .width(Fill)
        .style(container::bordered_box)
        .into()
}

/// What is running, with its Cancel button.
fn progress<'a>(what: String) -> Element<'a, Message> {
    row![
        text(what)
            .size(14)
            .wrapping(text::Wrapping::WordOrGlyph)
            .width(Fill),
        small_button(tr("common-cancel"), Some(Message::Cancel), CANCEL_ID),
    ]
    .spacing(12)
    .align_y(Center)
    .width(Fill)
    .into()
}

/// A label above its value lines (monospace), or "(none)".
fn field<'a>(label: String, values: Vec<String>) -> Element<'a, Message> {
    let mut content = column![text(label).size(13).font(bold())].spacing(2);
    if values.is_empty() {
        content = content.push(text(tr("metadata-url-none")).size(13).style(muted));
    }
    for value in values {
        content = content.push(
            text(value)
                .size(13)
                .font(Font::MONOSPACE)
                .wrapping(text::Wrapping::WordOrGlyph),
        );
    }
    content.into()
}

/// `https://… (HTTP-Redirect)`.
fn endpoint_line(endpoint: &metadata::Endpoint) -> String {
    let binding = endpoint
        .binding
        .rsplit(':')
        .next()
        .unwrap_or(&endpoint.binding);
    format!("{} ({binding})", endpoint.location)
}

fn labelled<'a>(label: String, input: Element<'a, Message>) -> Element<'a, Message> {
    column![text(label).size(14).font(bold()), input]
        .spacing(4)
        .width(Fill)
        .into()
}

/// A small outlined button, inside a container for its id (iced 0.14 buttons carry none).
fn small_button<'a>(
    label: String,
    on_press: Option<Message>,
    id: &'static str,
) -> Element<'a, Message> {
    container(
        button(text(label).size(13))
            .padding([5, 14])
            .style(outlined)
            .on_press_maybe(on_press),
    )
    .id(id)
    .into()
}
