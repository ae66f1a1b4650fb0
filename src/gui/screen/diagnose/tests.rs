//! The diagnose screen's tests: `update` with the real tasks (run to their end), the views in
//! the simulator, and the files the export writes.

use std::sync::Arc;

use base64::Engine as _;
use goto_sso_wizard::diagnose::{RootCause, Verdict};
use iced::Size;
use iced::widget::text_editor::{Action as EditorAction, Edit};
use iced_test::Simulator;
use iced_test::selector::id;

use super::*;
use crate::gui::i18n::tr_with;
use crate::gui::test_support::run_task;

/// An Entra-shaped sign-in response to GoTo for alice@example.com, with no signature at all:
/// GoTo must refuse it, whatever else is right.
pub(crate) const UNSIGNED_RESPONSE: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_9f1c2d3e" Version="2.0" IssueInstant="2026-03-02T08:15:00.000Z" Destination="https://authentication.logmeininc.com/saml/acs">
<Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/7d2e6a40-5b1c-4f3e-9a8d-2c4b6e8f0a1b/</Issuer>
<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
<Assertion xmlns="urn:oasis:names:tc:SAML:2.0:assertion" ID="_4a5b6c7d" IssueInstant="2026-03-02T08:15:00.000Z" Version="2.0">
<Issuer>https://sts.windows.net/7d2e6a40-5b1c-4f3e-9a8d-2c4b6e8f0a1b/</Issuer>
<Subject>
<NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alice@example.com</NameID>
<SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData NotOnOrAfter="2026-03-02T08:20:00.000Z" Recipient="https://authentication.logmeininc.com/saml/acs"/></SubjectConfirmation>
</Subject>
<Conditions NotBefore="2026-03-02T08:10:00.000Z" NotOnOrAfter="2026-03-02T09:15:00.000Z"><AudienceRestriction><Audience>https://authentication.logmeininc.com/saml/sp</Audience></AudienceRestriction></Conditions>
<AttributeStatement>
<Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"><AttributeValue>alice@example.com</AttributeValue></Attribute>
<Attribute Name="http://schemas.microsoft.com/identity/claims/displayname"><AttributeValue>Alice Example</AttributeValue></Attribute>
</AttributeStatement>
<AuthnStatement AuthnInstant="2026-03-02T08:14:58.000Z" SessionIndex="_4a5b6c7d"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</AuthnContextClassRef></AuthnContext></AuthnStatement>
</Assertion>
</samlp:Response>"#;

/// A minute after the response was issued: inside its validity window.
pub(crate) const CAPTURE_TIME: &str = "2026-03-02T08:16:00Z";

/// The response as the POST binding carries it.
pub(crate) fn unsigned_base64() -> String {
    base64::engine::general_purpose::STANDARD.encode(UNSIGNED_RESPONSE)
}

/// Sends a message and runs every task it starts, feeding their messages back in.
pub(crate) fn drive(state: &mut State, message: Message) {
    if let Action::Run(task) = state.update(message) {
        for output in run_task(task) {
            drive(state, output);
        }
    }
}

/// Pastes `text` into the capture editor.
pub(crate) fn paste(state: &mut State, text: &str) {
    drive(
        state,
        Message::Edited(EditorAction::Edit(Edit::Paste(Arc::new(text.to_owned())))),
    );
}

/// A state with the unsigned response diagnosed at [`CAPTURE_TIME`].
pub(crate) fn diagnosed_unsigned() -> State {
    let mut state = State::default();
    state.open(&Setup::default());
    paste(&mut state, &unsigned_base64());
    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));
    drive(&mut state, Message::Diagnose);
    state
}

fn simulator(state: &State) -> Simulator<'_, Message> {
    Simulator::with_size(
        iced::Settings::default(),
        Size::new(900.0, 4000.0),
        state.view(),
    )
}

fn root_cause(state: &State) -> Option<RootCause> {
    state.outcome.as_ref()?.diagnosis.root_cause
}

#[test]
fn an_unsigned_response_is_diagnosed_in_a_task_and_the_view_names_the_root_cause()
-> Result<(), iced_test::Error> {
    let mut state = State::default();
    state.open(&Setup::default());
    assert_eq!(
        state.against,
        Against::Published,
        "a new setup has no metadata to check against"
    );
    paste(&mut state, &unsigned_base64());
    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));

    // Diagnose returns a task and shows the busy line with Cancel until the answer comes.
    let Action::Run(task) = state.update(Message::Diagnose) else {
        panic!("Diagnose runs a task")
    };
    assert!(state.run.running);
    {
        let mut ui = simulator(&state);
        let _ = ui.find(tr("diagnose-running"))?;
        let _ = ui.find(id(CANCEL_ID))?;
    }
    for output in run_task(task) {
        drive(&mut state, output);
    }
    assert!(!state.run.running);
    assert_eq!(root_cause(&state), Some(RootCause::Unsigned));
    let outcome = state.outcome.as_ref().expect("a result");
    assert!(!outcome.stale);
    assert!(!outcome.diagnosis.healthy);

    let mut ui = simulator(&state);
    let _ = ui.find("Not healthy — root cause: unsigned")?;
    // Beside the button too, where the eye is when the answer comes.
    let _ = ui.find(tr_with(
        "diagnose-result-below",
        &[("verdict", "Not healthy — root cause: unsigned")],
    ))?;
    let _ = ui.find("unsigned")?;
    let _ = ui.find(tr("diagnose-summary-heading"))?;
    let _ = ui.find("alice@example.com (emailAddress)")?;
    assert!(ui.find(tr("diagnose-running")).is_err(), "no longer busy");
    Ok(())
}

#[test]
fn a_capture_that_is_not_saml_shows_the_decode_error_and_keeps_the_text()
-> Result<(), iced_test::Error> {
    let mut state = State::default();
    state.open(&Setup::default());
    paste(&mut state, "hello");
    drive(&mut state, Message::Diagnose);

    let error = state.capture_error.clone().expect("the decode error");
    assert!(error.contains("not a SAML message"), "{error}");
    assert_eq!(state.run_note, Some(RunNote::Failed));
    assert!(state.outcome.is_none());
    assert_eq!(state.capture.text(), "hello", "the capture is kept");
    {
        let mut ui = simulator(&state);
        let _ = ui.find(error)?;
    }

    // Editing the capture clears the error (it was about the old text).
    paste(&mut state, " world");
    assert!(state.capture_error.is_none());
    Ok(())
}

#[test]
fn cancel_drops_the_result_and_keeps_the_capture() {
    let mut state = State::default();
    state.open(&Setup::default());
    paste(&mut state, &unsigned_base64());
    let Action::Run(task) = state.update(Message::Diagnose) else {
        panic!("Diagnose runs a task")
    };
    let generation = state.run.generation;
    drive(&mut state, Message::Cancel);
    assert!(!state.run.running);
    assert_eq!(state.run_note, Some(RunNote::Cancelled));

    // Whatever the aborted task still produces, and a late answer, are dropped.
    for output in run_task(task) {
        drive(&mut state, output);
    }
    let late = input::run(
        unsigned_base64().as_bytes(),
        &input::Source::Published,
        &input::Options {
            user: None,
            product: None,
            skew: None,
            message: None,
            time: diagnose::CheckTime::clock(),
        },
    );
    drive(&mut state, Message::Diagnosed(generation, late));
    assert!(state.outcome.is_none(), "a cancelled run shows no result");
    assert_eq!(state.capture.text(), unsigned_base64());
}

#[test]
fn changing_the_input_after_a_result_marks_it_stale_until_the_next_run() {
    let mut state = diagnosed_unsigned();
    assert!(!state.outcome.as_ref().unwrap().stale);

    // Moving the cursor is no change; typing is.
    drive(
        &mut state,
        Message::Edited(EditorAction::Move(iced::widget::text_editor::Motion::Home)),
    );
    assert!(!state.outcome.as_ref().unwrap().stale);
    drive(&mut state, Message::UserChanged("bob@example.com".into()));
    assert!(state.outcome.as_ref().unwrap().stale);
    assert!(
        simulator(&state).find(tr("diagnose-stale")).is_ok(),
        "the stale result is marked"
    );

    drive(&mut state, Message::Diagnose);
    assert!(!state.outcome.as_ref().unwrap().stale, "a fresh result");

    paste(&mut state, "x");
    assert!(state.outcome.as_ref().unwrap().stale);
    assert_eq!(
        root_cause(&state),
        Some(RootCause::Unsigned),
        "the stale result is still shown"
    );
}

#[test]
fn bad_time_or_skew_is_shown_under_its_field_and_nothing_runs() -> Result<(), iced_test::Error> {
    let mut state = State::default();
    state.open(&Setup::default());
    paste(&mut state, &unsigned_base64());
    drive(&mut state, Message::TimeChanged("yesterday at noon".into()));
    drive(&mut state, Message::SkewChanged("3 minutes".into()));
    let action = state.update(Message::Diagnose);
    assert!(matches!(action, Action::None), "{action:?}");
    assert_eq!(state.time, "yesterday at noon", "kept as typed");
    assert_eq!(state.run_note, Some(RunNote::FixFields));

    let mut ui = simulator(&state);
    let _ = ui.find(tr_with(
        "diagnose-time-invalid",
        &[("text", "yesterday at noon")],
    ))?;
    let _ = ui.find(tr_with(
        "diagnose-skew-invalid",
        &[("text", "3 minutes"), ("default", "180")],
    ))?;
    let _ = ui.find(tr("diagnose-fix-fields"))?;
    Ok(())
}

#[test]
fn a_message_number_picks_the_message_and_a_bad_one_says_what_to_write()
-> Result<(), iced_test::Error> {
    // A form body with the request before the response: message 1 is the AuthnRequest.
    let request = base64::engine::general_purpose::STANDARD.encode(
        r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r9" Version="2.0" IssueInstant="2026-03-02T08:14:00Z"/>"#,
    );
    let form = format!(
        "SAMLRequest={}&SAMLResponse={}",
        url::form_urlencoded::byte_serialize(request.as_bytes()).collect::<String>(),
        url::form_urlencoded::byte_serialize(unsigned_base64().as_bytes()).collect::<String>()
    );
    let mut state = State::default();
    state.open(&Setup::default());
    paste(&mut state, &form);
    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));
    drive(&mut state, Message::Diagnose);
    assert_eq!(
        root_cause(&state),
        Some(RootCause::Unsigned),
        "the last response by default"
    );

    drive(&mut state, Message::WhichMessageChanged("1".into()));
    drive(&mut state, Message::Diagnose);
    assert_eq!(
        root_cause(&state),
        Some(RootCause::Malformed),
        "the AuthnRequest is not a response"
    );

    drive(&mut state, Message::WhichMessageChanged("3".into()));
    drive(&mut state, Message::Diagnose);
    let error = state.capture_error.clone().expect("no third message");
    assert!(error.contains("from 1 to 2"), "{error}");

    drive(&mut state, Message::WhichMessageChanged("first".into()));
    assert!(matches!(state.update(Message::Diagnose), Action::None));
    assert_eq!(state.message_number, "first", "kept as typed");
    let mut ui = simulator(&state);
    let _ = ui.find(tr_with("diagnose-message-invalid", &[("text", "first")]))?;
    Ok(())
}

#[test]
fn the_three_verdicts_look_different_and_inconclusive_says_what_to_give()
-> Result<(), iced_test::Error> {
    // The sample HAR checked against GoTo's published values only: the signature holds with the
    // certificate it carries, but whose key that is, and the issuer, were compared with nothing.
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");
    let mut state = State::default();
    state.open(&Setup::default());
    paste(
        &mut state,
        include_str!("../../../../samples/failed-signin.har"),
    );
    drive(&mut state, Message::Diagnose);
    let diagnosis = &state.outcome.as_ref().expect("a result").diagnosis;
    assert_eq!(
        diagnosis.verdict,
        Verdict::Inconclusive,
        "{}",
        diagnose::to_text(diagnosis)
    );
    assert!(!diagnosis.healthy);
    let inconclusive = result::verdict_text(diagnosis);
    assert_eq!(inconclusive, tr("diagnose-verdict-inconclusive-both"));
    assert!(
        !inconclusive.contains("GoTo should accept"),
        "{inconclusive}"
    );
    {
        let mut ui = simulator(&state);
        let _ = ui.find(tr("diagnose-mark-inconclusive"))?;
        let _ = ui.find(inconclusive.as_str())?;
        let _ = ui.find(tr("diagnose-inconclusive-fix"))?;
        assert!(ui.find(tr("diagnose-mark-healthy")).is_err());
    }

    // Against Entra's metadata (certificates and entity ID): healthy, in its own colour and mark.
    drive(&mut state, Message::AgainstSelected(Against::SetupFile));
    drive(
        &mut state,
        Message::SetupFileChanged(format!("{samples}/entra-app-metadata.xml")),
    );
    drive(&mut state, Message::Diagnose);
    let diagnosis = &state.outcome.as_ref().expect("a result").diagnosis;
    assert_eq!(
        diagnosis.verdict,
        Verdict::Healthy,
        "{}",
        diagnose::to_text(diagnosis)
    );
    assert_eq!(
        result::verdict_text(diagnosis),
        tr("diagnose-verdict-healthy")
    );
    {
        let mut ui = simulator(&state);
        let _ = ui.find(tr("diagnose-mark-healthy"))?;
        assert!(ui.find(tr("diagnose-inconclusive-fix")).is_err());
    }

    // And a fault is the third, red one.
    let unsigned = diagnosed_unsigned();
    let diagnosis = &unsigned.outcome.as_ref().expect("a result").diagnosis;
    assert_eq!(diagnosis.verdict, Verdict::NotHealthy);
    let mut ui = simulator(&unsigned);
    let _ = ui.find(tr("diagnose-mark-not-healthy"))?;

    let tones =
        [Verdict::Healthy, Verdict::Inconclusive, Verdict::NotHealthy].map(result::verdict_tone);
    assert!(
        tones[0] != tones[1] && tones[1] != tones[2] && tones[0] != tones[2],
        "three verdicts, three colours"
    );
    Ok(())
}

#[test]
fn an_empty_capture_or_setup_path_says_what_to_do() {
    let mut state = State::default();
    state.open(&Setup::default());
    drive(&mut state, Message::Diagnose);
    assert_eq!(state.capture_error, Some(tr("diagnose-capture-empty")));

    paste(&mut state, &unsigned_base64());
    drive(&mut state, Message::AgainstSelected(Against::SetupFile));
    drive(&mut state, Message::Diagnose);
    assert_eq!(state.checks_error, Some(tr("diagnose-setup-file-empty")));

    // A file that is not a setup: the core's reason, under the checks, the capture untouched.
    let folder = tempfile::tempdir().unwrap();
    let notes = folder.path().join("notes.json");
    std::fs::write(&notes, "[1, 2]").unwrap();
    drive(
        &mut state,
        Message::SetupFileChanged(notes.display().to_string()),
    );
    drive(&mut state, Message::Diagnose);
    let error = state.checks_error.clone().expect("the setup error");
    assert!(error.contains("notes.json"), "{error}");
    assert!(state.capture_error.is_none());
    assert!(state.outcome.is_none());
}

#[test]
fn checking_against_this_setup_uses_its_identity_provider() {
    let mut setup = Setup::default();
    setup.metadata.idp_entity_id = Some("https://sts.windows.net/another-tenant/".into());
    let mut state = State::default();
    state.open(&setup);
    assert_eq!(state.against, Against::ThisSetup, "offered and chosen");
    paste(&mut state, &unsigned_base64());
    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));
    drive(&mut state, Message::Diagnose);
    let diagnosis = &state.outcome.as_ref().expect("a result").diagnosis;
    assert!(
        diagnosis
            .findings
            .iter()
            .any(|f| f.cause() == Some(RootCause::IssuerMismatch)),
        "{:?}",
        diagnosis.findings
    );

    // Reopened with a setup that changed: the result is stale; with no metadata left, the
    // published values are used.
    state.open(&Setup::default());
    assert!(state.outcome.as_ref().unwrap().stale);
    assert_eq!(state.against, Against::Published);
}

#[test]
fn a_small_file_goes_into_the_editor_and_a_large_one_is_held_aside() {
    let folder = tempfile::tempdir().unwrap();
    let small = folder.path().join("response.b64");
    std::fs::write(&small, unsigned_base64()).unwrap();
    let mut state = State::default();
    state.open(&Setup::default());
    drive(
        &mut state,
        Message::CapturePathChanged(small.display().to_string()),
    );
    drive(&mut state, Message::OpenTyped);
    assert_eq!(state.capture.text(), unsigned_base64());
    assert!(state.file.is_none());

    // A HAR-sized file: the editor is left alone and the file is what is diagnosed.
    let large = folder.path().join("sign-in.har");
    let padding = " ".repeat(input::INLINE_LIMIT);
    std::fs::write(&large, format!("{}{padding}", unsigned_base64())).unwrap();
    drive(
        &mut state,
        Message::CapturePathChanged(large.display().to_string()),
    );
    drive(&mut state, Message::OpenTyped);
    let file = state.file.as_ref().expect("held aside");
    assert_eq!(file.name, "sign-in.har");
    assert_eq!(
        state.capture.text(),
        unsigned_base64(),
        "the editor untouched"
    );
    let shown = tr_with(
        "diagnose-file-loaded",
        &[
            ("name", "sign-in.har"),
            ("size", &input::size_text(file.bytes.len())),
        ],
    );
    assert!(simulator(&state).find(shown).is_ok());

    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));
    drive(&mut state, Message::Diagnose);
    assert_eq!(root_cause(&state), Some(RootCause::Unsigned));

    // A missing file: what to do, the editor kept.
    drive(
        &mut state,
        Message::CapturePathChanged(folder.path().join("gone.har").display().to_string()),
    );
    drive(&mut state, Message::OpenTyped);
    let error = state.capture_error.clone().expect("an error");
    assert!(error.contains("gone.har"), "{error}");
    assert_eq!(state.capture.text(), unsigned_base64());
}

#[test]
fn sizes_read_as_people_read_them() {
    assert_eq!(input::size_text(812), "812 bytes");
    assert_eq!(input::size_text(14_200), "14.2 kB");
    assert_eq!(input::size_text(2_300_000), "2.3 MB");
}

/// Saves the shown result as `name` in `folder` through the typed path; returns the file's text.
fn save_typed(state: &mut State, folder: &std::path::Path, name: &str) -> String {
    let path = folder.join(name);
    drive(state, Message::SavePathChanged(path.display().to_string()));
    drive(state, Message::SaveTyped);
    let saved = state.saved.clone().expect("a save outcome");
    let written = saved.expect("written");
    std::fs::read_to_string(written).expect("the report")
}

#[test]
fn a_redacted_report_has_no_e_mail_address_and_names_the_root_cause() {
    let mut state = diagnosed_unsigned();
    assert!(state.redact, "redaction is on by default");
    let folder = tempfile::tempdir().unwrap();

    drive(&mut state, Message::FormatSelected(ReportFormat::Markdown));
    let markdown = save_typed(&mut state, folder.path(), "diagnosis.md");
    assert!(!markdown.contains("alice@example.com"), "{markdown}");
    assert!(!markdown.contains("Alice Example"), "{markdown}");
    assert!(markdown.contains("unsigned"), "{markdown}");

    drive(&mut state, Message::FormatSelected(ReportFormat::Html));
    let html = save_typed(&mut state, folder.path(), "diagnosis.html");
    assert!(!html.contains("alice@example.com"));
    assert!(html.contains("unsigned"));
    assert!(html.contains("<html") || html.contains("<!DOCTYPE"), "HTML");

    // The view says where the report went.
    let where_ = tr_with(
        "common-saved",
        &[(
            "path",
            &folder.path().join("diagnosis.html").display().to_string(),
        )],
    );
    assert!(simulator(&state).find(where_).is_ok());
}

#[test]
fn by_default_every_shared_form_leaves_out_escaped_values_status_messages_and_addresses() {
    // Canaries where a response carries personal data, some only in escaped form.
    let response = UNSIGNED_RESPONSE
        .replace(
            "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>",
            "<samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>\
             <samlp:StatusMessage>AADSTS50105: user &apos;QZMAIL@contoso.com&apos; QZSTATUS</samlp:StatusMessage>",
        )
        .replace(
            "<AttributeValue>Alice Example</AttributeValue>",
            "<AttributeValue>QZR&amp;QZD</AttributeValue><AttributeValue>&quot;QZQUOTE&quot;</AttributeValue><AttributeValue>QZ</AttributeValue>",
        )
        .replace(
            "<SubjectConfirmationData ",
            "<SubjectConfirmationData Address=\"203.0.113.9\" ",
        )
        .replace(
            "<AuthnContext>",
            "<SubjectLocality Address=\"198.51.100.4\" DNSName=\"QZHOST.corp\"/><AuthnContext>",
        );
    let mut state = State::default();
    state.open(&Setup::default());
    paste(
        &mut state,
        &base64::engine::general_purpose::STANDARD.encode(&response),
    );
    drive(&mut state, Message::TimeChanged(CAPTURE_TIME.to_owned()));
    drive(&mut state, Message::Diagnose);
    assert!(state.redact, "redaction is on by default");
    let diagnosis = state.outcome.as_ref().expect("a result").diagnosis.clone();
    assert!(
        diagnosis.pretty_xml.contains("QZR&amp;QZD"),
        "the canaries are in"
    );

    let folder = tempfile::tempdir().unwrap();
    drive(&mut state, Message::FormatSelected(ReportFormat::Markdown));
    let markdown = save_typed(&mut state, folder.path(), "diagnosis.md");
    drive(&mut state, Message::FormatSelected(ReportFormat::Html));
    let html = save_typed(&mut state, folder.path(), "diagnosis.html");
    let copied = export::plain_text(&diagnosis, state.redact);
    for (form, shared) in [("Markdown", markdown), ("HTML", html), ("text", copied)] {
        for canary in ["QZ", "203.0.113.9", "198.51.100.4"] {
            assert!(
                !shared.contains(canary),
                "the {form} form has {canary}:\n{shared}"
            );
        }
        assert!(shared.contains("unsigned"), "{form}: {shared}");
    }
}

#[test]
fn without_redaction_the_report_keeps_the_address_and_an_extension_is_added() {
    let mut state = diagnosed_unsigned();
    drive(&mut state, Message::RedactToggled(false));
    drive(&mut state, Message::FormatSelected(ReportFormat::Markdown));
    let folder = tempfile::tempdir().unwrap();
    let markdown = save_typed(&mut state, folder.path(), "no-extension");
    assert!(markdown.contains("alice@example.com"));
    assert!(markdown.contains("unsigned"));
    assert_eq!(
        state.saved,
        Some(Ok(folder.path().join("no-extension.md"))),
        "the format's extension is added"
    );

    // A folder that does not exist: the error says what to do, nothing is lost.
    let typed = folder.path().join("no/such/folder/report.md");
    drive(
        &mut state,
        Message::SavePathChanged(typed.display().to_string()),
    );
    drive(&mut state, Message::SaveTyped);
    let error = state.saved.clone().unwrap().unwrap_err();
    assert!(
        error.contains("Choose a folder you can write to"),
        "{error}"
    );
    assert_eq!(state.save_path, typed.display().to_string());
}

#[test]
fn copy_puts_the_text_report_on_the_clipboard_redacted() {
    let mut state = diagnosed_unsigned();
    let action = state.update(Message::Copy);
    assert!(matches!(action, Action::Run(_)), "{action:?}");
    assert!(state.copied);
    let diagnosis = &state.outcome.as_ref().unwrap().diagnosis;
    let copied = export::plain_text(diagnosis, state.redact);
    assert!(copied.contains("unsigned"));
    assert!(!copied.contains("alice@example.com"));
}

#[test]
fn the_xml_shows_on_request() -> Result<(), iced_test::Error> {
    let mut state = diagnosed_unsigned();
    assert!(simulator(&state).find(tr("diagnose-show-xml")).is_ok());
    let mut ui = simulator(&state);
    let _ = ui.click(id(XML_ID))?;
    for message in ui.into_messages() {
        drive(&mut state, message);
    }
    assert!(state.show_xml);
    let mut ui = simulator(&state);
    let _ = ui.find(tr("diagnose-hide-xml"))?;
    let pretty = state.outcome.as_ref().unwrap().diagnosis.pretty_xml.clone();
    let _ = ui.find(pretty)?;
    Ok(())
}

#[test]
fn strings_exist() {
    for source in [
        include_str!("mod.rs"),
        include_str!("input.rs"),
        include_str!("result.rs"),
        include_str!("export.rs"),
    ] {
        widget::assert_ids_exist(source);
    }
}
