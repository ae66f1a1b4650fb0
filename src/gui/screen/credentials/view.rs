//! The step's view: the base URL, the kind of credential with its fields, authorization and
//! the keyring.

use iced::widget::{button, checkbox, column, container, radio, row, text, text_input};

use super::*;

impl State {
    /// Shows the step.
    pub fn view<'a>(&'a self, _setup: &'a Setup) -> Element<'a, Message> {
        let mut body = column![
            crate::gui::widget::heading(tr("credentials-heading")),
            text(tr("credentials-intro")).size(14),
        ]
        .spacing(14)
        .max_width(760);

        if let Some(offer) = self.saved_offer() {
            body = body.push(offer);
        }

        body = body.push(self.base_url_section());

        let kinds = column(Kind::ALL.into_iter().map(|kind| {
            container(radio(kind.label(), kind, Some(self.kind), Message::KindSelected).size(16))
                .id(kind.radio_id())
                .into()
        }))
        .spacing(8);
        body = body.push(section(tr("credentials-kind-heading"), kinds.into()));
        body = body.push(self.kind_fields());
        body = body.push(self.remember_section());
        body.into()
    }

    pub(super) fn base_url_section(&self) -> Element<'_, Message> {
        let input = text_input(&tr("credentials-base-url-placeholder"), &self.base_url)
            .id(id::BASE_URL)
            .font(Font::MONOSPACE)
            .on_input(|value| Message::FieldChanged(Field::BaseUrl, value))
            .on_submit(Message::Submit)
            .padding(8);
        let mut content =
            column![text(tr("credentials-base-url-label")).size(14), input].spacing(6);
        if let Some(problem) = self.problem(Field::BaseUrl) {
            content = content.push(problem_text(problem, !self.base_url.trim().is_empty()));
        }
        let where_from = match &self.base_url_origin {
            Some(origin) => tr_with(
                "credentials-base-url-from-profile",
                &[("origin", origin), ("console", &self.admin_console)],
            ),
            None => tr_with(
                "credentials-base-url-where",
                &[
                    ("note", &self.base_url_note),
                    ("console", &self.admin_console),
                ],
            ),
        };
        content = content.push(text(where_from).size(13).style(muted));
        section(tr("credentials-base-url-heading"), content.into())
    }

    pub(super) fn kind_fields(&self) -> Element<'_, Message> {
        let mut fields = column![].spacing(10);
        match self.kind {
            Kind::Browser => {
                fields = fields
                    .push(text(tr("credentials-browser-explain")).size(14))
                    .push(self.url_field(Field::AuthorizeUrl))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, false))
                    .push(self.oauth_client.view().map(Message::OAuthClient))
                    .push(self.authorize_controls());
            }
            Kind::OAuthClient => {
                fields = fields
                    .push(text(tr("credentials-client-explain")).size(14))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, true));
            }
            Kind::ScimToken => {
                fields = fields
                    .push(text(tr("credentials-token-explain")).size(14))
                    .push(self.secret_field(SecretField::Token, true));
            }
            Kind::LegacyPassword => {
                fields = fields
                    .push(
                        container(text(tr("credentials-legacy-notice")).size(14))
                            .padding(10)
                            .width(Fill)
                            .style(notice_box),
                    )
                    .push(self.plain_field(Field::AdminUser))
                    .push(self.secret_field(SecretField::Password, true))
                    .push(self.url_field(Field::TokenUrl))
                    .push(self.plain_field(Field::ClientId))
                    .push(self.plain_field(Field::Scopes))
                    .push(self.secret_field(SecretField::ClientSecret, false));
            }
        }
        container(fields)
            .padding(14)
            .width(Fill)
            .style(container::bordered_box)
            .into()
    }

    pub(super) fn url_field(&self, field: Field) -> Element<'_, Message> {
        let (label, value, widget_id, default) = match field {
            Field::AuthorizeUrl => (
                "credentials-authorize-url",
                &self.authorize_url,
                id::AUTHORIZE_URL,
                &self.default_authorize_url,
            ),
            _ => (
                "credentials-token-url",
                &self.token_url,
                id::TOKEN_URL,
                &self.default_token_url,
            ),
        };
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            text_input("https://", value)
                .id(widget_id)
                .font(Font::MONOSPACE)
                .on_input(move |value| Message::FieldChanged(field, value))
                .on_submit(Message::Submit)
                .padding(8),
        ]
        .spacing(4);
        if let Some(problem) = self.problem(field) {
            content = content.push(problem_text(problem, true));
        } else if value.trim() == default.as_str() && !default.is_empty() {
            content = content.push(
                text(tr_with(
                    "credentials-url-from-profile",
                    &[("profile", &self.profile_name)],
                ))
                .size(12)
                .style(muted),
            );
        }
        content.into()
    }

    pub(super) fn plain_field(&self, field: Field) -> Element<'_, Message> {
        let (label, value, widget_id) = match field {
            Field::AdminUser => ("credentials-admin-user", &self.admin_user, id::ADMIN_USER),
            Field::Scopes => ("credentials-scopes", &self.scopes, id::SCOPES),
            _ => ("credentials-client-id", &self.client_id, id::CLIENT_ID),
        };
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            text_input("", value)
                .id(widget_id)
                .on_input(move |value| Message::FieldChanged(field, value))
                .on_submit(Message::Submit)
                .padding(8),
        ]
        .spacing(4);
        if let Some(problem) = self.problem(field) {
            content = content.push(problem_text(problem, false));
        }
        if field == Field::Scopes {
            content = content.push(text(tr("credentials-scopes-explain")).size(12).style(muted));
        }
        content.into()
    }

    pub(super) fn secret_field(&self, field: SecretField, required: bool) -> Element<'_, Message> {
        let (label, value) = match field {
            SecretField::ClientSecret if required => {
                ("credentials-client-secret", &self.client_secret)
            }
            SecretField::ClientSecret => {
                ("credentials-client-secret-optional", &self.client_secret)
            }
            SecretField::Token => ("credentials-token", &self.token),
            SecretField::Password => ("credentials-password", &self.password),
        };
        let revealed = self.is_revealed(field);
        let input = text_input("", value.expose())
            .id(field.id())
            .secure(!revealed)
            .font(Font::MONOSPACE)
            // The typed text is wrapped at once, so the message carries no plain copy.
            .on_input(move |typed| Message::SecretChanged(field, Secret::new(typed)))
            .on_submit(Message::Submit)
            .padding(8);
        let toggle = container(
            button(text(tr(if revealed {
                "credentials-hide"
            } else {
                "credentials-show"
            })))
            .style(button::secondary)
            .on_press(Message::ToggleReveal(field)),
        )
        .id(field.toggle_id());
        let mut content = column![
            text(tr(label)).size(14).font(bold()),
            row![input, toggle].spacing(8).align_y(Alignment::Center),
        ]
        .spacing(4);
        if required && let Some(problem) = self.secret_problem(field) {
            content = content.push(problem_text(problem, false));
        }
        content.into()
    }

    pub(super) fn authorize_controls(&self) -> Element<'_, Message> {
        let ready = self.kind_problems().is_empty();
        match &self.authorization {
            Authorization::Waiting {
                url, browser_error, ..
            } => {
                let mut content = column![
                    row![
                        text(tr("credentials-waiting")).size(14).width(Fill),
                        container(
                            button(text(tr("common-cancel")))
                                .style(button::secondary)
                                .on_press(Message::CancelAuthorize)
                        )
                        .id(id::CANCEL_AUTHORIZE),
                    ]
                    .spacing(10)
                    .align_y(Alignment::Center)
                ]
                .spacing(8);
                if let Some(reason) = browser_error {
                    content = content.push(problem_text(
                        tr_with("common-browser-failed", &[("reason", reason)]),
                        true,
                    ));
                }
                if let Some(url) = url {
                    content = content.push(text(tr("credentials-browser-url")).size(13));
                    content = content.push(
                        row![
                            text(url.as_str())
                                .font(Font::MONOSPACE)
                                .size(12)
                                .width(Fill),
                            container(
                                button(text(tr("common-copy")))
                                    .style(button::secondary)
                                    .on_press(Message::CopyAuthorizeUrl)
                            )
                            .id(id::COPY_URL),
                        ]
                        .spacing(8)
                        .align_y(Alignment::Center),
                    );
                }
                content.into()
            }
            other => {
                let label = if self.tokens.is_some() {
                    "credentials-authorize-again"
                } else {
                    "credentials-authorize"
                };
                let authorize = container(
                    button(text(tr(label)))
                        .style(button::primary)
                        .on_press_maybe(ready.then_some(Message::Authorize)),
                )
                .id(id::AUTHORIZE);
                let status: Element<'_, Message> = match (other, &self.tokens) {
                    (_, Some(tokens)) => text(tr_with(
                        "credentials-authorized",
                        &[(
                            "refresh",
                            &if tokens.refresh_token.is_some() {
                                tr("credentials-authorized-refresh")
                            } else {
                                String::new()
                            },
                        )],
                    ))
                    .size(14)
                    .style(text::success)
                    .into(),
                    (Authorization::Failed(message), None) => problem_text(message.clone(), true),
                    (Authorization::Cancelled, None) => {
                        text(tr("credentials-authorize-cancelled")).size(14).into()
                    }
                    _ if !ready => text(tr("credentials-authorize-fix-first"))
                        .size(13)
                        .style(muted)
                        .into(),
                    _ => text(tr("credentials-authorize-needed"))
                        .size(13)
                        .style(muted)
                        .into(),
                };
                row![authorize, container(status).width(Fill)]
                    .spacing(12)
                    .align_y(Alignment::Center)
                    .into()
            }
        }
    }

    pub(super) fn saved_offer(&self) -> Option<Element<'_, Message>> {
        let reference = self.saved_reference.as_ref()?;
        if matches!(self.keyring_status, KeyringStatus::Loaded(_)) {
            return None;
        }
        let mut content = column![
            text(tr_with(
                "credentials-saved-found",
                &[("reference", &reference.to_string())]
            ))
            .size(14),
            row![
                container(
                    button(text(tr("credentials-use-saved")))
                        .style(button::primary)
                        .on_press_maybe(
                            (self.keyring_status != KeyringStatus::Loading)
                                .then_some(Message::UseSaved)
                        )
                )
                .id(id::USE_SAVED),
                container(
                    button(text(tr("credentials-forget")))
                        .style(button::secondary)
                        .on_press(Message::Forget)
                )
                .id(id::FORGET),
            ]
            .spacing(10),
        ]
        .spacing(8);
        match &self.keyring_status {
            KeyringStatus::Loading => {
                content = content.push(text(tr("credentials-loading")).size(13));
            }
            KeyringStatus::LoadFailed(message) => {
                content = content.push(problem_text(message.clone(), true));
            }
            _ => {}
        }
        Some(
            container(content)
                .padding(12)
                .width(Fill)
                .style(container::bordered_box)
                .into(),
        )
    }

    pub(super) fn remember_section(&self) -> Element<'_, Message> {
        let mut content = column![
            container(
                checkbox(self.remember)
                    .label(tr("credentials-remember"))
                    .on_toggle(Message::RememberToggled)
            )
            .id(id::REMEMBER),
            text(tr("credentials-remember-explain"))
                .size(13)
                .style(muted),
        ]
        .spacing(6);
        let status: Option<Element<'_, Message>> = match &self.keyring_status {
            KeyringStatus::Saving => Some(text(tr("credentials-saving")).size(13).into()),
            KeyringStatus::Saved { store, fallback } => {
                let line = if store.keeps_secrets_after_exit() {
                    tr_with("credentials-saved", &[("store", store.describe())])
                } else {
                    tr_with("credentials-saved-memory", &[("store", store.describe())])
                };
                let mut lines = column![text(line).size(13)].spacing(4);
                if let Some(reason) = fallback {
                    lines = lines.push(
                        text(tr_with("credentials-fallback", &[("reason", reason)]))
                            .size(13)
                            .style(text::warning),
                    );
                }
                Some(lines.into())
            }
            KeyringStatus::Failed(error) => Some(problem_text(
                tr_with("credentials-save-failed", &[("error", error)]),
                true,
            )),
            KeyringStatus::Loaded(store) => Some(
                text(tr_with(
                    "credentials-loaded",
                    &[("store", store.describe())],
                ))
                .size(13)
                .into(),
            ),
            KeyringStatus::Forgotten => Some(text(tr("credentials-forgotten")).size(13).into()),
            KeyringStatus::Idle | KeyringStatus::Loading | KeyringStatus::LoadFailed(_) => None,
        };
        if let Some(status) = status {
            content = content.push(status);
        }
        let to_keep = self.to_keep();
        if self.remember
            && to_keep.is_some()
            && self.saved != to_keep
            && self.keyring_status != KeyringStatus::Saving
        {
            let (line, label) = if self.saved.is_some() {
                ("credentials-save-stale", "credentials-save-again")
            } else {
                ("credentials-not-saved", "credentials-save-now")
            };
            content = content.push(
                row![
                    text(tr(line)).size(13),
                    container(
                        button(text(tr(label)))
                            .style(button::secondary)
                            .on_press(Message::SaveAgain)
                    )
                    .id(id::SAVE_AGAIN),
                ]
                .spacing(10)
                .align_y(Alignment::Center),
            );
        } else if self.remember && to_keep.is_none() {
            let id = if self.kind == Kind::Browser
                && self.tokens.is_some()
                && self.kind_problems().is_empty()
            {
                "credentials-no-refresh"
            } else {
                "credentials-remember-incomplete"
            };
            content = content.push(text(tr(id)).size(13).style(muted));
        }
        content.into()
    }
}

pub(super) fn section<'a>(title: String, content: Element<'a, Message>) -> Element<'a, Message> {
    column![crate::gui::widget::subheading(title), content]
        .spacing(8)
        .into()
}

/// A validation message: red once the person has typed something wrong, quiet while a field is
/// simply still empty.
pub(super) fn problem_text<'a>(message: String, is_error: bool) -> Element<'a, Message> {
    let shown = text(message).size(13);
    if is_error {
        shown.style(text::danger).into()
    } else {
        shown.style(muted).into()
    }
}

/// The deprecation notice: a warning-tinted box that stays readable in both themes.
pub(super) fn notice_box(theme: &Theme) -> container::Style {
    let palette = theme.extended_palette();
    container::Style::default()
        .background(palette.warning.base.color.scale_alpha(0.18))
        .border(
            iced::border::rounded(6)
                .color(palette.warning.base.color)
                .width(1),
        )
}
