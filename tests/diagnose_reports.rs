//! The diagnosis reports (Markdown and HTML) on a hostile message: status messages, a NameID,
//! attribute names and values written to make links, images, HTML, headings, list items and
//! table cells. The Markdown is rendered by a real CommonMark parser (with GitHub's tables and
//! strikethrough) and the result must have exactly the report's own structure.

use goto_sso_wizard::diagnose::{self, CheckTime, Diagnosis, Expected};
use time::OffsetDateTime;

/// Everything a value can try in Markdown and HTML, with line breaks.
const HOSTILE: &str = "Click [here](https://evil.example/phish) ![x](https://evil.example/x.png) \
<img src=x onerror=alert(1)> <script>alert(1)</script> <a href=\"https://evil.example\">a</a> \
`code` ``two`` | col | **bold** _it_ ~~gone~~ www.evil.example mallory@evil.example \\[esc\\] \
&lt;b&gt;entity&lt;/b&gt;\r\n# Heading\n- item\n| a | b |\n|---|---|\n```\nfenced\n```\n<div>block</div>";

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A failed sign-in (so the status message is quoted in a finding) carrying the hostile text in
/// the status message, the NameID, an attribute's name and its values.
fn hostile_diagnosis() -> Diagnosis {
    let hostile = escape_xml(HOSTILE);
    let xml = format!(
        r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-03-02T08:15:00Z" Destination="https://authentication.logmeininc.com/saml/acs"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/x/</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder"/><samlp:StatusMessage>AADSTS50105: {hostile}</samlp:StatusMessage></samlp:Status><Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-03-02T08:15:00Z"><Issuer>https://sts.windows.net/x/</Issuer><Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{hostile}</NameID></Subject><AttributeStatement><Attribute Name="{hostile}"><AttributeValue>{hostile}</AttributeValue><AttributeValue>|</AttributeValue><AttributeValue>`</AttributeValue></Attribute></AttributeStatement></Assertion></samlp:Response>"#
    );
    let time = CheckTime {
        now: OffsetDateTime::parse(
            "2026-03-02T08:16:00Z",
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap(),
        given: true,
    };
    let diagnosis = diagnose::diagnose(xml.as_bytes(), &Expected::published(), time).unwrap();
    assert!(
        diagnosis
            .findings
            .iter()
            .any(|f| f.message.contains("onerror")),
        "a finding quotes the hostile text: {:?}",
        diagnosis.findings
    );
    diagnosis
}

/// The names of the HTML elements in `html`, in order.
fn tags(html: &str) -> Vec<String> {
    html.split('<')
        .skip(1)
        .filter(|rest| !rest.starts_with('/') && !rest.starts_with('!'))
        .map(|rest| {
            rest.chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect()
}

fn count(tags: &[String], name: &str) -> usize {
    tags.iter().filter(|t| *t == name).count()
}

#[test]
fn a_hostile_message_cannot_shape_the_markdown_report() {
    let diagnosis = hostile_diagnosis();
    let markdown = diagnose::to_markdown(&diagnosis);
    let mut options = pulldown_cmark::Options::empty();
    options.insert(pulldown_cmark::Options::ENABLE_TABLES);
    options.insert(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut rendered = String::new();
    pulldown_cmark::html::push_html(
        &mut rendered,
        pulldown_cmark::Parser::new_ext(&markdown, options),
    );
    let found = tags(&rendered);

    // Only the report's own kinds of element: no link, image, HTML, emphasis or heading of the
    // message's making.
    let allowed = [
        "h1", "h2", "p", "strong", "code", "ul", "li", "table", "thead", "tbody", "tr", "th", "td",
        "pre",
    ];
    let foreign: Vec<&String> = found
        .iter()
        .filter(|t| !allowed.contains(&t.as_str()))
        .collect();
    assert!(
        foreign.is_empty(),
        "elements made by the message: {foreign:?}\n{markdown}\n{rendered}"
    );
    // Exactly the report's structure: one title, three sections, one list item a finding (and
    // one its fix), one table row a summary row (plus the header), two cells a row, one code
    // block.
    let rows = diagnose::summary_rows(&diagnosis);
    assert_eq!(count(&found, "h1"), 1, "{markdown}");
    assert_eq!(count(&found, "h2"), 3, "{markdown}");
    assert_eq!(
        count(&found, "ul"),
        1 + diagnosis.findings.len(),
        "the findings, and each one's fix: {markdown}"
    );
    assert_eq!(
        count(&found, "li"),
        2 * diagnosis.findings.len(),
        "a finding and its fix: {markdown}"
    );
    assert_eq!(count(&found, "table"), 1, "{markdown}");
    assert_eq!(count(&found, "tr"), rows.len() + 1, "{markdown}");
    assert_eq!(
        count(&found, "th") + count(&found, "td"),
        2 * (rows.len() + 1)
    );
    assert_eq!(count(&found, "pre"), 1, "{markdown}");
    // Bare links (GitHub makes links of `https://…`, `www.…` and addresses) are only in code.
    for line in markdown
        .lines()
        .filter(|l| l.starts_with("- ") || l.starts_with("  - "))
    {
        let unescaped = line.replace("\\://", "");
        for bare in ["://", "www.", "mallory@"] {
            assert!(!unescaped.contains(bare), "{bare} in {line}");
        }
    }
    // The values are still there to read, whole.
    assert!(rendered.contains("onerror=alert(1)"), "{rendered}");
    assert!(rendered.contains("[here](https://evil.example/phish)"));
    // The message is shown exactly in the code block.
    let block_start = rendered.find("<pre>").unwrap();
    assert!(rendered[block_start..].contains("```\nfenced\n```"));
}

#[test]
fn a_hostile_message_cannot_shape_the_html_report() {
    let diagnosis = hostile_diagnosis();
    let html = diagnose::to_html(&diagnosis);
    let found = tags(&html);
    let allowed = [
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "strong", "code", "ul",
        "li", "br", "table", "tr", "th", "td", "pre",
    ];
    let foreign: Vec<&String> = found
        .iter()
        .filter(|t| !allowed.contains(&t.as_str()))
        .collect();
    assert!(
        foreign.is_empty(),
        "elements made by the message: {foreign:?}"
    );
    let rows = diagnose::summary_rows(&diagnosis);
    assert_eq!(count(&found, "tr"), rows.len() + 1);
    assert_eq!(count(&found, "li"), diagnosis.findings.len());
    assert!(html.contains("onerror=alert(1)"));
    assert!(!html.contains("<img") && !html.contains("<script") && !html.contains("<a "));
}
