//! Reading a file the user pointed at, with a size limit applied while reading: a wrong pick (a
//! disk image, `/dev/zero`, a huge log) is refused after `limit + 1` bytes instead of being read
//! whole. Every file the program reads on a person's say-so comes through here.

use std::io::{self, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LimitedReadError {
    /// Opening or reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The file is larger than the limit.
    #[error("it is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
}

impl LimitedReadError {
    /// A short reason to put after the file's name: what went wrong and, for the usual
    /// mistakes, what to check.
    pub fn reason(&self) -> String {
        match self {
            LimitedReadError::Io(error) => {
                let hint = match error.kind() {
                    io::ErrorKind::NotFound => " (no such file: check the path)",
                    io::ErrorKind::PermissionDenied => " (permission denied)",
                    io::ErrorKind::IsADirectory => " (that is a folder: give the file inside it)",
                    _ => "",
                };
                format!("{error}{hint}")
            }
            too_large => too_large.to_string(),
        }
    }
}

/// Reads at most `limit` bytes of the file at `path`; more is [`LimitedReadError::TooLarge`].
pub fn read_limited(path: &Path, limit: usize) -> Result<Vec<u8>, LimitedReadError> {
    read_limited_from(std::fs::File::open(path)?, limit)
}

/// Reads at most `limit` bytes from `reader` (standard input, say).
pub fn read_limited_from(reader: impl Read, limit: usize) -> Result<Vec<u8>, LimitedReadError> {
    let mut bytes = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader.take(cap).read_to_end(&mut bytes)?;
    if bytes.len() > limit {
        return Err(LimitedReadError::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_the_limit_is_read_and_one_byte_more_is_refused() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("f");
        std::fs::write(&path, b"12345").unwrap();
        assert_eq!(read_limited(&path, 5).unwrap(), b"12345");
        assert!(matches!(
            read_limited(&path, 4),
            Err(LimitedReadError::TooLarge { limit: 4 })
        ));
    }

    #[test]
    fn an_endless_source_is_refused_without_reading_it_all() {
        let endless = std::io::repeat(b'x');
        assert!(matches!(
            read_limited_from(endless, 1024),
            Err(LimitedReadError::TooLarge { limit: 1024 })
        ));
    }

    #[test]
    fn a_missing_file_or_a_folder_says_what_to_check() {
        let folder = tempfile::tempdir().unwrap();
        let missing = read_limited(&folder.path().join("nope"), 10).unwrap_err();
        assert!(
            missing.reason().contains("check the path"),
            "{}",
            missing.reason()
        );
        let error = read_limited(folder.path(), 10).unwrap_err();
        assert!(error.reason().contains("folder"), "{}", error.reason());
    }
}
