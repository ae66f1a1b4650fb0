use super::*;
use crate::gui::screen::metadata_url::test_metadata;

fn certificates() -> Vec<String> {
    vec![
        test_metadata::certificate("CN Active", (2025, 1, 1), (2035, 1, 1)),
        test_metadata::certificate("CN Next", (2026, 6, 1), (2036, 6, 1)),
    ]
}

/// A state, an empty setup, and the Entra-shaped metadata for `certificates` the session
/// holds.
fn loaded(certificates: &[String]) -> (State, Setup, Metadata) {
    let setup = Setup::default();
    let state = State::new(&setup);
    let metadata = test_metadata::parse(&test_metadata::entra(certificates));
    (state, setup, metadata)
}

fn parsed(base64: &str) -> Certificate {
    Certificate::from_base64(base64).unwrap()
}

#[test]
fn without_metadata_there_is_nothing_to_choose() {
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    assert!(!state.can_continue(&setup, None));
    assert!(matches!(
        state.update(Message::Select(0), &mut setup, None),
        Action::None
    ));
    assert!(matches!(
        state.update(Message::CopyPem, &mut setup, None),
        Action::None
    ));
    assert_eq!(setup.metadata.certificate_sha256, None);
    // A certificate recorded without the metadata it came from is not enough.
    setup.metadata.certificate_sha256 = Some("AB".repeat(32));
    assert!(!state.can_continue(&setup, None));
}

#[test]
fn selecting_a_certificate_records_it_for_goto() {
    let bodies = certificates();
    let (mut state, mut setup, metadata) = loaded(&bodies);
    assert!(
        !state.can_continue(&setup, Some(&metadata)),
        "nothing selected yet"
    );

    let _ = state.update(Message::Select(1), &mut setup, Some(&metadata));
    let second = parsed(&bodies[1]);
    assert_eq!(
        setup.metadata.certificate_sha256.as_ref(),
        Some(&second.info().sha256)
    );
    assert_eq!(setup.metadata.certificate_pem, Some(second.to_pem()));
    assert_eq!(selected(Some(&metadata), &setup), Some(1));
    assert!(state.can_continue(&setup, Some(&metadata)));

    let _ = state.update(Message::Select(0), &mut setup, Some(&metadata));
    assert_eq!(
        setup.metadata.certificate_sha256.as_ref(),
        Some(&parsed(&bodies[0]).info().sha256)
    );
    // An index out of range changes nothing.
    let _ = state.update(Message::Select(7), &mut setup, Some(&metadata));
    assert_eq!(selected(Some(&metadata), &setup), Some(0));
}

#[test]
fn the_metadata_steps_default_is_the_selection() {
    let bodies = certificates();
    let (state, mut setup, metadata) = loaded(&bodies);
    setup.metadata.certificate_sha256 = Some(parsed(&bodies[0]).info().sha256.clone());
    assert_eq!(selected(Some(&metadata), &setup), Some(0));
    assert!(state.can_continue(&setup, Some(&metadata)));
}

#[test]
fn the_newest_is_the_latest_start_date() {
    let bodies = certificates();
    let (_, setup, metadata) = loaded(&bodies);
    assert_eq!(
        newest(super::certificates(Some(&metadata), &setup)),
        Some(1)
    );
    let (_, setup, single) = loaded(&bodies[..1]);
    assert_eq!(newest(super::certificates(Some(&single), &setup)), None);
}

#[test]
fn copies_thumbprints_and_the_pem() {
    let bodies = certificates();
    let (mut state, mut setup, metadata) = loaded(&bodies);
    assert!(matches!(
        state.update(Message::CopySha1(1), &mut setup, Some(&metadata)),
        Action::Run(_)
    ));
    assert_eq!(state.copied, Some(Copied::Sha1(1)));
    assert!(matches!(
        state.update(Message::CopySha256(0), &mut setup, Some(&metadata)),
        Action::Run(_)
    ));
    assert_eq!(state.copied, Some(Copied::Sha256(0)));
    // Copy PEM needs a selection.
    assert!(matches!(
        state.update(Message::CopyPem, &mut setup, Some(&metadata)),
        Action::None
    ));
    let _ = state.update(Message::Select(0), &mut setup, Some(&metadata));
    assert!(matches!(
        state.update(Message::CopyPem, &mut setup, Some(&metadata)),
        Action::Run(_)
    ));
    assert_eq!(state.copied, Some(Copied::Pem));
}

#[tokio::test]
async fn saves_as_pem_cer_and_der_atomically() {
    let bodies = certificates();
    let certificate = parsed(&bodies[0]);
    let dir = tempfile::tempdir().unwrap();
    for format in SaveFormat::ALL {
        let path = dir.path().join(format!("signing.{}", format.extension()));
        let written = write_file(path.clone(), format.bytes(&certificate)).await;
        assert_eq!(written, Ok(path.clone()));
        let bytes = std::fs::read(&path).unwrap();
        match format {
            SaveFormat::Pem => {
                assert_eq!(bytes, certificate.to_pem().into_bytes());
                assert!(!bytes.contains(&b'\r'));
            }
            SaveFormat::Cer => {
                assert!(String::from_utf8(bytes.clone()).unwrap().contains("\r\n"));
                assert_eq!(Certificate::parse(&bytes).unwrap().0, certificate);
            }
            SaveFormat::Der => assert_eq!(bytes, certificate.der()),
        }
    }
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no temporary file left: {names:?}");

    // A folder that does not exist: the error names the path.
    let bad = dir.path().join("no-such-folder").join("signing.pem");
    let error = write_file(bad.clone(), b"x".to_vec()).await.unwrap_err();
    assert!(error.contains(&bad.display().to_string()), "{error}");
}

#[test]
fn saving_runs_in_a_task_and_late_or_cancelled_results_are_dropped() {
    let bodies = certificates();
    let (mut state, mut setup, metadata) = loaded(&bodies);
    let _ = state.update(
        Message::SavePathChanged("/tmp/x/signing.pem".into()),
        &mut setup,
        Some(&metadata),
    );
    // Nothing selected: nothing to save.
    assert!(matches!(
        state.update(Message::SaveTyped, &mut setup, Some(&metadata)),
        Action::None
    ));

    let _ = state.update(Message::Select(0), &mut setup, Some(&metadata));
    assert!(matches!(
        state.update(Message::SaveTyped, &mut setup, Some(&metadata)),
        Action::Run(_)
    ));
    assert!(state.save.running);
    let generation = state.save.generation;
    let path = PathBuf::from("/tmp/x/signing.pem");
    let _ = state.update(
        Message::Saved(generation + 1, Ok(path.clone())),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(state.saved, None, "an answer for another run is dropped");
    let _ = state.update(
        Message::Saved(generation, Ok(path.clone())),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(state.saved, Some(Ok(path.clone())));
    assert!(!state.save.running && state.save.handle.is_none());

    let _ = state.update(Message::SaveTyped, &mut setup, Some(&metadata));
    let generation = state.save.generation;
    let handle = state.save.handle.clone().expect("the write runs");
    state.cancel();
    assert!(handle.is_aborted());
    let _ = state.update(
        Message::Saved(generation, Err("late".into())),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(state.saved, None);
}

#[test]
fn the_format_choice_follows_into_a_typed_name_and_a_closed_dialog_keeps_it() {
    let bodies = certificates();
    let (mut state, mut setup, metadata) = loaded(&bodies);
    let _ = state.update(Message::Select(0), &mut setup, Some(&metadata));
    let _ = state.update(
        Message::SavePathChanged("out/signing.pem".into()),
        &mut setup,
        Some(&metadata),
    );
    let _ = state.update(
        Message::FormatPicked(SaveFormat::Der),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(state.format, SaveFormat::Der);
    assert_eq!(state.save_path, "out/signing.der");
    let _ = state.update(
        Message::SavePathChanged("out/my-cert".into()),
        &mut setup,
        Some(&metadata),
    );
    let _ = state.update(
        Message::FormatPicked(SaveFormat::Cer),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(
        state.save_path, "out/my-cert",
        "a name without extension is kept"
    );

    assert!(matches!(
        state.update(Message::SaveDialog, &mut setup, Some(&metadata)),
        Action::Run(_)
    ));
    let generation = state.save.generation;
    let _ = state.update(
        Message::SaveDialogClosed(generation, None),
        &mut setup,
        Some(&metadata),
    );
    assert_eq!(state.save_path, "out/my-cert");
    assert!(state.dialog_note.is_some());
    assert!(!state.save.busy());
    // A dialog answer after Esc is stale: it starts nothing.
    let _ = state.update(Message::SaveDialog, &mut setup, Some(&metadata));
    let stale = state.save.generation;
    state.cancel();
    assert!(matches!(
        state.update(
            Message::SaveDialogClosed(stale, Some(PathBuf::from("out/late.pem"))),
            &mut setup,
            Some(&metadata),
        ),
        Action::None
    ));
    assert!(!state.save.busy());
}

mod simulator {
    use super::*;
    use iced::Size;
    use iced_test::selector::id;
    use iced_test::{Error, Simulator};

    const SIZE: Size = Size::new(900.0, 1600.0);

    fn simulator<'a>(
        state: &'a State,
        setup: &'a Setup,
        metadata: Option<&'a Metadata>,
    ) -> Simulator<'a, Message> {
        Simulator::with_size(iced::Settings::default(), SIZE, state.view(setup, metadata))
    }

    #[test]
    fn without_metadata_it_says_to_go_back() -> Result<(), Error> {
        let setup = Setup::default();
        let state = State::new(&setup);
        let mut ui = simulator(&state, &setup, None);
        let _ = ui.find(tr("certificate-no-metadata"))?;
        Ok(())
    }

    #[test]
    fn lists_the_certificates_and_copies_and_selects_by_id() -> Result<(), Error> {
        let bodies = vec![
            test_metadata::certificate("CN Active", (2025, 1, 1), (2035, 1, 1)),
            test_metadata::certificate("CN Old", (2020, 1, 1), (2021, 1, 1)),
        ];
        let (mut state, mut setup, metadata) = loaded(&bodies);
        let _ = state.update(Message::Select(0), &mut setup, Some(&metadata));
        let second = parsed(&bodies[1]);

        let mut ui = simulator(&state, &setup, Some(&metadata));
        let _ = ui.find(second.info().sha256.as_str())?;
        let _ = ui.find(second.info().sha1.as_str())?;
        let _ = ui.find("CN=CN Old")?;
        // The expired one carries its badge.
        let _ = ui.find(second.expiry(state.now).describe())?;
        let _ = ui.find(tr("certificate-active"))?;
        assert!(ui.find(tr("common-copied")).is_err(), "nothing copied yet");

        let _ = ui.click(id(copy_sha256_id(1)))?;
        let _ = ui.click(id(select_id(1)))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::CopySha256(1), Message::Select(1)]
            ),
            "{messages:?}"
        );
        for message in messages {
            let _ = state.update(message, &mut setup, Some(&metadata));
        }
        assert_eq!(
            setup.metadata.certificate_sha256.as_ref(),
            Some(&second.info().sha256)
        );

        let mut ui = simulator(&state, &setup, Some(&metadata));
        let _ = ui.find(tr("common-copied"))?;
        let _ = ui.find(tr("certificate-for-goto"))?;
        Ok(())
    }
}
