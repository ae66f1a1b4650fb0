//! What the CLI prints: failures on standard error (with the whole cause chain, and as JSON on
//! standard output when `--json` was asked for), and the human layout of results.

use std::error::Error;
use std::io::Write;

use goto_sso_wizard::certificate::Certificate;
use goto_sso_wizard::time_format::rfc3339;
use time::OffsetDateTime;

use super::EXIT_BAD_INPUT;

/// A command that did not succeed.
#[derive(Debug)]
pub struct Failure {
    /// Stable name of the kind of failure (the JSON `error.kind`).
    pub kind: &'static str,
    /// The message and each cause below it.
    pub chain: Vec<String>,
    /// Also print `{"error":{...}}` on standard output.
    pub json: bool,
    /// The process exit status.
    pub exit_code: u8,
    /// Lines printed after the message for people only (what to do, raw details).
    pub notes: Vec<String>,
    /// Extra fields of the JSON `error` object (e.g. `http_status`, `aadsts`, `hint`).
    pub details: serde_json::Map<String, serde_json::Value>,
}

impl Failure {
    /// Bad input: exit status 1.
    pub fn bad_input(kind: &'static str, message: String) -> Self {
        Self {
            kind,
            chain: vec![message],
            json: false,
            exit_code: EXIT_BAD_INPUT,
            notes: Vec::new(),
            details: serde_json::Map::new(),
        }
    }

    /// Bad input from an error value, keeping its `source()` chain.
    pub fn from_error(kind: &'static str, error: &dyn Error) -> Self {
        let mut chain = vec![error.to_string()];
        let mut source = error.source();
        while let Some(cause) = source {
            chain.push(cause.to_string());
            source = cause.source();
        }
        Self {
            chain,
            ..Self::bad_input(kind, String::new())
        }
    }

    /// A failed download: the message, the hint and the raw causes, and for JSON the HTTP
    /// status, the AADSTS code and the hint as fields of their own.
    pub fn from_fetch(error: &goto_sso_wizard::fetch::FetchError) -> Self {
        let mut failure = Self::bad_input(error.kind.as_str(), error.message.clone());
        if !error.hint.is_empty() {
            failure.notes.push(format!("what to do: {}", error.hint));
        }
        failure
            .notes
            .extend(error.chain.iter().map(|cause| format!("detail: {cause}")));
        failure
            .details
            .insert("http_status".into(), error.http_status.into());
        failure
            .details
            .insert("aadsts".into(), error.aadsts.clone().into());
        failure
            .details
            .insert("hint".into(), error.hint.clone().into());
        failure
            .details
            .insert("url".into(), error.url.clone().into());
        failure
    }

    /// Asks for the JSON form on standard output as well.
    pub fn with_json(mut self, json: bool) -> Self {
        self.json = json;
        self
    }

    /// Prints the failure.
    pub fn report(&self) {
        let mut lines = self.chain.iter();
        if let Some(first) = lines.next() {
            eprintln!("error: {first}");
        }
        for cause in lines {
            eprintln!("  caused by: {cause}");
        }
        for note in &self.notes {
            eprintln!("  {note}");
        }
        if self.json {
            let mut error = serde_json::Map::new();
            error.insert("kind".into(), self.kind.into());
            error.insert("message".into(), self.chain.join(": ").into());
            error.extend(self.details.clone());
            println!("{}", serde_json::json!({ "error": error }));
        }
    }
}

/// Writes `value` as pretty JSON and a newline to standard output.
pub fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Failure::from_error("internal", &error))?;
    write_stdout(format!("{text}\n").as_bytes())
}

/// Writes bytes to standard output; a closed pipe (`| head`) is not an error worth a message.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(Failure::from_error("io", &error)),
    }
}

/// The human description of one certificate, each line indented by `indent`.
pub fn describe_certificate(
    certificate: &Certificate,
    now: OffsetDateTime,
    indent: &str,
) -> String {
    let info = certificate.info();
    let expiry = certificate.expiry(now);
    let key = match info.key_bits {
        Some(bits) => format!("{} {bits} bits", info.key_algorithm),
        None => info.key_algorithm.clone(),
    };
    let rows = [
        ("Subject", info.subject.clone()),
        (
            "Issuer",
            format!(
                "{}{}",
                info.issuer,
                if info.self_signed {
                    " (self-signed)"
                } else {
                    ""
                }
            ),
        ),
        ("Serial", info.serial.clone()),
        ("Valid from", rfc3339(info.not_before)),
        (
            "Valid until",
            format!("{} · {}", rfc3339(info.not_after), expiry.describe()),
        ),
        ("Key", key),
        ("Signature", info.signature_algorithm.clone()),
        ("SHA-1", info.sha1.clone()),
        ("SHA-256", info.sha256.clone()),
    ];
    rows.iter()
        .map(|(label, value)| format!("{indent}{:<12} {value}\n", format!("{label}:")))
        .collect()
}
