//! The wizard step "Test connection": runs the core's provisioning test with the credentials
//! from the previous step, shows each check live as it finishes, and lets the admin go on only
//! after a passing test (or after consciously choosing to go on without one).

use crate::gui::widget::style::{bold, muted};
use goto_sso_wizard::provisioning::{Credentials, Step, TestOptions, TestReport, run_test};
use goto_sso_wizard::setup::Setup;

use crate::gui::session::CurrentCredentials;
use iced::futures::{SinkExt, Stream};
use iced::widget::{button, checkbox, column, container, row, text};
use iced::{Alignment, Element, Fill, Font, Task, Theme};

use super::Action;
use super::job::Job;
use crate::gui::i18n::{tr, tr_with};

/// Widget ids, for tests and keyboard focus.
pub mod id {
    /// "Test connection".
    pub const RUN: &str = "test-connection-run";
    /// "Cancel" while the test runs.
    pub const CANCEL: &str = "test-connection-cancel";
    /// "Continue without a passing test".
    pub const SKIP: &str = "test-connection-skip";
}

/// What the running test reports.
#[derive(Debug, Clone)]
pub enum Event {
    /// A check finished.
    Step(Step),
    /// The test finished: the report and the credentials (with tokens refreshed if needed).
    Finished(TestReport, Box<Credentials>),
    /// The test could not run to its end (it panicked); the reason.
    Crashed(String),
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// "Test connection" pressed.
    Run,
    /// "Cancel" pressed.
    Cancel,
    /// Progress of the test started as `generation`.
    Progress(u64, Event),
    /// "Continue without a passing test" ticked or unticked.
    SkipToggled(bool),
}

/// The outcome of the last test.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Running,
    Finished(TestReport),
    Cancelled,
    Crashed(String),
}

/// This step's state.
#[derive(Debug)]
pub struct State {
    revision: u64,
    base_url: String,
    /// The checks of the last (or running) test, in order.
    steps: Vec<Step>,
    outcome: Option<Outcome>,
    /// The revision and base URL the steps belong to.
    tested: Option<(u64, String)>,
    /// The running test: its generation tells a late answer.
    test: Job,
    skip: bool,
    cleared_stale: bool,
    options: TestOptions,
}

impl State {
    /// A fresh state; the credentials come from the session with [`State::enter`].
    pub fn new(_setup: &Setup) -> Self {
        Self::with_options(TestOptions::default())
    }

    /// With the HTTP options given (extra CA, proxy, timeouts).
    pub fn with_options(options: TestOptions) -> Self {
        Self {
            revision: 0,
            base_url: String::new(),
            steps: Vec::new(),
            outcome: None,
            tested: None,
            test: Job::default(),
            skip: false,
            cleared_stale: false,
            options,
        }
    }

    /// Takes the session's credentials, their revision and the SCIM base URL: called when the
    /// step is entered. A result made with another revision or base URL is dropped (and a
    /// running test stopped); so is the choice to continue without a passing test, which was
    /// made for other credentials. Tokens a test refreshed are in the session already (see
    /// [`Action::CredentialsRefreshed`]).
    pub fn enter(&mut self, current: &CurrentCredentials) {
        let base_url = current.base_url.trim().to_owned();
        let revision = current.revision;
        if revision != self.revision || base_url != self.base_url {
            // Continuing without a passing test was chosen for other credentials.
            self.skip = false;
        }
        let same = self
            .tested
            .as_ref()
            .is_some_and(|(tested, url)| *tested == revision && *url == base_url);
        if self.tested.is_some() && !same {
            self.abort();
            self.steps.clear();
            self.outcome = None;
            self.tested = None;
            self.cleared_stale = true;
        }
        self.revision = revision;
        self.base_url = base_url;
    }

    /// Whether a test is running.
    pub fn is_running(&self) -> bool {
        self.outcome == Some(Outcome::Running)
    }

    /// The checks shown (of the running or last test).
    #[cfg(test)]
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the last test of the current credentials passed.
    pub fn passed(&self) -> bool {
        matches!(&self.outcome, Some(Outcome::Finished(report)) if report.ok)
            && self
                .tested
                .as_ref()
                .is_some_and(|(revision, url)| *revision == self.revision && *url == self.base_url)
    }

    /// Handles a message.
    pub fn update(
        &mut self,
        message: Message,
        _setup: &mut Setup,
        current: &CurrentCredentials,
    ) -> Action<Message> {
        match message {
            Message::Run => self.run(current),
            Message::Cancel => {
                self.cancel();
                Action::None
            }
            Message::Progress(generation, event) => {
                if !self.test.is_current(generation) || !self.is_running() {
                    return Action::None;
                }
                match event {
                    Event::Step(step) => self.steps.push(step),
                    Event::Finished(report, credentials) => {
                        // The report holds the same steps; it is the authority at the end.
                        self.steps = report.steps.clone();
                        self.outcome = Some(Outcome::Finished(report));
                        self.test.finish(generation);
                        // The session keeps the refreshed tokens ("Test again" starts from
                        // them: a rotated refresh token would no longer be accepted in its old
                        // form), and the credentials step saves a rotated one when remembered.
                        return Action::CredentialsRefreshed(credentials);
                    }
                    Event::Crashed(error) => {
                        self.outcome = Some(Outcome::Crashed(error));
                        self.test.finish(generation);
                    }
                }
                Action::None
            }
            Message::SkipToggled(skip) => {
                self.skip = skip;
                Action::None
            }
        }
    }

    fn run(&mut self, current: &CurrentCredentials) -> Action<Message> {
        let Some(credentials) = current.credentials.clone() else {
            return Action::None;
        };
        if self.is_running() {
            return Action::None;
        }
        self.steps.clear();
        self.cleared_stale = false;
        self.outcome = Some(Outcome::Running);
        self.tested = Some((self.revision, self.base_url.clone()));
        let stream = test_stream(self.base_url.clone(), credentials, self.options.clone());
        Action::Run(self.test.run(|generation| {
            Task::stream(stream).map(move |event| Message::Progress(generation, event))
        }))
    }

    fn abort(&mut self) {
        // Anything the aborted task still sends is dropped by its generation.
        self.test.stop();
    }

    /// Shows the step.
    pub fn view<'a>(
        &'a self,
        setup: &'a Setup,
        current: &'a CurrentCredentials,
    ) -> Element<'a, Message> {
        let mut body = column![
            crate::gui::widget::heading(tr("test-connection-heading")),
            text(tr("test-connection-intro")).size(14),
        ]
        .spacing(14)
        .max_width(760);

        if current.credentials.is_none() {
            body = body.push(text(tr("test-connection-no-credentials")).style(text::danger));
        } else {
            body = body.push(
                text(tr_with(
                    "test-connection-target",
                    &[("url", &self.base_url)],
                ))
                .font(Font::MONOSPACE)
                .size(13),
            );
        }

        if self.cleared_stale {
            body = body.push(text(tr("test-connection-stale")).size(13).style(muted));
        }

        let controls = if self.is_running() {
            row![
                text(tr("test-connection-running")).size(14).width(Fill),
                container(
                    button(text(tr("common-cancel")))
                        .style(button::secondary)
                        .on_press(Message::Cancel)
                )
                .id(id::CANCEL),
            ]
        } else {
            let label = if self.outcome.is_some() {
                "test-connection-run-again"
            } else {
                "test-connection-run"
            };
            row![
                container(
                    button(text(tr(label)))
                        .style(button::primary)
                        .on_press_maybe(current.credentials.is_some().then_some(Message::Run))
                )
                .id(id::RUN)
            ]
        };
        body = body.push(controls.spacing(12).align_y(Alignment::Center));

        if !self.steps.is_empty() {
            body = body.push(column(self.steps.iter().map(step_row)).spacing(8));
        }

        if let Some(summary) = self.summary() {
            body = body.push(summary);
        }

        body = body.push(
            column![
                container(
                    checkbox(self.skip)
                        .label(tr("test-connection-skip"))
                        .on_toggle(Message::SkipToggled)
                )
                .id(id::SKIP),
                text(tr("test-connection-skip-explain"))
                    .size(13)
                    .style(muted),
            ]
            .spacing(6),
        );

        if !self.can_continue(setup) {
            body = body.push(text(tr("test-connection-next-needs")).size(13).style(muted));
        }
        body.into()
    }

    fn summary(&self) -> Option<Element<'_, Message>> {
        let (line, ok) = match self.outcome.as_ref()? {
            Outcome::Running => return None,
            Outcome::Finished(report) => {
                let count = report.steps.len().to_string();
                if report.ok {
                    (
                        tr_with("test-connection-passed", &[("count", &count)]),
                        true,
                    )
                } else {
                    let failed = report.steps.iter().filter(|s| !s.ok).count().to_string();
                    (
                        tr_with(
                            "test-connection-failed",
                            &[("failed", &failed), ("count", &count)],
                        ),
                        false,
                    )
                }
            }
            Outcome::Cancelled => (tr("test-connection-cancelled"), false),
            Outcome::Crashed(error) => (
                tr_with("test-connection-crashed", &[("error", error)]),
                false,
            ),
        };
        let shown = text(line).size(15).font(bold());
        let shown: Element<'_, Message> = if ok {
            shown.style(text::success).into()
        } else {
            shown.into()
        };
        // Which SCIM dialect the answers showed (RFC 7644 or GoTo's published one).
        let dialect = match self.outcome.as_ref() {
            Some(Outcome::Finished(report)) => report.dialect,
            _ => None,
        };
        Some(match dialect {
            Some(dialect) => column![
                shown,
                text(tr_with(
                    "test-connection-dialect",
                    &[("dialect", dialect.title())]
                ))
                .size(13)
                .style(muted),
            ]
            .spacing(4)
            .into(),
            None => shown,
        })
    }

    /// Whether Next may be pressed: the last test of the current credentials passed, or the
    /// admin chose to continue without a passing test.
    pub fn can_continue(&self, _setup: &Setup) -> bool {
        (self.passed() || self.skip) && !self.is_running()
    }

    /// Stops a running test (Esc, Cancel, or leaving the step). The checks done so far stay.
    pub fn cancel(&mut self) {
        if self.is_running() {
            self.abort();
            self.outcome = Some(Outcome::Cancelled);
        }
    }
}

/// One check: PASS/FAIL badge, title, HTTP status and latency, and the explanation.
fn step_row(step: &Step) -> Element<'_, Message> {
    let (mark, style): (&str, fn(&Theme) -> container::Style) = match (step.ok, step.warning) {
        (true, false) => ("test-connection-pass", pass_badge),
        (true, true) => ("test-connection-warn", warn_badge),
        (false, _) => ("test-connection-fail", fail_badge),
    };
    let badge = container(text(tr(mark)).size(12).font(bold()))
        .padding([2, 8])
        .style(style);
    let mut facts = vec![tr_with(
        "test-connection-latency",
        &[("ms", &step.latency_ms.to_string())],
    )];
    if let Some(status) = step.http_status {
        facts.insert(
            0,
            tr_with("test-connection-http", &[("status", &status.to_string())]),
        );
    }
    container(
        column![
            row![
                badge,
                text(step.name.title()).size(15).font(bold()).width(Fill),
                text(facts.join(" · ")).size(13).style(muted),
            ]
            .spacing(10)
            .align_y(Alignment::Center),
            text(step.detail.as_str()).size(13),
        ]
        .spacing(4),
    )
    .padding(10)
    .width(Fill)
    .style(container::bordered_box)
    .into()
}

/// The test as a stream of events: each step as it finishes, then the report. Dropping the
/// stream (abort) drops the test with it. A panic in the test ends the stream with
/// [`Event::Crashed`] instead of taking the window down.
pub fn test_stream(
    base_url: String,
    credentials: Credentials,
    options: TestOptions,
) -> impl Stream<Item = Event> + Send + 'static {
    use iced::futures::FutureExt as _;
    iced::stream::channel(8, async move |mut output| {
        let (steps, mut received) = tokio::sync::mpsc::unbounded_channel();
        let mut progress = move |step: &Step| {
            let _ = steps.send(step.clone());
        };
        let test =
            std::panic::AssertUnwindSafe(run_test(&base_url, credentials, &options, &mut progress))
                .catch_unwind();
        let mut test = std::pin::pin!(test);
        let outcome = loop {
            tokio::select! {
                Some(step) = received.recv() => {
                    let _ = output.send(Event::Step(step)).await;
                }
                outcome = &mut test => break outcome,
            }
        };
        while let Ok(step) = received.try_recv() {
            let _ = output.send(Event::Step(step)).await;
        }
        let last = match outcome {
            Ok((report, credentials)) => Event::Finished(report, Box::new(credentials)),
            Err(panic) => Event::Crashed(
                panic
                    .downcast_ref::<&str>()
                    .map(|text| (*text).to_owned())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "the test stopped unexpectedly".to_owned()),
            ),
        };
        let _ = output.send(last).await;
    })
}

fn pass_badge(theme: &Theme) -> container::Style {
    let pair = theme.extended_palette().success.base;
    container::Style::default()
        .background(pair.color)
        .color(pair.text)
        .border(iced::border::rounded(4))
}

/// A passed check that needs attention before the first sync.
fn warn_badge(theme: &Theme) -> container::Style {
    let pair = theme.extended_palette().warning.base;
    container::Style::default()
        .background(pair.color)
        .color(pair.text)
        .border(iced::border::rounded(4))
}
fn fail_badge(theme: &Theme) -> container::Style {
    let pair = theme.extended_palette().danger.base;
    container::Style::default()
        .background(pair.color)
        .color(pair.text)
        .border(iced::border::rounded(4))
}

#[cfg(test)]
mod tests {
    use super::*;
    use goto_sso_wizard::provisioning::StepName;
    use goto_sso_wizard::secrets::Secret;
    use iced::Size;
    use iced::futures::StreamExt;
    use iced_test::Simulator;
    use iced_test::selector::id as by_id;

    const BASE: &str = "https://scim.example.com/v2";

    fn token(value: &str) -> Option<Credentials> {
        Some(Credentials::BearerToken(Secret::from(value)))
    }

    fn step(name: StepName, ok: bool) -> Step {
        Step {
            name,
            ok,
            warning: false,
            http_status: Some(if ok { 200 } else { 401 }),
            latency_ms: 12,
            detail: format!("{name:?} detail"),
        }
    }

    fn report(ok: bool) -> TestReport {
        TestReport {
            ok,
            dialect: None,
            steps: vec![step(StepName::Token, true), step(StepName::Users, ok)],
        }
    }

    /// Runs a test as the window would, with the results injected as messages.
    fn finish(
        state: &mut State,
        setup: &mut Setup,
        held: &CurrentCredentials,
        ok: bool,
    ) -> Action<Message> {
        assert!(matches!(
            state.update(Message::Run, setup, held),
            Action::Run(_)
        ));
        assert!(state.is_running());
        let generation = state.test.generation;
        let _ = state.update(
            Message::Progress(generation, Event::Step(step(StepName::Token, true))),
            setup,
            held,
        );
        assert_eq!(state.steps().len(), 1, "a step shows as soon as it is done");
        let refreshed = Credentials::BearerToken(Secret::from("refreshed"));
        let action = state.update(
            Message::Progress(generation, Event::Finished(report(ok), Box::new(refreshed))),
            setup,
            held,
        );
        assert!(!state.is_running());
        action
    }

    /// The session's credentials, as the frame hands them to [`State::enter`].
    fn current(
        credentials: Option<Credentials>,
        revision: u64,
        base_url: String,
    ) -> CurrentCredentials {
        CurrentCredentials {
            credentials,
            revision,
            base_url,
        }
    }

    fn entered(revision: u64) -> (State, Setup, CurrentCredentials) {
        let setup = Setup::default();
        let mut state = State::new(&setup);
        let held = current(token("t1"), revision, BASE.into());
        state.enter(&held);
        (state, setup, held)
    }

    #[test]
    fn next_needs_a_passing_test_of_these_credentials() {
        let (mut state, mut setup, held) = entered(1);
        assert!(!state.can_continue(&setup));
        let _ = finish(&mut state, &mut setup, &held, false);
        assert!(!state.can_continue(&setup), "a failed test");
        let action = finish(&mut state, &mut setup, &held, true);
        assert!(state.passed());
        assert!(state.can_continue(&setup));
        // The tokens the test returned go to the session (and the credentials step).
        assert!(
            matches!(
                &action,
                Action::CredentialsRefreshed(c) if matches!(&**c, Credentials::BearerToken(t) if t.expose() == "refreshed")
            ),
            "{action:?}"
        );
    }

    #[test]
    fn continuing_without_a_passing_test_is_an_explicit_choice() {
        let (mut state, mut setup, held) = entered(1);
        let _ = finish(&mut state, &mut setup, &held, false);
        let _ = state.update(Message::SkipToggled(true), &mut setup, &held);
        assert!(state.can_continue(&setup));
        let _ = state.update(Message::SkipToggled(false), &mut setup, &held);
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn a_stale_result_is_dropped_when_the_credentials_change() {
        let (mut state, mut setup, held) = entered(1);
        let _ = finish(&mut state, &mut setup, &held, true);
        let _ = state.update(Message::SkipToggled(true), &mut setup, &held);

        // Entering again with the same revision keeps the result.
        let held = current(token("t1"), 1, BASE.into());
        state.enter(&held);
        assert!(state.passed() && !state.steps().is_empty());

        // Another revision: result, refreshed credentials and the skip choice are gone.
        let held = current(token("t2"), 2, BASE.into());
        state.enter(&held);
        assert!(!state.passed());
        assert!(state.steps().is_empty());
        assert!(!state.can_continue(&setup));
        assert!(state.cleared_stale);

        // So is a result for another base URL.
        let _ = finish(&mut state, &mut setup, &held, true);
        let held = current(token("t2"), 2, "https://other.example.com/v2".into());
        state.enter(&held);
        assert!(!state.passed());
    }

    #[test]
    fn the_choice_to_continue_without_a_test_is_made_again_for_new_credentials() {
        let (mut state, mut setup, held) = entered(1);
        let _ = state.update(Message::SkipToggled(true), &mut setup, &held);
        let held = current(token("t1"), 1, BASE.into());
        state.enter(&held);
        assert!(
            state.can_continue(&setup),
            "same credentials: the choice stays"
        );
        let held = current(token("t2"), 2, BASE.into());
        state.enter(&held);
        assert!(!state.can_continue(&setup));
    }

    #[test]
    fn test_again_runs_with_the_sessions_credentials_and_the_refreshed_tokens_keep_the_result() {
        let (mut state, mut setup, held) = entered(1);
        let Action::CredentialsRefreshed(refreshed) = finish(&mut state, &mut setup, &held, true)
        else {
            panic!("the refreshed tokens go to the session");
        };
        // The frame keeps them in the session (same revision): the result stays.
        let held = current(Some(*refreshed), 1, BASE.into());
        state.enter(&held);
        assert!(state.passed());
        // A run takes the session's credentials: without any, nothing runs.
        assert!(matches!(
            state.update(Message::Run, &mut setup, &current(None, 1, BASE.into())),
            Action::None
        ));
        assert!(matches!(
            state.update(Message::Run, &mut setup, &held),
            Action::Run(_)
        ));
    }

    /// What flow.rs does when it enters this step.
    fn hand_over(
        from: &crate::gui::screen::credentials::State,
        to: &mut State,
        setup: &Setup,
    ) -> CurrentCredentials {
        let held = from.current(setup);
        to.enter(&held);
        held
    }

    #[test]
    fn handed_over_from_the_credentials_step_and_cleared_when_they_change() {
        use crate::gui::screen::credentials::{self, Field, Kind, SecretField};
        let mut setup = Setup::default();
        let mut creds = credentials::State::new(&setup);
        let edit = |creds: &mut credentials::State, setup: &mut Setup, m| {
            let _ = creds.update(m, setup);
        };
        edit(
            &mut creds,
            &mut setup,
            credentials::Message::KindSelected(Kind::ScimToken),
        );
        edit(
            &mut creds,
            &mut setup,
            credentials::Message::FieldChanged(Field::BaseUrl, BASE.into()),
        );
        edit(
            &mut creds,
            &mut setup,
            credentials::Message::SecretChanged(SecretField::Token, "t1".into()),
        );
        let mut state = State::new(&setup);
        let held = hand_over(&creds, &mut state, &setup);
        let _ = finish(&mut state, &mut setup, &held, true);
        assert!(state.can_continue(&setup));

        // Back, nothing changed, forward again: the result stays.
        let _ = hand_over(&creds, &mut state, &setup);
        assert!(state.can_continue(&setup));

        // Back, the token is edited, forward: the result is gone.
        edit(
            &mut creds,
            &mut setup,
            credentials::Message::SecretChanged(SecretField::Token, "t2".into()),
        );
        let _ = hand_over(&creds, &mut state, &setup);
        assert!(!state.can_continue(&setup));
        assert!(state.steps().is_empty());
    }

    #[test]
    fn a_result_arriving_after_the_credentials_changed_is_dropped() {
        let (mut state, mut setup, held) = entered(1);
        let _ = state.update(Message::Run, &mut setup, &held);
        let generation = state.test.generation;
        let held = current(token("t2"), 2, BASE.into());
        state.enter(&held);
        assert!(!state.is_running(), "the running test was stopped");
        let action = state.update(
            Message::Progress(
                generation,
                Event::Finished(report(true), Box::new(Credentials::BearerToken("x".into()))),
            ),
            &mut setup,
            &held,
        );
        assert!(!state.passed());
        assert!(
            matches!(action, Action::None),
            "no tokens of old credentials: {action:?}"
        );
    }

    #[test]
    fn cancel_stops_the_test_and_ignores_what_comes_later() {
        let (mut state, mut setup, held) = entered(1);
        let _ = state.update(Message::Run, &mut setup, &held);
        let generation = state.test.generation;
        let _ = state.update(
            Message::Progress(generation, Event::Step(step(StepName::Token, true))),
            &mut setup,
            &held,
        );
        state.cancel();
        assert!(!state.is_running());
        assert_eq!(state.outcome, Some(Outcome::Cancelled));
        let _ = state.update(
            Message::Progress(generation, Event::Step(step(StepName::Users, true))),
            &mut setup,
            &held,
        );
        assert_eq!(state.steps().len(), 1, "the checks done before cancel stay");
        assert!(!state.can_continue(&setup));

        // The Cancel button does the same.
        let _ = state.update(Message::Run, &mut setup, &held);
        let _ = state.update(Message::Cancel, &mut setup, &held);
        assert!(!state.is_running());
    }

    #[test]
    fn without_credentials_there_is_nothing_to_run() {
        let setup = Setup::default();
        let mut setup_mut = setup.clone();
        let mut state = State::new(&setup);
        let held = current(None, 3, BASE.into());
        state.enter(&held);
        assert!(matches!(
            state.update(Message::Run, &mut setup_mut, &held),
            Action::None
        ));
        assert!(!state.can_continue(&setup));
    }

    fn collect(stream: impl Stream<Item = Event> + Send + 'static) -> Vec<Event> {
        tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(stream.collect())
    }

    fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map(|address| address.port())
            .expect("a free port")
    }

    fn options() -> TestOptions {
        let mut options = TestOptions::default();
        options.http.connect_timeout = std::time::Duration::from_secs(3);
        options.http.total_timeout = std::time::Duration::from_secs(10);
        options
    }

    #[test]
    fn the_stream_reports_each_step_then_the_report_when_the_server_is_down() {
        let base = format!("http://127.0.0.1:{}/v2", free_port());
        let events = collect(test_stream(base, token("t").unwrap(), options()));
        let steps: Vec<&Step> = events
            .iter()
            .filter_map(|event| match event {
                Event::Step(step) => Some(step),
                _ => None,
            })
            .collect();
        let Some(Event::Finished(report, _)) = events.last() else {
            panic!("{events:?}")
        };
        assert!(!report.ok);
        assert_eq!(steps.len(), report.steps.len(), "every step came live");
        assert_eq!(steps[0].name, StepName::Token);
    }

    #[test]
    fn dropping_the_stream_stops_the_test_and_closes_its_connection() {
        use std::io::Read;
        // A server that accepts and never answers: the test would wait for its timeout.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a listener");
        let base = format!("http://{}/v2", listener.local_addr().expect("an address"));
        let (closed, closed_at) = std::sync::mpsc::channel();
        let _server = std::thread::spawn(move || {
            let Ok((mut socket, _)) = listener.accept() else {
                return;
            };
            let mut buffer = [0u8; 4096];
            while matches!(socket.read(&mut buffer), Ok(n) if n > 0) {}
            let _ = closed.send(());
        });
        let mut options = options();
        options.http.total_timeout = std::time::Duration::from_secs(120);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        runtime.block_on(async {
            let mut stream = Box::pin(test_stream(base, token("t").unwrap(), options));
            let first = stream.next().await;
            assert!(
                matches!(&first, Some(Event::Step(step)) if step.name == StepName::Token),
                "{first:?}"
            );
            // Give the next request time to reach the server, then abort.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            drop(stream);
        });
        closed_at
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("the connection was closed soon after the abort, not at the timeout");
    }

    use crate::gui::test_support::ScimPeer;

    #[test]
    fn against_the_real_scim_peer_a_bad_token_fails_and_the_good_one_passes() {
        let peer = ScimPeer::start("gui-good-token");
        let mut setup = Setup::default();
        let mut state = State::with_options(options());
        let held = current(token("wrong-token"), 1, peer.base_url.clone());
        state.enter(&held);

        let run = |state: &mut State, setup: &mut Setup, held: &CurrentCredentials| {
            let Action::Run(_) = state.update(Message::Run, setup, held) else {
                panic!("no task")
            };
            let generation = state.test.generation;
            let credentials = held.credentials.clone().expect("set");
            let events = collect(test_stream(
                state.base_url.clone(),
                credentials,
                state.options.clone(),
            ));
            for event in events {
                let _ = state.update(Message::Progress(generation, event), setup, held);
            }
        };

        run(&mut state, &mut setup, &held);
        assert!(!state.passed());
        let users = state
            .steps()
            .iter()
            .find(|step| step.name == StepName::Users)
            .expect("the users check ran");
        assert_eq!(users.http_status, Some(401), "{users:?}");
        assert!(!users.detail.contains("wrong-token"));

        let held = current(token("gui-good-token"), 2, peer.base_url.clone());
        state.enter(&held);
        assert!(state.steps().is_empty(), "the stale result is gone");
        run(&mut state, &mut setup, &held);
        assert!(state.passed(), "{:#?}", state.steps());
        assert!(state.can_continue(&setup));
    }

    fn is_widget_id(piece: &str) -> bool {
        [id::RUN, id::CANCEL, id::SKIP].contains(&piece)
    }

    #[test]
    fn every_string_id_used_here_is_defined() {
        let source = include_str!("test_connection.rs");
        let mut checked = 0;
        for piece in source.split('"').skip(1).step_by(2) {
            let is_id = (piece.starts_with("test-connection-") || piece.starts_with("common-"))
                && piece.chars().all(|c| c.is_ascii_lowercase() || c == '-');
            // Widget ids share the prefix; a string id is one the bundle knows or must know.
            if is_id && !piece.ends_with('-') && tr(piece) == piece && !is_widget_id(piece) {
                panic!("no English string for {piece}");
            }
            checked += usize::from(is_id);
        }
        assert!(checked > 10, "the scan found the ids");
    }

    #[test]
    fn the_result_names_the_dialect_the_answers_showed() -> Result<(), iced_test::Error> {
        let (mut state, mut setup, held) = entered(1);
        assert!(matches!(
            state.update(Message::Run, &mut setup, &held),
            Action::Run(_)
        ));
        let generation = state.test.generation;
        let mut report = TestReport {
            dialect: Some(goto_sso_wizard::provisioning::Dialect::Goto),
            ..report(true)
        };
        report.steps.push(Step {
            warning: true,
            ..step(StepName::AttributeMapping, true)
        });
        let _ = state.update(
            Message::Progress(
                generation,
                Event::Finished(
                    report,
                    Box::new(Credentials::BearerToken(Secret::from("t"))),
                ),
            ),
            &mut setup,
            &held,
        );
        let size = Size::new(860.0, 1200.0);
        let mut ui =
            Simulator::with_size(iced::Settings::default(), size, state.view(&setup, &held));
        let _ =
            ui.find("The server speaks GoTo's published SCIM API (SCIM 1.x paths and schemas).")?;
        // A passed step that needs attention shows WARN, not PASS.
        let _ = ui.find(tr("test-connection-warn").as_str())?;
        Ok(())
    }

    #[test]
    fn the_screen_by_widget_id() -> Result<(), iced_test::Error> {
        let (mut state, mut setup, held) = entered(1);
        let size = Size::new(860.0, 1200.0);
        let mut ui =
            Simulator::with_size(iced::Settings::default(), size, state.view(&setup, &held));
        let _ = ui.find(tr("test-connection-heading").as_str())?;
        let _ = ui.click(by_id(id::RUN))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(messages.as_slice(), [Message::Run]),
            "{messages:?}"
        );
        for message in messages {
            let _ = state.update(message, &mut setup, &held);
        }

        // While running: Cancel is shown, Run is not, and a finished check appears.
        let generation = state.test.generation;
        let _ = state.update(
            Message::Progress(generation, Event::Step(step(StepName::Users, false))),
            &mut setup,
            &held,
        );
        let mut ui =
            Simulator::with_size(iced::Settings::default(), size, state.view(&setup, &held));
        assert!(ui.find(by_id(id::RUN)).is_err());
        let _ = ui.find(StepName::Users.title())?;
        let _ = ui.find(tr("test-connection-fail").as_str())?;
        let _ = ui.find("HTTP 401 · 12 ms")?;
        let _ = ui.click(by_id(id::CANCEL))?;
        let _ = ui.click(by_id(id::SKIP))?;
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            matches!(
                messages.as_slice(),
                [Message::Cancel, Message::SkipToggled(true)]
            ),
            "{messages:?}"
        );
        Ok(())
    }
}
