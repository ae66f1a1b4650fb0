//! A diagnosis as text for the terminal, and as a Markdown or HTML report to attach to a
//! ticket (redacted by [`super::redacted`] when asked). All three share one list of
//! summary rows, so they never disagree.

use super::{Diagnosis, FixSide, Severity, verdict_line};

/// The summary as (field, value) rows, in reading order.
pub fn summary_rows(diagnosis: &Diagnosis) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut push = |field: &str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            rows.push((field.to_owned(), value));
        }
    };
    let summary = &diagnosis.summary;
    let capture = &summary.capture;
    push(
        "Captured as",
        Some(format!(
            "{}{}{}",
            match capture.kind {
                super::InputKind::Xml => "XML",
                super::InputKind::Base64 => "base64",
                super::InputKind::DeflatedBase64 => "deflated base64",
                super::InputKind::FormBody => "form body",
                super::InputKind::Har => "HAR file",
                super::InputKind::SamlTracer => "SAML-tracer export",
            },
            match capture.binding {
                super::Binding::Post => " sent by HTTP-POST",
                super::Binding::Redirect => " sent by HTTP-Redirect",
                super::Binding::Unknown => "",
            },
            capture
                .found_at
                .as_deref()
                .map(|at| format!(", {at}"))
                .unwrap_or_default()
        )),
    );
    push("Checked at", Some(summary.checked_at.clone()));
    if let Some(message) = &summary.message {
        push("Message", Some(message.message_type.clone()));
        push(
            "Status",
            Some(
                [
                    message.status.code.as_deref().map(short_uri),
                    message.status.sub_code.as_deref().map(short_uri),
                    message.status.message.as_deref(),
                    message
                        .status
                        .aadsts
                        .as_ref()
                        .map(|code| code.meaning.as_str()),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" / "),
            ),
        );
        push("Issuer", message.issuer.clone());
        push("Destination", message.destination.clone());
        push("InResponseTo", message.in_response_to.clone());
        push("Response ID", message.id.clone());
        push(
            "Issued",
            message.issue_instant.as_ref().map(|i| i.text.clone()),
        );
        if let Some(assertion) = &message.assertion {
            push("Assertion ID", assertion.id.clone());
            if assertion.issuer != message.issuer {
                push("Assertion issuer", assertion.issuer.clone());
            }
            push(
                "NameID",
                assertion.name_id.as_ref().map(|n| {
                    format!(
                        "{} ({})",
                        n.value,
                        n.format.as_deref().map_or("no format", short_uri)
                    )
                }),
            );
            push("Audience", Some(assertion.audiences.join(", ")));
            push("Recipient", assertion.confirmation.recipient.clone());
            push(
                "Answers request",
                assertion.confirmation.in_response_to.clone(),
            );
            push(
                "Valid",
                Some(format!(
                    "from {} until {} (confirmation until {})",
                    instant_text(assertion.not_before.as_ref()),
                    instant_text(assertion.not_on_or_after.as_ref()),
                    instant_text(assertion.confirmation.not_on_or_after.as_ref()),
                )),
            );
            push(
                "Authenticated",
                assertion.authn_instant.as_ref().map(|i| {
                    format!(
                        "{}{}",
                        i.text,
                        assertion
                            .authn_context
                            .as_deref()
                            .map(|c| format!(" with {}", short_uri(c)))
                            .unwrap_or_default()
                    )
                }),
            );
            push("Session index", assertion.session_index.clone());
            for attribute in &assertion.attributes {
                push(
                    &format!("Attribute {}", short_claim(&attribute.name)),
                    Some(attribute.values.join(", ")),
                );
            }
        }
    }
    push("Relay state", summary.relay_state.clone());
    if summary.signatures.is_empty() && summary.message.is_some() {
        push("Signatures", Some("none".to_owned()));
    }
    for signature in &summary.signatures {
        let mut text = format!(
            "{} / {}, {}",
            signature.algorithm,
            signature.digest,
            if signature.verified {
                "verified".to_owned()
            } else {
                format!(
                    "NOT verified: {}",
                    signature.problem.as_deref().unwrap_or("")
                )
            }
        );
        if let Some(signer) = &signature.signer {
            text.push_str(&format!(
                "; signer {} (SHA-1 {}, until {}){}",
                signer.subject,
                signer.sha1,
                crate::time_format::rfc3339(signer.not_after),
                match signature.signer_trusted {
                    Some(true) => ", trusted",
                    Some(false) => ", NOT trusted",
                    None => "",
                }
            ));
        }
        push(
            &format!("Signature on the {}", signature.element.name()),
            Some(text),
        );
    }
    rows
}

/// The terminal form.
pub fn to_text(diagnosis: &Diagnosis) -> String {
    let mut out = verdict_line(diagnosis);
    out.push_str("\n\n");
    for finding in &diagnosis.findings {
        out.push_str(&format!(
            "{} {} {}{}\n    {}\n    Fix: {}\n",
            match finding.severity {
                Severity::Error => "✗",
                Severity::Warning => "!",
                Severity::Info => "i",
            },
            severity_name(finding.severity),
            finding.id.id(),
            side_suffix(finding.side),
            finding.message,
            finding.fix
        ));
    }
    out.push_str("\nWhat the message says\n");
    let rows = summary_rows(diagnosis);
    let width = rows
        .iter()
        .map(|(f, _)| f.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    for (field, value) in rows {
        out.push_str(&format!("  {:<width$} {value}\n", format!("{field}:")));
    }
    out
}

/// A Markdown report. Everything taken from the message is escaped (prose) or shown as code
/// (values, the XML): it cannot make a link, an image or HTML, nor break the table.
pub fn to_markdown(diagnosis: &Diagnosis) -> String {
    use crate::report::markdown::{code_block, code_cell, text};
    let mut out = format!(
        "# SAML sign-in diagnosis\n\n**{}**\n\n## Findings\n\n",
        text(&verdict_line(diagnosis))
    );
    if diagnosis.findings.is_empty() {
        out.push_str("None.\n");
    }
    for finding in &diagnosis.findings {
        out.push_str(&format!(
            "- **{} {}**{}: {}\n  - Fix: {}\n",
            severity_name(finding.severity),
            code_cell(finding.id.id()),
            text(&side_suffix(finding.side)),
            text(&finding.message),
            text(&finding.fix)
        ));
    }
    out.push_str("\n## What the message says\n\n| Field | Value |\n|---|---|\n");
    for (field, value) in summary_rows(diagnosis) {
        out.push_str(&format!("| {} | {} |\n", text(&field), code_cell(&value)));
    }
    out.push_str(&format!(
        "\n## The message\n\n{}\nMade with goto-sso-wizard.\n",
        code_block("xml", &diagnosis.pretty_xml)
    ));
    out
}

/// An HTML report (one standalone page).
pub fn to_html(diagnosis: &Diagnosis) -> String {
    use crate::report::html::escape;
    let mut body = format!(
        "<h1>SAML sign-in diagnosis</h1><p><strong>{}</strong></p><h2>Findings</h2><ul>",
        escape(&verdict_line(diagnosis))
    );
    for finding in &diagnosis.findings {
        body.push_str(&format!(
            "<li><strong>{} <code>{}</code></strong>{}: {}<br>Fix: {}</li>",
            severity_name(finding.severity),
            escape(finding.id.id()),
            escape(&side_suffix(finding.side)),
            escape(&finding.message),
            escape(&finding.fix)
        ));
    }
    body.push_str(
        "</ul><h2>What the message says</h2><table><tr><th>Field</th><th>Value</th></tr>",
    );
    for (field, value) in summary_rows(diagnosis) {
        body.push_str(&format!(
            "<tr><td>{}</td><td><code>{}</code></td></tr>",
            escape(&field),
            escape(&value)
        ));
    }
    body.push_str(&format!(
        "</table><h2>The message</h2><pre>{}</pre>",
        escape(&diagnosis.pretty_xml)
    ));
    crate::report::html::page("SAML sign-in diagnosis", &body)
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn side_suffix(side: FixSide) -> String {
    match side {
        FixSide::Entra => " (fix in Entra)".to_owned(),
        FixSide::GoTo => " (fix in GoTo)".to_owned(),
        FixSide::Neither => String::new(),
    }
}

fn instant_text(instant: Option<&super::Instant>) -> &str {
    instant.map_or("—", |i| i.text.as_str())
}

/// `urn:…:status:Success` → `Success`; `…nameid-format:emailAddress` → `emailAddress`.
fn short_uri(uri: &str) -> &str {
    uri.rsplit([':', '#']).next().unwrap_or(uri)
}

/// `http://schemas…/claims/emailaddress` → `emailaddress`.
fn short_claim(name: &str) -> &str {
    name.rsplit('/')
        .next()
        .filter(|s| !s.is_empty())
        .unwrap_or(name)
}
