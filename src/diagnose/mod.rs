//! Support diagnostics of a sign-in that failed: take whatever support staff captured (a
//! SAMLResponse in any encoding, a form body, a browser HAR file, a SAML-tracer export), read the
//! response, verify its signatures, check it against the expected setup, and name the root
//! cause with its fix.

mod checks;
mod expected;
mod finding;
mod input;
mod redact;
mod render;
mod response;
mod signatures;
mod verdict;

use serde::Serialize;
use time::OffsetDateTime;

pub use checks::EMAIL_FORMAT;
pub use expected::{
    DEFAULT_SKEW_SECONDS, Expected, ExpectedError, ExpectedFile, Sourced, parse_certificates,
};
pub use finding::{Finding, FindingId, FixSide, NoteId, RootCause, Severity, root_cause};
pub use input::{
    Binding, DecodeBudget, DecodeError, DecodedMessage, InputKind, ListedMessage,
    MAX_CAPTURE_BYTES, MAX_DECODED_BYTES, MAX_MESSAGE_BYTES, MAX_MESSAGES, capture_text, choose,
    decode, list, nearest_request,
};
pub use redact::redacted;
pub use render::{summary_rows, to_html, to_markdown, to_text};
pub use response::{
    AssertionSummary, Attribute, Instant, MalformedMessage, MessageSummary, NameId, STATUS_SUCCESS,
    Status, SubjectConfirmation, pretty_print,
};
pub use signatures::{SignatureSummary, SignedElement};
pub use verdict::{Unchecked, Verdict, verdict_line};

/// How the checked message was captured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureInfo {
    /// The form of the capture.
    pub kind: InputKind,
    /// The binding the message travelled by.
    pub binding: Binding,
    /// `SAMLResponse`, `SAMLRequest`, or the root element's name for raw XML.
    pub parameter: String,
    /// Where in the capture it was found.
    pub found_at: Option<String>,
    /// How many SAML messages the capture holds.
    pub messages_in_capture: usize,
}

/// What was read from the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiagnosisSummary {
    /// The message's fields (`None` when it could not be parsed).
    #[serde(flatten)]
    pub message: Option<MessageSummary>,
    /// The relay state sent with it.
    pub relay_state: Option<String>,
    /// Its signatures.
    pub signatures: Vec<SignatureSummary>,
    /// How it was captured.
    pub capture: CaptureInfo,
    /// The time the checks used.
    pub checked_at: String,
}

/// The verdict on one captured response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// The verdict is [`Verdict::Healthy`]: no error found and nothing left unchecked.
    pub healthy: bool,
    /// Healthy, not healthy, or inconclusive.
    pub verdict: Verdict,
    /// The checks that had nothing to compare with (they make a verdict inconclusive).
    pub unchecked: Vec<Unchecked>,
    /// The most fundamental error, when there is one.
    pub root_cause: Option<RootCause>,
    /// Every finding, errors first.
    pub findings: Vec<Finding>,
    /// What was read.
    pub summary: DiagnosisSummary,
    /// The message as indented XML, for reading (not in the JSON: it holds personal data
    /// that the summary already shows).
    #[serde(skip)]
    pub pretty_xml: String,
}

impl Diagnosis {
    /// How many warnings there are (a healthy verdict mentions them).
    pub fn warning_count(&self) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == Severity::Warning)
            .count()
    }
}

/// When the checks happen: the clock's time, or the time the capture was made.
#[derive(Debug, Clone, Copy)]
pub struct CheckTime {
    /// The instant.
    pub now: OffsetDateTime,
    /// Whether it was given (rather than read from the clock).
    pub given: bool,
}

impl CheckTime {
    /// The clock's time.
    pub fn clock() -> CheckTime {
        CheckTime {
            // Whole seconds: the findings show this time to people.
            now: OffsetDateTime::now_utc()
                .replace_nanosecond(0)
                .unwrap_or_else(|_| OffsetDateTime::now_utc()),
            given: false,
        }
    }
}

/// Decodes `capture` and diagnoses the response in it (the last one, when there are several:
/// the one that failed). An AuthnRequest before it in the same capture gives the expected
/// InResponseTo when none was given.
pub fn diagnose(
    capture: &[u8],
    expected: &Expected,
    time: CheckTime,
) -> Result<Diagnosis, DecodeError> {
    diagnose_message_number(capture, expected, time, None)
}

/// [`diagnose`], checking message `number` (1-based, in capture order) when given instead of
/// the last response.
pub fn diagnose_message_number(
    capture: &[u8],
    expected: &Expected,
    time: CheckTime,
    number: Option<usize>,
) -> Result<Diagnosis, DecodeError> {
    let text = input::capture_text(capture)?;
    let listed = input::list(&text)?;
    // Only the message checked is decoded, and the AuthnRequest before it: all from one budget.
    let mut budget = input::DecodeBudget::default();
    let mut skipped = Vec::new();
    let (chosen, message) = input::choose(&listed, number, &mut budget, &mut skipped)?;
    let mut expected = expected.clone();
    if expected.request_id.is_none()
        && let Some(id) = input::nearest_request(&listed[..chosen], &mut budget, &mut skipped)
            .and_then(|request| request_id(&request.xml))
    {
        expected.request_id = Some(Sourced::new(id, "the AuthnRequest in the capture"));
    }
    let message = &message;
    // A HAR says when the browser posted the response: check as of then, not now, so an old
    // capture is not called expired.
    let capture_time = message
        .captured_at
        .as_deref()
        .filter(|_| !time.given)
        .and_then(|text| {
            OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
        });
    let time = capture_time.map_or(time, |now| CheckTime { now, given: true });
    let mut diagnosis = diagnose_message(message, &expected, time);
    if let Some(now) = capture_time {
        diagnosis.findings.push(capture_note(
            format!(
                "Times were checked as of {}, when the browser sent the response (from the HAR file).",
                crate::time_format::rfc3339(now)
            ),
            "To check as of another time, give that time (--now on the command line).",
        ));
    }
    diagnosis.summary.capture.messages_in_capture = listed.len();
    if listed.len() > 1 {
        diagnosis.findings.push(capture_note(
            format!(
                "The capture holds {} SAML messages; message {} ({}) was checked.",
                listed.len(),
                chosen + 1,
                message.found_at.as_deref().unwrap_or(&message.parameter)
            ),
            &format!(
                "To check another, give its number, 1 to {} (on the command line: --message N).",
                listed.len()
            ),
        ));
    }
    skipped.sort_by_key(|(index, _)| *index);
    for (index, error) in skipped.iter().take(MAX_SKIP_NOTES) {
        let listed = &listed[*index];
        diagnosis.findings.push(Finding::note(
            FindingId::Note(NoteId::MessageSkipped),
            Severity::Info,
            FixSide::Neither,
            format!(
                "Message {} ({}) could not be decoded and was skipped: {error}.",
                index + 1,
                listed.found_at.as_deref().unwrap_or(&listed.parameter)
            ),
            "Nothing to do when the message checked is the one that failed; otherwise capture the sign-in again (a HAR file is safest: copying by hand often cuts a message short).",
        ));
    }
    if skipped.len() > MAX_SKIP_NOTES {
        diagnosis.findings.push(Finding::note(
            FindingId::Note(NoteId::MessageSkipped),
            Severity::Info,
            FixSide::Neither,
            format!(
                "{} more messages could not be decoded and were skipped.",
                skipped.len() - MAX_SKIP_NOTES
            ),
            "Capture the sign-in again if the one that failed is among them.",
        ));
    }
    Ok(diagnosis)
}

/// Skipped messages noted one by one; past this many, together.
const MAX_SKIP_NOTES: usize = 5;

/// A note about which message of the capture was checked, and as of when.
fn capture_note(message: String, fix: &str) -> Finding {
    Finding::note(
        FindingId::Note(NoteId::MessageChosen),
        Severity::Info,
        FixSide::Neither,
        message,
        fix,
    )
}

/// Diagnoses one decoded message.
pub fn diagnose_message(
    message: &DecodedMessage,
    expected: &Expected,
    time: CheckTime,
) -> Diagnosis {
    let capture = CaptureInfo {
        kind: message.kind,
        binding: message.binding,
        parameter: message.parameter.clone(),
        found_at: message.found_at.clone(),
        messages_in_capture: 1,
    };
    let mut summary = DiagnosisSummary {
        message: None,
        relay_state: message.relay_state.clone(),
        signatures: Vec::new(),
        capture,
        checked_at: crate::time_format::rfc3339(time.now),
    };
    let mut unchecked = Vec::new();
    let (findings, pretty_xml) = match response::parse_document(&message.xml) {
        Err(error) => (
            vec![Finding::error(
                RootCause::Malformed,
                FixSide::Neither,
                format!("The message cannot be read: {error}."),
                "Capture the sign-in again and paste the SAMLResponse value whole (a HAR file is safest: copying by hand often cuts it short).",
            )],
            message.xml.clone(),
        ),
        Ok(doc) => {
            let read = response::summarise(&doc);
            summary.signatures = signatures::check_signatures(&doc, &expected.idp_certificates);
            let findings = checks::run(&checks::CheckInput {
                message,
                summary: &read,
                assertions: checks::Assertions::count(&doc),
                signatures: &summary.signatures,
                expected,
                now: time.now,
                now_given: time.given,
            });
            unchecked = verdict::unchecked(expected, &read, &summary.signatures);
            summary.message = Some(read);
            (findings, pretty_print(&doc))
        }
    };
    conclude(findings, &unchecked, summary, pretty_xml)
}

fn conclude(
    mut findings: Vec<Finding>,
    unchecked: &[Unchecked],
    summary: DiagnosisSummary,
    pretty_xml: String,
) -> Diagnosis {
    // Errors first (the root cause at the top), then warnings, then notes; stable otherwise.
    findings.sort_by_key(|finding| (finding.severity, finding.cause()));
    let root_cause = root_cause(&findings);
    let verdict = verdict::decide(root_cause, unchecked);
    Diagnosis {
        healthy: verdict == Verdict::Healthy,
        verdict,
        unchecked: unchecked.to_vec(),
        root_cause,
        findings,
        summary,
        pretty_xml,
    }
}

/// The `ID` of an AuthnRequest.
fn request_id(xml: &str) -> Option<String> {
    let doc = response::parse_document(xml).ok()?;
    let root = doc.root_element();
    (root.tag_name().name() == "AuthnRequest")
        .then(|| root.attribute("ID").map(str::to_owned))
        .flatten()
}
