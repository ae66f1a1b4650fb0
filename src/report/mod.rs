//! The setup report an admin keeps and hands on: every value pasted on each side and a
//! checklist, as Markdown, HTML or JSON. Made from a [`Setup`], which holds no secret, so no
//! report can contain one.

mod checklist;
pub(crate) mod html;
pub(crate) mod markdown;

use serde::Serialize;

use crate::setup::{EntraValues, GoToValues, Setup, entra_values, goto_values};
pub use checklist::{CheckItem, Side, checklist};

/// The report's content, independent of the format.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// When it was made (RFC 3339).
    pub generated: String,
    /// The profile used, with its source.
    pub profile: String,
    /// Entra's Basic SAML Configuration values (single sign-on only).
    pub entra: Option<EntraValues>,
    /// GoTo's identity-provider values.
    pub goto: GoToValues,
    /// What to do on each side.
    pub checklist: Vec<CheckItem>,
    /// The setup itself.
    pub setup: Setup,
}

impl Report {
    /// Builds the report for `setup` at `now`.
    pub fn new(setup: &Setup, now: time::OffsetDateTime) -> Self {
        let profile = setup.profile().map_or_else(
            || "none".to_owned(),
            |p| format!("{} (source: {}, as of {})", p.name, p.source, p.as_of),
        );
        Self {
            generated: crate::time_format::rfc3339(now),
            profile,
            entra: setup.sso.then(|| entra_values(setup)).flatten(),
            goto: goto_values(setup),
            checklist: checklist(setup),
            setup: setup.clone(),
        }
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .unwrap_or_else(|error| format!("{{\"error\":\"{error}\"}}"))
    }

    /// Markdown.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# GoTo single sign-on setup\n\nGenerated {} with goto-sso-wizard.  \nGoTo values: {}\n",
            self.generated, self.profile
        );
        for (title, rows) in self.sections() {
            out.push_str(&format!(
                "\n## {title}\n\n| Field | Value |\n| --- | --- |\n"
            ));
            for (field, value) in rows {
                out.push_str(&format!(
                    "| {} | `{}` |\n",
                    md_cell(&field),
                    md_cell(&value)
                ));
            }
        }
        out.push_str("\n## Checklist\n\n");
        for item in &self.checklist {
            out.push_str(&format!(
                "- [{}] **{}**: {}\n",
                if item.done { "x" } else { " " },
                item.side.name(),
                item.text
            ));
        }
        if let Some(pem) = &self.setup.metadata.certificate_pem {
            out.push_str(&format!(
                "\n## Signing certificate for GoTo (PEM)\n\n```\n{}```\n",
                pem
            ));
        }
        out
    }

    /// A standalone HTML page.
    pub fn to_html(&self) -> String {
        html::render(self)
    }

    /// The value tables: (title, [(field, value)]).
    fn sections(&self) -> Vec<(&'static str, Vec<(String, String)>)> {
        let mut sections = Vec::new();
        if let Some(entra) = &self.entra {
            let mut rows = vec![
                (
                    "Identifier (Entity ID)".to_owned(),
                    entra.identifier.clone(),
                ),
                (
                    "Reply URL (Assertion Consumer Service URL)".to_owned(),
                    entra.reply_url.clone(),
                ),
            ];
            if let Some(sign_on) = &entra.sign_on_url {
                rows.push(("Sign on URL".to_owned(), sign_on.clone()));
            }
            for (product, relay) in &entra.relay_states {
                rows.push((format!("Relay State ({})", product.name()), relay.clone()));
            }
            rows.push((
                "Unique User Identifier (Name ID)".to_owned(),
                entra.name_id.clone(),
            ));
            sections.push(("Entra ID: Basic SAML Configuration", rows));
        }
        let goto = &self.goto;
        let mut rows = Vec::new();
        let mut push = |field: &str, value: &Option<String>| {
            if let Some(value) = value {
                rows.push((field.to_owned(), value.clone()));
            }
        };
        push("Automatic: metadata URL", &goto.metadata_url);
        push("Manual: sign-in page URL", &goto.sign_in_url);
        push("Manual: sign-out page URL", &goto.sign_out_url);
        push("Manual: identity provider entity ID", &goto.idp_entity_id);
        push(
            "Manual: certificate SHA-256 thumbprint",
            &goto.certificate_sha256,
        );
        if !rows.is_empty() {
            sections.push(("GoTo: identity provider", rows));
        }
        let provisioning = &self.setup.provisioning_settings;
        if self.setup.provisioning {
            let mut rows = Vec::new();
            if let Some(method) = provisioning.method {
                rows.push((
                    "Credentials".to_owned(),
                    format!("{method:?} (kept in the OS keyring, not in this report)"),
                ));
            }
            if let Some(url) = &provisioning.scim_base_url {
                rows.push(("SCIM base URL".to_owned(), url.clone()));
            }
            if let Some(url) = &provisioning.token_url {
                rows.push(("Token URL".to_owned(), url.clone()));
            }
            if let Some(id) = &provisioning.client_id {
                rows.push(("Client ID".to_owned(), id.clone()));
            }
            sections.push(("Provisioning", rows));
        }
        sections
    }
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace('`', "'")
        .replace('\n', " ")
}

#[cfg(test)]
mod tests;
