//! The step's work off the window's thread: writing the file, the save dialog.

use super::*;

/// Writes `bytes` to `path` privately and whole (see `private_file`), so a failure never leaves
/// half a certificate behind. Returns the path written.
pub async fn write_file(path: PathBuf, bytes: Vec<u8>) -> Result<PathBuf, String> {
    tokio::task::spawn_blocking(move || {
        let describe = |error: std::io::Error| {
            tr_with(
                "certificate-write-error",
                &[
                    ("path", &path.display().to_string()),
                    ("reason", &error.to_string()),
                ],
            )
        };
        if path.file_name().is_none() {
            return Err(describe(std::io::Error::other(tr(
                "certificate-not-a-file",
            ))));
        }
        goto_sso_wizard::private_file::write(&path, &bytes).map_err(describe)?;
        Ok(path)
    })
    .await
    .unwrap_or_else(|error| Err(error.to_string()))
}
