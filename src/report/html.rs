//! The report as one standalone HTML page (no scripts, no outside resources), every value escaped.

use super::Report;

pub(super) fn render(report: &Report) -> String {
    let mut body = format!(
        "<h1>GoTo single sign-on setup</h1><p>Generated {} with goto-sso-wizard.<br>GoTo values: {}</p>",
        escape(&report.generated),
        escape(&report.profile)
    );
    for (title, rows) in report.sections() {
        body.push_str(&format!(
            "<h2>{}</h2><table><tr><th>Field</th><th>Value</th></tr>",
            escape(title)
        ));
        for (field, value) in rows {
            body.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td></tr>",
                escape(&field),
                escape(&value)
            ));
        }
        body.push_str("</table>");
    }
    body.push_str("<h2>Checklist</h2><ul>");
    for item in &report.checklist {
        body.push_str(&format!(
            "<li>{} <strong>{}</strong>: {}</li>",
            if item.done { "&#9745;" } else { "&#9744;" },
            item.side.name(),
            escape(&item.text)
        ));
    }
    body.push_str("</ul>");
    if let Some(pem) = &report.setup.metadata.certificate_pem {
        body.push_str(&format!(
            "<h2>Signing certificate for GoTo (PEM)</h2><pre>{}</pre>",
            escape(pem)
        ));
    }
    page("GoTo single sign-on setup", &body)
}

/// A standalone page around `body`: no scripts, no outside resources.
pub(crate) fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}\
         table{{border-collapse:collapse;width:100%}}td,th{{border:1px solid #bbb;padding:.3em .5em;text-align:left;vertical-align:top}}\
         code,pre{{word-break:break-all;white-space:pre-wrap}}</style></head><body>{body}</body></html>\n",
        escape(title)
    )
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}
