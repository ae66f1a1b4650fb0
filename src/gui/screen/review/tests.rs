use super::*;

#[test]
fn every_checklist_item_has_its_fluent_text() {
    let setup = Setup {
        provisioning: true,
        ..Setup::default()
    };
    for item in goto_sso_wizard::report::checklist(&setup) {
        let id = format!("review-check-{}", item.id);
        assert_ne!(
            crate::gui::i18n::tr(&id),
            id,
            "{id} missing from assets/i18n/en/review.ftl"
        );
    }
}
use goto_sso_wizard::secrets::CredentialRef;
use goto_sso_wizard::settings::ProvisioningMethod;
use iced_test::Simulator;
use iced_test::selector::id;

const METADATA_URL: &str = "https://login.microsoftonline.com/contoso.com/FederationMetadata/2007-06/FederationMetadata.xml?appid=5c1e8e4d-3f9a-4b7c-9d2e-1a2b3c4d5e6f";

fn sample() -> Setup {
    let mut setup = Setup {
        products: vec![Product::GoToMeeting, Product::GoToWebinar],
        ..Setup::default()
    };
    setup.metadata.url = Some(METADATA_URL.into());
    setup.metadata.idp_entity_id = Some("https://sts.windows.net/0a1b2c3d/".into());
    setup.metadata.sign_in_url = Some("https://login.microsoftonline.com/0a1b2c3d/saml2".into());
    setup.metadata.certificate_sha256 = Some("F3155F4C".into());
    setup
}

fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
    crate::gui::test_support::simulator(state.view(setup))
}

#[test]
fn can_always_continue() {
    let state = State::new(&Setup::default());
    assert!(state.can_continue(&Setup::default()));
}

#[test]
fn export_writes_the_report_and_its_json_with_the_values() {
    let folder = tempfile::tempdir().unwrap();
    let mut setup = sample();
    let mut state = State::new(&setup);
    let typed = folder.path().join("acme").display().to_string();
    let _ = state.update(Message::ExportPathChanged(typed), &mut setup);
    let action = state.update(Message::ExportTyped, &mut setup);
    assert!(matches!(action, Action::Run(_)));
    assert!(state.export.running);

    // The task's work, then the message it sends.
    let report = Report::new(&setup, time::OffsetDateTime::UNIX_EPOCH);
    let html = ReportFiles::new(&report, &folder.path().join("acme"), ReportFormat::Html);
    let result = html.write();
    let _ = state.update(
        Message::Exported(state.export.generation, result),
        &mut setup,
    );
    let html_path = folder.path().join("acme.html");
    let json_path = folder.path().join("acme.json");
    assert_eq!(
        state.exported,
        Some(Ok(vec![html_path.clone(), json_path.clone()]))
    );
    assert!(!state.export.running);

    // Markdown to a path typed with .json: the report gets .md, the JSON keeps .json.
    let markdown = ReportFiles::new(
        &report,
        &folder.path().join("acme.json"),
        ReportFormat::Markdown,
    );
    assert_eq!(
        markdown.write().unwrap(),
        [folder.path().join("acme.md"), json_path.clone()]
    );

    let html = std::fs::read_to_string(&html_path).unwrap();
    let markdown = std::fs::read_to_string(folder.path().join("acme.md")).unwrap();
    let json = std::fs::read_to_string(&json_path).unwrap();
    for text in [&html, &markdown, &json] {
        assert!(text.contains("https://authentication.logmeininc.com/saml/sp"));
        assert!(text.contains("https://global.gotowebinar.com"));
        assert!(text.contains("https://sts.windows.net/0a1b2c3d/"));
    }
    assert!(html.starts_with("<!DOCTYPE html") || html.contains("<html"));
    assert!(markdown.starts_with("# "));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["goto"]["metadata_url"], METADATA_URL);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 3);

    let error = ReportFiles::new(&report, &folder.path().join("no/dir/r"), ReportFormat::Html)
        .write()
        .unwrap_err();
    assert!(error.contains("no/dir"), "{error}");
}

#[test]
fn save_setup_round_trips_and_is_remembered() {
    let folder = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(folder.path().join("config"));
    let setup = sample();
    let path = setup_file_path(&folder.path().join("mine"));
    assert_eq!(path, folder.path().join("mine.json"));

    let saved = save_setup(&setup, &path, Ok(&store)).unwrap();
    assert_eq!(saved.path, path);
    assert_eq!(saved.settings_note, None);
    assert_eq!(Setup::load(&path).unwrap(), setup);
    assert_eq!(
        store.load().settings.recent_setups,
        std::slice::from_ref(&path)
    );

    // Without a settings folder the setup is still saved, with a note.
    let saved = save_setup(&setup, &path, Err(&"no home".to_owned())).unwrap();
    assert_eq!(saved.settings_note.as_deref(), Some("no home"));

    let error = save_setup(&setup, &folder.path().join("no/dir/x.json"), Ok(&store)).unwrap_err();
    assert!(error.contains("cannot write"), "{error}");

    // Through update: the result message.
    let mut setup = setup;
    let mut state = State::new(&setup);
    let _ = state.update(
        Message::SavePathChanged(path.display().to_string()),
        &mut setup,
    );
    assert!(matches!(
        state.update(Message::SaveTyped, &mut setup),
        Action::Run(_)
    ));
    let result = save_setup(&setup, &path, Ok(&store));
    let _ = state.update(Message::Saved(state.save.generation, result), &mut setup);
    assert!(matches!(&state.saved, Some(Ok(saved)) if saved.path == path));
}

#[test]
fn a_report_holds_the_credential_reference_and_nothing_more() {
    const SECRET: &str = "s3cr3t-client-secret-value";
    let mut setup = sample();
    setup.provisioning = true;
    setup.provisioning_settings.method = Some(ProvisioningMethod::ClientCredentials);
    setup.provisioning_settings.client_id = Some("client-123".into());
    setup.provisioning_settings.credential =
        Some(CredentialRef::new("provisioning/client-secret/client-123"));
    // The secret itself lives in the keyring; the screens only ever hold it in their own
    // state, so nothing of it can reach a file made from the setup.
    let folder = tempfile::tempdir().unwrap();
    let report = Report::new(&setup, time::OffsetDateTime::UNIX_EPOCH);
    for format in ReportFormat::ALL {
        let files = ReportFiles::new(&report, &folder.path().join("r"), format);
        for path in files.write().unwrap() {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(!text.contains(SECRET), "{}", path.display());
        }
    }
    let saved = save_setup(&setup, &folder.path().join("s.json"), Err(&String::new())).unwrap();
    let saved_text = std::fs::read_to_string(saved.path).unwrap();
    assert!(!saved_text.contains(SECRET));

    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let credential = &json["setup"]["provisioning_settings"]["credential"];
    assert_eq!(
        credential,
        &serde_json::json!({
            "service": goto_sso_wizard::secrets::DEFAULT_SERVICE,
            "account": "provisioning/client-secret/client-123",
        }),
        "the reference, and nothing but the reference"
    );
    let settings: serde_json::Value = serde_json::from_str(&saved_text).unwrap();
    assert_eq!(settings["provisioning_settings"]["credential"], *credential);
}

#[test]
fn stale_results_are_dropped_and_cancel_stops_both_jobs() {
    let mut setup = sample();
    let mut state = State::new(&setup);
    let _ = state.update(Message::ExportPathChanged("/tmp/r".into()), &mut setup);
    let _ = state.update(Message::ExportTyped, &mut setup);
    let export = state.export.generation;
    let _ = state.update(Message::SavePressed, &mut setup);
    let save = state.save.generation;
    state.cancel();
    assert!(!state.export.busy() && !state.save.busy());
    assert!(state.export.handle.is_none());
    let _ = state.update(Message::Exported(export, Ok(Vec::new())), &mut setup);
    assert_eq!(state.exported, None);
    let action = state.update(
        Message::SaveDialogClosed(save, Some("/tmp/s.json".into())),
        &mut setup,
    );
    assert!(matches!(action, Action::None));
    assert!(!state.save.running);
}

#[test]
fn no_dialog_or_no_path_says_what_to_do_and_keeps_the_typed_path() {
    let mut setup = sample();
    let mut state = State::new(&setup);
    let _ = state.update(Message::ExportTyped, &mut setup);
    assert_eq!(state.exported, Some(Err(tr("review-path-empty"))));
    let _ = state.update(Message::SavePathChanged("kept".into()), &mut setup);
    let _ = state.update(Message::SavePressed, &mut setup);
    let _ = state.update(
        Message::SaveDialogClosed(state.save.generation, None),
        &mut setup,
    );
    assert_eq!(state.saved, Some(Err(tr("review-no-dialog"))));
    assert_eq!(state.save_path, "kept");
}

#[test]
fn test_sign_in_opens_the_chosen_products_relay_state() {
    let mut setup = sample();
    let mut state = State::new(&setup);
    assert_eq!(
        state.test_url(&setup).as_deref(),
        Some("https://global.gotomeeting.com")
    );
    let _ = state.update(
        Message::TestProductSelected(ProductChoice(Product::GoToWebinar)),
        &mut setup,
    );
    assert_eq!(
        state.test_url(&setup).as_deref(),
        Some("https://global.gotowebinar.com")
    );
    assert!(matches!(
        state.update(Message::TestSignIn, &mut setup),
        Action::Run(_)
    ));
    let _ = state.update(Message::BrowserOpened(Err("no browser".into())), &mut setup);
    assert_eq!(state.browser_error.as_deref(), Some("no browser"));
    // A product no longer chosen falls back to the first.
    setup.products = vec![Product::GoToAssist];
    assert_eq!(
        state.test_url(&setup).as_deref(),
        Some("https://app.gotoassist.com")
    );
}

#[test]
fn strings_exist() {
    for source in [
        include_str!("mod.rs"),
        include_str!("view.rs"),
        include_str!("files.rs"),
    ] {
        widget::assert_ids_exist(source);
    }
}

#[test]
fn simulator_shows_the_checklist_and_exports_by_id() -> Result<(), iced_test::Error> {
    let mut setup = sample();
    let mut state = State::new(&setup);
    {
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("review-side-entra"))?;
        let _ = ui.find(tr("review-side-goto"))?;
        let _ = ui.find("Users or groups assigned to the app")?;
        let _ = ui.find(tr("review-done"))?;
        assert!(ui.find(tr("review-complete")).is_err());
        let _ = ui.click(id(EXPORT_ID))?;
        let _ = ui.click(id(TEST_SIGN_IN_ID))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::ExportPressed, Message::TestSignIn]
            ),
            "{messages:?}"
        );
    }
    let _ = state.update(Message::BrowserOpened(Err("no browser".into())), &mut setup);
    let _ = state.update(Message::SavePathChanged("/tmp/s.json".into()), &mut setup);
    let _ = state.update(Message::SaveTyped, &mut setup);
    let _ = state.update(
        Message::Saved(
            state.save.generation,
            Ok(Saved {
                path: "/tmp/s.json".into(),
                settings_note: None,
            }),
        ),
        &mut setup,
    );
    let mut ui = simulator(&state, &setup);
    let _ = ui.find(tr("review-complete"))?;
    let _ = ui.find("https://global.gotomeeting.com")?;
    let _ = ui.click(id("review-test-url-copy"))?;
    let messages: Vec<Message> = ui.into_messages().collect();
    assert!(
        matches!(messages.as_slice(), [Message::Copy(_, url)] if url == "https://global.gotomeeting.com"),
        "{messages:?}"
    );
    Ok(())
}
