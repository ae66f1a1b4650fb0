//! Real protocol peers for integration tests, on 127.0.0.1 only: a SCIM 2.0 service provider
//! (scim2-server) and an OAuth 2.0 authorization server (oidc-provider). They are started by
//! `scripts/peers/{scim,oauth}/start.sh`, which install the pinned packages into
//! `target/peers` on first use (`$PEERS_DIR` overrides that). See `scripts/peers/README.md`.
//!
//! Each peer gets a free loopback port and is stopped when its [`Peer`] is dropped. Installing
//! is serialized across threads and test binaries through `target/peers/.install.lock`, the
//! same lock file and protocol the scripts use.

use std::collections::HashSet;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

/// What each kind of peer needs on the machine, for the panic messages.
const SCIM_NEEDS: &str = "the SCIM peer needs bash, curl and python3 >= 3.11 with the venv \
     module (Debian/Ubuntu: apt-get install curl python3-venv), and PyPI for the first install";
const OAUTH_NEEDS: &str = "the OAuth peer needs bash, curl and node >= 20.19 with npm \
     (Debian 13: apt-get install curl nodejs npm; Debian 12's nodejs 18 is too old), and the npm \
     registry for the first install";

/// A lock older than this is stale (the scripts use the same limit).
const STALE_LOCK: Duration = Duration::from_secs(5 * 60);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Scim,
    OAuth,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Scim => "scim",
            Kind::OAuth => "oauth",
        }
    }

    fn needs(self) -> &'static str {
        match self {
            Kind::Scim => SCIM_NEEDS,
            Kind::OAuth => OAUTH_NEEDS,
        }
    }
}

/// A running peer process on 127.0.0.1. Dropping it stops the process and waits for it.
pub struct Peer {
    pub port: u16,
    pid: u32,
    kind: Kind,
    log: PathBuf,
}

impl Peer {
    /// SCIM: `http://127.0.0.1:PORT/v2`; OAuth: `http://127.0.0.1:PORT` (the issuer).
    pub fn base_url(&self) -> String {
        match self.kind {
            Kind::Scim => format!("http://127.0.0.1:{}/v2", self.port),
            Kind::OAuth => format!("http://127.0.0.1:{}", self.port),
        }
    }

    /// The process id of the server.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// What the server logged so far (requests and errors), for assertion messages.
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        stop_process(self.pid);
        // Keep the log of a failing test for a look; otherwise don't pile them up.
        if !std::thread::panicking() {
            let _ = fs::remove_file(&self.log);
        }
    }
}

/// The SCIM 2.0 peer and the static bearer token it accepts.
pub struct ScimPeer {
    pub peer: Peer,
    pub token: String,
}

impl ScimPeer {
    /// `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        self.peer.base_url()
    }
}

/// The OAuth 2.0 peer and its one confidential client.
pub struct OAuthPeer {
    pub peer: Peer,
    pub client_id: String,
    pub client_secret: String,
}

impl OAuthPeer {
    /// The issuer, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.peer.base_url()
    }

    /// `http://127.0.0.1:PORT/token`.
    pub fn token_url(&self) -> String {
        format!("{}/token", self.peer.base_url())
    }

    /// `http://127.0.0.1:PORT/token/introspection` (RFC 7662).
    pub fn introspection_url(&self) -> String {
        format!("{}/token/introspection", self.peer.base_url())
    }
}

/// Starts the SCIM peer on a free loopback port, accepting `token` as bearer token.
pub fn start_scim(token: &str) -> ScimPeer {
    ScimPeer {
        peer: start(Kind::Scim, &[token], &[]),
        token: token.to_owned(),
    }
}

/// Starts the SCIM peer accepting `token`, and also any token that `oauth`'s introspection
/// endpoint reports active (tokens that peer issued and that have not expired or been revoked).
pub fn start_scim_with_introspection(token: &str, oauth: &OAuthPeer) -> ScimPeer {
    let url = oauth.introspection_url();
    let client = format!("{}:{}", oauth.client_id, oauth.client_secret);
    let env = [
        ("SCIM_INTROSPECTION_URL", url.as_str()),
        ("SCIM_INTROSPECTION_CLIENT", client.as_str()),
    ];
    ScimPeer {
        peer: start(Kind::Scim, &[token], &env),
        token: token.to_owned(),
    }
}

/// Starts the OAuth peer on a free loopback port with one confidential client. `env` sets the
/// server's knobs, e.g. `("OAUTH_ACCESS_TTL", "2")`, `("OAUTH_PKCE_REQUIRED", "1")`,
/// `OAUTH_SCOPES`, `OAUTH_REDIRECT_URIS`, `OAUTH_ACCOUNT`, `OAUTH_RESOURCE`.
pub fn start_oauth(client_id: &str, client_secret: &str, env: &[(&str, &str)]) -> OAuthPeer {
    OAuthPeer {
        peer: start(Kind::OAuth, &[client_id, client_secret], env),
        client_id: client_id.to_owned(),
        client_secret: client_secret.to_owned(),
    }
}

fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn scripts_dir() -> PathBuf {
    repo_root().join("scripts").join("peers")
}

/// `$PEERS_DIR` if set, else `<repo>/target/peers` (the scripts' default too).
fn peers_dir() -> PathBuf {
    match std::env::var_os("PEERS_DIR") {
        Some(dir) if !dir.is_empty() => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                repo_root().join(dir)
            }
        }
        _ => repo_root().join("target").join("peers"),
    }
}

/// A command running one of the scripts with a clean peer environment: knobs inherited from the
/// developer's shell (OAUTH_*, SCIM_INTROSPECTION_*) are dropped, the given ones are set.
fn script(relative: &str, env: &[(&str, &str)]) -> Command {
    let mut command = Command::new("bash");
    command
        .arg(scripts_dir().join(relative))
        .env("PEERS_DIR", peers_dir())
        .current_dir(repo_root());
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("OAUTH_") || name.starts_with("SCIM_INTROSPECTION_") {
            command.env_remove(name.as_ref());
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
}

fn run(mut command: Command, what: &str, kind: Kind) -> Output {
    match command.output() {
        Ok(output) => output,
        Err(error) => panic!("{what}: could not run bash ({error}); {}", kind.needs()),
    }
}

fn failure(what: &str, kind: Kind, output: &Output) -> String {
    let hint = match output.status.code() {
        Some(2) => "a needed tool is missing or too old, or an argument is wrong",
        Some(3) => "the port on 127.0.0.1 was already in use",
        _ => "the script's messages and the server's log are below",
    };
    let mut message = format!(
        "{what} failed ({}): {hint}.\n{}.\n--- the script's stderr ---\n{}",
        output.status,
        kind.needs(),
        String::from_utf8_lossy(&output.stderr),
    );
    if !output.stdout.is_empty() {
        message.push_str("--- its stdout ---\n");
        message.push_str(&String::from_utf8_lossy(&output.stdout));
    }
    message
}

/// Installs `kind` once per test process, holding the install lock across processes.
fn ensure_installed(kind: Kind) {
    static INSTALLED: Mutex<Option<HashSet<Kind>>> = Mutex::new(None);
    let mut installed = INSTALLED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if installed.as_ref().is_some_and(|done| done.contains(&kind)) {
        return;
    }
    let dir = peers_dir();
    fs::create_dir_all(&dir)
        .unwrap_or_else(|error| panic!("cannot create {}: {error}", dir.display()));
    let output = {
        let _lock = InstallLock::acquire(&dir);
        let mut command = script("install.sh", &[]);
        command.arg(kind.name()).env("PEERS_INSTALL_LOCK_HELD", "1");
        run(
            command,
            &format!("installing the {} peer", kind.name()),
            kind,
        )
    };
    if !output.status.success() {
        panic!(
            "{}\nRun `scripts/peers/install.sh {}` by hand to see more.",
            failure(
                &format!("scripts/peers/install.sh {}", kind.name()),
                kind,
                &output
            ),
            kind.name()
        );
    }
    installed.get_or_insert_with(HashSet::new).insert(kind);
}

fn start(kind: Kind, args: &[&str], env: &[(&str, &str)]) -> Peer {
    ensure_installed(kind);
    let relative = format!("{}/start.sh", kind.name());
    // A port found free may be taken by someone else before the server binds it: try once more.
    for attempt in 1..=2 {
        let port = free_port();
        let mut command = script(&relative, env);
        command
            .arg(port.to_string())
            .args(args)
            .env("PEERS_OWNER_PID", std::process::id().to_string());
        let what = format!("scripts/peers/{relative} {port}");
        let output = run(command, &what, kind);
        if output.status.code() == Some(3) && attempt == 1 {
            continue;
        }
        if !output.status.success() {
            panic!("{}", failure(&what, kind, &output));
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let pid = stdout.trim().parse::<u32>().unwrap_or_else(|_| {
            panic!("{what} printed {stdout:?} on stdout instead of the server's PID")
        });
        return Peer {
            port,
            pid,
            kind,
            log: peers_dir().join(format!("{}-{port}.log", kind.name())),
        };
    }
    unreachable!("the loop returns or panics on the second attempt")
}

/// A port that was free on 127.0.0.1 a moment ago.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("bind 127.0.0.1:0 for a free port")
}

/// `target/peers/.install.lock`, created exclusively and removed on drop. It holds the owner's
/// PID; a lock older than 5 minutes, or whose owner is gone (where /proc tells), is stale.
struct InstallLock(PathBuf);

impl InstallLock {
    fn acquire(dir: &Path) -> Self {
        let path = dir.join(".install.lock");
        let deadline = Instant::now() + Duration::from_secs(10 * 60);
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut file) => {
                    let _ = writeln!(file, "{}", std::process::id());
                    return InstallLock(path);
                }
                Err(error) if error.kind() == ErrorKind::AlreadyExists => {
                    if lock_is_stale(&path) {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    assert!(
                        Instant::now() < deadline,
                        "waited 10 minutes for the peers' install lock {}; remove it if no \
                         install is running",
                        path.display()
                    );
                    sleep(Duration::from_millis(200));
                }
                Err(error) => panic!("cannot create {}: {error}", path.display()),
            }
        }
    }
}

impl Drop for InstallLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn lock_is_stale(path: &Path) -> bool {
    let Ok(metadata) = fs::metadata(path) else {
        return false; // gone meanwhile: just try again
    };
    let age = metadata
        .modified()
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .unwrap_or_default();
    if age > STALE_LOCK {
        return true;
    }
    let owner: String = fs::read_to_string(path)
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    !owner.is_empty()
        && Path::new("/proc/self").exists()
        && !Path::new("/proc").join(&owner).exists()
}

/// Whether `pid` still runs (a zombie does not count).
fn process_running(pid: u32) -> bool {
    if Path::new("/proc/self").exists() {
        match fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The state follows the command name in parentheses: "PID (COMM) S ...".
            Ok(stat) => stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .is_some_and(|state| state != "Z" && state != "X"),
            Err(_) => false,
        }
    } else {
        Command::new("kill")
            .args(["-0", &pid.to_string()])
            .output()
            .is_ok_and(|output| output.status.success())
    }
}

/// SIGTERM, wait up to 5 s, then SIGKILL and wait up to 2 s more. Never panics (runs in Drop).
fn stop_process(pid: u32) {
    for (signal, patience) in [("-TERM", 5000), ("-KILL", 2000)] {
        if !process_running(pid) {
            return;
        }
        let _ = Command::new("kill")
            .args([signal, &pid.to_string()])
            .output();
        let deadline = Instant::now() + Duration::from_millis(patience);
        while process_running(pid) && Instant::now() < deadline {
            sleep(Duration::from_millis(20));
        }
    }
}
