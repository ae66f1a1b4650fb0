//! The desktop window (feature `gui`). It calls the core library and never the other way round.
//!
//! `app` holds the application state and routes messages to the current screen; each screen in
//! `screen/` owns its state, its `Message` and its `view`. Every word shown comes from the Fluent files through `i18n`.

mod app;
mod flow;
mod i18n;
mod icon;
mod screen;
mod session;
#[cfg(test)]
mod test_support;
mod theme;
mod widget;
mod wizard;

/// Opens the window and runs until it is closed.
///
/// The theme follows the system's light or dark mode; set `GOTO_SSO_THEME=light|dark` to force one.
pub fn run() -> iced::Result {
    app::application().run()
}
