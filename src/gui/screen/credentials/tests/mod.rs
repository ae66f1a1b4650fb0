//! The credentials step's tests, by concern: the form, the browser authorization, the keyring
//! (remember, saved credentials), and the screen by widget id.

use super::*;
use iced::Size;
use iced_test::Simulator;
use iced_test::selector::id as by_id;

const TOKEN: &str = "scim-token-value-1234";

use crate::gui::test_support::run_task;

mod authorization;
mod form;
mod remember;
mod screen;

/// What the step asked besides telling the frame its credentials changed.
fn besides(action: Action<Message>) -> Action<Message> {
    match action {
        Action::CredentialsChanged(_, then) => besides(*then),
        other => other,
    }
}

fn task_of(action: Action<Message>) -> Task<Message> {
    match besides(action) {
        Action::Run(task) => task,
        other => panic!("expected a task, got {other:?}"),
    }
}

fn type_field(state: &mut State, setup: &mut Setup, field: Field, value: &str) {
    let _ = state.update(Message::FieldChanged(field, value.to_owned()), setup);
}

fn type_secret(state: &mut State, setup: &mut Setup, field: SecretField, value: &str) {
    let _ = state.update(Message::SecretChanged(field, Secret::from(value)), setup);
}

fn with_base_url(setup: &mut Setup) -> State {
    let mut state = State::with_keyring(setup, Keyring::mock());
    type_field(
        &mut state,
        setup,
        Field::BaseUrl,
        "https://scim.example.com/v2",
    );
    state
}

fn tokens() -> TokenSet {
    TokenSet {
        access_token: Secret::from("access-token-abcd"),
        refresh_token: Some(Secret::from("refresh-token-abcd")),
        expires_at: None,
    }
}
