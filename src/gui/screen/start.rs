//! The wizard step "start". (Skeleton: being built; see issue 6.)

use goto_sso_wizard::setup::Setup;
use iced::Element;
use iced::widget::text;

use super::Action;

/// This step's state.
#[derive(Debug, Default)]
pub struct State {}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {}

impl State {
    /// A fresh state for `setup`.
    pub fn new(_setup: &Setup) -> Self {
        Self {}
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, _setup: &mut Setup) -> Action<Message> {
        match message {}
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, _setup: &'a Setup) -> Element<'a, Message> {
        text("start").into()
    }

    /// Whether Next may be pressed.
    pub fn can_continue(&self, _setup: &Setup) -> bool {
        true
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {}
}
