//! Reading the file (or standard input) a command was given, with a size limit applied
//! while reading so that a wrong pick (a disk image, /dev/zero) is refused quickly.

use std::io;
use std::path::Path;

use goto_sso_wizard::limited_read::{self, LimitedReadError};

use super::output::Failure;

/// Reads at most `limit` bytes from `path` (`-` = standard input); more is an error.
pub fn read_limited(path: &Path, limit: usize, what: &str) -> Result<Vec<u8>, Failure> {
    let read = if path == Path::new("-") {
        limited_read::read_limited_from(io::stdin().lock(), limit)
    } else {
        limited_read::read_limited(path, limit)
    };
    read.map_err(|error| match error {
        LimitedReadError::TooLarge { .. } => Failure::bad_input(
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
        ),
        LimitedReadError::Io(_) => Failure::bad_input(
            "io",
            format!("cannot read the {what} {}: {}", path.display(), error.reason()),
        ),
    })
}
