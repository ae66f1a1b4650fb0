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

/// How a status line reads: its tint comes from the theme's palette, so it stays readable in
/// both light and dark themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Went well.
    Success,
    /// Worth a look.
    Warning,
    /// Failed.
    Danger,
    /// Worth knowing, nothing to do.
    Info,
}

/// A status line on a soft background of its tone.
pub fn note<'a, M: 'a>(line: impl text::IntoFragment<'a>, tone: Tone) -> iced::Element<'a, M> {
    iced::widget::container(text(line).size(13).wrapping(text::Wrapping::WordOrGlyph))
        .padding([4, 8])
        .style(move |theme: &Theme| tinted(theme, tone))
        .into()
}

/// A container on a soft background of `tone`, its text in the matching colour.
pub fn tinted(theme: &Theme, tone: Tone) -> iced::widget::container::Style {
    let palette = theme.extended_palette();
    let pair = match tone {
        Tone::Success => palette.success.weak,
        Tone::Warning => palette.warning.weak,
        Tone::Danger => palette.danger.weak,
        Tone::Info => palette.background.strong,
    };
    iced::widget::container::Style::default()
        .background(pair.color)
        .color(pair.text)
        .border(iced::border::rounded(4))
}
