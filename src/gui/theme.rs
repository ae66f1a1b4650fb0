//! Which theme the window uses: the system's light or dark mode, unless `GOTO_SSO_THEME` says
//! otherwise (useful for screenshots and for people whose desktop reports no preference).

use iced::Theme;

/// The environment variable that forces a theme: `light`, `dark` or `system` (the default).
pub const ENV_VAR: &str = "GOTO_SSO_THEME";

/// The theme the person asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow the desktop's light/dark setting, and its changes while the window is open.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// Reads [`ENV_VAR`]. A value it does not know never stops the app: it falls back to
    /// [`ThemeChoice::System`] and says so on standard error.
    pub fn from_env() -> Self {
        let value = std::env::var(ENV_VAR).ok();
        match Self::parse(value.as_deref()) {
            Ok(choice) => choice,
            Err(unknown) => {
                eprintln!(
                    "warning: {ENV_VAR}={unknown:?} is not one of light, dark, system; \
                     following the system theme"
                );
                Self::System
            }
        }
    }

    /// Parses a value of [`ENV_VAR`]; unset or empty means [`ThemeChoice::System`].
    pub fn parse(value: Option<&str>) -> Result<Self, String> {
        match value.map(|v| v.trim().to_ascii_lowercase()).as_deref() {
            None | Some("" | "system" | "auto") => Ok(Self::System),
            Some("light") => Ok(Self::Light),
            Some("dark") => Ok(Self::Dark),
            Some(_) => Err(value.unwrap_or_default().to_owned()),
        }
    }

    /// The theme for iced: `None` lets iced follow the system's mode (it watches for changes).
    pub fn theme(self) -> Option<Theme> {
        match self {
            Self::System => None,
            Self::Light => Some(Theme::Light),
            Self::Dark => Some(Theme::Dark),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_values_and_rejects_others() {
        assert_eq!(ThemeChoice::parse(None), Ok(ThemeChoice::System));
        assert_eq!(ThemeChoice::parse(Some("")), Ok(ThemeChoice::System));
        assert_eq!(ThemeChoice::parse(Some("system")), Ok(ThemeChoice::System));
        assert_eq!(ThemeChoice::parse(Some(" Dark ")), Ok(ThemeChoice::Dark));
        assert_eq!(ThemeChoice::parse(Some("LIGHT")), Ok(ThemeChoice::Light));
        assert_eq!(ThemeChoice::parse(Some("purple")), Err("purple".to_owned()));
    }

    #[test]
    fn system_leaves_the_choice_to_iced() {
        assert_eq!(ThemeChoice::System.theme(), None);
        assert_eq!(ThemeChoice::Dark.theme(), Some(Theme::Dark));
        assert_eq!(ThemeChoice::Light.theme(), Some(Theme::Light));
    }
}
