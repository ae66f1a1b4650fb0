//! The OAuth client behind "Authorize in the browser", explained where the admin needs it: how
//! to create one in GoTo's Developer Center, the redirect URI to register (with Copy), and the
//! port on this computer the browser comes back to (a fixed one by default, since GoTo accepts
//! only redirect URIs registered exactly; any free port on request).

use goto_sso_wizard::provisioning::{CallbackPort, DEFAULT_CALLBACK_PORT};
use iced::widget::{checkbox, column, container, row, text, text_input};
use iced::{Alignment, Element, Fill, Font};

use super::Action;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget;
use crate::gui::widget::style::{bold, muted};

/// Widget ids, for tests and keyboard focus.
pub mod id {
    /// The port field.
    pub const PORT: &str = "oauth-client-port";
    /// "Use any free port".
    pub const ANY_PORT: &str = "oauth-client-any-port";
    /// Copy the redirect URI.
    pub const COPY_REDIRECT_URI: &str = "oauth-client-copy-redirect-uri";
}

/// The port choice as typed.
#[derive(Debug, Clone)]
pub struct State {
    port: String,
    any_port: bool,
    copied: bool,
}

/// What the admin does here.
#[derive(Debug, Clone)]
pub enum Message {
    /// The port field was edited.
    PortChanged(String),
    /// "Use any free port" ticked or unticked.
    AnyPortToggled(bool),
    /// Copy the redirect URI.
    CopyRedirectUri,
}

impl State {
    /// From the saved port (`None`: the default; `Some(0)`: any free port).
    pub fn new(saved: Option<u16>) -> Self {
        let port = saved.map_or(CallbackPort::default(), CallbackPort::from_number);
        Self {
            port: match port {
                CallbackPort::Fixed(number) => number.to_string(),
                CallbackPort::Any => DEFAULT_CALLBACK_PORT.to_string(),
            },
            any_port: port == CallbackPort::Any,
            copied: false,
        }
    }

    /// The port to listen on, or `None` while the typed one is not a usable port.
    pub fn callback_port(&self) -> Option<CallbackPort> {
        if self.any_port {
            Some(CallbackPort::Any)
        } else {
            CallbackPort::parse_fixed(&self.port)
        }
    }

    /// What the settings keep: nothing for the default.
    pub fn saved_port(&self) -> Option<u16> {
        self.callback_port()
            .filter(|port| *port != CallbackPort::default())
            .map(CallbackPort::number)
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Action<Message> {
        match message {
            Message::PortChanged(port) => {
                self.port = port;
                self.copied = false;
            }
            Message::AnyPortToggled(any) => {
                self.any_port = any;
                self.copied = false;
            }
            Message::CopyRedirectUri => {
                if let Some(uri) = self.callback_port().and_then(CallbackPort::redirect_uri) {
                    self.copied = true;
                    return Action::Run(iced::clipboard::write(uri));
                }
            }
        }
        Action::None
    }

    /// The guidance, the redirect URI and the port choice.
    pub fn view(&self) -> Element<'_, Message> {
        let mut content = column![
            text(tr("oauth-client-heading")).size(15).font(bold()),
            text(tr("oauth-client-steps")).size(14),
        ]
        .spacing(8);
        match self.callback_port() {
            Some(CallbackPort::Fixed(port)) => {
                let uri = CallbackPort::Fixed(port).redirect_uri().unwrap_or_default();
                content = content.push(widget::value_row(
                    tr("oauth-client-redirect-uri"),
                    uri,
                    id::COPY_REDIRECT_URI.to_owned(),
                    self.copied,
                    Message::CopyRedirectUri,
                ));
            }
            Some(CallbackPort::Any) => {
                content =
                    content.push(text(tr("oauth-client-any-port-note")).size(13).style(muted));
            }
            None => {
                content = content.push(text(tr("oauth-client-port-invalid")).size(13));
            }
        }
        let mut port = text_input(&DEFAULT_CALLBACK_PORT.to_string(), &self.port)
            .id(id::PORT)
            .font(Font::MONOSPACE)
            .padding(6)
            .width(110);
        if !self.any_port {
            port = port.on_input(Message::PortChanged);
        }
        content = content.push(
            row![
                text(tr("oauth-client-port")).size(14),
                port,
                container(
                    checkbox(self.any_port)
                        .label(tr("oauth-client-any-port"))
                        .on_toggle(Message::AnyPortToggled)
                        .size(16)
                )
                .id(id::ANY_PORT),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
        );
        content = content.push(
            text(tr_with(
                "oauth-client-basic",
                &[("default", &DEFAULT_CALLBACK_PORT.to_string())],
            ))
            .size(13)
            .style(muted)
            .width(Fill),
        );
        content.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_port_is_fixed_and_its_redirect_uri_can_be_copied() {
        let mut state = State::new(None);
        assert_eq!(
            state.callback_port(),
            Some(CallbackPort::Fixed(DEFAULT_CALLBACK_PORT))
        );
        assert_eq!(state.saved_port(), None);
        assert!(matches!(
            state.update(Message::CopyRedirectUri),
            Action::Run(_)
        ));
        assert!(state.copied);
    }

    #[test]
    fn a_typed_port_is_kept_and_a_bad_one_is_refused() {
        let mut state = State::new(None);
        let _ = state.update(Message::PortChanged("51234".into()));
        assert_eq!(state.callback_port(), Some(CallbackPort::Fixed(51234)));
        assert_eq!(state.saved_port(), Some(51234));
        for bad in ["", "80", "70000", "port"] {
            let _ = state.update(Message::PortChanged(bad.into()));
            assert_eq!(state.callback_port(), None, "{bad:?}");
            assert!(matches!(
                state.update(Message::CopyRedirectUri),
                Action::None
            ));
        }
    }

    #[test]
    fn any_free_port_is_saved_as_zero_and_restored() {
        let mut state = State::new(None);
        let _ = state.update(Message::AnyPortToggled(true));
        assert_eq!(state.callback_port(), Some(CallbackPort::Any));
        assert_eq!(state.saved_port(), Some(0));
        let restored = State::new(Some(0));
        assert_eq!(restored.callback_port(), Some(CallbackPort::Any));
        let restored = State::new(Some(50000));
        assert_eq!(restored.callback_port(), Some(CallbackPort::Fixed(50000)));
    }
}
