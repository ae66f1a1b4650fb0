//! The step's view: the checklist, exporting the report, saving the setup, testing the sign-in.

use iced::widget::{column, container, pick_list, row, text};

use super::*;

impl State {
    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut page = column![heading(tr("review-heading")), note(tr("review-intro"))];
        if matches!(self.exported, Some(Ok(_))) || matches!(self.saved, Some(Ok(_))) {
            page = page.push(success_line(tr("review-complete")));
        }
        page = page.push(checklist_view(setup));
        page = page.push(self.export_view());
        page = page.push(self.save_view());
        if setup.sso && !setup.products.is_empty() {
            page = page.push(self.test_view(setup));
        }
        widget::page(page)
    }

    pub(super) fn export_view(&self) -> Element<'_, Message> {
        let mut export = column![
            subheading(tr("review-export-heading")),
            note(tr("review-export-intro")),
            row![
                text(tr("review-format")).size(14),
                widget::with_id(
                    pick_list(
                        &ReportFormat::ALL[..],
                        Some(self.format),
                        Message::FormatSelected
                    )
                    .text_size(14),
                    FORMAT_ID,
                ),
                primary_button(
                    tr("review-export"),
                    (!self.export.busy()).then_some(Message::ExportPressed),
                    EXPORT_ID,
                ),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            text(tr("common-typed-path")).size(14),
            widget::typed_path(widget::TypedPath {
                placeholder: tr("review-export-placeholder"),
                value: &self.export_path,
                input_id: EXPORT_PATH_ID,
                on_input: Message::ExportPathChanged,
                submit: Message::ExportTyped,
                button: tr("review-export-typed"),
                enabled: !self.export.running,
                button_id: EXPORT_TYPED_ID,
            }),
        ]
        .spacing(8);
        export = export.push(job_status(&self.export));
        match &self.exported {
            Some(Ok(paths)) => {
                for path in paths {
                    export = export.push(success_line(tr_with(
                        "common-saved",
                        &[("path", &widget::display(path))],
                    )));
                }
            }
            Some(Err(error)) => export = export.push(error_line(error.clone())),
            None => {}
        }
        export.into()
    }

    pub(super) fn save_view(&self) -> Element<'_, Message> {
        let mut save = column![
            subheading(tr("review-save-heading")),
            note(tr("review-save-intro")),
            primary_button(
                tr("review-save"),
                (!self.save.busy()).then_some(Message::SavePressed),
                SAVE_ID,
            ),
            text(tr("common-typed-path")).size(14),
            widget::typed_path(widget::TypedPath {
                placeholder: tr("review-save-placeholder"),
                value: &self.save_path,
                input_id: SAVE_PATH_ID,
                on_input: Message::SavePathChanged,
                submit: Message::SaveTyped,
                button: tr("review-save-typed"),
                enabled: !self.save.running,
                button_id: SAVE_TYPED_ID,
            }),
        ]
        .spacing(8);
        save = save.push(job_status(&self.save));
        match &self.saved {
            Some(Ok(saved)) => {
                save = save.push(success_line(tr_with(
                    "common-saved",
                    &[("path", &widget::display(&saved.path))],
                )));
                if let Some(note_text) = &saved.settings_note {
                    save = save.push(note(tr_with(
                        "review-recent-not-updated",
                        &[("reason", note_text)],
                    )));
                }
            }
            Some(Err(error)) => save = save.push(error_line(error.clone())),
            None => {}
        }
        save.into()
    }

    pub(super) fn test_view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let choices: Vec<ProductChoice> =
            setup.products.iter().copied().map(ProductChoice).collect();
        let selected = self.test_product(setup).map(ProductChoice);
        let mut test = column![
            subheading(tr("review-test-heading")),
            note(tr("review-test-intro")),
            row![
                widget::with_id(
                    pick_list(choices, selected, Message::TestProductSelected).text_size(14),
                    TEST_PRODUCT_ID,
                ),
                primary_button(
                    tr("review-test-sign-in"),
                    self.test_url(setup).map(|_| Message::TestSignIn),
                    TEST_SIGN_IN_ID,
                ),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        ]
        .spacing(8);
        if let Some(reason) = &self.browser_error {
            test = test.push(error_line(tr_with(
                "common-browser-failed",
                &[("reason", reason)],
            )));
            if let Some(url) = self.test_url(setup) {
                let id = "review-test-url-copy";
                test = test.push(value_row(
                    tr("review-test-url"),
                    url.clone(),
                    id.to_owned(),
                    self.copied.as_deref() == Some(id),
                    Message::Copy(id.to_owned(), url),
                ));
            }
        }
        test.into()
    }
}

pub(super) fn job_status<'a>(job: &Job) -> Element<'a, Message> {
    if job.running {
        note(tr("review-writing")).into()
    } else if job.dialog_open {
        note(tr("review-dialog-open")).into()
    } else {
        column![].into()
    }
}

/// The checklist, grouped by side, each item marked done or to do.
pub(super) fn checklist_view(setup: &Setup) -> Element<'_, Message> {
    let items = checklist(setup);
    let mut view = column![subheading(tr("review-checklist-heading"))].spacing(10);
    for side in [Side::Entra, Side::GoTo, Side::Test] {
        let on_side: Vec<_> = items.iter().filter(|item| item.side == side).collect();
        if on_side.is_empty() {
            continue;
        }
        let title = match side {
            Side::Entra => tr("review-side-entra"),
            Side::GoTo => tr("review-side-goto"),
            Side::Test => tr("review-side-test"),
        };
        let mut group = column![text(title).size(15).font(widget::bold())].spacing(6);
        for item in on_side {
            group = group.push(
                row![
                    badge(item.done),
                    text(checklist_text(item)).size(14).width(Length::Fill)
                ]
                .spacing(10)
                .align_y(Alignment::Center),
            );
        }
        view = view.push(group);
    }
    view.into()
}

/// "Done" or "To do", as a small badge that stays readable in light and dark themes.
pub(super) fn badge<'a>(done: bool) -> Element<'a, Message> {
    let label = if done {
        tr("review-done")
    } else {
        tr("review-todo")
    };
    container(text(label).size(12))
        .padding([2, 8])
        .width(Length::Fixed(64.0))
        .center_x(Length::Fixed(64.0))
        .style(move |theme: &Theme| {
            let palette = theme.extended_palette();
            let pair = if done {
                palette.success.base
            } else {
                palette.background.weak
            };
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(4))
        })
        .into()
}

/// A checklist item in the window's language: its Fluent text by the item's stable id, or the
/// core's English when a translation lacks it.
pub(super) fn checklist_text(item: &goto_sso_wizard::report::CheckItem) -> String {
    let id = format!("review-check-{}", item.id);
    let translated = crate::gui::i18n::tr(&id);
    if translated == id {
        item.text.clone()
    } else {
        translated
    }
}
