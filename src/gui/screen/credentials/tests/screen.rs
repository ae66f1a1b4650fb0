//! The screen by widget id, and its strings.

use super::*;

fn is_widget_id(piece: &str) -> bool {
    let fields = [
        SecretField::ClientSecret,
        SecretField::Token,
        SecretField::Password,
    ];
    [
        id::BASE_URL,
        id::AUTHORIZE_URL,
        id::TOKEN_URL,
        id::CLIENT_ID,
        id::SCOPES,
        id::ADMIN_USER,
        id::AUTHORIZE,
        id::CANCEL_AUTHORIZE,
        id::COPY_URL,
        id::REMEMBER,
        id::SAVE_AGAIN,
        id::USE_SAVED,
        id::FORGET,
    ]
    .into_iter()
    .chain(Kind::ALL.map(Kind::radio_id))
    .chain(fields.map(SecretField::id))
    .chain(fields.map(SecretField::toggle_id))
    .any(|known| known == piece)
}

#[test]
fn every_string_id_used_here_is_defined() {
    let sources = [
        include_str!("../mod.rs"),
        include_str!("../authorization.rs"),
        include_str!("../form.rs"),
        include_str!("../remember.rs"),
        include_str!("../update.rs"),
        include_str!("../view.rs"),
    ];
    let mut checked = 0;
    for piece in sources
        .iter()
        .flat_map(|source| source.split('"').skip(1).step_by(2))
    {
        let is_id = (piece.starts_with("credentials-") || piece.starts_with("common-"))
            && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
        // Widget ids share the prefix; a string id is one the bundle knows or must know.
        if is_id && !piece.ends_with('-') && tr(piece) == piece && !is_widget_id(piece) {
            panic!("no English string for {piece}");
        }
        checked += usize::from(is_id);
    }
    assert!(checked > 10, "the scan found the ids");
}

#[test]
fn the_screen_by_widget_id() -> Result<(), iced_test::Error> {
    let mut setup = Setup::default();
    let mut state = with_base_url(&mut setup);
    let _ = state.update(Message::KindSelected(Kind::ScimToken), &mut setup);

    let mut ui = Simulator::with_size(
        iced::Settings::default(),
        Size::new(860.0, 1400.0),
        state.view(&setup),
    );
    let _ = ui.find(tr("credentials-heading").as_str())?;
    let _ = ui.find(by_id(Kind::Browser.radio_id()))?;
    let _ = ui.find(tr("credentials-show").as_str())?;
    assert!(ui.find(tr("credentials-hide").as_str()).is_err());
    let _ = ui.click(by_id(SecretField::Token.toggle_id()))?;
    let _ = ui.click(by_id(Kind::LegacyPassword.radio_id()))?;
    let _ = ui.click(by_id(SecretField::Token.id()))?;
    let _ = ui.typewrite("abc");
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        matches!(
            messages.as_slice(),
            [
                Message::ToggleReveal(SecretField::Token),
                Message::KindSelected(Kind::LegacyPassword),
                Message::SecretChanged(SecretField::Token, _),
                ..
            ]
        ),
        "{messages:?}"
    );
    for message in messages {
        let _ = state.update(message, &mut setup);
    }

    // Now the legacy kind, with its deprecation notice and the token field shown.
    let mut ui = Simulator::with_size(
        iced::Settings::default(),
        Size::new(860.0, 1400.0),
        state.view(&setup),
    );
    let _ = ui.find(tr("credentials-legacy-notice").as_str())?;
    let _ = ui.find(by_id(id::ADMIN_USER))?;
    let _ = ui.find(by_id(id::REMEMBER))?;
    assert!(ui.find(by_id(id::AUTHORIZE)).is_err(), "browser only");
    Ok(())
}
