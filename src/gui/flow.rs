//! The wizard itself: the session (the setup being made, the metadata loaded, the credentials),
//! the state of every step (kept while the admin moves back and forth), navigation with
//! Back/Next, and the frame around the current step (progress at the top, Back/Next at the
//! bottom). It routes messages and applies the actions screens return to the session; the
//! screens do the work.
//!
//! The diagnose screen opens from the start step beside the wizard, in a frame of its own (no
//! progress, no Back/Next): closing it returns to the step as it was left, and reopening it finds
//! what was typed there.

use goto_sso_wizard::setup::Setup;
use iced::widget::{Space, button, column, container, row, scrollable, text};
use iced::{Alignment, Element, Length, Task};

use crate::gui::i18n::{tr, tr_with};
use crate::gui::screen::{
    Action, certificate, credentials, diagnose, goto_settings, metadata_url, relay_state, review,
    start, test_connection,
};
use crate::gui::session::{LoadedMetadata, Session};
use crate::gui::wizard::Step;

/// Widget ids of the frame, for tests and keyboard focus.
pub const BACK_ID: &str = "wizard-back";
/// The Next (or Finish) button.
pub const NEXT_ID: &str = "wizard-next";

/// The wizard's state.
#[derive(Debug)]
pub struct Wizard {
    /// What the steps share: the setup, the loaded metadata, the credentials.
    session: Session,
    step: Step,
    start: start::State,
    credentials: credentials::State,
    test_connection: test_connection::State,
    metadata_url: metadata_url::State,
    certificate: certificate::State,
    relay_state: relay_state::State,
    goto_settings: goto_settings::State,
    review: review::State,
    /// The diagnose screen's state, kept while it is closed.
    diagnose: diagnose::State,
    /// The diagnose screen is shown instead of the current step.
    diagnosing: bool,
}

/// The wizard's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// Go back a step.
    Back,
    /// Go on a step (only when the step can continue).
    Next,
    /// Esc: stop what the current step is running.
    Cancel,
    /// For the start step.
    Start(start::Message),
    /// For the credentials step.
    Credentials(credentials::Message),
    /// For the connection test step.
    TestConnection(test_connection::Message),
    /// For the metadata URL step.
    MetadataUrl(metadata_url::Message),
    /// For the certificate step.
    Certificate(certificate::Message),
    /// For the relay state step.
    RelayState(relay_state::Message),
    /// For the GoTo settings step.
    GoToSettings(goto_settings::Message),
    /// For the review step.
    Review(review::Message),
    /// For the diagnose screen.
    Diagnose(diagnose::Message),
    /// "Back to the setup": close the diagnose screen.
    CloseDiagnose,
}

impl Wizard {
    /// A wizard on its first step with a new setup.
    pub fn new() -> Self {
        Self::with_setup(Setup::default())
    }

    /// A wizard on its first step with `setup` (a resumed one).
    pub fn with_setup(setup: Setup) -> Self {
        let mut wizard = Self {
            start: start::State::new(&setup),
            credentials: credentials::State::new(&setup),
            test_connection: test_connection::State::new(&setup),
            metadata_url: metadata_url::State::new(&setup),
            certificate: certificate::State::new(&setup),
            relay_state: relay_state::State::new(&setup),
            goto_settings: goto_settings::State::new(&setup),
            review: review::State::new(&setup),
            diagnose: diagnose::State::default(),
            diagnosing: false,
            step: Step::Start,
            session: Session::new(setup),
        };
        wizard.session.credentials = wizard.credentials.current(&wizard.session.setup);
        wizard
    }

    /// Whether Next is allowed now.
    pub fn can_continue(&self) -> bool {
        let setup = &self.session.setup;
        let metadata = self.session.metadata();
        match self.step {
            Step::Start => self.start.can_continue(setup),
            Step::Credentials => self.credentials.can_continue(setup),
            Step::TestConnection => self.test_connection.can_continue(setup),
            Step::MetadataUrl => self.metadata_url.can_continue(setup),
            Step::Certificate => self.certificate.can_continue(setup, metadata),
            Step::RelayState => self.relay_state.can_continue(setup),
            Step::GoToSettings => self.goto_settings.can_continue(setup),
            Step::Review => self.review.can_continue(setup),
        }
    }

    /// Handles a message.
    pub fn update(&mut self, message: Message) -> Task<Message> {
        if self.diagnosing
            && let Some(task) = self.update_diagnosing(&message)
        {
            return task;
        }
        let setup = &mut self.session.setup;
        let metadata = self
            .session
            .metadata
            .as_ref()
            .map(|loaded| &*loaded.metadata);
        let action = match message {
            Message::Back => {
                return match self.step.previous(&self.session.setup) {
                    Some(previous) => self.go_to(previous),
                    None => Task::none(),
                };
            }
            Message::Next => return self.advance(),
            Message::Cancel => {
                self.cancel_current();
                return Task::none();
            }
            Message::Start(m) => lift(self.start.update(m, setup), Message::Start),
            Message::Credentials(m) => {
                lift(self.credentials.update(m, setup), Message::Credentials)
            }
            Message::TestConnection(m) => lift(
                self.test_connection
                    .update(m, setup, &self.session.credentials),
                Message::TestConnection,
            ),
            Message::MetadataUrl(m) => {
                lift(self.metadata_url.update(m, setup), Message::MetadataUrl)
            }
            Message::Certificate(m) => lift(
                self.certificate.update(m, setup, metadata),
                Message::Certificate,
            ),
            Message::RelayState(m) => lift(self.relay_state.update(m, setup), Message::RelayState),
            Message::GoToSettings(m) => {
                lift(self.goto_settings.update(m, setup), Message::GoToSettings)
            }
            Message::Review(m) => lift(self.review.update(m, setup), Message::Review),
            Message::Diagnose(m) => lift(self.diagnose.update(m), Message::Diagnose),
            Message::CloseDiagnose => {
                self.close_diagnose();
                return Task::none();
            }
        };
        self.apply(action)
    }

    /// Does what a screen asked: runs its task, moves on, or updates the session.
    fn apply(&mut self, action: Action<Message>) -> Task<Message> {
        match action {
            Action::None => Task::none(),
            Action::Run(task) => task,
            Action::Next => self.advance(),
            Action::Diagnose => {
                self.open_diagnose();
                Task::none()
            }
            Action::Replace(setup) => {
                let step = self.step;
                // What was pasted into the diagnose screen is not part of the setup: it stays.
                let diagnose = std::mem::take(&mut self.diagnose);
                *self = Wizard::with_setup(*setup);
                self.diagnose = diagnose;
                self.step = step;
                self.enter();
                self.reload_metadata()
            }
            Action::MetadataLoaded(metadata, source) => {
                self.session.metadata = Some(LoadedMetadata { metadata, source });
                self.certificate.metadata_changed();
                Task::none()
            }
            Action::MetadataForgotten => {
                if self.session.metadata.take().is_some() {
                    self.certificate.metadata_changed();
                }
                Task::none()
            }
            Action::CredentialsChanged(current, then) => {
                self.session.credentials = current;
                self.apply(*then)
            }
            Action::CredentialsRefreshed(credentials) => {
                // Some servers rotate the refresh token on every use: the credentials step
                // keeps the new one (and saves it when remembered).
                let keep = lift(
                    self.credentials.keep_refreshed(&credentials),
                    Message::Credentials,
                );
                self.session.credentials.credentials = Some(*credentials);
                self.apply(keep)
            }
        }
    }

    /// The frame's messages while the diagnose screen is shown: Enter diagnoses, Esc stops what
    /// runs and then goes back, Back goes back. `None` for the rest, routed as usual.
    fn update_diagnosing(&mut self, message: &Message) -> Option<Task<Message>> {
        match message {
            Message::Next => Some(self.update(Message::Diagnose(diagnose::Message::Diagnose))),
            Message::Cancel if self.diagnose.is_running() => {
                self.diagnose.cancel();
                Some(Task::none())
            }
            Message::Cancel | Message::Back => {
                self.close_diagnose();
                Some(Task::none())
            }
            _ => None,
        }
    }

    /// Shows the diagnose screen with a snapshot of the setup as it is now.
    fn open_diagnose(&mut self) {
        self.cancel_current();
        self.diagnose.open(&self.session.setup);
        self.diagnosing = true;
    }

    /// Back to the step that was shown; what runs on the diagnose screen stops.
    fn close_diagnose(&mut self) {
        self.diagnose.cancel();
        self.diagnosing = false;
    }

    fn advance(&mut self) -> Task<Message> {
        if !self.can_continue() {
            return Task::none();
        }
        match self.step.next(&self.session.setup) {
            Some(next) => self.go_to(next),
            None => Task::none(),
        }
    }

    /// Leaves the current step for `to`. Screens never talk to each other: what steps share is
    /// in the session.
    fn go_to(&mut self, to: Step) -> Task<Message> {
        self.cancel_current();
        self.step = to;
        self.enter();
        if to == Step::Credentials {
            // Credentials saved earlier, by the window or the CLI, are offered.
            return self.credentials.look_for_saved().map(Message::Credentials);
        }
        Task::none()
    }

    /// A resumed setup names its metadata (a file, or the URL it was fetched from): the core
    /// loads it again, as a run of the metadata step, and the document comes back as a
    /// [`Action::MetadataLoaded`], so the certificate and GoTo steps have it without the admin
    /// fetching by hand.
    fn reload_metadata(&mut self) -> Task<Message> {
        if !self.session.setup.sso {
            return Task::none();
        }
        let action = lift(
            self.metadata_url.reload(&self.session.setup),
            Message::MetadataUrl,
        );
        self.apply(action)
    }

    /// Lets the step being entered read what it needs from the session.
    fn enter(&mut self) {
        if self.step == Step::TestConnection {
            self.test_connection.enter(&self.session.credentials);
        }
    }

    /// Leaving a step (or Esc) stops what it runs.
    fn cancel_current(&mut self) {
        match self.step {
            Step::Start => self.start.cancel(),
            Step::Credentials => self.credentials.cancel(),
            Step::TestConnection => self.test_connection.cancel(),
            Step::MetadataUrl => self.metadata_url.cancel(),
            Step::Certificate => self.certificate.cancel(),
            Step::RelayState => self.relay_state.cancel(),
            Step::GoToSettings => self.goto_settings.cancel(),
            Step::Review => self.review.cancel(),
        }
    }

    /// The frame and the current step (or the diagnose screen in its own frame).
    pub fn view(&self) -> Element<'_, Message> {
        if self.diagnosing {
            return self.diagnose_view();
        }
        let setup = &self.session.setup;
        let body: Element<'_, Message> = match self.step {
            Step::Start => self.start.view(setup).map(Message::Start),
            Step::Credentials => self.credentials.view(setup).map(Message::Credentials),
            Step::TestConnection => self
                .test_connection
                .view(setup, &self.session.credentials)
                .map(Message::TestConnection),
            Step::MetadataUrl => self.metadata_url.view(setup).map(Message::MetadataUrl),
            Step::Certificate => self
                .certificate
                .view(setup, self.session.metadata())
                .map(Message::Certificate),
            Step::RelayState => self.relay_state.view(setup).map(Message::RelayState),
            Step::GoToSettings => self.goto_settings.view(setup).map(Message::GoToSettings),
            Step::Review => self.review.view(setup).map(Message::Review),
        };
        column![
            self.progress(),
            // One readable column, centred, whatever the window's width.
            scrollable(
                container(container(body).max_width(960))
                    .padding(24)
                    .center_x(Length::Fill)
            )
            .height(Length::Fill),
            self.navigation(),
        ]
        .into()
    }

    /// The diagnose screen: the same readable column, and a footer that leads back.
    fn diagnose_view(&self) -> Element<'_, Message> {
        let back = button(text(tr("diagnose-back")))
            .style(crate::gui::widget::style::outlined)
            .on_press(Message::CloseDiagnose);
        column![
            scrollable(
                container(container(self.diagnose.view().map(Message::Diagnose)).max_width(960))
                    .padding(24)
                    .center_x(Length::Fill)
            )
            .height(Length::Fill),
            container(
                row![
                    container(back).id(diagnose::BACK_ID),
                    text(tr("diagnose-hint")).size(12),
                ]
                .spacing(16)
                .align_y(Alignment::Center),
            )
            .padding([12, 24])
            .width(Length::Fill),
        ]
        .into()
    }

    /// Every step's title, the current one marked, and "Step i of n".
    fn progress(&self) -> Element<'_, Message> {
        let steps = Step::for_setup(&self.session.setup);
        let current = steps
            .iter()
            .position(|step| *step == self.step)
            .unwrap_or(0);
        let titles = steps
            .iter()
            .enumerate()
            .fold(row![].spacing(14), |titles, (index, step)| {
                let label = format!("{}. {}", index + 1, step.title());
                let label = if index == current {
                    text(label).size(14).font(iced::Font {
                        weight: iced::font::Weight::Bold,
                        ..iced::Font::DEFAULT
                    })
                } else {
                    text(label).size(14)
                };
                titles.push(label)
            });
        let counter = text(tr_with(
            "step-counter",
            &[
                ("current", &(current + 1).to_string()),
                ("total", &steps.len().to_string()),
            ],
        ))
        .size(13);
        container(column![counter, titles.wrap()].spacing(6))
            .padding([12, 24])
            .width(Length::Fill)
            .into()
    }

    /// Back and Next (Finish on the last step).
    fn navigation(&self) -> Element<'_, Message> {
        let is_first = self.step.previous(&self.session.setup).is_none();
        let is_last = self.step.next(&self.session.setup).is_none();
        let back = button(text(tr("nav-back")))
            .style(crate::gui::widget::style::outlined)
            .on_press_maybe((!is_first).then_some(Message::Back));
        let next_label = if is_last {
            tr("nav-finish")
        } else {
            tr("nav-next")
        };
        let next = button(text(next_label))
            .style(button::primary)
            .on_press_maybe((self.can_continue() && !is_last).then_some(Message::Next));
        container(
            row![
                container(back).id(BACK_ID),
                text(tr("nav-hint")).size(12),
                Space::new().width(Length::Fill),
                container(next).id(NEXT_ID),
            ]
            .spacing(16)
            .align_y(Alignment::Center),
        )
        .padding([12, 24])
        .width(Length::Fill)
        .into()
    }
}

fn lift<M, W>(action: Action<M>, wrap: impl Fn(M) -> W + Send + 'static) -> Action<W>
where
    M: Send + 'static,
    W: Send + 'static,
{
    action.map(wrap)
}

#[cfg(test)]
mod tests {
    use super::*;

    use goto_sso_wizard::metadata::{self, ParseOptions};
    use goto_sso_wizard::setup::MetadataSource;
    use iced::{Size, Theme};
    use iced_test::Simulator;
    use iced_test::selector::id;

    use crate::gui::test_support::{ScimPeer, run_task};

    const SAMPLE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/samples/entra-app-metadata.xml"
    );

    /// Loads the sample metadata as if the file had been read by the step's task.
    fn load_sample(wizard: &mut Wizard) {
        let _ = wizard.update(Message::MetadataUrl(
            metadata_url::Message::FilePathChanged(SAMPLE.to_owned()),
        ));
        let _ = wizard.update(Message::MetadataUrl(metadata_url::Message::LoadFile));
        let bytes = std::fs::read(SAMPLE).expect("the sample metadata");
        let parsed = metadata::parse(&bytes, &ParseOptions::default()).expect("the sample parses");
        let generation = wizard.metadata_url.load_generation();
        let _ = wizard.update(Message::MetadataUrl(metadata_url::Message::FileLoaded(
            generation,
            Ok(Box::new(parsed)),
        )));
    }

    #[test]
    fn sso_only_walks_from_start_to_review_and_back() {
        let mut wizard = Wizard::new();
        assert_eq!(wizard.step, Step::Start);
        let _ = wizard.update(Message::Back);
        assert_eq!(wizard.step, Step::Start, "nothing before the first step");
        let _ = wizard.update(Message::Next);
        assert_eq!(
            wizard.step,
            Step::MetadataUrl,
            "SSO only skips the provisioning steps"
        );

        assert!(!wizard.can_continue(), "no metadata yet");
        let _ = wizard.update(Message::Next);
        assert_eq!(
            wizard.step,
            Step::MetadataUrl,
            "Next does nothing until the step is valid"
        );

        load_sample(&mut wizard);
        assert!(wizard.can_continue());
        let entity = wizard.session.setup.metadata.idp_entity_id.clone();
        assert_eq!(
            entity.as_deref(),
            Some("https://sts.windows.net/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/")
        );
        assert!(wizard.session.setup.metadata.certificate_sha256.is_some());

        let _ = wizard.update(Message::Next);
        assert_eq!(wizard.step, Step::Certificate);
        assert!(
            wizard.can_continue(),
            "the metadata was handed over and a certificate preselected"
        );
        for expected in [Step::RelayState, Step::GoToSettings, Step::Review] {
            let _ = wizard.update(Message::Next);
            assert_eq!(wizard.step, expected);
        }
        let _ = wizard.update(Message::Next);
        assert_eq!(wizard.step, Step::Review, "nothing after the last step");
        let _ = wizard.update(Message::Back);
        assert_eq!(wizard.step, Step::GoToSettings);
    }

    #[test]
    fn the_frame_shows_the_progress_and_next_is_clickable_by_id() -> Result<(), iced_test::Error> {
        let wizard = Wizard::new();
        let mut ui = Simulator::with_size(
            iced::Settings::default(),
            Size::new(900.0, 700.0),
            wizard.view(),
        );
        let _ = ui.find("Step 1 of 6")?;
        let _ = ui.find("3. Certificate")?;
        let _ = ui.click(id(NEXT_ID))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::Next]),
            "{messages:?}"
        );
        Ok(())
    }

    /// Finds a text that contains a phrase (iced_test matches whole texts only).
    struct Containing(&'static str);

    impl iced_test::selector::Selector for Containing {
        type Output = ();

        fn select(&mut self, candidate: iced_test::selector::Candidate<'_>) -> Option<()> {
            match candidate {
                iced_test::selector::Candidate::Text { content, .. }
                    if content.contains(self.0) =>
                {
                    Some(())
                }
                _ => None,
            }
        }

        fn description(&self) -> String {
            format!("text containing {:?}", self.0)
        }
    }

    /// Sends a message as the window would and runs every task it starts, feeding their
    /// messages back in, until nothing is left to run.
    fn drive(wizard: &mut Wizard, message: Message) {
        let task = wizard.update(message);
        for output in run_task(task) {
            drive(wizard, output);
        }
    }

    #[test]
    fn sso_only_from_start_to_an_exported_report_with_the_real_tasks() {
        let mut wizard = Wizard::new();
        drive(&mut wizard, Message::Next);
        // A failed download is shown and the step recovers: nothing listens on this loopback
        // port (an IP literal, so no name is ever looked up).
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let url =
            format!("https://127.0.0.1:{closed}/FederationMetadata/2007-06/FederationMetadata.xml");
        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::TenantChanged(url)),
        );
        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::Fetch),
        );
        assert!(!wizard.can_continue(), "the download failed");
        {
            let mut ui = Simulator::with_size(
                iced::Settings::default(),
                Size::new(1000.0, 3000.0),
                wizard.view(),
            );
            assert!(
                ui.find(Containing("refused the connection")).is_ok(),
                "the failure is shown"
            );
        }

        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::FilePathChanged(SAMPLE.to_owned())),
        );
        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::LoadFile),
        );
        assert!(
            wizard.can_continue(),
            "the file loaded through its real task"
        );
        while wizard.step != Step::Review {
            drive(&mut wizard, Message::Next);
        }

        let folder = tempfile::tempdir().unwrap();
        let report = folder.path().join("contoso-goto.html");
        drive(
            &mut wizard,
            Message::Review(review::Message::ExportPathChanged(
                report.display().to_string(),
            )),
        );
        drive(&mut wizard, Message::Review(review::Message::ExportTyped));
        let html = std::fs::read_to_string(&report).expect("the report was written");
        assert!(html.contains("https://authentication.logmeininc.com/saml/acs"));
        assert!(html.contains("https://global.gotomeeting.com"));
        assert!(html.contains("https://sts.windows.net/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d/"));
        let json = std::fs::read_to_string(folder.path().join("contoso-goto.json"))
            .expect("the JSON beside it");
        assert!(json.contains("\"certificate_sha256\""));
    }

    #[test]
    fn resuming_a_setup_reads_its_metadata_file_again() {
        let mut saved = Setup::default();
        saved.metadata.file = Some(std::path::PathBuf::from(SAMPLE));
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("saved.json");
        saved.save(&path).unwrap();

        let mut wizard = Wizard::new();
        drive(
            &mut wizard,
            Message::Start(start::Message::ResumePathChanged(
                path.display().to_string(),
            )),
        );
        drive(&mut wizard, Message::Start(start::Message::ResumeTypedPath));
        assert_eq!(
            wizard.session.setup.metadata.file.as_deref(),
            Some(std::path::Path::new(SAMPLE))
        );
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::MetadataUrl);
        assert!(
            wizard.can_continue(),
            "the metadata was read again on resume"
        );
        assert!(wizard.session.setup.metadata.idp_entity_id.is_some());
    }

    #[test]
    fn the_certificate_step_lists_the_certificates_of_the_metadata_the_session_holds()
    -> Result<(), iced_test::Error> {
        let mut wizard = Wizard::new();
        drive(&mut wizard, Message::Next);
        assert!(wizard.session.metadata.is_none());
        load_sample(&mut wizard);
        let loaded = wizard
            .session
            .metadata
            .clone()
            .expect("the session holds it");
        assert_eq!(loaded.source, MetadataSource::File(SAMPLE.into()));
        let sha256 = loaded
            .metadata
            .signing_provider(None)
            .ok()
            .and_then(|entity| entity.idp.as_ref())
            .map(|idp| {
                idp.signing_certificates[0]
                    .certificate
                    .info()
                    .sha256
                    .clone()
            })
            .expect("a signing certificate");
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::Certificate);
        {
            let mut ui = Simulator::with_size(
                iced::Settings::default(),
                Size::new(1000.0, 3000.0),
                wizard.view(),
            );
            let _ = ui.find(sha256.as_str())?;
        }

        // Back, and a file that does not load: the session forgets the document, and the
        // certificate step has nothing to list.
        drive(&mut wizard, Message::Back);
        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::FilePathChanged(
                "/no/such/metadata.xml".into(),
            )),
        );
        drive(
            &mut wizard,
            Message::MetadataUrl(metadata_url::Message::LoadFile),
        );
        assert!(wizard.session.metadata.is_none());
        assert!(
            !wizard
                .certificate
                .can_continue(&wizard.session.setup, wizard.session.metadata())
        );
        Ok(())
    }

    #[test]
    fn resuming_a_setup_that_names_a_url_downloads_it_again_through_the_core() {
        // Saved with the URL only (as the CLI or an older window saves it): nothing typed.
        let closed = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut saved = Setup::default();
        saved.metadata.url = Some(format!("https://127.0.0.1:{closed}/FederationMetadata.xml"));
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("saved.json");
        saved.save(&path).unwrap();

        let mut wizard = Wizard::new();
        drive(
            &mut wizard,
            Message::Start(start::Message::ResumePathChanged(
                path.display().to_string(),
            )),
        );
        drive(&mut wizard, Message::Start(start::Message::ResumeTypedPath));
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::MetadataUrl);
        let mut ui = Simulator::with_size(
            iced::Settings::default(),
            Size::new(1000.0, 3000.0),
            wizard.view(),
        );
        assert!(
            ui.find(Containing("refused the connection")).is_ok(),
            "the saved URL was downloaded again (and nothing listens there)"
        );
    }

    #[test]
    fn tokens_a_test_refreshed_are_the_sessions_without_a_new_revision() {
        use goto_sso_wizard::provisioning::Credentials;
        let mut wizard = at_the_credentials_of_a_provisioning_setup();
        let before = wizard.session.credentials.revision;
        let _ = wizard.apply(Action::CredentialsRefreshed(Box::new(
            Credentials::BearerToken("rotated".into()),
        )));
        assert_eq!(wizard.session.credentials.revision, before);
        assert!(matches!(
            &wizard.session.credentials.credentials,
            Some(Credentials::BearerToken(t)) if t.expose() == "rotated"
        ));
    }

    /// A wizard for provisioning only, at its first step after the start.
    fn at_the_credentials_of_a_provisioning_setup() -> Wizard {
        let mut wizard = Wizard::new();
        drive(
            &mut wizard,
            Message::Start(start::Message::ProvisioningToggled(true)),
        );
        drive(
            &mut wizard,
            Message::Start(start::Message::SsoToggled(false)),
        );
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::Credentials);
        wizard
    }

    #[test]
    fn provisioning_with_a_bad_then_a_good_token_against_the_real_scim_server() {
        use goto_sso_wizard::secrets::Secret;
        let scim = ScimPeer::start("the-right-token");
        let mut wizard = at_the_credentials_of_a_provisioning_setup();
        drive(
            &mut wizard,
            Message::Credentials(credentials::Message::KindSelected(
                credentials::Kind::ScimToken,
            )),
        );
        drive(
            &mut wizard,
            Message::Credentials(credentials::Message::FieldChanged(
                credentials::Field::BaseUrl,
                scim.base_url.clone(),
            )),
        );
        let token = |value: &str| {
            Message::Credentials(credentials::Message::SecretChanged(
                credentials::SecretField::Token,
                Secret::from(value),
            ))
        };
        drive(&mut wizard, token("a-wrong-token"));
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::TestConnection);
        drive(
            &mut wizard,
            Message::TestConnection(test_connection::Message::Run),
        );
        assert!(!wizard.can_continue(), "the wrong token fails the test");

        let tested = wizard.session.credentials.revision;
        drive(&mut wizard, Message::Back);
        drive(&mut wizard, token("the-right-token"));
        // The credentials step told the session: a new revision, the new token.
        assert!(wizard.session.credentials.revision > tested);
        assert_eq!(wizard.session.credentials.base_url, scim.base_url.trim());
        assert!(matches!(
            &wizard.session.credentials.credentials,
            Some(goto_sso_wizard::provisioning::Credentials::BearerToken(t))
                if t.expose() == "the-right-token"
        ));
        drive(&mut wizard, Message::Next);
        assert!(
            !wizard.can_continue(),
            "the old result was for other credentials"
        );
        drive(
            &mut wizard,
            Message::TestConnection(test_connection::Message::Run),
        );
        assert!(wizard.can_continue(), "the right token passes");
        // What the test returned (refreshed tokens, here the same token) is the session's now.
        assert!(matches!(
            &wizard.session.credentials.credentials,
            Some(goto_sso_wizard::provisioning::Credentials::BearerToken(t))
                if t.expose() == "the-right-token"
        ));
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::Review);
    }

    #[test]
    fn the_start_steps_diagnose_button_opens_the_screen_and_back_keeps_everything()
    -> Result<(), iced_test::Error> {
        let mut wizard = Wizard::new();
        drive(
            &mut wizard,
            Message::Start(start::Message::ProvisioningToggled(true)),
        );
        drive(
            &mut wizard,
            Message::Start(start::Message::ResumePathChanged("/tmp/typed.json".into())),
        );
        let size = Size::new(900.0, 760.0);
        {
            let mut ui = Simulator::with_size(iced::Settings::default(), size, wizard.view());
            let _ = ui.click(id(start::DIAGNOSE_ID))?;
            for message in ui.into_messages().collect::<Vec<_>>() {
                drive(&mut wizard, message);
            }
        }
        assert!(wizard.diagnosing);
        {
            // Not a step: no progress, no Back/Next; its own way back.
            let mut ui = Simulator::with_size(iced::Settings::default(), size, wizard.view());
            let _ = ui.find(tr("diagnose-heading"))?;
            assert!(ui.find("Step 1 of 8").is_err());
            assert!(ui.find(id(NEXT_ID)).is_err());
            let _ = ui.find(id(diagnose::BACK_ID))?;
        }
        let capture = diagnose::tests::unsigned_base64();
        drive(
            &mut wizard,
            Message::Diagnose(diagnose::Message::Edited(
                iced::widget::text_editor::Action::Edit(iced::widget::text_editor::Edit::Paste(
                    std::sync::Arc::new(capture.clone()),
                )),
            )),
        );
        // Enter (Next) on this screen diagnoses and does not move the wizard.
        drive(&mut wizard, Message::Next);
        assert_eq!(wizard.step, Step::Start);
        assert!(wizard.diagnosing);
        {
            let mut ui = Simulator::with_size(
                iced::Settings::default(),
                Size::new(900.0, 4000.0),
                wizard.view(),
            );
            let _ = ui.find("Not healthy — root cause: unsigned")?;
            let _ = ui.click(id(diagnose::BACK_ID))?;
            for message in ui.into_messages().collect::<Vec<_>>() {
                drive(&mut wizard, message);
            }
        }
        assert!(!wizard.diagnosing);
        assert_eq!(wizard.step, Step::Start);
        assert!(
            wizard.session.setup.provisioning,
            "the start step's choices are kept"
        );
        assert_eq!(wizard.start.resume_path(), "/tmp/typed.json");
        {
            let mut ui = Simulator::with_size(iced::Settings::default(), size, wizard.view());
            let _ = ui.find("Step 1 of 8")?;
        }

        // Reopened: the capture and the result are still there; Esc leaves again.
        drive(&mut wizard, Message::Start(start::Message::DiagnosePressed));
        assert!(wizard.diagnosing);
        assert_eq!(wizard.diagnose.capture_text(), capture);
        assert!(wizard.diagnose.has_result());
        drive(&mut wizard, Message::Cancel);
        assert!(!wizard.diagnosing);
        Ok(())
    }

    #[test]
    fn esc_on_the_diagnose_screen_first_stops_the_run_then_leaves() {
        let mut wizard = Wizard::new();
        drive(&mut wizard, Message::Start(start::Message::DiagnosePressed));
        let _ = wizard.update(Message::Diagnose(diagnose::Message::Edited(
            iced::widget::text_editor::Action::Edit(iced::widget::text_editor::Edit::Paste(
                std::sync::Arc::new(diagnose::tests::unsigned_base64()),
            )),
        )));
        // The run's task is not run: it stays under way.
        let _task = wizard.update(Message::Diagnose(diagnose::Message::Diagnose));
        assert!(wizard.diagnose.is_running());
        let _ = wizard.update(Message::Cancel);
        assert!(!wizard.diagnose.is_running());
        assert!(wizard.diagnosing, "the first Esc only stopped the run");
        let _ = wizard.update(Message::Cancel);
        assert!(!wizard.diagnosing);
    }

    /// Renders every step of an SSO + provisioning setup with the sample metadata, light and
    /// dark, to `target/screenshots/wizard/` (run by `scripts/screenshots.sh`).
    #[test]
    #[ignore = "writes PNG files; run by scripts/screenshots.sh"]
    fn render_every_step() -> Result<(), iced_test::Error> {
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots/wizard");
        let _ = std::fs::remove_dir_all(&folder);
        let mut wizard = Wizard::new();
        let mut number = 1;
        loop {
            if wizard.step == Step::MetadataUrl {
                load_sample(&mut wizard);
            }
            let name = format!("{number:02}-{:?}", wizard.step).to_lowercase();
            for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
                let mut ui = Simulator::with_size(
                    iced::Settings::default(),
                    Size::new(900.0, 760.0),
                    wizard.view(),
                );
                let snapshot = ui.snapshot(&theme)?;
                assert!(snapshot.matches_image(folder.join(format!("{name}-{suffix}")))?);
            }
            let before = wizard.step;
            let _ = wizard.update(Message::Next);
            if wizard.step == before {
                break;
            }
            number += 1;
        }
        assert_eq!(wizard.step, Step::Review);

        // The credentials step of a provisioning setup: GoTo's SCIM base URL and where it comes
        // from, and the OAuth client's guidance with the redirect URI to register.
        let wizard = at_the_credentials_of_a_provisioning_setup();
        for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
            let mut ui = Simulator::with_size(
                iced::Settings::default(),
                Size::new(900.0, 1500.0),
                wizard.view(),
            );
            let snapshot = ui.snapshot(&theme)?;
            assert!(snapshot.matches_image(folder.join(format!("credentials-{suffix}")))?);
        }

        // The diagnose screen (beside the wizard) with a result, and with the XML shown.
        let mut wizard = Wizard::new();
        drive(&mut wizard, Message::Start(start::Message::DiagnosePressed));
        // Each verdict: not healthy (the unsigned response), and inconclusive (the sample HAR
        // against GoTo's published values only: no certificate or issuer to compare with).
        let mut inconclusive = diagnose::State::default();
        inconclusive.open(&goto_sso_wizard::setup::Setup::default());
        diagnose::tests::paste(
            &mut inconclusive,
            include_str!("../../samples/failed-signin.har"),
        );
        diagnose::tests::drive(&mut inconclusive, diagnose::Message::Diagnose);
        for (state, name, height) in [
            (diagnose::tests::diagnosed_unsigned(), "diagnose", 760.0),
            (
                diagnose::tests::diagnosed_unsigned(),
                "diagnose-full",
                2600.0,
            ),
            (inconclusive, "diagnose-inconclusive", 2600.0),
        ] {
            wizard.diagnose = state;
            for (theme, suffix) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
                let mut ui = Simulator::with_size(
                    iced::Settings::default(),
                    Size::new(900.0, height),
                    wizard.view(),
                );
                let snapshot = ui.snapshot(&theme)?;
                assert!(snapshot.matches_image(folder.join(format!("{name}-{suffix}")))?);
            }
        }
        Ok(())
    }
}
