//! Microsoft's clouds and their sign-in hosts, kept in one table.

use std::fmt;

/// Where the metadata comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Entra ID worldwide (`login.microsoftonline.com`).
    Global,
    /// Entra ID for US Government (`login.microsoftonline.us`).
    #[serde(rename = "usgov")]
    UsGov,
    /// Entra ID operated by 21Vianet in China (`login.partner.microsoftonline.cn`).
    China,
    /// An AD FS server.
    Adfs,
    /// Any other federation endpoint.
    Custom,
}

/// Sign-in hosts per cloud. The first is canonical; the others serve the same documents.
const ENTRA_HOSTS: [(Cloud, &[&str]); 3] = [
    (
        Cloud::Global,
        &["login.microsoftonline.com", "login.windows.net"],
    ),
    (Cloud::UsGov, &["login.microsoftonline.us"]),
    (
        Cloud::China,
        &["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
    ),
];

impl Cloud {
    /// The canonical sign-in host of an Entra cloud; `None` for AD FS and custom endpoints.
    pub fn host(self) -> Option<&'static str> {
        ENTRA_HOSTS
            .iter()
            .find(|(cloud, _)| *cloud == self)
            .and_then(|(_, hosts)| hosts.first().copied())
    }

    /// The Entra cloud a (lower-case) host belongs to.
    pub fn from_entra_host(host: &str) -> Option<Cloud> {
        ENTRA_HOSTS
            .iter()
            .find(|(_, hosts)| hosts.contains(&host))
            .map(|(cloud, _)| *cloud)
    }

    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGov => "usgov",
            Cloud::China => "china",
            Cloud::Adfs => "adfs",
            Cloud::Custom => "custom",
        }
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
