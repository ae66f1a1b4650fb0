//! The one way files with personal data are written: reports, setups, exported certificates and
//! settings. A reader never sees half a file, a crash never leaves one, nobody else can read it,
//! and a symbolic link planted in the folder is never followed.
//!
//! How: a new temporary file beside the target, with a random name, created with `create_new`
//! (`O_CREAT | O_EXCL`: it fails on any existing name, a symbolic link included, so it never
//! follows one), mode 0600 on Unix; the bytes are written and flushed to disk, the file is
//! renamed over the target (which replaces a link at the target rather than writing through
//! it), and the folder is flushed so the rename survives a crash.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use ring::rand::{SecureRandom, SystemRandom};

/// Writes `bytes` to `path`, replacing what is there, privately and whole. Blocks.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = folder_of(path);
    let name = path
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} names no file", path.display()),
            )
        })?
        .to_string_lossy()
        .into_owned();
    let (temporary, mut file) = create_temporary(folder, &name)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| {
            drop(file);
            fs::rename(&temporary, path)
        });
    if let Err(error) = written {
        let _ = fs::remove_file(&temporary);
        return Err(error);
    }
    sync_folder(folder);
    Ok(())
}

/// Creates `path` as a new private file (never an existing one, never through a link), for
/// files that must not replace anything, such as backups.
pub fn create_new(path: &Path) -> io::Result<File> {
    private_options().open(path)
}

/// Creates `dir` and its parents; folders it creates are private on Unix.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// The folder `path` is in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|folder| !folder.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Options for a new file that only the user can read.
fn private_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// A new hidden file in `folder` whose name nobody can guess in advance, so nobody can place a
/// link there first (and `create_new` refuses one if they try anyway).
fn create_temporary(folder: &Path, name: &str) -> io::Result<(PathBuf, File)> {
    let random = SystemRandom::new();
    let mut last_error = None;
    for _ in 0..16 {
        let mut bytes = [0u8; 8];
        random
            .fill(&mut bytes)
            .map_err(|_| io::Error::other("the system's random number generator failed"))?;
        let path = folder.join(format!(".{name}.{}.tmp", hex::encode(bytes)));
        match private_options().open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => last_error = Some(error),
            Err(error) => return Err(error),
        }
    }
    Err(last_error.unwrap_or_else(|| io::Error::other("no temporary file could be created")))
}

/// Flushes the folder's entry list, so a completed rename is on disk. Unix only: Windows has
/// no way to open a folder for this, and its rename is journalled.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_and_replaces_leaving_no_temporary_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("report.html");
        write(&path, b"one").unwrap();
        write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names_in(folder.path()), ["report.html"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_contents_and_leaves_nothing_behind() {
        let folder = tempfile::tempdir().unwrap();
        // A folder where the file should go: the rename fails after the temporary was written.
        let path = folder.path().join("setup.json");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), b"kept").unwrap();
        assert!(write(&path, b"new").is_err());
        assert_eq!(names_in(folder.path()), ["setup.json"]);
        assert_eq!(fs::read(path.join("inside")).unwrap(), b"kept");
        assert!(write(&folder.path().join("no/such/folder/x"), b"x").is_err());
    }

    #[test]
    fn a_path_without_a_file_name_is_refused() {
        assert_eq!(
            write(Path::new("/"), b"x").unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
    }

    #[test]
    fn temporary_names_differ_every_time() {
        let folder = tempfile::tempdir().unwrap();
        let (first, _a) = create_temporary(folder.path(), "x").unwrap();
        let (second, _b) = create_temporary(folder.path(), "x").unwrap();
        assert_ne!(first, second);
        assert!(
            first
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".x.")
        );
    }

    #[cfg(unix)]
    #[test]
    fn files_are_private_even_when_they_replace_a_readable_one() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("certificate.pem");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write(&path, b"new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "mode {mode:o}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let folder = tempfile::tempdir().unwrap();
        let victim = folder.path().join("victim");
        fs::write(&victim, b"untouched").unwrap();
        let path = folder.path().join("report.md");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        write(&path, b"report").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"untouched");
        assert!(
            !fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&path).unwrap(), b"report");
    }

    #[cfg(unix)]
    #[test]
    fn create_new_never_follows_a_link() {
        let folder = tempfile::tempdir().unwrap();
        let victim = folder.path().join("victim");
        fs::write(&victim, b"untouched").unwrap();
        let path = folder.path().join("settings.json.bak");
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        assert_eq!(
            create_new(&path).unwrap_err().kind(),
            io::ErrorKind::AlreadyExists
        );
        assert_eq!(fs::read(&victim).unwrap(), b"untouched");
    }
}
