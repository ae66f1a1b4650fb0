//! `metadata inspect`: what a metadata document holds, for a person or as JSON.

use std::fmt::Write as _;

use goto_sso_wizard::json::MetadataJson;
use goto_sso_wizard::metadata::{self, Endpoint, Entity, EntityKind, Metadata, ParseOptions};
use goto_sso_wizard::time_format::rfc3339;
use time::OffsetDateTime;

use super::InspectArgs;
use super::input::read_limited;
use super::output::{Failure, describe_certificate, print_json, write_stdout};

/// Runs `metadata inspect`.
pub fn inspect(args: &InspectArgs) -> Result<(), Failure> {
    let now = OffsetDateTime::now_utc();
    let parsed =
        load(&args.file, args.max_size, now).map_err(|failure| failure.with_json(args.json))?;
    if args.json {
        print_json(&MetadataJson::new(&parsed, now))
    } else {
        write_stdout(render(&parsed, now).as_bytes())
    }
}

/// Reads and parses a metadata file (shared with `cert export`).
pub fn load(
    path: &std::path::Path,
    max_size: usize,
    now: OffsetDateTime,
) -> Result<Metadata, Failure> {
    let bytes = read_limited(path, max_size, "metadata file")?;
    let options = ParseOptions {
        max_bytes: max_size,
        now,
        source: None,
    };
    metadata::parse(&bytes, &options).map_err(|error| Failure::from_error(error.kind(), &error))
}

fn render(parsed: &Metadata, now: OffsetDateTime) -> String {
    let mut out = String::new();
    if let Some(name) = &parsed.name {
        let _ = writeln!(out, "Aggregate: {name}");
    }
    let count = parsed.entities.len();
    for (number, entity) in parsed.entities.iter().enumerate() {
        if number > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "Entity {} of {count}: {}",
            number + 1,
            entity.entity_id
        );
        render_entity(&mut out, entity, now);
    }
    if !parsed.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for warning in &parsed.warnings {
            let _ = writeln!(out, "  - {warning}");
        }
    }
    out
}

fn render_entity(out: &mut String, entity: &Entity, now: OffsetDateTime) {
    let _ = writeln!(out, "  Kind:        {}", entity.kind.describe());
    let _ = writeln!(out, "               ({})", entity.kind_reason);
    let signed = if entity.signed {
        "yes (a ds:Signature is present; it is not verified here)"
    } else {
        "no"
    };
    let _ = writeln!(out, "  Signed:      {signed}");
    if let Some(valid_until) = entity.valid_until {
        let _ = writeln!(out, "  Valid until: {}", rfc3339(valid_until));
    }
    if let Some(idp) = &entity.idp {
        render_endpoints(out, "Sign-in (SSO) endpoints", &idp.sso);
        render_endpoints(out, "Sign-out (SLO) endpoints", &idp.slo);
        let total = idp.signing_certificates.len();
        let _ = writeln!(out, "  Signing certificates ({total}):");
        for (index, signing) in idp.signing_certificates.iter().enumerate() {
            // Entra lists the certificate it signs with first; other providers promise no order.
            let entra = matches!(entity.kind, EntityKind::EntraApp | EntityKind::EntraTenant);
            let note = if index == 0 && total > 1 && entra {
                "  (listed first: the one Entra signs with now)"
            } else {
                ""
            };
            let _ = writeln!(out, "    [{}]{note}", index + 1);
            out.push_str(&describe_certificate(&signing.certificate, now, "      "));
            let _ = writeln!(
                out,
                "      {:<12} {}",
                "Found in:",
                signing.found_in.join(", ")
            );
        }
    }
    if let Some(sp) = &entity.sp {
        let _ = writeln!(out, "  Reply URLs (assertion consumer services):");
        for acs in &sp.acs {
            let index = acs
                .index
                .map(|i| format!(" [index {i}]"))
                .unwrap_or_default();
            let default = if acs.is_default == Some(true) {
                " (default)"
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "    {:<14} {}{index}{default}",
                short_binding(&acs.binding),
                acs.location
            );
        }
    }
}

fn render_endpoints(out: &mut String, title: &str, endpoints: &[Endpoint]) {
    if endpoints.is_empty() {
        let _ = writeln!(out, "  {title}: none");
        return;
    }
    let _ = writeln!(out, "  {title}:");
    for endpoint in endpoints {
        let _ = writeln!(
            out,
            "    {:<14} {}",
            short_binding(&endpoint.binding),
            endpoint.location
        );
    }
}

/// `HTTP-Redirect` for `urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect`; other bindings in full.
fn short_binding(binding: &str) -> &str {
    binding
        .strip_prefix("urn:oasis:names:tc:SAML:2.0:bindings:")
        .unwrap_or(binding)
}
