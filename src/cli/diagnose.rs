//! `diagnose`: a captured sign-in, checked against the setup, with the root cause and its fix.

use std::path::Path;

use goto_sso_wizard::diagnose::{
    self, CheckTime, Diagnosis, Expected, MAX_CAPTURE_BYTES, Sourced, Verdict, parse_certificates,
};
use goto_sso_wizard::setup::Product;
use time::OffsetDateTime;

use super::input::read_limited;
use super::output::{Failure, print_json, write_stdout};
use super::{DiagnoseArgs, EXIT_INCONCLUSIVE, EXIT_NOT_HEALTHY, ProductArg};

/// Runs `diagnose`.
pub fn run(args: &DiagnoseArgs) -> Result<(), Failure> {
    let expected = expected(args).map_err(|f| f.with_json(args.json))?;
    let time = check_time(args).map_err(|f| f.with_json(args.json))?;
    let capture = read_limited(&args.capture, MAX_CAPTURE_BYTES, "capture")
        .map_err(|f| f.with_json(args.json))?;
    let diagnosis = diagnose::diagnose_message_number(&capture, &expected, time, args.message)
        .map_err(|error| Failure::from_error("unreadable_capture", &error).with_json(args.json))?;
    let shown = if args.redact {
        diagnose::redacted(&diagnosis)
    } else {
        diagnosis
    };
    if let Some(path) = &args.report {
        write_report(path, &shown).map_err(|f| f.with_json(args.json))?;
    }
    if args.json {
        print_json(&shown)?;
    } else {
        let mut text = diagnose::to_text(&shown);
        if args.show_xml {
            text.push_str("\nThe message\n");
            text.push_str(&shown.pretty_xml);
        }
        if let Some(path) = &args.report {
            text.push_str(&format!("\nReport written to {}\n", path.display()));
        }
        write_stdout(text.as_bytes())?;
    }
    // The findings and the verdict line already said it all; only the exit status is left.
    let (kind, exit_code) = match shown.verdict {
        Verdict::Healthy => return Ok(()),
        Verdict::NotHealthy => ("not_healthy", EXIT_NOT_HEALTHY),
        Verdict::Inconclusive => ("inconclusive", EXIT_INCONCLUSIVE),
    };
    Err(Failure {
        chain: Vec::new(),
        exit_code,
        ..Failure::bad_input(kind, String::new())
    })
}

/// The setup file, then the flags over it.
fn expected(args: &DiagnoseArgs) -> Result<Expected, Failure> {
    let mut expected = match &args.setup {
        Some(path) => {
            Expected::load(path).map_err(|error| Failure::from_error("bad_setup", &error))?
        }
        None => Expected::published(),
    };
    if let Some(path) = &args.idp_metadata {
        let metadata = super::metadata::load(
            path,
            goto_sso_wizard::xml::DEFAULT_MAX_XML_BYTES,
            OffsetDateTime::now_utc(),
        )?;
        // With --idp-entity-id too, that entity of the document is the one to trust.
        expected
            .use_idp_metadata(&metadata, "--idp-metadata", args.idp_entity_id.as_deref())
            .map_err(|error| {
                Failure::bad_input(
                    "not_idp_metadata",
                    format!(
                        "{}: {error}; give Entra's federation metadata (the App Federation Metadata Url's document), with --idp-entity-id ID to pick one of several",
                        path.display()
                    ),
                )
            })?;
    }
    let flag = |value: &Option<String>, name: &str| {
        value
            .as_ref()
            .map(|v| Sourced::new(v.trim().to_owned(), name))
    };
    if let Some(value) = flag(&args.sp_entity_id, "--sp-entity-id") {
        expected.sp_entity_id = Some(value);
    }
    if let Some(value) = flag(&args.acs_url, "--acs-url") {
        expected.acs_url = Some(value);
    }
    if let Some(value) = flag(&args.idp_entity_id, "--idp-entity-id") {
        expected.idp_entity_id = Some(value);
    }
    if let Some(value) = flag(&args.request_id, "--request-id") {
        expected.request_id = Some(value);
    }
    if !args.idp_cert.is_empty() {
        let paths: Vec<String> = args
            .idp_cert
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        expected.idp_certificates = parse_certificates(&paths, None, "--idp-cert")
            .map_err(|error| Failure::from_error("bad_certificate", &error))?;
        expected.idp_certificates_source = Some("--idp-cert".to_owned());
    }
    if let Some(user) = &args.user {
        expected.user = Some(user.trim().to_owned());
    }
    if let Some(skew) = args.skew {
        expected.skew_seconds = skew;
    }
    let product = args.product.map(|p| match p {
        ProductArg::Gotomeeting => Product::GoToMeeting,
        ProductArg::Gotowebinar => Product::GoToWebinar,
        ProductArg::Gototraining => Product::GoToTraining,
        ProductArg::Gotoassist => Product::GoToAssist,
    });
    if product.is_some() || args.relay_state.is_some() {
        let source = if args.relay_state.is_some() {
            "--relay-state"
        } else {
            "--product"
        };
        expected.choose_relay_state(product, args.relay_state.clone(), source);
    }
    Ok(expected)
}

fn check_time(args: &DiagnoseArgs) -> Result<CheckTime, Failure> {
    let Some(text) = &args.now else {
        return Ok(CheckTime::clock());
    };
    OffsetDateTime::parse(text.trim(), &time::format_description::well_known::Rfc3339)
        .map(|now| CheckTime { now, given: true })
        .map_err(|error| {
            Failure::bad_input(
                "bad_time",
                format!(
                    "--now {text:?} is not an RFC 3339 time ({error}); write it like 2026-11-25T14:30:00Z"
                ),
            )
        })
}

fn write_report(path: &Path, diagnosis: &Diagnosis) -> Result<(), Failure> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let text = match extension.as_deref() {
        Some("html" | "htm") => diagnose::to_html(diagnosis),
        Some("md" | "markdown") => diagnose::to_markdown(diagnosis),
        _ => {
            return Err(Failure::bad_input(
                "bad_report_path",
                format!(
                    "the report {} needs the extension .md (Markdown) or .html",
                    path.display()
                ),
            ));
        }
    };
    goto_sso_wizard::private_file::write(path, text.as_bytes()).map_err(|error| {
        Failure::bad_input(
            "io",
            format!("cannot write the report {}: {error}", path.display()),
        )
    })
}
