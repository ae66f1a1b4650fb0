//! Running the real `goto-sso-wizard` binary from the tests.

use assert_cmd::Command;

/// The binary, with every proxy variable of the environment removed: the tests decide about
/// proxies themselves, and a proxy in a developer's environment must not change their outcome.
pub fn wizard() -> Command {
    let mut command = Command::cargo_bin("goto-sso-wizard").expect("binary built");
    for variable in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
        "NO_PROXY",
        "no_proxy",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Standard output read as JSON; a clear panic with the text when it is not.
pub fn json_of(output: &[u8]) -> serde_json::Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|error| panic!("not JSON ({error}): {}", String::from_utf8_lossy(output)))
}
