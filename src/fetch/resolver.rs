//! Name resolution for the client: the system's resolver, or a fixed table of names. Its own
//! error type lets failures be recognised as DNS failures without reading error texts.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::DnsMode;

/// The name could not be resolved.
#[derive(Debug)]
pub(super) struct DnsError {
    pub(super) name: String,
    pub(super) reason: String,
}

impl std::fmt::Display for DnsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot resolve {}: {}", self.name, self.reason)
    }
}

impl std::error::Error for DnsError {}

pub(super) struct Resolver {
    pub(super) mode: DnsMode,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        let mode = self.mode.clone();
        Box::pin(async move {
            let found: Vec<SocketAddr> = match mode {
                DnsMode::Pinned(table) => table
                    .iter()
                    .filter(|(pinned, _)| pinned.eq_ignore_ascii_case(&host))
                    .map(|(_, address)| *address)
                    .collect(),
                DnsMode::System => match tokio::net::lookup_host((host.clone(), 0)).await {
                    Ok(addresses) => addresses.collect(),
                    Err(error) => {
                        return Err(Box::new(DnsError {
                            name: host,
                            reason: error.to_string(),
                        })
                            as Box<dyn std::error::Error + Send + Sync>);
                    }
                },
            };
            if found.is_empty() {
                return Err(Box::new(DnsError {
                    name: host,
                    reason: "no such host".to_owned(),
                })
                    as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(found.into_iter()) as Addrs)
        })
    }
}
