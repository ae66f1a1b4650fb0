//! Reading the file (or standard input) a command was given, with a size limit applied
//! while reading so that a wrong pick (a disk image, /dev/zero) is refused quickly.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use super::output::Failure;

/// Reads at most `limit` bytes from `path` (`-` = standard input); more is an error.
pub fn read_limited(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, Failure> {
    let describe = |error: io::Error| {
        let hint = match error.kind() {
            io::ErrorKind::NotFound => " (no such file: check the path)",
            io::ErrorKind::PermissionDenied => " (permission denied)",
            io::ErrorKind::IsADirectory => " (that is a folder: give the file inside it)",
            _ => "",
        };
        Failure::bad_input(
            "io",
            format!("cannot read the {what} {}{hint}: {error}", path.display()),
        )
    };
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    if path == Path::new("-") {
        io::stdin()
            .lock()
            .take(cap)
            .read_to_end(&mut bytes)
            .map_err(describe)?;
    } else {
        File::open(path)
            .and_then(|file| file.take(cap).read_to_end(&mut bytes))
            .map_err(describe)?;
    }
    if bytes.len() > limit {
        return Err(Failure::bad_input(
            "too_large",
            format!(
                "the {what} {} is larger than the limit of {limit} bytes: check that it is the right file{}",
                path.display(),
                if what == "metadata file" {
                    ", or raise the limit with --max-size"
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(bytes)
}
