//! The first screen: what the wizard does, and the same work on the command line.

use crate::gui::widget::style::{bold, muted, outlined};
use iced::widget::{button, center_x, column, container, row, rule, scrollable, space, text};
use iced::{Center, Element, Fill, Font, Padding, Theme};

use crate::gui::i18n::tr;

/// Width of the command column, so that the descriptions line up: the longest command, in
/// 14-pixel monospace, with a little room to spare.
const COMMAND_WIDTH: f32 = 290.0;

/// The keyboard hint next to the close button (the Command key on macOS).
#[cfg(target_os = "macos")]
const CLOSE_HINT: &str = "welcome-close-hint-macos";
/// The keyboard hint next to the close button.
#[cfg(not(target_os = "macos"))]
const CLOSE_HINT: &str = "welcome-close-hint";

/// Widget id of the button that closes the window.
pub const CLOSE_ID: &str = "welcome-close";
/// Id of the button that starts the wizard.
pub const BEGIN_ID: &str = "welcome-begin";

/// The steps the screen lists, as Fluent id stems (`<stem>-title`, `<stem>-detail`).
pub const STEPS: [&str; 6] = [
    "welcome-step-1",
    "welcome-step-2",
    "welcome-step-3",
    "welcome-step-4",
    "welcome-step-5",
    "welcome-step-6",
];

/// A command that works in a terminal, offered with a copy button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CliCommand {
    /// `metadata inspect`
    MetadataInspect,
    /// `cert show`
    CertShow,
    /// `cert export`
    CertExport,
    /// `diagnose`
    Diagnose,
}

impl CliCommand {
    /// All of them, in the order the screen lists them.
    pub const ALL: [CliCommand; 4] = [
        Self::MetadataInspect,
        Self::CertShow,
        Self::CertExport,
        Self::Diagnose,
    ];

    /// The command as typed in a terminal. Not translated: it is what the shell expects.
    pub fn command_line(self) -> &'static str {
        match self {
            Self::MetadataInspect => "goto-sso-wizard metadata inspect",
            Self::CertShow => "goto-sso-wizard cert show",
            Self::CertExport => "goto-sso-wizard cert export",
            Self::Diagnose => "goto-sso-wizard diagnose",
        }
    }

    /// Widget id of this command's copy button.
    pub fn copy_id(self) -> &'static str {
        match self {
            Self::MetadataInspect => "welcome-copy-metadata-inspect",
            Self::CertShow => "welcome-copy-cert-show",
            Self::CertExport => "welcome-copy-cert-export",
            Self::Diagnose => "welcome-copy-diagnose",
        }
    }

    fn description(self) -> String {
        tr(match self {
            Self::MetadataInspect => "welcome-cli-metadata-inspect",
            Self::CertShow => "welcome-cli-cert-show",
            Self::CertExport => "welcome-cli-cert-export",
            Self::Diagnose => "welcome-cli-diagnose",
        })
    }
}

/// What the person did on this screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A command's copy button was pressed.
    CopyPressed(CliCommand),
    /// The close button was pressed.
    ClosePressed,
    /// "Start the wizard" was pressed.
    Begin,
}

/// What this screen asks of the application after an [`update`](Welcome::update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Put this text on the clipboard.
    CopyToClipboard(String),
    /// Close the application.
    Close,
    /// Go to the wizard's first step.
    Begin,
}

/// The welcome screen's state.
#[derive(Debug, Default)]
pub struct Welcome {
    /// The command most recently copied, whose button then reads "Copied".
    copied: Option<CliCommand>,
}

impl Welcome {
    /// A fresh welcome screen. It loads nothing, so it needs no `Task`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The command most recently copied, if any.
    pub fn copied(&self) -> Option<CliCommand> {
        self.copied
    }

    /// Handles a [`Message`] and tells the application what else to do.
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::CopyPressed(command) => {
                self.copied = Some(command);
                Action::CopyToClipboard(command.command_line().to_owned())
            }
            Message::ClosePressed => Action::Close,
            Message::Begin => Action::Begin,
        }
    }

    /// The screen: heading, the six steps, the command-line box, and a footer with Close.
    pub fn view(&self) -> Element<'_, Message> {
        let heading = text(tr("welcome-heading")).size(28).font(bold());
        let intro = text(tr("welcome-intro")).size(16);

        let steps = column(STEPS.iter().enumerate().map(|(index, stem)| {
            step(
                index + 1,
                tr(&format!("{stem}-title")),
                tr(&format!("{stem}-detail")),
            )
        }))
        .spacing(8);

        let support = text(tr("welcome-support")).size(14).style(muted);

        let commands = column(
            CliCommand::ALL
                .into_iter()
                .map(|command| self.command_row(command)),
        )
        .spacing(6);

        let today = container(
            column![
                text(tr("welcome-cli-heading")).size(16).font(bold()),
                text(tr("welcome-cli-intro")).size(14),
                commands,
            ]
            .spacing(8),
        )
        .padding([10, 16])
        .width(Fill)
        .style(container::bordered_box);

        let body = column![
            heading,
            intro,
            crate::gui::widget::subheading(tr("welcome-steps-heading")),
            steps,
            support,
            today,
        ]
        .spacing(10)
        .max_width(760);

        // Inside a container only for its id: iced 0.14 buttons carry none.
        let close = container(
            button(text(tr("welcome-close")).size(15))
                .padding([8, 24])
                .style(button::secondary)
                .on_press(Message::ClosePressed),
        )
        .id(CLOSE_ID);
        let begin = container(
            button(text(crate::gui::i18n::tr("welcome-begin")).size(15))
                .padding([8, 24])
                .style(button::primary)
                .on_press(Message::Begin),
        )
        .id(BEGIN_ID);

        let footer = container(
            container(
                row![
                    text(tr(CLOSE_HINT)).size(13).style(muted),
                    space::horizontal(),
                    close,
                    begin,
                ]
                .spacing(12)
                .align_y(Center),
            )
            .max_width(760),
        )
        .center_x(Fill)
        .padding([10, 32]);

        // Only the body scrolls: the footer, and so Close, stays in view at any window size.
        let body = center_x(body).padding(Padding {
            top: 20.0,
            right: 32.0,
            bottom: 14.0,
            left: 32.0,
        });

        column![scrollable(body).height(Fill), rule::horizontal(1), footer].into()
    }

    fn command_row(&self, command: CliCommand) -> Element<'_, Message> {
        let label = if self.copied() == Some(command) {
            tr("welcome-copied")
        } else {
            tr("welcome-copy")
        };

        row![
            text(command.command_line())
                .font(Font::MONOSPACE)
                .size(14)
                .width(COMMAND_WIDTH),
            text(command.description()).size(13).width(Fill),
            container(
                button(text(label).size(13))
                    .padding([4, 14])
                    .style(outlined)
                    .on_press(Message::CopyPressed(command)),
            )
            .id(command.copy_id()),
        ]
        .spacing(12)
        .align_y(Center)
        .into()
    }
}

/// One numbered step: a round badge with the number, then the title and its sentence.
fn step<'a>(number: usize, title: String, detail: String) -> Element<'a, Message> {
    let badge = container(text(number.to_string()).size(14).font(bold()))
        .center(28)
        .style(|theme: &Theme| {
            let pair = theme.extended_palette().primary.base;
            container::Style::default()
                .background(pair.color)
                .color(pair.text)
                .border(iced::border::rounded(14))
        });

    row![
        badge,
        column![text(title).size(16).font(bold()), text(detail).size(14)]
            .spacing(2)
            .width(Fill),
    ]
    .spacing(14)
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_puts_the_exact_command_on_the_clipboard_and_marks_it_copied() {
        let mut welcome = Welcome::new();
        assert_eq!(welcome.copied, None);

        let action = welcome.update(Message::CopyPressed(CliCommand::CertExport));

        assert_eq!(
            action,
            Action::CopyToClipboard("goto-sso-wizard cert export".to_owned())
        );
        assert_eq!(welcome.copied, Some(CliCommand::CertExport));

        // Copying another command moves the mark: only one button reads "Copied".
        let action = welcome.update(Message::CopyPressed(CliCommand::MetadataInspect));
        assert_eq!(
            action,
            Action::CopyToClipboard("goto-sso-wizard metadata inspect".to_owned())
        );
        assert_eq!(welcome.copied, Some(CliCommand::MetadataInspect));
    }

    #[test]
    fn close_asks_the_application_to_close() {
        let mut welcome = Welcome::new();
        assert_eq!(welcome.update(Message::ClosePressed), Action::Close);
    }

    #[test]
    fn widget_ids_are_unique() {
        let mut ids: Vec<&str> = CliCommand::ALL.iter().map(|c| c.copy_id()).collect();
        ids.push(CLOSE_ID);
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
