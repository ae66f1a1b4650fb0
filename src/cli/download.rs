//! Turns the download options of the command line into [`FetchOptions`] and runs a download
//! on a small runtime of its own.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use goto_sso_wizard::certificate::MAX_CERTIFICATE_INPUT;
use goto_sso_wizard::fetch::{self, DnsMode, FetchOptions, FetchedMetadata, ProxyMode};
use goto_sso_wizard::metadata::ParseOptions;

use super::DownloadArgs;
use super::input::read_limited;
use super::output::Failure;

/// Builds the options, reading the CA file.
pub fn options(args: &DownloadArgs, max_bytes: usize) -> Result<FetchOptions, Failure> {
    let extra_ca_pem = match &args.ca_file {
        Some(path) => Some(read_limited(path, MAX_CERTIFICATE_INPUT, "CA file")?),
        None => None,
    };
    let dns = if args.resolve.is_empty() {
        DnsMode::System
    } else {
        DnsMode::Pinned(
            args.resolve
                .iter()
                .map(|entry| parse_resolve(entry))
                .collect::<Result<_, _>>()?,
        )
    };
    Ok(FetchOptions {
        connect_timeout: Duration::from_secs(args.connect_timeout),
        total_timeout: Duration::from_secs(args.timeout),
        max_bytes,
        allow_http: args.allow_http,
        extra_ca_pem,
        proxy: if args.no_proxy {
            ProxyMode::Direct
        } else {
            ProxyMode::FromEnvironment
        },
        dns,
        ..FetchOptions::default()
    })
}

/// `HOST:IP` or `HOST:IP:PORT` (IPv6 in brackets).
fn parse_resolve(entry: &str) -> Result<(String, SocketAddr), Failure> {
    let bad = || {
        Failure::bad_input(
            "invalid_resolve",
            format!(
                "--resolve {entry}: expected HOST:IP, e.g. login.microsoftonline.com:127.0.0.1"
            ),
        )
    };
    let (host, address) = entry.split_once(':').ok_or_else(bad)?;
    if host.is_empty() {
        return Err(bad());
    }
    let socket = address
        .parse::<SocketAddr>()
        .or_else(|_| {
            address
                .trim_matches(['[', ']'])
                .parse::<IpAddr>()
                .map(|ip| SocketAddr::new(ip, 0))
        })
        .map_err(|_| bad())?;
    Ok((host.to_owned(), socket))
}

/// Downloads and parses metadata.
pub fn fetch_metadata(url: &str, options: &FetchOptions) -> Result<FetchedMetadata, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::from_error("internal", &error))?;
    runtime
        .block_on(fetch::fetch_metadata(
            url,
            options,
            &ParseOptions::default(),
        ))
        .map_err(|error| Failure::from_fetch(&error))
}
