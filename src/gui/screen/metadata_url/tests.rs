use super::test_metadata::{self, APP_ID, TENANT};
use super::*;
use goto_sso_wizard::certificate::Certificate;
use goto_sso_wizard::fetch::{FetchErrorKind, Fetched};

fn fresh() -> (State, Setup) {
    let setup = Setup::default();
    (State::new(&setup), setup)
}

fn typed(tenant: &str, app_id: &str) -> (State, Setup) {
    let (mut state, mut setup) = fresh();
    let _ = state.update(Message::TenantChanged(tenant.into()), &mut setup);
    let _ = state.update(Message::AppIdChanged(app_id.into()), &mut setup);
    (state, setup)
}

fn built_url(state: &State) -> &str {
    &state.built.as_ref().expect("a URL is built").url
}

fn fetched(url: &str, xml: &str) -> Box<FetchedMetadata> {
    Box::new(FetchedMetadata {
        fetched: Fetched {
            url: url.into(),
            final_url: url.into(),
            redirects: Vec::new(),
            status: 200,
            content_type: Some("application/xml".into()),
            body: xml.as_bytes().to_vec(),
            warnings: Vec::new(),
        },
        metadata: test_metadata::parse(xml),
    })
}

fn two_certificates() -> Vec<String> {
    vec![
        test_metadata::certificate(
            "Microsoft Azure Federated SSO Certificate",
            (2025, 1, 1),
            (2028, 1, 1),
        ),
        test_metadata::certificate(
            "Microsoft Azure Federated SSO Certificate",
            (2026, 6, 1),
            (2029, 6, 1),
        ),
    ]
}

/// The running job's generation and abort handle.
fn running(state: &State) -> (u64, iced::task::Handle) {
    assert!(state.load.running, "something runs");
    let handle = state.load.handle.clone().expect("an abort handle");
    (state.load.generation, handle)
}

#[test]
fn the_url_is_built_as_the_admin_types_and_written_back() {
    let (mut state, mut setup) = fresh();
    assert!(matches!(state.built, Err(UrlError::Empty)));

    let _ = state.update(Message::TenantChanged("Contoso.com".into()), &mut setup);
    assert_eq!(
        built_url(&state),
        "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml"
    );
    // Without an application ID the builder warns that this is the tenant-wide document.
    assert!(state.built.as_ref().unwrap().warnings[0].contains("tenant-wide"));

    let _ = state.update(Message::AppIdChanged(format!(" {APP_ID} ")), &mut setup);
    assert_eq!(
        built_url(&state),
        format!(
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
        )
    );
    let _ = state.update(Message::CloudPicked(CloudChoice::UsGov), &mut setup);
    assert!(built_url(&state).starts_with("https://login.microsoftonline.us/contoso.com/"));

    // What was typed is kept exactly, and written to the setup on every change.
    assert_eq!(setup.metadata.tenant_input, "Contoso.com");
    assert_eq!(setup.metadata.app_id_input, format!(" {APP_ID} "));
    assert_eq!(setup.metadata.cloud, Some(Cloud::UsGov));

    // A new screen for the same setup starts from it.
    let again = State::new(&setup);
    assert_eq!(again.tenant, "Contoso.com");
    assert_eq!(again.cloud, CloudChoice::UsGov);
    assert_eq!(built_url(&again), built_url(&state));
}

#[test]
fn builder_errors_say_what_to_do_and_block_fetching() {
    let (mut state, mut setup) = typed(TENANT, "not-a-guid");
    let error = state.built.as_ref().unwrap_err();
    assert!(matches!(error, UrlError::InvalidAppId { .. }));
    assert!(error.to_string().contains("Application ID"), "{error}");
    assert!(matches!(
        state.update(Message::Fetch, &mut setup),
        Action::None
    ));
    assert!(!state.load.running);

    let _ = state.update(Message::AppIdChanged(APP_ID.into()), &mut setup);
    let _ = state.update(
        Message::TenantChanged("http://login.microsoftonline.com/contoso.com".into()),
        &mut setup,
    );
    let error = state.built.as_ref().unwrap_err();
    assert!(error.to_string().contains("https://"), "{error}");

    let _ = state.update(Message::TenantChanged("common".into()), &mut setup);
    assert!(matches!(state.built, Err(UrlError::NotYourTenant { .. })));
    assert!(!state.can_continue(&setup));
}

#[test]
fn a_fetch_records_the_identity_provider_and_the_first_certificate() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    assert!(matches!(
        state.update(Message::Fetch, &mut setup),
        Action::Run(_)
    ));
    let (generation, _) = running(&state);
    assert!(!state.can_continue(&setup), "nothing loaded while fetching");

    let certificates = two_certificates();
    let xml = test_metadata::entra(&certificates);
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(!state.load.running);
    assert!(state.can_continue(&setup));
    let metadata = state.metadata().expect("kept for the certificate step");
    assert_eq!(metadata.entities.len(), 1);

    let first = Certificate::from_base64(&certificates[0]).unwrap();
    let recorded = &setup.metadata;
    assert_eq!(recorded.url.as_deref(), Some(url.as_str()));
    assert_eq!(recorded.file, None);
    assert_eq!(
        recorded.idp_entity_id.as_deref(),
        Some(format!("https://sts.windows.net/{TENANT}/").as_str())
    );
    // HTTP-Redirect is preferred although HTTP-POST is listed first.
    assert_eq!(
        recorded.sign_in_url.as_deref(),
        Some(format!("https://login.microsoftonline.com/{TENANT}/saml2").as_str())
    );
    assert_eq!(
        recorded.sign_out_url.as_deref(),
        Some(format!("https://login.microsoftonline.com/{TENANT}/saml2/logout").as_str())
    );
    assert_eq!(
        recorded.certificate_sha256.as_ref(),
        Some(&first.info().sha256)
    );
    assert_eq!(recorded.certificate_pem, Some(first.to_pem()));

    // Enter now moves on.
    assert!(matches!(
        state.update(Message::Submit, &mut setup),
        Action::Next
    ));
}

#[test]
fn a_certificate_chosen_later_survives_a_new_fetch_of_the_same_document() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let certificates = two_certificates();
    let xml = test_metadata::entra(&certificates);
    let second = Certificate::from_base64(&certificates[1]).unwrap();
    setup.metadata.certificate_sha256 = Some(second.info().sha256.clone());

    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert_eq!(
        setup.metadata.certificate_sha256.as_ref(),
        Some(&second.info().sha256)
    );
    assert_eq!(setup.metadata.certificate_pem, Some(second.to_pem()));
}

#[test]
fn changing_the_inputs_drops_a_late_result_and_clears_a_stale_one() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let xml = test_metadata::entra(&two_certificates());

    // A result arriving after the inputs changed is for the old URL: dropped.
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, handle) = running(&state);
    let _ = state.update(Message::TenantChanged("contoso.com".into()), &mut setup);
    assert!(
        handle.is_aborted(),
        "the download for the old URL is stopped"
    );
    assert!(!state.load.running);
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(state.metadata().is_none());
    assert!(!state.can_continue(&setup));
    assert_eq!(setup.metadata.idp_entity_id, None);

    // A result already shown is cleared, in the setup too, when the inputs change.
    let url = built_url(&state).to_owned();
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(state.can_continue(&setup));
    let _ = state.update(Message::AppIdChanged(String::new()), &mut setup);
    assert!(state.metadata().is_none());
    assert!(!state.can_continue(&setup));
    assert_eq!(setup.metadata.url, None);
    assert_eq!(setup.metadata.certificate_pem, None);

    // An answer for an older run than the one running is dropped as well.
    let _ = state.update(Message::Fetch, &mut setup);
    let (current, _) = running(&state);
    let _ = state.update(
        Message::Fetched(current - 1, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(state.metadata().is_none());
    assert!(state.load.running, "the current run is still awaited");
}

#[test]
fn cancel_aborts_the_download_and_ignores_its_answer() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, handle) = running(&state);

    state.cancel();
    assert!(handle.is_aborted());
    assert!(!state.load.running);
    assert!(matches!(
        state.outcome,
        Some(Outcome::Cancelled(Source::Url(_)))
    ));
    let xml = test_metadata::entra(&two_certificates());
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(state.metadata().is_none());

    // The Cancel button does the same; with nothing running, cancel changes nothing.
    let _ = state.update(Message::Fetch, &mut setup);
    let (_, handle) = running(&state);
    let _ = state.update(Message::Cancel, &mut setup);
    assert!(handle.is_aborted());
    state.outcome = None;
    state.cancel();
    assert!(state.outcome.is_none());
}

#[test]
fn a_failed_fetch_is_shown_and_blocks_next() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let error = FetchError {
        kind: FetchErrorKind::HttpStatus,
        message: "the server answered 400 Bad Request".into(),
        hint: "check the application ID".into(),
        http_status: Some(400),
        aadsts: Some("AADSTS700016".into()),
        aadsts_explained: None,
        url: url.clone(),
        chain: vec!["outer".into(), "inner".into()],
    };
    let _ = state.update(
        Message::Fetched(generation, Err(Failure::Fetch(Box::new(error.clone())))),
        &mut setup,
    );
    assert!(matches!(&state.outcome, Some(Outcome::Failed(Failure::Fetch(e))) if **e == error));
    assert!(!state.can_continue(&setup));
    // Enter retries rather than moving on.
    assert!(matches!(
        state.update(Message::Submit, &mut setup),
        Action::Run(_)
    ));
}

#[test]
fn metadata_without_a_signing_identity_provider_cannot_continue() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let xml = test_metadata::service_provider();
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    assert!(state.metadata().is_some());
    assert!(!state.can_continue(&setup));
    assert_eq!(setup.metadata.certificate_sha256, None);
}

#[test]
fn of_several_identity_providers_the_admin_picks_the_one_to_trust() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let certificates = two_certificates();
    let xml =
        test_metadata::two_identity_providers(&[certificates[0].clone(), certificates[1].clone()]);
    let _ = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    // Never "the first": nothing is recorded until one is picked.
    assert!(!state.can_continue(&setup));
    assert_eq!(setup.metadata.idp_entity_id, None);
    assert_eq!(setup.metadata.certificate_sha256, None);

    let _ = state.update(
        Message::EntityPicked("https://idp2.example.org/".into()),
        &mut setup,
    );
    assert!(state.can_continue(&setup));
    assert_eq!(
        setup.metadata.idp_entity_id.as_deref(),
        Some("https://idp2.example.org/")
    );
    let second = Certificate::from_base64(&certificates[1]).unwrap();
    assert_eq!(
        setup.metadata.certificate_sha256.as_ref(),
        Some(&second.info().sha256)
    );
}

#[tokio::test]
async fn a_metadata_file_is_read_in_a_task_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("GoTo.xml");
    let certificates = two_certificates();
    std::fs::write(&path, test_metadata::entra(&certificates)).unwrap();

    let (mut state, mut setup) = fresh();
    let _ = state.update(
        Message::FilePathChanged(path.display().to_string()),
        &mut setup,
    );
    assert!(matches!(
        state.update(Message::LoadFile, &mut setup),
        Action::Run(_)
    ));
    let (generation, _) = running(&state);

    // The task's work, awaited directly.
    let result = read_metadata_file(path.clone()).await;
    assert!(result.is_ok(), "{result:?}");
    let _ = state.update(Message::FileLoaded(generation, result), &mut setup);
    assert!(state.can_continue(&setup));
    assert_eq!(setup.metadata.file.as_deref(), Some(path.as_path()));
    assert_eq!(setup.metadata.url, None);
    let first = Certificate::from_base64(&certificates[0]).unwrap();
    assert_eq!(
        setup.metadata.certificate_sha256.as_ref(),
        Some(&first.info().sha256)
    );

    // Typing in the URL fields does not throw away a document loaded from a file.
    let _ = state.update(Message::TenantChanged("contoso.com".into()), &mut setup);
    assert!(state.can_continue(&setup));
    // Enter in the path field of the file already loaded moves on.
    assert!(matches!(
        state.update(Message::LoadFile, &mut setup),
        Action::Next
    ));
}

#[tokio::test]
async fn a_file_that_is_missing_or_not_metadata_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.xml");
    let Err(Failure::File { path, reason }) = read_metadata_file(missing.clone()).await else {
        panic!("a missing file fails");
    };
    assert_eq!(path, missing);
    assert!(!reason.is_empty());

    let html = dir.path().join("page.html");
    std::fs::write(&html, "<html><body>Sign in</body></html>").unwrap();
    let result = read_metadata_file(html).await;
    assert!(matches!(result, Err(Failure::File { .. })), "{result:?}");

    let (mut state, mut setup) = fresh();
    let _ = state.update(
        Message::FilePathChanged(missing.display().to_string()),
        &mut setup,
    );
    let _ = state.update(Message::LoadFile, &mut setup);
    let (generation, _) = running(&state);
    let failure = read_metadata_file(missing).await;
    let _ = state.update(Message::FileLoaded(generation, failure), &mut setup);
    assert!(matches!(
        state.outcome,
        Some(Outcome::Failed(Failure::File { .. }))
    ));
    assert!(!state.can_continue(&setup));
}

#[tokio::test]
async fn an_unreadable_extra_ca_file_is_reported_before_any_download() {
    let result = fetch(
        "https://127.0.0.1:9/FederationMetadata/2007-06/FederationMetadata.xml".into(),
        Some("/nonexistent/proxy-ca.pem".into()),
    )
    .await;
    assert!(
        matches!(&result, Err(Failure::CaFile { path, .. }) if path == "/nonexistent/proxy-ca.pem"),
        "{result:?}"
    );
}

#[test]
fn a_dialog_that_returns_nothing_leaves_the_typed_path() {
    let (mut state, mut setup) = fresh();
    let _ = state.update(
        Message::FilePathChanged("/tmp/typed.xml".into()),
        &mut setup,
    );
    assert!(matches!(
        state.update(Message::PickFile, &mut setup),
        Action::Run(_)
    ));
    let _ = state.update(Message::FilePicked(None), &mut setup);
    assert_eq!(state.file_path, "/tmp/typed.xml");
    assert!(state.dialog_note.is_some());
    assert!(!state.load.running);
}

#[test]
fn widget_ids_are_unique() {
    let mut ids = vec![
        TENANT_ID,
        APP_ID_ID,
        CLOUD_ID,
        COPY_ID,
        OPEN_ID,
        FETCH_ID,
        CANCEL_ID,
        CA_PATH_ID,
        PICK_FILE_ID,
        FILE_PATH_ID,
        LOAD_FILE_ID,
        DETAILS_ID,
        ENTITY_ID,
    ];
    let count = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), count);
}

mod simulator {
    use super::*;
    use iced::Size;
    use iced_test::selector::id;
    use iced_test::{Error, Simulator};

    const SIZE: Size = Size::new(900.0, 1400.0);

    fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
        Simulator::with_size(iced::Settings::default(), SIZE, state.view(setup))
    }

    /// Types `text` into the field `field` one key at a time, applying each message before
    /// the next key (the simulated view shows the state it was made from).
    fn type_into(state: &mut State, setup: &mut Setup, field: &'static str, text: &str) {
        for character in text.chars() {
            let messages: Vec<Message> = {
                let mut ui = simulator(state, setup);
                let _ = ui.click(id(field)).expect("the field is there");
                let _ = ui.tap_key(iced::keyboard::Key::Named(iced::keyboard::key::Named::End));
                let _ = ui.typewrite(&character.to_string());
                ui.into_messages().collect()
            };
            for message in messages {
                let _ = state.update(message, setup);
            }
        }
    }

    #[test]
    fn typing_a_tenant_and_an_app_id_shows_the_url() -> Result<(), Error> {
        let (mut state, mut setup) = fresh();
        {
            let mut ui = simulator(&state, &setup);
            // The builder's prompt says what to type.
            let _ = ui.find(UrlError::Empty.to_string())?;
        }
        type_into(&mut state, &mut setup, TENANT_ID, "contoso.com");
        type_into(&mut state, &mut setup, APP_ID_ID, APP_ID);
        assert_eq!(setup.metadata.tenant_input, "contoso.com");

        let url = format!(
            "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid={APP_ID}"
        );
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(url.as_str())?;
        assert!(
            ui.find("https://example.com/other").is_err(),
            "find can fail"
        );

        let _ = ui.click(id(COPY_ID))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::CopyUrl]),
            "{messages:?}"
        );
        for message in messages {
            let _ = state.update(message, &mut setup);
        }

        // Fetch shows the progress line with a Cancel button, which cancels.
        let _ = state.update(Message::Fetch, &mut setup);
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("common-copied"))?;
        let _ = ui.find(tr_with("metadata-url-fetching", &[("url", &url)]))?;
        let _ = ui.click(id(CANCEL_ID))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::Cancel]),
            "{messages:?}"
        );
        Ok(())
    }
}

#[test]
fn a_load_hands_the_document_to_the_frame_and_a_change_or_failure_takes_it_back() {
    let (mut state, mut setup) = typed(TENANT, APP_ID);
    let url = built_url(&state).to_owned();
    let xml = test_metadata::entra(&two_certificates());
    let _ = state.update(Message::Fetch, &mut setup);
    let (generation, _) = running(&state);
    let action = state.update(
        Message::Fetched(generation, Ok(fetched(&url, &xml))),
        &mut setup,
    );
    let Action::MetadataLoaded(metadata, source) = action else {
        panic!("the document goes to the session: {action:?}");
    };
    assert_eq!(source, Source::Url(url.clone()));
    assert!(
        std::ptr::eq(&*metadata, state.metadata().unwrap()),
        "the session and the step share one document, not copies"
    );

    // The URL's inputs changed: the session's document no longer applies.
    let action = state.update(Message::AppIdChanged(String::new()), &mut setup);
    assert!(matches!(action, Action::MetadataForgotten), "{action:?}");
    // Typing again with nothing loaded has nothing to take back.
    let action = state.update(Message::AppIdChanged(APP_ID.into()), &mut setup);
    assert!(matches!(action, Action::None), "{action:?}");

    // A file that cannot be read: shown, and the session forgets.
    let _ = state.update(Message::FilePathChanged("/no/such.xml".into()), &mut setup);
    let _ = state.update(Message::LoadFile, &mut setup);
    let (generation, _) = running(&state);
    let failure = Failure::File {
        path: "/no/such.xml".into(),
        reason: "not found".into(),
    };
    let action = state.update(Message::FileLoaded(generation, Err(failure)), &mut setup);
    assert!(matches!(action, Action::MetadataForgotten), "{action:?}");
}

#[test]
fn a_resumed_setups_metadata_is_reloaded_by_the_cores_load_as_a_run_of_this_step() {
    let path = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/entra-app-metadata.xml"
    ));
    let mut setup = Setup::default();
    let mut state = State::new(&setup);
    assert!(
        matches!(state.reload(&setup), Action::None),
        "a new setup names nothing to load"
    );
    setup.metadata.file = Some(path.clone());
    assert!(matches!(state.reload(&setup), Action::Run(_)));
    assert_eq!(state.file_path, path.display().to_string());
    let (generation, handle) = running(&state);

    // The core's answer, as its task returns it.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let loaded = runtime
        .block_on(goto_sso_wizard::setup::load(
            Source::File(path.clone()),
            FetchOptions::default(),
        ))
        .expect("the sample loads");
    let late = Message::Reloaded(generation - 1, Ok(Box::new(loaded.clone())));
    assert!(matches!(state.update(late, &mut setup), Action::None));
    assert!(
        state.metadata().is_none(),
        "an older run's answer is dropped"
    );
    let action = state.update(
        Message::Reloaded(generation, Ok(Box::new(loaded))),
        &mut setup,
    );
    assert!(
        matches!(&action, Action::MetadataLoaded(_, Source::File(file)) if *file == path),
        "{action:?}"
    );
    assert!(!handle.is_aborted());
    assert!(state.can_continue(&setup), "shown as loaded");
    assert!(setup.metadata.idp_entity_id.is_some());
}
