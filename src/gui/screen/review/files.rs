//! Writing the report (HTML or Markdown, with its JSON beside it) and the setup file.

use super::*;

/// A report's two files and their contents, made on the window's thread, written in a task.
#[derive(Debug, Clone)]
pub struct ReportFiles {
    /// The HTML or Markdown file.
    pub main: PathBuf,
    /// Its contents.
    pub body: String,
    /// The JSON file beside it (`<name>.json`).
    pub json: PathBuf,
    /// Its contents.
    pub json_body: String,
}

impl ReportFiles {
    /// The files for `report` at `path` (the extension is set to the format's when it has
    /// none, or `.json`, which is the JSON file's).
    pub fn new(report: &Report, path: &Path, format: ReportFormat) -> Self {
        let main = match path.extension().and_then(|e| e.to_str()) {
            None => path.with_extension(format.extension()),
            Some(extension) if extension.eq_ignore_ascii_case("json") => {
                path.with_extension(format.extension())
            }
            Some(_) => path.to_path_buf(),
        };
        let body = match format {
            ReportFormat::Html => report.to_html(),
            ReportFormat::Markdown => report.to_markdown(),
        };
        Self {
            json: main.with_extension("json"),
            main,
            body,
            json_body: report.to_json(),
        }
    }

    /// Writes both files atomically. Blocks.
    pub fn write(&self) -> Result<Vec<PathBuf>, String> {
        for (path, body) in [(&self.main, &self.body), (&self.json, &self.json_body)] {
            goto_sso_wizard::private_file::write(path, body.as_bytes()).map_err(|error| {
                tr_with(
                    "review-write-failed",
                    &[
                        ("path", &widget::display(path)),
                        ("reason", &error.to_string()),
                    ],
                )
            })?;
        }
        Ok(vec![self.main.clone(), self.json.clone()])
    }
}

/// The typed setup path, with `.json` added when it has no extension.
pub(super) fn setup_file_path(path: &Path) -> PathBuf {
    if path.extension().is_none() {
        path.with_extension("json")
    } else {
        path.to_path_buf()
    }
}

/// Saves `setup` to `path`, then puts it first in the settings' recent setups. A settings
/// problem never fails the save: it comes back as a note. Blocks.
pub fn save_setup(
    setup: &Setup,
    path: &Path,
    store: Result<&SettingsStore, &String>,
) -> Result<Saved, String> {
    setup
        .save(path)
        .map_err(|error| widget::error_chain(&error))?;
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let settings_note = match store {
        Ok(store) => {
            let loaded = store.load();
            let mut settings = loaded.settings;
            settings.remember_setup(&path);
            match store.save(&settings) {
                Ok(()) => loaded.notice,
                Err(error) => Some(widget::error_chain(&error)),
            }
        }
        Err(reason) => Some(reason.clone()),
    };
    Ok(Saved {
        path,
        settings_note,
    })
}
