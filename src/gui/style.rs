//! Styles every screen shares, derived from the theme's palette so they read well in light and
//! dark themes alike.

use iced::font::Weight;
use iced::widget::{button, text};
use iced::{Font, Theme};

/// The bold variant of the default font.
pub fn bold() -> Font {
    Font {
        weight: Weight::Bold,
        ..Font::DEFAULT
    }
}

/// Secondary text that keeps its contrast in both themes.
pub fn muted(theme: &Theme) -> text::Style {
    text::Style {
        color: Some(
            theme
                .extended_palette()
                .background
                .base
                .text
                .scale_alpha(0.75),
        ),
    }
}

/// A quiet bordered button that reads well on both themes.
pub fn outlined(theme: &Theme, status: button::Status) -> button::Style {
    let palette = theme.extended_palette();
    let background = match status {
        button::Status::Hovered | button::Status::Pressed => palette.background.weak,
        button::Status::Active | button::Status::Disabled => palette.background.base,
    };
    let text_color = if status == button::Status::Disabled {
        background.text.scale_alpha(0.5)
    } else {
        background.text
    };
    button::Style {
        background: Some(background.color.into()),
        text_color,
        border: iced::Border {
            color: palette.background.strong.color,
            width: 1.0,
            radius: 4.0.into(),
        },
        ..button::Style::default()
    }
}
