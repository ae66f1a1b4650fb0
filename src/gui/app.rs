//! The application root: window settings, theme, keyboard shortcuts, and routing of messages to
//! the current screen. Screens do the work; this module only turns their `Action`s into `Task`s.

use iced::keyboard::{self, Key};
use iced::window;
use iced::{Application, Element, Program, Size, Subscription, Task, Theme};

use crate::gui::flow::{self, Wizard};
use crate::gui::icon;
use crate::gui::screen::welcome::{self, Welcome};
use crate::gui::theme::ThemeChoice;

/// The window's size when it opens.
pub const DEFAULT_SIZE: Size = Size::new(860.0, 720.0);
/// The smallest size that still shows the footer and a readable column; the body scrolls.
pub const MIN_SIZE: Size = Size::new(720.0, 520.0);
/// The Wayland app id and X11 `WM_CLASS`: must match the `.desktop` file's name so that the
/// desktop shows the right icon and groups the window with its launcher.
pub const APP_ID: &str = "goto-sso-wizard";

/// The iced application, fully configured, ready to `run()`.
pub fn application() -> Application<impl Program<Message = Message, Theme = Theme>> {
    iced::application(App::new, App::update, App::view)
        .title(App::title)
        .theme(App::theme)
        .subscription(App::subscription)
        .window(window_settings())
}

fn window_settings() -> window::Settings {
    window::Settings {
        size: DEFAULT_SIZE,
        min_size: Some(MIN_SIZE),
        position: window::Position::Centered,
        icon: icon::window_icon(),
        #[cfg(target_os = "linux")]
        platform_specific: window::settings::PlatformSpecific {
            application_id: APP_ID.to_owned(),
            ..Default::default()
        },
        ..window::Settings::default()
    }
}

/// The whole application's state.
#[derive(Debug)]
pub struct App {
    screen: Screen,
    theme: ThemeChoice,
}

/// The screen on show: the welcome page, then the wizard.
#[derive(Debug)]
enum Screen {
    Welcome(Welcome),
    Wizard(Box<Wizard>),
}

/// Everything that can happen in the application.
#[derive(Debug, Clone)]
pub enum Message {
    /// A message for the welcome screen.
    Welcome(welcome::Message),
    /// A message for the wizard.
    Wizard(flow::Message),
    /// The close shortcut (Ctrl+Q, or Cmd+Q on macOS) was pressed.
    CloseShortcut,
    /// Tab: the next field takes the keyboard focus.
    FocusNext,
    /// Shift+Tab: the previous field takes the keyboard focus.
    FocusPrevious,
}

impl App {
    /// Starts on the welcome screen, with the theme from the environment.
    pub fn new() -> Self {
        Self::with_theme(ThemeChoice::from_env())
    }

    /// Starts on the welcome screen with the given theme (tests use this: no environment).
    pub fn with_theme(theme: ThemeChoice) -> Self {
        Self {
            screen: Screen::Welcome(Welcome::new()),
            theme,
        }
    }

    /// The window title.
    pub fn title(&self) -> String {
        crate::gui::i18n::tr("window-title")
    }

    /// Routes a message to its screen and runs what the screen asks for.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        match (message, &mut self.screen) {
            (Message::Welcome(message), Screen::Welcome(welcome)) => {
                match welcome.update(message) {
                    welcome::Action::CopyToClipboard(contents) => iced::clipboard::write(contents),
                    welcome::Action::Close => iced::exit(),
                    welcome::Action::Begin => {
                        self.screen = Screen::Wizard(Box::new(Wizard::new()));
                        Task::none()
                    }
                }
            }
            (Message::Wizard(message), Screen::Wizard(wizard)) => {
                wizard.update(message).map(Message::Wizard)
            }
            // Enter on the welcome page starts the wizard, as its primary button does.
            (Message::Wizard(flow::Message::Next), Screen::Welcome(_)) => {
                self.screen = Screen::Wizard(Box::new(Wizard::new()));
                Task::none()
            }
            (Message::CloseShortcut, _) => iced::exit(),
            // iced moves the focus only when asked: Tab and Shift+Tab walk the fields.
            (Message::FocusNext, _) => iced::widget::operation::focus_next(),
            (Message::FocusPrevious, _) => iced::widget::operation::focus_previous(),
            // A message for a screen no longer shown (a late task result) is dropped.
            (Message::Welcome(_) | Message::Wizard(_), _) => Task::none(),
        }
    }

    /// Shows the current screen.
    pub fn view(&self) -> Element<'_, Message> {
        match &self.screen {
            Screen::Welcome(welcome) => welcome.view().map(Message::Welcome),
            Screen::Wizard(wizard) => wizard.view().map(Message::Wizard),
        }
    }

    /// `None` follows the system's light or dark mode.
    pub fn theme(&self) -> Option<Theme> {
        self.theme.theme()
    }

    /// Keyboard shortcuts. Only key presses no widget used reach here (`keyboard::listen`).
    pub fn subscription(&self) -> Subscription<Message> {
        keyboard::listen().filter_map(shortcut)
    }
}

/// Maps a key press to an application-wide shortcut.
fn shortcut(event: keyboard::Event) -> Option<Message> {
    let keyboard::Event::KeyPressed { key, modifiers, .. } = event else {
        return None;
    };
    match key.as_ref() {
        Key::Character("q") if modifiers.command() => Some(Message::CloseShortcut),
        Key::Named(keyboard::key::Named::Enter) if modifiers.is_empty() => {
            Some(Message::Wizard(flow::Message::Next))
        }
        Key::Named(keyboard::key::Named::Escape) => Some(Message::Wizard(flow::Message::Cancel)),
        Key::Named(keyboard::key::Named::Tab) if modifiers.shift() => Some(Message::FocusPrevious),
        Key::Named(keyboard::key::Named::Tab) => Some(Message::FocusNext),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gui::i18n::tr;
    use crate::gui::screen::welcome::STEPS;
    use crate::gui::screen::welcome::{CLOSE_ID, CliCommand};

    use iced::keyboard::Modifiers;
    use iced::keyboard::key::{NativeCode, Physical};
    use iced_test::selector::id;
    use iced_test::{Error, Simulator};

    // With the default features the only renderer is tiny-skia, so the simulator needs no
    // `ICED_TEST_BACKEND`. With `--features wgpu`, set `ICED_TEST_BACKEND=tiny-skia` to keep
    // these tests off the GPU.
    fn simulator(app: &App, size: Size) -> Simulator<'_, Message> {
        Simulator::with_size(iced::Settings::default(), size, app.view())
    }

    #[test]
    fn welcome_shows_the_heading_and_all_six_steps() -> Result<(), Error> {
        let app = App::with_theme(ThemeChoice::Light);
        let mut ui = simulator(&app, DEFAULT_SIZE);

        let _ = ui.find(tr("welcome-heading"))?;
        let _ = ui.find("What the wizard does")?;
        for stem in STEPS {
            let _ = ui.find(tr(&format!("{stem}-title")))?;
            let _ = ui.find(tr(&format!("{stem}-detail")))?;
        }
        let _ = ui.find(tr("welcome-support"))?;
        for command in CliCommand::ALL {
            let _ = ui.find(command.command_line())?;
        }
        assert!(
            ui.find("Connect Okta to Zoom").is_err(),
            "find must be able to fail"
        );
        Ok(())
    }

    #[test]
    fn clicking_copy_by_id_marks_that_command_copied() -> Result<(), Error> {
        let mut app = App::with_theme(ThemeChoice::Light);

        // At the default size the whole screen fits: the copy buttons are visible, so clickable.
        let mut ui = simulator(&app, DEFAULT_SIZE);
        assert!(ui.find(tr("welcome-copied")).is_err(), "nothing copied yet");
        let _ = ui.click(id(CliCommand::CertShow.copy_id()))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::Welcome(welcome::Message::CopyPressed(
                    CliCommand::CertShow
                ))]
            ),
            "{messages:?}"
        );

        for message in messages {
            let _task = app.update(message);
        }

        let mut ui = simulator(&app, DEFAULT_SIZE);
        let _ = ui.find(tr("welcome-copied"))?;
        Ok(())
    }

    #[test]
    fn clicking_close_by_id_sends_close_pressed_even_at_the_minimum_size() -> Result<(), Error> {
        let app = App::with_theme(ThemeChoice::Dark);
        // The footer stays put while the body scrolls, so Close is reachable at the smallest size.
        let mut ui = simulator(&app, MIN_SIZE);

        let _ = ui.click(id(CLOSE_ID))?;

        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::Welcome(welcome::Message::ClosePressed)]
            ),
            "{messages:?}"
        );
        Ok(())
    }

    #[test]
    fn update_routes_to_the_welcome_screen() {
        let mut app = App::with_theme(ThemeChoice::System);
        let _task = app.update(Message::Welcome(welcome::Message::CopyPressed(
            CliCommand::MetadataInspect,
        )));
        let Screen::Welcome(welcome) = &app.screen else {
            panic!("still on the welcome screen")
        };
        assert_eq!(
            welcome.copied(),
            Some(CliCommand::MetadataInspect),
            "the copy reached the screen"
        );
    }

    #[test]
    fn ctrl_q_is_the_close_shortcut_and_plain_q_is_not() {
        let press = |modifiers| keyboard::Event::KeyPressed {
            key: Key::Character("q".into()),
            modified_key: Key::Character("q".into()),
            physical_key: Physical::Unidentified(NativeCode::Unidentified),
            location: keyboard::Location::Standard,
            modifiers,
            text: None,
            repeat: false,
        };
        assert!(matches!(
            shortcut(press(Modifiers::COMMAND)),
            Some(Message::CloseShortcut)
        ));
        assert!(shortcut(press(Modifiers::empty())).is_none());
    }

    #[test]
    fn tab_and_shift_tab_move_the_focus_and_enter_esc_drive_the_wizard() {
        let press = |key: Key, modifiers| keyboard::Event::KeyPressed {
            key: key.clone(),
            modified_key: key,
            physical_key: Physical::Unidentified(NativeCode::Unidentified),
            location: keyboard::Location::Standard,
            modifiers,
            text: None,
            repeat: false,
        };
        use keyboard::key::Named;
        assert!(matches!(
            shortcut(press(Key::Named(Named::Tab), Modifiers::empty())),
            Some(Message::FocusNext)
        ));
        assert!(matches!(
            shortcut(press(Key::Named(Named::Tab), Modifiers::SHIFT)),
            Some(Message::FocusPrevious)
        ));
        assert!(matches!(
            shortcut(press(Key::Named(Named::Enter), Modifiers::empty())),
            Some(Message::Wizard(flow::Message::Next))
        ));
        assert!(matches!(
            shortcut(press(Key::Named(Named::Escape), Modifiers::empty())),
            Some(Message::Wizard(flow::Message::Cancel))
        ));
    }

    #[test]
    fn title_and_theme() {
        let app = App::with_theme(ThemeChoice::Dark);
        assert_eq!(app.title(), "GoTo SSO Wizard");
        assert_eq!(app.theme(), Some(Theme::Dark));
        assert_eq!(App::with_theme(ThemeChoice::System).theme(), None);
    }
}
