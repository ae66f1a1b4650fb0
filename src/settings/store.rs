//! Reading and writing `settings.json`: atomic saves, and loads that never fail (a damaged or
//! newer file is kept as a backup, defaults are used, and the user is told).

use std::ffi::OsString;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::format_description;

use super::{SETTINGS_VERSION, Settings, SettingsError};
use crate::private_file;

/// The environment variable that overrides the settings folder (tests, portable use).
pub const CONFIG_DIR_ENV: &str = "GOTO_SSO_CONFIG_DIR";

/// The settings file's name inside the settings folder.
pub const SETTINGS_FILE: &str = "settings.json";

/// The settings folder and the file in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsStore {
    dir: PathBuf,
}

/// What [`SettingsStore::load`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded {
    /// The settings to use: the file's, or defaults when it was missing or unusable.
    pub settings: Settings,
    /// What the user should be told, when the file could not be used: what was wrong, and
    /// where the old file was kept.
    pub notice: Option<String>,
}

/// Why a file's settings were not used.
enum Unusable {
    /// Not JSON, or not the shape of [`Settings`]; the text says where.
    Damaged(String),
    /// Written by a newer version, in a format this one may misread.
    Newer(u64),
}

impl SettingsStore {
    /// The platform's config folder for this program (`~/.config/goto-sso-wizard` on Linux,
    /// `%APPDATA%\goto-sso-wizard\goto-sso-wizard\config` on Windows,
    /// `~/Library/Application Support/io.github.goto-sso-wizard` on macOS), or the folder
    /// named by `GOTO_SSO_CONFIG_DIR`.
    pub fn open_default() -> Result<SettingsStore, SettingsError> {
        default_dir(std::env::var_os(CONFIG_DIR_ENV)).map(SettingsStore::at)
    }

    /// Settings kept in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> SettingsStore {
        SettingsStore { dir: dir.into() }
    }

    /// The settings folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The settings file.
    pub fn path(&self) -> PathBuf {
        self.dir.join(SETTINGS_FILE)
    }

    /// The saved settings. Never fails: a missing file gives defaults; a damaged file, or one
    /// from a newer version, is kept as `settings.json.bak-<UTC time>` and gives defaults with
    /// a notice saying so.
    pub fn load(&self) -> Loaded {
        self.load_at(OffsetDateTime::now_utc())
    }

    /// [`SettingsStore::load`] with the clock fixed, for tests of backup names.
    pub(super) fn load_at(&self, now: OffsetDateTime) -> Loaded {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Loaded {
                    settings: Settings::default(),
                    notice: None,
                };
            }
            Err(error) => {
                return Loaded {
                    settings: Settings::default(),
                    notice: Some(format!(
                        "The settings file {} could not be read ({error}), so default settings \
                         are used. Check its permissions; saving settings will replace it.",
                        path.display()
                    )),
                };
            }
        };
        match parse(&bytes) {
            Ok(settings) => Loaded {
                settings,
                notice: None,
            },
            Err(unusable) => Loaded {
                settings: Settings::default(),
                notice: Some(self.set_aside(&bytes, unusable, now)),
            },
        }
    }

    /// Saves `settings` (as [`SETTINGS_VERSION`]) atomically: a reader sees the old file or
    /// the new one, never a part. Creates the folder; on Unix the file is private (0600).
    pub fn save(&self, settings: &Settings) -> Result<(), SettingsError> {
        let mut current = settings.clone();
        current.version = SETTINGS_VERSION;
        let mut json =
            serde_json::to_vec_pretty(&current).map_err(|source| SettingsError::Serialize {
                source: Arc::new(source),
            })?;
        json.push(b'\n');
        private_file::create_private_dir(&self.dir).map_err(|source| SettingsError::CreateDir {
            path: self.dir.clone(),
            source: Arc::new(source),
        })?;
        self.replace_file(&json)
            .map_err(|source| SettingsError::Write {
                path: self.dir.clone(),
                source: Arc::new(source),
            })
    }

    /// Writes the settings file privately and whole (see [`crate::private_file`]).
    fn replace_file(&self, contents: &[u8]) -> io::Result<()> {
        private_file::write(&self.path(), contents)
    }

    /// Keeps an unusable file as a backup beside it and says what happened.
    fn set_aside(&self, bytes: &[u8], unusable: Unusable, now: OffsetDateTime) -> String {
        let path = self.path();
        let what = match unusable {
            Unusable::Damaged(problem) => format!(
                "The settings file {} is damaged ({problem}), so default settings are used.",
                path.display()
            ),
            Unusable::Newer(version) => format!(
                "The settings file {} was written by a newer version of goto-sso-wizard \
                 (settings version {version}; this version reads up to {SETTINGS_VERSION}), so \
                 default settings are used.",
                path.display()
            ),
        };
        match self.write_backup(bytes, now) {
            Ok(backup) => {
                // The backup holds the contents now; removing the original stops every later
                // start from reporting it again. If that fails, saving will replace it.
                let _ = fs::remove_file(&path);
                format!("{what} The old file was kept as {}.", backup.display())
            }
            Err(error) => format!(
                "{what} It could not be kept as a backup ({error}) and will be replaced when \
                 settings are saved: copy it elsewhere now if you need it."
            ),
        }
    }

    /// Copies `bytes` to `settings.json.bak-<UTC time>` (with `-2`, `-3`… when taken): a new
    /// file every time, never overwriting an earlier backup.
    fn write_backup(&self, bytes: &[u8], now: OffsetDateTime) -> io::Result<PathBuf> {
        let stamp = now
            .to_offset(time::UtcOffset::UTC)
            .format(format_description!(
                "[year][month][day]T[hour][minute][second]Z"
            ))
            .map_err(io::Error::other)?;
        let base = format!("{SETTINGS_FILE}.bak-{stamp}");
        for attempt in 1..=1000 {
            let name = match attempt {
                1 => base.clone(),
                n => format!("{base}-{n}"),
            };
            let backup = self.dir.join(name);
            let mut file = match private_file::create_new(&backup) {
                Ok(file) => file,
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(error) => return Err(error),
            };
            let written = file.write_all(bytes).and_then(|()| file.sync_all());
            if let Err(error) = written {
                drop(file);
                let _ = fs::remove_file(&backup);
                return Err(error);
            }
            return Ok(backup);
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "too many backups from the same second",
        ))
    }
}

/// `GOTO_SSO_CONFIG_DIR` when set and not empty, else the platform's config folder.
pub(super) fn default_dir(override_dir: Option<OsString>) -> Result<PathBuf, SettingsError> {
    if let Some(dir) = override_dir.filter(|dir| !dir.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("io.github", "goto-sso-wizard", "goto-sso-wizard")
        .map(|dirs| dirs.config_dir().to_path_buf())
        .ok_or(SettingsError::NoConfigDir)
}

/// The file's settings, or why they cannot be used.
fn parse(bytes: &[u8]) -> Result<Settings, Unusable> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| Unusable::Damaged(describe(&error)))?;
    // The version first: a newer file may not have the shape this version expects, and
    // "written by a newer version" is what the user needs to hear then.
    let version = match value.get("version") {
        None => u64::from(SETTINGS_VERSION),
        Some(version) => version
            .as_u64()
            .ok_or_else(|| Unusable::Damaged("its \"version\" is not a whole number".to_owned()))?,
    };
    if version > u64::from(SETTINGS_VERSION) {
        return Err(Unusable::Newer(version));
    }
    // Parsed from the bytes again rather than from `value`, so errors have a line and column.
    let mut settings: Settings =
        serde_json::from_slice(bytes).map_err(|error| Unusable::Damaged(describe(&error)))?;
    settings.version = SETTINGS_VERSION;
    Ok(settings)
}

/// Where and what kind of problem, without serde's message: it can quote the file's values.
fn describe(error: &serde_json::Error) -> String {
    let kind = match error.classify() {
        serde_json::error::Category::Syntax => "it is not valid JSON",
        serde_json::error::Category::Eof => "it ends too early",
        serde_json::error::Category::Data => "it holds a value this version does not expect",
        serde_json::error::Category::Io => "it could not be read",
    };
    if error.line() == 0 {
        kind.to_owned()
    } else {
        format!("{kind}, at line {} column {}", error.line(), error.column())
    }
}
