//! `metadata inspect`: what a metadata document holds, for a person or as JSON.

use std::fmt::Write as _;

use std::path::Path;

use goto_sso_wizard::json::{MetadataJson, SourceJson};
use goto_sso_wizard::metadata::{self, Endpoint, Entity, EntityKind, Metadata, ParseOptions};
use goto_sso_wizard::metadata_url::{self, Cloud, UrlRequest};
use goto_sso_wizard::time_format::rfc3339;
use time::OffsetDateTime;

use super::download;
use super::input::read_limited;
use super::output::{Failure, describe_certificate, print_json, write_stdout};
use super::{CloudArg, InspectArgs, UrlArgs};

/// Runs `metadata inspect`: a file, standard input, or a URL to download.
pub fn inspect(args: &InspectArgs) -> Result<(), Failure> {
    let now = OffsetDateTime::now_utc();
    let is_url = args.source.starts_with("https://") || args.source.starts_with("http://");
    let (parsed, source, fetched_warnings) = if is_url {
        let options = download::options(&args.download, args.max_size)
            .map_err(|failure| failure.with_json(args.json))?;
        let fetched = download::fetch_metadata(&args.source, &options)
            .map_err(|failure| failure.with_json(args.json))?;
        let source = SourceJson {
            url: fetched.fetched.url.clone(),
            final_url: fetched.fetched.final_url.clone(),
            redirects: fetched.fetched.redirects.clone(),
        };
        (fetched.metadata, Some(source), fetched.fetched.warnings)
    } else {
        let parsed = load(Path::new(&args.source), args.max_size, now)
            .map_err(|failure| failure.with_json(args.json))?;
        (parsed, None, Vec::new())
    };
    let mut json = MetadataJson::new(&parsed, now);
    json.warnings.extend(fetched_warnings);
    json.source = source;
    if args.json {
        print_json(&json)
    } else {
        write_stdout(render(&parsed, &json, now).as_bytes())
    }
}

/// Runs `metadata url`.
pub fn url(args: &UrlArgs) -> Result<(), Failure> {
    let cloud = args.cloud.map(|cloud| match cloud {
        CloudArg::Global => Cloud::Global,
        CloudArg::Usgov => Cloud::UsGov,
        CloudArg::China => Cloud::China,
        CloudArg::Adfs => Cloud::Adfs,
    });
    let request = UrlRequest {
        tenant: &args.tenant,
        app_id: args.app_id.as_deref(),
        cloud,
    };
    let built = metadata_url::build(&request).map_err(|error| {
        Failure::bad_input(error.kind(), error.to_string()).with_json(args.json)
    })?;
    if args.json {
        return print_json(&built);
    }
    // The URL alone on standard output, so `$(goto-sso-wizard metadata url ...)` works.
    for warning in &built.warnings {
        eprintln!("note: {warning}");
    }
    write_stdout(format!("{}\n", built.url).as_bytes())
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

fn render(parsed: &Metadata, json: &MetadataJson, now: OffsetDateTime) -> String {
    let mut out = String::new();
    if let Some(source) = &json.source {
        let _ = writeln!(out, "Downloaded: {}", source.final_url);
        for (number, hop) in source.redirects.iter().enumerate() {
            let _ = writeln!(out, "  redirect {}: {hop}", number + 1);
        }
        out.push('\n');
    }
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
    if !json.advice.is_empty() {
        let _ = writeln!(out, "\nFor GoTo:");
        for advice in &json.advice {
            let _ = writeln!(out, "  - {advice}");
        }
    }
    if !json.warnings.is_empty() {
        let _ = writeln!(out, "\nWarnings:");
        for warning in &json.warnings {
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
