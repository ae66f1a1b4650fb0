//! `cert show` and `cert export`.

use std::io::IsTerminal;
use std::path::Path;

use goto_sso_wizard::certificate::{Certificate, MAX_CERTIFICATE_INPUT};
use goto_sso_wizard::json::CertificateJson;
use goto_sso_wizard::metadata::{Entity, Metadata, ProviderError, SigningCertificate};
use time::OffsetDateTime;

use super::input::read_limited;
use super::output::{Failure, describe_certificate, print_json, write_stdout};
use super::{ExportArgs, ExportFormat, ShowArgs};

/// Runs `cert show`.
pub fn show(args: &ShowArgs) -> Result<(), Failure> {
    let now = OffsetDateTime::now_utc();
    let bytes = read_limited(&args.file, MAX_CERTIFICATE_INPUT, "certificate file")
        .map_err(|failure| failure.with_json(args.json))?;
    let (certificate, _format) = Certificate::parse(&bytes).map_err(|error| {
        let mut failure = Failure::from_error("not_a_certificate", &error);
        if bytes.trim_ascii_start().starts_with(b"<") {
            failure.chain.push(
                "this looks like XML: for a metadata file, use `goto-sso-wizard cert export <METADATA> --format pem`"
                    .to_owned(),
            );
        }
        failure.with_json(args.json)
    })?;
    if args.json {
        print_json(&CertificateJson::new(&certificate, now))
    } else {
        write_stdout(describe_certificate(&certificate, now, "").as_bytes())
    }
}

/// Runs `cert export`.
pub fn export(args: &ExportArgs) -> Result<(), Failure> {
    let now = OffsetDateTime::now_utc();
    let parsed = super::metadata::load(&args.metadata, args.max_size, now)?;
    let entity = choose_entity(&parsed, args.entity.as_deref())?;
    let (number, chosen) = choose_certificate(entity, args)?;
    let certificate = &chosen.certificate;
    let bytes = match args.format {
        ExportFormat::Pem => certificate.to_pem().into_bytes(),
        ExportFormat::Cer => certificate.to_base64_cer().into_bytes(),
        ExportFormat::Der => certificate.der().to_vec(),
    };
    let total = entity
        .idp
        .as_ref()
        .map_or(0, |idp| idp.signing_certificates.len());
    let which = format!(
        "certificate {number} of {total} of {} (SHA-256 {}, {})",
        entity.entity_id,
        certificate.info().sha256,
        certificate.expiry(now).describe()
    );
    match &args.output {
        Some(path) => {
            write_file(path, &bytes)?;
            eprintln!("wrote {} : {which}", path.display());
        }
        None => {
            if args.format == ExportFormat::Der && std::io::stdout().is_terminal() {
                return Err(Failure::bad_input(
                    "terminal",
                    "DER is binary and would garble the terminal: add -o FILE, or redirect the output (> signing.der)"
                        .to_owned(),
                ));
            }
            write_stdout(&bytes)?;
            if total > 1 {
                eprintln!("exported {which}");
            }
        }
    }
    Ok(())
}

fn choose_entity<'m>(parsed: &'m Metadata, wanted: Option<&str>) -> Result<&'m Entity, Failure> {
    parsed.signing_provider(wanted).map_err(|error| {
        let mut failure = Failure::bad_input(error.kind(), error.to_string());
        if let ProviderError::Ambiguous { .. } = error {
            failure
                .notes
                .push("what to do: give the one to export with --entity ID".to_owned());
        }
        failure
    })
}

fn choose_certificate<'e>(
    entity: &'e Entity,
    args: &ExportArgs,
) -> Result<(usize, &'e SigningCertificate), Failure> {
    let certificates = entity
        .idp
        .as_ref()
        .map(|idp| idp.signing_certificates.as_slice())
        .unwrap_or_default();
    let listing = || {
        certificates
            .iter()
            .enumerate()
            .map(|(i, signing)| format!("[{}] {}", i + 1, signing.certificate.info().sha256))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(wanted) = &args.sha256 {
        let wanted: String = wanted
            .chars()
            .filter(|c| !matches!(c, ':' | ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase();
        return certificates
            .iter()
            .enumerate()
            .find(|(_, signing)| signing.certificate.info().sha256 == wanted)
            .map(|(i, signing)| (i + 1, signing))
            .ok_or_else(|| {
                Failure::bad_input(
                    "no_such_certificate",
                    format!(
                        "no signing certificate of {} has the SHA-256 thumbprint {wanted}; it has: {}",
                        entity.entity_id,
                        listing()
                    ),
                )
            });
    }
    let number = args.index.map_or(1, |n| n as usize);
    certificates
        .get(number - 1)
        .map(|signing| (number, signing))
        .ok_or_else(|| {
            Failure::bad_input(
                "no_such_certificate",
                format!(
                    "{} has {} signing certificate(s), so there is no number {number}: {}",
                    entity.entity_id,
                    certificates.len(),
                    listing()
                ),
            )
        })
}

/// Writes privately and whole (see `private_file`), so a failure never leaves half a
/// certificate behind.
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    goto_sso_wizard::private_file::write(path, bytes).map_err(|error| {
        Failure::bad_input("io", format!("cannot write {}: {error}", path.display()))
    })
}
