//! Reading a setup's metadata again: a saved setup names the file it was read from or the URL it
//! was downloaded from, and resuming it loads that document the same way the metadata step did.

use std::path::{Path, PathBuf};

use super::{MetadataChoice, MetadataSource};
use crate::fetch::{FetchError, FetchOptions, fetch_metadata};
use crate::limited_read::read_limited;
use crate::metadata::{self, Metadata, ParseOptions};

/// Why a metadata document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The download failed (the fetch module explains why).
    Fetch(Box<FetchError>),
    /// The file could not be read, or is not metadata.
    File {
        /// The file.
        path: PathBuf,
        /// Why, as the reader or the parser says it.
        reason: String,
    },
}

/// A document that loaded, and where from.
#[derive(Debug, Clone)]
pub struct LoadedMetadata {
    /// The parsed document.
    pub metadata: Metadata,
    /// The file or URL it came from.
    pub source: MetadataSource,
    /// Warnings of the download itself (plain HTTP and the like); none for a file.
    pub warnings: Vec<String>,
}

impl MetadataChoice {
    /// Where the metadata was loaded from: the file when one was loaded, else the URL it was
    /// downloaded from; `None` before either.
    pub fn source(&self) -> Option<MetadataSource> {
        match (&self.file, &self.url) {
            (Some(file), _) => Some(MetadataSource::File(file.clone())),
            (None, Some(url)) => Some(MetadataSource::Url(url.clone())),
            (None, None) => None,
        }
    }
}

/// Reads and parses the metadata file at `path`, no larger than the parser allows.
pub fn read_file(path: &Path) -> Result<Metadata, LoadError> {
    let failed = |reason: String| LoadError::File {
        path: path.to_path_buf(),
        reason,
    };
    let options = ParseOptions::default();
    let bytes = read_limited(path, options.max_bytes).map_err(|error| failed(error.reason()))?;
    metadata::parse(&bytes, &options).map_err(|error| failed(error.to_string()))
}

/// Loads the document `source` names: reads the file (off the async threads) or downloads the
/// URL with `options`.
pub async fn load(
    source: MetadataSource,
    options: FetchOptions,
) -> Result<LoadedMetadata, LoadError> {
    match source {
        MetadataSource::File(path) => {
            let read = path.clone();
            let metadata = tokio::task::spawn_blocking(move || read_file(&read))
                .await
                .unwrap_or_else(|error| {
                    Err(LoadError::File {
                        path: path.clone(),
                        reason: error.to_string(),
                    })
                })?;
            Ok(LoadedMetadata {
                metadata,
                source: MetadataSource::File(path),
                warnings: Vec::new(),
            })
        }
        MetadataSource::Url(url) => {
            let fetched = fetch_metadata(&url, &options, &ParseOptions::default())
                .await
                .map_err(|error| LoadError::Fetch(Box::new(error)))?;
            Ok(LoadedMetadata {
                metadata: fetched.metadata,
                source: MetadataSource::Url(url),
                warnings: fetched.fetched.warnings,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/entra-app-metadata.xml"
    );

    #[test]
    fn the_source_is_the_file_when_one_was_loaded_else_the_url() {
        let mut choice = MetadataChoice::default();
        assert_eq!(choice.source(), None);
        choice.url = Some("https://login.example/metadata.xml".into());
        assert_eq!(
            choice.source(),
            Some(MetadataSource::Url(
                "https://login.example/metadata.xml".into()
            ))
        );
        choice.file = Some(PathBuf::from(SAMPLE));
        assert_eq!(choice.source(), Some(MetadataSource::File(SAMPLE.into())));
    }

    #[tokio::test]
    async fn a_saved_file_is_read_and_parsed_again() {
        let loaded = load(MetadataSource::File(SAMPLE.into()), FetchOptions::default())
            .await
            .expect("the sample loads");
        assert_eq!(loaded.source, MetadataSource::File(SAMPLE.into()));
        assert!(loaded.warnings.is_empty());
        let provider = loaded
            .metadata
            .signing_provider(None)
            .expect("one provider");
        assert_eq!(
            provider.entity_id,
            "https://sts.windows.net/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/"
        );
    }

    #[tokio::test]
    async fn a_missing_or_foreign_file_names_the_path() {
        let folder = tempfile::tempdir().unwrap();
        let missing = folder.path().join("gone.xml");
        let error = load(
            MetadataSource::File(missing.clone()),
            FetchOptions::default(),
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&error, LoadError::File { path, .. } if *path == missing),
            "{error:?}"
        );

        let foreign = folder.path().join("page.xml");
        std::fs::write(&foreign, "<html><body>sign in</body></html>").unwrap();
        let error = read_file(&foreign).unwrap_err();
        assert!(
            matches!(&error, LoadError::File { path, reason } if *path == foreign && !reason.is_empty()),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_saved_url_is_downloaded_again_and_a_failure_is_the_fetchs() {
        // Nothing listens on this loopback port (an IP literal: no name is looked up).
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url = format!("https://127.0.0.1:{port}/FederationMetadata.xml");
        let error = load(MetadataSource::Url(url), FetchOptions::default())
            .await
            .unwrap_err();
        assert!(matches!(error, LoadError::Fetch(_)), "{error:?}");
    }
}
