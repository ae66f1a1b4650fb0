//! The command line: argument definitions and routing to one module per subcommand.
//! Each subcommand is a thin adapter over the library; output formatting lives in `output`.

mod cert;
mod diagnose;
mod download;
mod input;
mod metadata;
mod output;
mod provisioning;
mod saved;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Exit status for bad input (unreadable file, invalid document).
pub const EXIT_BAD_INPUT: u8 = 1;
/// Exit status for a wrong command line (clap uses the same).
#[cfg_attr(
    feature = "gui",
    allow(dead_code, reason = "only builds without the window use it")
)]
pub const EXIT_USAGE: u8 = 2;
/// `diagnose`: the response was read and is not healthy.
pub const EXIT_NOT_HEALTHY: u8 = 3;
/// `diagnose`: no fault was found, but the signer or the issuer could not be compared with
/// anything (no certificate or entity ID given), so the response is not known to be healthy.
pub const EXIT_INCONCLUSIVE: u8 = 4;

/// Connect Microsoft Entra ID to GoTo: SAML single sign-on and user provisioning.
///
/// Without a command, opens the wizard window.
#[derive(Debug, Parser)]
#[command(name = "goto-sso-wizard", version, about, long_about = None)]
pub struct Arguments {
    /// What to do; leave it out to open the wizard window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read SAML metadata (an identity provider's or a service provider's).
    #[command(subcommand)]
    Metadata(MetadataCommand),
    /// Read and export X.509 signing certificates.
    #[command(subcommand)]
    Cert(CertCommand),
    /// Check user provisioning (SCIM) credentials.
    #[command(subcommand)]
    Provisioning(ProvisioningCommand),
    /// Manage the credentials kept in the OS keyring.
    #[command(subcommand)]
    Credentials(CredentialsCommand),
    /// Diagnose a failed sign-in: read a captured SAML response (base64, form body, HAR file,
    /// SAML-tracer export or XML), verify its signature, check it against the setup, and name
    /// the root cause with its fix. Exit status: 0 healthy, 3 not healthy, 4 inconclusive (the
    /// signer or the issuer could not be compared: give --idp-metadata, --idp-cert with
    /// --idp-entity-id, or --setup), 1 unreadable input.
    Diagnose(DiagnoseArgs),
}

/// `diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// The capture: a file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub capture: PathBuf,
    /// What to check against: a setup saved by the wizard, or a diagnostics setup file (README).
    #[arg(long, value_name = "SETUP.json")]
    pub setup: Option<PathBuf>,
    /// GoTo's entity ID (the Audience); default: GoTo's published value.
    #[arg(long, value_name = "URI")]
    pub sp_entity_id: Option<String>,
    /// GoTo's reply URL (Recipient, Destination); default: GoTo's published value.
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,
    /// Entra's identifier for the tenant (the Issuer), e.g. https://sts.windows.net/<tenant>/.
    #[arg(long, value_name = "URI")]
    pub idp_entity_id: Option<String>,
    /// Entra's federation metadata file: its entity ID and signing certificates are expected.
    #[arg(long, value_name = "METADATA.xml")]
    pub idp_metadata: Option<PathBuf>,
    /// A certificate GoTo trusts (PEM, .cer or DER file); repeat for several.
    #[arg(long, value_name = "PEM")]
    pub idp_cert: Vec<PathBuf>,
    /// The relay state GoTo expects.
    #[arg(long, value_name = "URL")]
    pub relay_state: Option<String>,
    /// The product the user signed in to (its relay state is expected).
    #[arg(long, value_enum)]
    pub product: Option<ProductArg>,
    /// The GoTo account (e-mail) of the person who could not sign in.
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// Check as of this time (RFC 3339), e.g. when the capture was made; default: now.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Clock skew allowed, in seconds (default 180).
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(0..=86_400))]
    pub skew: Option<u64>,
    /// The ID of the AuthnRequest GoTo sent (InResponseTo must equal it).
    #[arg(long, value_name = "ID")]
    pub request_id: Option<String>,
    /// Which SAML message of the capture to check (1-based, in capture order); default: the
    /// last response.
    #[arg(long, value_name = "N")]
    pub message: Option<usize>,
    /// Print the message as indented XML after the findings.
    #[arg(long)]
    pub show_xml: bool,
    /// Write a report for a ticket (.md or .html, by the extension).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Replace the person's data in the output and the report: the NameID, every attribute
    /// value, status messages, IP addresses, DNS names, session indexes, e-mail addresses and
    /// the query strings of captured URLs (the XML shown too).
    #[arg(long)]
    pub redact: bool,
    /// Print JSON: {"healthy", "verdict", "unchecked", "root_cause", "findings", "summary"}.
    #[arg(long)]
    pub json: bool,
}

/// A GoTo product on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProductArg {
    /// GoToMeeting.
    Gotomeeting,
    /// GoToWebinar.
    Gotowebinar,
    /// GoToTraining.
    Gototraining,
    /// GoToAssist.
    Gotoassist,
}

/// `credentials ...`
#[derive(Debug, Subcommand)]
pub enum CredentialsCommand {
    /// Delete the saved provisioning secret from the OS keyring and its reference from the settings.
    Forget,
}

/// `provisioning ...`
#[derive(Debug, Subcommand)]
pub enum ProvisioningCommand {
    /// Test the connection as Entra's provisioning service does: token, ServiceProviderConfig,
    /// Users, Schemas, attribute mapping, filter.
    Test(ProvisioningTestArgs),
}

/// `provisioning test`. Secrets come from environment variables, never from arguments.
///
/// Exactly one method: `--token-env`, `--client-id` with `--client-secret-env`, `--authorize`
/// (with `--client-id`, and `--client-secret-env` for a confidential client), or `--admin-user`.
#[derive(Debug, Args)]
pub struct ProvisioningTestArgs {
    /// The SCIM base URL (the address /Users and /Schemas follow). Default: with --saved the saved
    /// one, otherwise GoTo's published one from the GoTo profile (https://api.getgo.com/identity/v1).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Use the credentials saved with --remember (the secret comes from the OS keyring).
    #[arg(long, conflicts_with_all = ["token_env", "client_secret_env", "authorize", "admin_user", "remember"])]
    pub saved: bool,
    /// After the test, keep the secret in the OS keyring and the rest in the settings (never the secret).
    #[arg(long)]
    pub remember: bool,
    /// Use the SCIM secret token in this environment variable (bearer).
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
    /// OAuth client ID (client credentials, or the browser authorization).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The OAuth client secret is in this environment variable (client credentials; optional with --authorize).
    #[arg(long, value_name = "VAR")]
    pub client_secret_env: Option<String>,
    /// The token endpoint (default: the GoTo profile's).
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// Authorize in the browser (authorization code with PKCE and a local listener).
    #[arg(long)]
    pub authorize: bool,
    /// The authorization endpoint for --authorize (default: the GoTo profile's).
    #[arg(long, value_name = "URL")]
    pub authorize_url: Option<String>,
    /// Do not open the browser; only print the URL to open.
    #[arg(long)]
    pub no_browser: bool,
    /// With --authorize: the port on this computer the browser comes back to. Register
    /// http://127.0.0.1:PORT/callback as a redirect URI of your OAuth client; 0 takes any free
    /// port (only for authorization servers that accept any loopback port).
    #[arg(long, value_name = "PORT", default_value_t = goto_sso_wizard::provisioning::DEFAULT_CALLBACK_PORT)]
    pub callback_port: u16,
    /// The deprecated GoToMeeting connector's admin user name (password from --admin-password-env).
    #[arg(long, value_name = "USER", requires = "admin_password_env")]
    pub admin_user: Option<String>,
    /// The environment variable holding the admin password.
    #[arg(long, value_name = "VAR")]
    pub admin_password_env: Option<String>,
    /// OAuth scopes to ask for. Repeatable.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub download: DownloadArgs,
}

/// `metadata ...`
#[derive(Debug, Subcommand)]
pub enum MetadataCommand {
    /// Show the entities, endpoints and signing certificates of a metadata file or URL.
    Inspect(InspectArgs),
    /// Build the federation metadata URL from a tenant (ID, domain or URL) and an application ID.
    Url(UrlArgs),
}

/// `cert ...`
#[derive(Debug, Subcommand)]
pub enum CertCommand {
    /// Describe a certificate file (PEM, DER or Base64 .cer).
    Show(ShowArgs),
    /// Write a signing certificate from a metadata file as PEM, DER or .cer.
    Export(ExportArgs),
}

/// `metadata inspect`
#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The metadata file, `-` for standard input, or an https:// URL to download.
    #[arg(value_name = "FILE|-|URL")]
    pub source: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Refuse documents larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = goto_sso_wizard::xml::DEFAULT_MAX_XML_BYTES)]
    pub max_size: usize,
    #[command(flatten)]
    pub download: DownloadArgs,
}

/// How to download a URL.
#[derive(Debug, Args)]
pub struct DownloadArgs {
    /// Also trust the CA certificates in this PEM file (a corporate proxy's TLS inspection CA).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Give up on the whole download after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// Give up connecting after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub connect_timeout: u64,
    /// Allow plain http:// URLs (the certificate could then be changed on the way; never use for real setups).
    #[arg(long)]
    pub allow_http: bool,
    /// Connect directly, ignoring HTTPS_PROXY and the system's proxy settings.
    #[arg(long)]
    pub no_proxy: bool,
    /// Use this address for a host name instead of asking DNS, like curl's --resolve
    /// (e.g. to check one AD FS node). Repeatable. Only the names given are resolved then.
    #[arg(long, value_name = "HOST:IP[:PORT]")]
    pub resolve: Vec<String>,
}

/// `metadata url`
#[derive(Debug, Args)]
pub struct UrlArgs {
    /// Tenant ID (GUID), verified domain, a metadata URL, or an AD FS host.
    #[arg(long, value_name = "GUID|DOMAIN|URL")]
    pub tenant: String,
    /// The application (client) ID of the GoTo enterprise app.
    #[arg(long, value_name = "GUID")]
    pub app_id: Option<String>,
    /// The cloud; left out, it is taken from the URL or is the global one.
    #[arg(long, value_enum)]
    pub cloud: Option<CloudArg>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Clouds on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CloudArg {
    /// Entra ID worldwide.
    Global,
    /// Entra ID for US Government.
    Usgov,
    /// Entra ID in China (21Vianet).
    China,
    /// An AD FS server.
    Adfs,
}

/// `cert show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The certificate file, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `cert export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The metadata file, or `-` for standard input.
    #[arg(value_name = "METADATA")]
    pub metadata: PathBuf,
    /// The entityID to take the certificate from (needed when the file has several identity providers).
    #[arg(long, value_name = "ID")]
    pub entity: Option<String>,
    /// Pick the certificate with this SHA-256 thumbprint (hex; colons and spaces are ignored).
    #[arg(long, value_name = "HEX", conflicts_with = "index")]
    pub sha256: Option<String>,
    /// Pick the N-th signing certificate as `metadata inspect` numbers them (1 = the first, which
    /// Entra lists as the active one). Default: 1.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub index: Option<u32>,
    /// The file format to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Refuse documents larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = goto_sso_wizard::xml::DEFAULT_MAX_XML_BYTES)]
    pub max_size: usize,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// PEM with BEGIN/END lines and 64-column base64: what GoTo's manual setup takes.
    Pem,
    /// Binary DER (Entra's "Certificate (Raw)").
    Der,
    /// Base64 .cer as Windows and Entra write it (PEM with CRLF line ends).
    Cer,
}

/// Runs one subcommand and returns the process exit status.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Metadata(MetadataCommand::Inspect(args)) => metadata::inspect(&args),
        Command::Metadata(MetadataCommand::Url(args)) => metadata::url(&args),
        Command::Cert(CertCommand::Show(args)) => cert::show(&args),
        Command::Cert(CertCommand::Export(args)) => cert::export(&args),
        Command::Provisioning(ProvisioningCommand::Test(args)) => provisioning::test(&args),
        Command::Credentials(CredentialsCommand::Forget) => provisioning::forget(),
        Command::Diagnose(args) => diagnose::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            failure.report();
            ExitCode::from(failure.exit_code)
        }
    }
}
