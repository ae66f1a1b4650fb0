//! The wizard itself: the setup being made, the state of every step (kept while the admin moves
//! back and forth), navigation with Back/Next, and the frame around the current step (progress
//! at the top, Back/Next at the bottom). It routes messages; the screens do the work.

use goto_sso_wizard::setup::Setup;
use iced::widget::{Space, button, column, container, row, scrollable, text};
use iced::{Alignment, Element, Length, Task};

use crate::gui::i18n::{tr, tr_with};
use crate::gui::screen::{
    Action, certificate, credentials, goto_settings, metadata_url, relay_state, review, start,
    test_connection,
};
use crate::gui::wizard::Step;

/// Widget ids of the frame, for tests and keyboard focus.
pub const BACK_ID: &str = "wizard-back";
/// The Next (or Finish) button.
pub const NEXT_ID: &str = "wizard-next";

/// The wizard's state.
#[derive(Debug)]
pub struct Wizard {
    setup: Setup,
    step: Step,
    start: start::State,
    credentials: credentials::State,
    test_connection: test_connection::State,
    metadata_url: metadata_url::State,
    certificate: certificate::State,
    relay_state: relay_state::State,
    goto_settings: goto_settings::State,
    review: review::State,
}

/// The wizard's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// Go back a step.
    Back,
    /// Go on a step (only when the step can continue).
    Next,
    /// Esc: stop what the current step is running.
    Cancel,
    /// For the start step.
    Start(start::Message),
    /// For the credentials step.
    Credentials(credentials::Message),
    /// For the connection test step.
    TestConnection(test_connection::Message),
    /// For the metadata URL step.
    MetadataUrl(metadata_url::Message),
    /// For the certificate step.
    Certificate(certificate::Message),
    /// For the relay state step.
    RelayState(relay_state::Message),
    /// For the GoTo settings step.
    GoToSettings(goto_settings::Message),
    /// For the review step.
    Review(review::Message),
}

impl Wizard {
    /// A wizard on its first step with a new setup.
    pub fn new() -> Self {
        Self::with_setup(Setup::default())
    }

    /// A wizard on its first step with `setup` (a resumed one).
    pub fn with_setup(setup: Setup) -> Self {
        Self {
            start: start::State::new(&setup),
            credentials: credentials::State::new(&setup),
            test_connection: test_connection::State::new(&setup),
            metadata_url: metadata_url::State::new(&setup),
            certificate: certificate::State::new(&setup),
            relay_state: relay_state::State::new(&setup),
            goto_settings: goto_settings::State::new(&setup),
            review: review::State::new(&setup),
            step: Step::Start,
            setup,
        }
    }

    /// The current step.
    pub fn step(&self) -> Step {
        self.step
    }

    /// The setup so far.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// Whether Next is allowed now.
    pub fn can_continue(&self) -> bool {
        let setup = &self.setup;
        match self.step {
            Step::Start => self.start.can_continue(setup),
            Step::Credentials => self.credentials.can_continue(setup),
            Step::TestConnection => self.test_connection.can_continue(setup),
            Step::MetadataUrl => self.metadata_url.can_continue(setup),
            Step::Certificate => self.certificate.can_continue(setup),
            Step::RelayState => self.relay_state.can_continue(setup),
            Step::GoToSettings => self.goto_settings.can_continue(setup),
            Step::Review => self.review.can_continue(setup),
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        let setup = &mut self.setup;
        let action = match message {
            Message::Back => {
                self.cancel_current();
                if let Some(previous) = self.step.previous(&self.setup) {
                    self.step = previous;
                }
                return Task::none();
            }
            Message::Next => return self.advance(),
            Message::Cancel => {
                self.cancel_current();
                return Task::none();
            }
            Message::Start(m) => lift(self.start.update(m, setup), Message::Start),
            Message::Credentials(m) => {
                lift(self.credentials.update(m, setup), Message::Credentials)
            }
            Message::TestConnection(m) => lift(
                self.test_connection.update(m, setup),
                Message::TestConnection,
            ),
            Message::MetadataUrl(m) => {
                lift(self.metadata_url.update(m, setup), Message::MetadataUrl)
            }
            Message::Certificate(m) => {
                lift(self.certificate.update(m, setup), Message::Certificate)
            }
            Message::RelayState(m) => lift(self.relay_state.update(m, setup), Message::RelayState),
            Message::GoToSettings(m) => {
                lift(self.goto_settings.update(m, setup), Message::GoToSettings)
            }
            Message::Review(m) => lift(self.review.update(m, setup), Message::Review),
        };
        match action {
            Action::None => Task::none(),
            Action::Run(task) => task,
            Action::Next => self.advance(),
            Action::Replace(setup) => {
                let step = self.step;
                *self = Wizard::with_setup(*setup);
                self.step = step;
                Task::none()
            }
        }
    }

    fn advance(&mut self) -> Task<Message> {
        if !self.can_continue() {
            return Task::none();
        }
        self.cancel_current();
        if let Some(next) = self.step.next(&self.setup) {
            self.step = next;
        }
        Task::none()
    }

    /// Leaving a step (or Esc) stops what it runs.
    fn cancel_current(&mut self) {
        match self.step {
            Step::Start => self.start.cancel(),
            Step::Credentials => self.credentials.cancel(),
            Step::TestConnection => self.test_connection.cancel(),
            Step::MetadataUrl => self.metadata_url.cancel(),
            Step::Certificate => self.certificate.cancel(),
            Step::RelayState => self.relay_state.cancel(),
            Step::GoToSettings => self.goto_settings.cancel(),
            Step::Review => self.review.cancel(),
        }
    }

    /// The frame and the current step.
    pub fn view(&self) -> Element<'_, Message> {
        let setup = &self.setup;
        let body: Element<'_, Message> = match self.step {
            Step::Start => self.start.view(setup).map(Message::Start),
            Step::Credentials => self.credentials.view(setup).map(Message::Credentials),
            Step::TestConnection => self
                .test_connection
                .view(setup)
                .map(Message::TestConnection),
            Step::MetadataUrl => self.metadata_url.view(setup).map(Message::MetadataUrl),
            Step::Certificate => self.certificate.view(setup).map(Message::Certificate),
            Step::RelayState => self.relay_state.view(setup).map(Message::RelayState),
            Step::GoToSettings => self.goto_settings.view(setup).map(Message::GoToSettings),
            Step::Review => self.review.view(setup).map(Message::Review),
        };
        column![
            self.progress(),
            scrollable(container(body).padding(24).width(Length::Fill)).height(Length::Fill),
            self.navigation(),
        ]
        .into()
    }

    /// Every step's title, the current one marked, and "Step i of n".
    fn progress(&self) -> Element<'_, Message> {
        let steps = Step::for_setup(&self.setup);
        let current = steps
            .iter()
            .position(|step| *step == self.step)
            .unwrap_or(0);
        let titles = steps
            .iter()
            .enumerate()
            .fold(row![].spacing(14), |titles, (index, step)| {
                let label = format!("{}. {}", index + 1, step.title());
                let label = if index == current {
                    text(label).size(14).font(iced::Font {
                        weight: iced::font::Weight::Bold,
                        ..iced::Font::DEFAULT
                    })
                } else {
                    text(label).size(14)
                };
                titles.push(label)
            });
        let counter = text(tr_with(
            "step-counter",
            &[
                ("current", &(current + 1).to_string()),
                ("total", &steps.len().to_string()),
            ],
        ))
        .size(13);
        container(column![counter, titles.wrap()].spacing(6))
            .padding([12, 24])
            .width(Length::Fill)
            .into()
    }

    /// Back and Next (Finish on the last step).
    fn navigation(&self) -> Element<'_, Message> {
        let is_first = self.step.previous(&self.setup).is_none();
        let is_last = self.step.next(&self.setup).is_none();
        let back =
            button(text(tr("nav-back"))).on_press_maybe((!is_first).then_some(Message::Back));
        let next_label = if is_last {
            tr("nav-finish")
        } else {
            tr("nav-next")
        };
        let next = button(text(next_label))
            .style(button::primary)
            .on_press_maybe((self.can_continue() && !is_last).then_some(Message::Next));
        container(
            row![
                container(back).id(BACK_ID),
                text(tr("nav-hint")).size(12),
                Space::new().width(Length::Fill),
                container(next).id(NEXT_ID),
            ]
            .spacing(16)
            .align_y(Alignment::Center),
        )
        .padding([12, 24])
        .width(Length::Fill)
        .into()
    }
}

fn lift<M, W>(action: Action<M>, wrap: impl Fn(M) -> W + Send + 'static) -> Action<W>
where
    M: Send + 'static,
    W: Send + 'static,
{
    match action {
        Action::None => Action::None,
        Action::Run(task) => Action::Run(task.map(wrap)),
        Action::Replace(setup) => Action::Replace(setup),
        Action::Next => Action::Next,
    }
}
