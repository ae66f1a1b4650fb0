//! The wizard step "Relay state": each chosen product's relay-state URL (editable, with Copy and
//! a reset to the profile's value), and the values for Entra's "Basic SAML Configuration".

use std::collections::BTreeMap;

use goto_sso_wizard::setup::{
    Product, Setup, SpValueKind, SpValueProblem, check_sp_value, entra_values,
};
use iced::widget::{column, row, text, text_input};
use iced::{Alignment, Element, Length};

use super::Action;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::{
    self, copy_button, error_line, heading, note, small_button, subheading, value_row,
};

/// Widget id of the Identifier (Entity ID) field.
pub const ENTITY_ID_ID: &str = "relay-state-entity-id";
/// Widget id of the Reply URL field.
pub const REPLY_URL_ID: &str = "relay-state-reply-url";

/// Widget id of a product's relay-state field.
pub fn relay_id(product: Product) -> String {
    format!("relay-state-{}", product.key())
}

/// Widget id of a field's Copy button.
pub fn copy_id(field_id: &str) -> String {
    format!("{field_id}-copy")
}

/// Widget id of a field's reset button.
pub fn reset_id(field_id: &str) -> String {
    format!("{field_id}-reset")
}

/// Which editable value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    /// A product's relay state.
    Relay(Product),
    /// Identifier (Entity ID).
    EntityId,
    /// Reply URL.
    ReplyUrl,
}

impl Field {
    fn widget_id(self) -> String {
        match self {
            Field::Relay(product) => relay_id(product),
            Field::EntityId => ENTITY_ID_ID.to_owned(),
            Field::ReplyUrl => REPLY_URL_ID.to_owned(),
        }
    }
}

/// This step's state.
#[derive(Debug, Default)]
pub struct State {
    /// What the admin typed in each field, as typed (also while it is invalid). A field not
    /// here shows the setup's value.
    typed: BTreeMap<Field, String>,
    /// The widget id of the Copy button whose value is on the clipboard.
    copied: Option<String>,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// A field was edited.
    Edited(Field, String),
    /// "Reset to the profile's value".
    Reset(Field),
    /// Copy: the button's id and the value.
    Copy(String, String),
    /// Enter in a field.
    Submit,
}

impl State {
    /// A fresh state for `setup`.
    pub fn new(_setup: &Setup) -> Self {
        Self::default()
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::Edited(field, value) => {
                let valid = problem(field, &value).is_none();
                let trimmed = value.trim().to_owned();
                self.typed.insert(field, value);
                self.copied = None;
                // The setup only ever holds valid values; one equal to the profile's is no
                // override, so a later profile change still applies to it.
                if valid {
                    let from_profile = profile_value(setup, field);
                    let value =
                        (from_profile.as_deref() != Some(trimmed.as_str())).then_some(trimmed);
                    set_override(setup, field, value);
                }
            }
            Message::Reset(field) => {
                self.typed.remove(&field);
                self.copied = None;
                set_override(setup, field, None);
            }
            Message::Copy(id, value) => {
                self.copied = Some(id);
                return Action::Run(iced::clipboard::write(value));
            }
            Message::Submit => {
                if self.can_continue(setup) {
                    return Action::Next;
                }
            }
        }
        Action::None
    }

    /// The text a field shows: what was typed, else the setup's value.
    fn shown(&self, setup: &Setup, field: Field) -> String {
        if let Some(typed) = self.typed.get(&field) {
            return typed.clone();
        }
        match field {
            Field::Relay(product) => setup.relay_state(product).unwrap_or_default(),
            Field::EntityId => entra_values(setup)
                .map(|values| values.identifier)
                .unwrap_or_default(),
            Field::ReplyUrl => entra_values(setup)
                .map(|values| values.reply_url)
                .unwrap_or_default(),
        }
    }

    fn fields(setup: &Setup) -> impl Iterator<Item = Field> + '_ {
        setup
            .products
            .iter()
            .map(|product| Field::Relay(*product))
            .chain([Field::EntityId, Field::ReplyUrl])
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut page = column![heading(tr("relay-state-heading"))];
        page = page.push(match setup.profile() {
            Some(profile) => note(tr_with(
                "relay-state-profile",
                &[
                    ("name", &profile.name),
                    ("source", &profile.source),
                    ("date", &profile.as_of),
                ],
            )),
            None => error_line(tr("relay-state-no-profile")),
        });

        // Relay state per product.
        let mut relays = column![
            subheading(tr("relay-state-products-heading")),
            note(tr("relay-state-products-intro")),
        ]
        .spacing(10);
        if setup.products.is_empty() {
            relays = relays.push(error_line(tr("relay-state-no-products")));
        }
        for product in &setup.products {
            relays = relays.push(self.field_view(setup, Field::Relay(*product)));
        }
        page = page.push(relays);

        // Entra's Basic SAML Configuration.
        let mut entra = column![
            subheading(tr("relay-state-entra-heading")),
            note(tr("relay-state-entra-where")),
            self.field_view(setup, Field::EntityId),
            self.field_view(setup, Field::ReplyUrl),
        ]
        .spacing(12);
        if let Some(values) = entra_values(setup) {
            if let Some(sign_on) = values.sign_on_url {
                entra = entra.push(self.copy_row(
                    tr("relay-state-sign-on-url"),
                    sign_on,
                    "relay-state-sign-on-url-copy",
                ));
            }
            if let Some((product, relay)) = values.relay_states.first() {
                entra = entra.push(self.copy_row(
                    tr_with("relay-state-entra-relay", &[("product", product.name())]),
                    relay.clone(),
                    "relay-state-entra-relay-copy",
                ));
                if values.relay_states.len() > 1 {
                    entra = entra.push(note(tr("relay-state-entra-relay-one")));
                }
            }
            entra = entra.push(note(tr("relay-state-name-id-where")));
            entra = entra.push(self.copy_row(
                tr("relay-state-name-id"),
                values.name_id,
                "relay-state-name-id-copy",
            ));
        }
        page = page.push(entra);

        widget::page(page)
    }

    fn copy_row<'a>(&self, label: String, value: String, id: &str) -> Element<'a, Message> {
        let copied = self.copied.as_deref() == Some(id);
        value_row(
            label,
            value.clone(),
            id.to_owned(),
            copied,
            Message::Copy(id.to_owned(), value),
        )
    }

    /// An editable value: label, field, Copy, reset, where it comes from, and what is wrong.
    fn field_view<'a>(&'a self, setup: &'a Setup, field: Field) -> Element<'a, Message> {
        let label = match field {
            Field::Relay(product) => product.name().to_owned(),
            Field::EntityId => tr("relay-state-entity-id"),
            Field::ReplyUrl => tr("relay-state-reply-url"),
        };
        let value = self.shown(setup, field);
        let widget_id = field.widget_id();
        let copy = copy_id(&widget_id);
        let differs = self
            .typed
            .get(&field)
            .is_some_and(|typed| profile_value(setup, field).as_deref() != Some(typed.trim()));
        let edited = is_overridden(setup, field) || differs;
        let origin = if edited {
            tr("relay-state-edited")
        } else {
            tr("relay-state-from-profile")
        };
        let mut view = column![
            row![
                text(label).size(14).font(widget::bold()),
                widget::note(origin).size(13)
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            row![
                text_input(&tr("relay-state-placeholder"), &value)
                    .id(widget_id.clone())
                    .on_input(move |value| Message::Edited(field, value))
                    .on_submit(Message::Submit)
                    .font(iced::Font::MONOSPACE)
                    .size(14)
                    .width(Length::Fill),
                copy_button(
                    copy.clone(),
                    self.copied.as_deref() == Some(copy.as_str()),
                    Message::Copy(copy.clone(), value.trim().to_owned()),
                ),
                small_button(
                    tr("relay-state-reset"),
                    edited.then_some(Message::Reset(field)),
                    reset_id(&widget_id),
                ),
            ]
            .spacing(8)
            .align_y(Alignment::Center),
        ]
        .spacing(4);
        if let Some(problem) = problem(field, &value) {
            view = view.push(error_line(problem));
        }
        view.into()
    }

    /// Whether Next may be pressed: products chosen, and every value valid.
    pub fn can_continue(&self, setup: &Setup) -> bool {
        !setup.products.is_empty()
            && entra_values(setup).is_some()
            && Self::fields(setup).all(|field| problem(field, &self.shown(setup, field)).is_none())
    }

    /// Stops any running work (Esc, or leaving the step). Nothing runs here.
    pub fn cancel(&mut self) {}
}

/// What is wrong with `value` for `field` (the core's check), said so that the admin knows
/// what to do.
pub fn problem(field: Field, value: &str) -> Option<String> {
    let kind = match field {
        Field::EntityId => SpValueKind::EntityId,
        Field::Relay(_) | Field::ReplyUrl => SpValueKind::Url,
    };
    let problem = check_sp_value(kind, value).err()?;
    Some(match (problem, field) {
        (SpValueProblem::Empty, Field::Relay(product)) => {
            tr_with("relay-state-error-empty", &[("product", product.name())])
        }
        (SpValueProblem::Empty, Field::EntityId) => tr("relay-state-error-entity-id-empty"),
        (SpValueProblem::Empty, Field::ReplyUrl) => tr("relay-state-error-reply-url-empty"),
        (SpValueProblem::NotUri, _) => tr("relay-state-error-entity-id"),
        (SpValueProblem::PlainHttp, _) => tr("relay-state-error-http"),
        (SpValueProblem::NotUrl, _) => tr("relay-state-error-not-url"),
    })
}

/// The profile's value for `field`.
fn profile_value(setup: &Setup, field: Field) -> Option<String> {
    let profile = setup.profile()?;
    match field {
        Field::Relay(product) => profile.saml.relay_states.get(product.key()).cloned(),
        Field::EntityId => Some(profile.saml.entity_id.clone()),
        Field::ReplyUrl => Some(profile.saml.reply_url.clone()),
    }
}

fn is_overridden(setup: &Setup, field: Field) -> bool {
    let overrides = &setup.overrides;
    match field {
        Field::Relay(product) => overrides.relay_states.contains_key(&product),
        Field::EntityId => overrides.entity_id.is_some(),
        Field::ReplyUrl => overrides.reply_url.is_some(),
    }
}

fn set_override(setup: &mut Setup, field: Field, value: Option<String>) {
    let overrides = &mut setup.overrides;
    match (field, value) {
        (Field::Relay(product), Some(value)) => {
            overrides.relay_states.insert(product, value);
        }
        (Field::Relay(product), None) => {
            overrides.relay_states.remove(&product);
        }
        (Field::EntityId, value) => overrides.entity_id = value,
        (Field::ReplyUrl, value) => overrides.reply_url = value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced_test::Simulator;
    use iced_test::selector::id;

    fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
        crate::gui::test_support::simulator(state.view(setup))
    }

    #[test]
    fn the_profile_values_are_valid_by_default() {
        let setup = Setup {
            products: Product::ALL.to_vec(),
            ..Setup::default()
        };
        let state = State::new(&setup);
        assert!(state.can_continue(&setup));
        assert_eq!(
            state.shown(&setup, Field::Relay(Product::GoToWebinar)),
            "https://global.gotowebinar.com"
        );
        assert_eq!(
            state.shown(&setup, Field::EntityId),
            "https://authentication.logmeininc.com/saml/sp"
        );
    }

    #[test]
    fn an_edit_is_validated_kept_as_typed_and_reset() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let field = Field::Relay(Product::GoToMeeting);

        let _ = state.update(
            Message::Edited(field, "http://meet.example".into()),
            &mut setup,
        );
        assert!(!state.can_continue(&setup));
        assert_eq!(
            state.shown(&setup, field),
            "http://meet.example",
            "kept as typed"
        );
        assert_eq!(
            problem(field, "http://meet.example"),
            Some(tr("relay-state-error-http"))
        );
        assert!(
            setup.overrides.relay_states.is_empty(),
            "an invalid value never reaches the setup"
        );
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::None
        ));

        let _ = state.update(
            Message::Edited(field, " https://meet.example/start ".into()),
            &mut setup,
        );
        assert!(state.can_continue(&setup));
        assert_eq!(
            setup.relay_state(Product::GoToMeeting).as_deref(),
            Some("https://meet.example/start"),
            "trimmed"
        );
        assert!(matches!(
            state.update(Message::Submit, &mut setup),
            Action::Next
        ));

        let _ = state.update(Message::Reset(field), &mut setup);
        assert!(setup.overrides.relay_states.is_empty());
        assert_eq!(state.shown(&setup, field), "https://global.gotomeeting.com");

        // Typing the profile's value makes no override.
        let _ = state.update(
            Message::Edited(field, "https://global.gotomeeting.com".into()),
            &mut setup,
        );
        assert!(setup.overrides.relay_states.is_empty());
    }

    #[test]
    fn identifier_and_reply_url_are_editable() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let _ = state.update(
            Message::Edited(
                Field::EntityId,
                "https://authentication.goto.com/saml/sp".into(),
            ),
            &mut setup,
        );
        let _ = state.update(
            Message::Edited(
                Field::ReplyUrl,
                "https://authentication.goto.com/saml/acs".into(),
            ),
            &mut setup,
        );
        let values = entra_values(&setup).unwrap();
        assert_eq!(values.identifier, "https://authentication.goto.com/saml/sp");
        assert_eq!(values.reply_url, "https://authentication.goto.com/saml/acs");
        assert!(state.can_continue(&setup));

        let _ = state.update(Message::Edited(Field::ReplyUrl, "".into()), &mut setup);
        assert!(!state.can_continue(&setup));
        assert_eq!(
            setup.overrides.reply_url.as_deref(),
            Some("https://authentication.goto.com/saml/acs"),
            "the last valid value stays in the setup"
        );
        let _ = state.update(
            Message::Edited(Field::EntityId, "not a uri".into()),
            &mut setup,
        );
        assert_eq!(
            problem(Field::EntityId, "not a uri"),
            Some(tr("relay-state-error-entity-id"))
        );
        assert_eq!(problem(Field::EntityId, "urn:goto:sp"), None);
        let _ = state.update(Message::Reset(Field::ReplyUrl), &mut setup);
        let _ = state.update(Message::Reset(Field::EntityId), &mut setup);
        assert!(state.can_continue(&setup));
        assert_eq!(setup.overrides.entity_id, None);
    }

    #[test]
    fn no_product_cannot_continue_and_copy_marks_the_button() {
        let mut setup = Setup {
            products: Vec::new(),
            ..Setup::default()
        };
        let mut state = State::new(&setup);
        assert!(!state.can_continue(&setup));
        let action = state.update(Message::Copy("x-copy".into(), "v".into()), &mut setup);
        assert!(matches!(action, Action::Run(_)));
        assert_eq!(state.copied.as_deref(), Some("x-copy"));
    }

    #[test]
    fn strings_exist() {
        widget::assert_ids_exist(include_str!("relay_state.rs"));
    }

    #[test]
    fn simulator_edits_resets_and_copies_by_id() -> Result<(), iced_test::Error> {
        let mut setup = Setup {
            profile_id: "goto-2024-gallery".into(),
            products: vec![Product::GoToMeeting, Product::GoToTraining],
            ..Setup::default()
        };
        let mut state = State::new(&setup);
        {
            let mut ui = simulator(&state, &setup);
            let _ = ui.find("https://global.gototraining.com")?;
            let _ = ui.find(tr("relay-state-sign-on-url"))?;
            let _ = ui.find("user.mail")?;
            assert!(ui.find(tr("relay-state-error-http")).is_err());
            let _ = ui.click(id("relay-state-gotomeeting-copy"))?;
            let _ = ui.click(id(relay_id(Product::GoToTraining)))?;
            let _ = ui.typewrite("x");
            let messages: Vec<Message> = ui.into_messages().collect();
            assert!(
                matches!(
                    messages.first(),
                    Some(Message::Copy(id, value))
                        if id == "relay-state-gotomeeting-copy"
                            && value == "https://global.gotomeeting.com"
                ),
                "{messages:?}"
            );
            for message in messages {
                let _ = state.update(message, &mut setup);
            }
        }
        // Typing in the field records what was typed for that product.
        assert!(
            state
                .typed
                .contains_key(&Field::Relay(Product::GoToTraining))
        );

        let _ = state.update(
            Message::Edited(Field::Relay(Product::GoToTraining), "http://x".into()),
            &mut setup,
        );
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("relay-state-error-http"))?;
        let _ = ui.click(id(reset_id(&relay_id(Product::GoToTraining))))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::Reset(Field::Relay(Product::GoToTraining))]
            ),
            "{messages:?}"
        );
        Ok(())
    }
}
