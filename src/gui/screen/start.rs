//! The wizard step "Start": what to set up (single sign-on, provisioning or both), for which
//! GoTo products, with which set of GoTo values (SP profile); or resume a saved setup.
//!
//! It also holds [`kit`], the few widgets and file helpers the start, relay-state, GoTo-settings
//! and review steps share.

use std::path::{Path, PathBuf};

use super::job::Job;
use goto_sso_wizard::profile::{self, SpProfile};
use goto_sso_wizard::settings::SettingsStore;
use goto_sso_wizard::setup::{Product, Setup};
use iced::widget::{checkbox, column, container, radio, row, text};
use iced::{Element, Task};

use super::Action;
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::{self, error_line, heading, note, small_button};

/// Widget id of the single sign-on checkbox.
pub const SSO_ID: &str = "start-sso";
/// Widget id of the user provisioning checkbox.
pub const PROVISIONING_ID: &str = "start-provisioning";
/// Widget id of "Resume a saved setup…" (the file dialog).
pub const RESUME_ID: &str = "start-resume";
/// Widget id of the typed path of a saved setup.
pub const RESUME_PATH_ID: &str = "start-resume-path";
/// Widget id of the button that opens the typed path.
pub const RESUME_OPEN_ID: &str = "start-resume-open";
/// Widget id of "Show recent setups".
pub const SHOW_RECENT_ID: &str = "start-show-recent";
/// Widget id of "Diagnose a sign-in problem".
pub const DIAGNOSE_ID: &str = "start-diagnose";

/// Widget id of a product's checkbox.
pub fn product_id(product: Product) -> String {
    format!("start-product-{}", product.key())
}

/// Widget id of a profile's radio button.
pub fn profile_widget_id(profile: &SpProfile) -> String {
    format!("start-profile-{}", profile.id)
}

/// Widget id of the `index`th recent setup.
pub fn recent_id(index: usize) -> String {
    format!("start-recent-{index}")
}

/// This step's state.
#[derive(Debug, Default)]
pub struct State {
    /// The typed path of a saved setup; kept as typed.
    resume_path: String,
    /// Why the last resume failed, or what to do instead.
    resume_error: Option<String>,
    /// The open dialog, then reading the saved setup.
    resume: Job,
    /// The recent setups from the settings, once asked for.
    recent: Option<Vec<PathBuf>>,
    /// Why the recent setups could not be listed, or what the settings store said.
    recent_notice: Option<String>,
}

/// What the recent-setup look-up found: the files that still exist, and a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recent {
    /// Saved setups, most recent first.
    pub paths: Vec<PathBuf>,
    /// What the settings store said (a damaged file set aside, no settings folder).
    pub notice: Option<String>,
}

/// This step's messages.
#[derive(Debug, Clone)]
pub enum Message {
    /// The single sign-on checkbox.
    SsoToggled(bool),
    /// The provisioning checkbox.
    ProvisioningToggled(bool),
    /// A product's checkbox.
    ProductToggled(Product, bool),
    /// A profile was picked (its index in the profile list).
    ProfileSelected(usize),
    /// "Resume a saved setup…": open the file dialog.
    ResumePressed,
    /// The dialog closed, with the file chosen, if any.
    ResumeDialogClosed(u64, Option<PathBuf>),
    /// The typed path changed.
    ResumePathChanged(String),
    /// Open the typed path (button or Enter).
    ResumeTypedPath,
    /// A recent setup was clicked.
    RecentPressed(PathBuf),
    /// "Show recent setups".
    RecentRequested,
    /// The recent setups were read from the settings.
    RecentLoaded(Recent),
    /// A saved setup was read (or not).
    Loaded(u64, Result<Box<Setup>, String>),
    /// "Diagnose a sign-in problem": the diagnose screen, beside the wizard.
    DiagnosePressed,
}

impl State {
    /// A fresh state for `setup`.
    pub fn new(_setup: &Setup) -> Self {
        Self::default()
    }

    /// Handles a message, editing `setup`.
    pub fn update(&mut self, message: Message, setup: &mut Setup) -> Action<Message> {
        match message {
            Message::SsoToggled(on) => setup.sso = on,
            Message::ProvisioningToggled(on) => setup.provisioning = on,
            Message::ProductToggled(product, on) => {
                setup.products.retain(|known| *known != product);
                if on {
                    setup.products.push(product);
                    // Keep the wizard's order, so the first product (Entra's relay state) is
                    // predictable.
                    setup.products.sort_by_key(|product| {
                        Product::ALL.iter().position(|p| p == product).unwrap_or(0)
                    });
                }
            }
            Message::ProfileSelected(index) => {
                if let Some(profile) = profile::profiles().get(index) {
                    setup.profile_id.clone_from(&profile.id);
                }
            }
            Message::ResumePressed => {
                self.resume_error = None;
                let generation = self.resume.open_dialog();
                let dialog = Task::perform(pick_setup_file(), move |path| {
                    Message::ResumeDialogClosed(generation, path)
                });
                let recent = if self.recent.is_none() {
                    Task::perform(load_recent(), Message::RecentLoaded)
                } else {
                    Task::none()
                };
                return Action::Run(Task::batch([dialog, recent]));
            }
            Message::ResumeDialogClosed(generation, path) => {
                if !self.resume.dialog_answered(generation) {
                    return Action::None;
                }
                match path {
                    Some(path) => {
                        self.resume_path = widget::display(&path);
                        return self.load(path);
                    }
                    None => self.resume_error = Some(tr("start-resume-no-dialog")),
                }
            }
            Message::ResumePathChanged(path) => {
                self.resume_path = path;
                self.resume_error = None;
            }
            Message::ResumeTypedPath => {
                let typed = self.resume_path.trim();
                if typed.is_empty() {
                    self.resume_error = Some(tr("start-resume-path-empty"));
                } else {
                    return self.load(PathBuf::from(typed));
                }
            }
            Message::RecentPressed(path) => {
                self.resume_path = widget::display(&path);
                return self.load(path);
            }
            Message::RecentRequested => {
                return Action::Run(Task::perform(load_recent(), Message::RecentLoaded));
            }
            Message::RecentLoaded(recent) => {
                self.recent = Some(recent.paths);
                self.recent_notice = recent.notice;
            }
            Message::Loaded(generation, result) => {
                if !self.resume.finish(generation) {
                    return Action::None;
                }
                match result {
                    Ok(setup) => return Action::Replace(setup),
                    Err(error) => self.resume_error = Some(error),
                }
            }
            Message::DiagnosePressed => return Action::Diagnose,
        }
        Action::None
    }

    /// Reads the saved setup at `path` in a task.
    fn load(&mut self, path: PathBuf) -> Action<Message> {
        self.resume_error = None;
        // A dialog still open answers for an older generation: its answer is dropped.
        Action::Run(self.resume.run(|generation| {
            Task::perform(widget::blocking(move || read_setup(&path)), move |result| {
                Message::Loaded(generation, result.and_then(|r| r))
            })
        }))
    }

    /// Shows the step.
    pub fn view<'a>(&'a self, setup: &'a Setup) -> Element<'a, Message> {
        let mut page = column![
            heading(tr("start-heading")),
            note(tr("start-intro")),
            // Support staff come for this, not for a setup: it is the first thing they see.
            row![
                small_button(
                    tr("start-diagnose"),
                    Some(Message::DiagnosePressed),
                    DIAGNOSE_ID
                ),
                note(tr("start-diagnose-hint")).width(iced::Length::Fill),
            ]
            .spacing(12)
            .align_y(iced::Alignment::Center),
        ];

        // What to set up.
        let mut what = column![
            widget::with_id(
                checkbox(setup.sso)
                    .label(tr("start-sso"))
                    .on_toggle(Message::SsoToggled),
                SSO_ID,
            ),
            widget::with_id(
                checkbox(setup.provisioning)
                    .label(tr("start-provisioning"))
                    .on_toggle(Message::ProvisioningToggled),
                PROVISIONING_ID,
            ),
        ]
        .spacing(8);
        if !setup.sso && !setup.provisioning {
            what = what.push(error_line(tr("start-choose-something")));
        }
        page = page.push(section(tr("start-what-heading"), what.into()));

        // Products.
        let mut products =
            Product::ALL
                .into_iter()
                .fold(column![].spacing(8), |products, product| {
                    products.push(widget::with_id(
                        checkbox(setup.products.contains(&product))
                            .label(product.name())
                            .on_toggle(move |on| Message::ProductToggled(product, on)),
                        product_id(product),
                    ))
                });
        if setup.sso && setup.products.is_empty() {
            products = products.push(error_line(tr("start-choose-product")));
        }
        page = page.push(section(
            tr("start-products-heading"),
            column![note(tr("start-products-hint")), products]
                .spacing(8)
                .into(),
        ));

        // SP profile.
        page = page.push(section(tr("start-profile-heading"), profile_list(setup)));

        // Resume.
        page = page.push(section(tr("start-resume-heading"), self.resume_view()));

        widget::page(page)
    }

    fn resume_view(&self) -> Element<'_, Message> {
        let busy = self.resume.busy();
        let mut resume = column![
            note(tr("start-resume-intro")),
            row![
                small_button(
                    tr("start-resume-choose"),
                    (!busy).then_some(Message::ResumePressed),
                    RESUME_ID,
                ),
                small_button(
                    tr("start-show-recent"),
                    self.recent.is_none().then_some(Message::RecentRequested),
                    SHOW_RECENT_ID,
                ),
            ]
            .spacing(10),
            text(tr("common-typed-path")).size(14),
            widget::typed_path(widget::TypedPath {
                placeholder: tr("start-resume-placeholder"),
                value: &self.resume_path,
                input_id: RESUME_PATH_ID,
                on_input: Message::ResumePathChanged,
                submit: Message::ResumeTypedPath,
                button: tr("start-resume-open"),
                enabled: !self.resume.running,
                button_id: RESUME_OPEN_ID,
            }),
        ]
        .spacing(8);
        if self.resume.running {
            resume = resume.push(note(tr("start-resume-loading")));
        } else if self.resume.dialog_open {
            resume = resume.push(note(tr("start-resume-dialog-open")));
        }
        if let Some(error) = &self.resume_error {
            resume = resume.push(error_line(error.clone()));
        }
        if let Some(recent) = &self.recent {
            resume = resume.push(
                text(tr("start-recent-heading"))
                    .size(15)
                    .font(widget::bold()),
            );
            if recent.is_empty() {
                resume = resume.push(note(tr("start-recent-none")));
            }
            for (index, path) in recent.iter().enumerate() {
                resume = resume.push(small_button(
                    widget::display(path),
                    (!self.resume.running).then(|| Message::RecentPressed(path.clone())),
                    recent_id(index),
                ));
            }
        }
        if let Some(notice) = &self.recent_notice {
            resume = resume.push(note(notice.clone()));
        }
        resume.into()
    }

    /// Whether Next may be pressed.
    pub fn can_continue(&self, setup: &Setup) -> bool {
        (setup.sso || setup.provisioning) && (!setup.sso || !setup.products.is_empty())
    }

    /// The typed path of a saved setup, as typed.
    #[cfg(test)]
    pub fn resume_path(&self) -> &str {
        &self.resume_path
    }

    /// Stops any running work (Esc, or leaving the step).
    pub fn cancel(&mut self) {
        // A dialog cannot be closed from here; its answer, and the read's, are now stale.
        self.resume.stop();
    }
}

/// A titled section.
fn section<'a>(title: String, body: Element<'a, Message>) -> Element<'a, Message> {
    column![widget::subheading(title), body].spacing(8).into()
}

/// One radio button per profile, with its source and date; the one in use selected.
fn profile_list(setup: &Setup) -> Element<'_, Message> {
    let profiles = profile::profiles();
    let selected = profiles
        .iter()
        .position(|p| p.id == setup.profile_id)
        .or_else(|| {
            let default = profile::default_profile()?;
            profiles.iter().position(|p| p.id == default.id)
        });
    let mut list = column![note(tr("start-profile-intro"))].spacing(10);
    if !setup.profile_id.is_empty() && profile::by_id(&setup.profile_id).is_none() {
        list = list.push(error_line(tr_with(
            "start-profile-unknown",
            &[("id", &setup.profile_id)],
        )));
    }
    for (index, profile) in profiles.iter().enumerate() {
        list = list.push(
            column![
                widget::with_id(
                    radio(
                        profile.name.clone(),
                        index,
                        selected,
                        Message::ProfileSelected
                    ),
                    profile_widget_id(profile),
                ),
                container(note(tr_with(
                    "start-profile-source",
                    &[("source", &profile.source), ("date", &profile.as_of)],
                )))
                .padding(iced::Padding {
                    left: 28.0,
                    ..iced::Padding::ZERO
                }),
            ]
            .spacing(2),
        );
    }
    list.into()
}

/// Reads a saved setup, with an error that says what to do.
pub fn read_setup(path: &Path) -> Result<Box<Setup>, String> {
    Setup::load(path)
        .map(Box::new)
        .map_err(|error| widget::error_chain(&error))
}

/// Asks for a saved setup with the system's file dialog; `None` when none was chosen or no
/// dialog could open (no portal under Xvfb).
async fn pick_setup_file() -> Option<PathBuf> {
    rfd::AsyncFileDialog::new()
        .set_title(tr("start-resume-dialog-title"))
        .add_filter(tr("start-resume-filter"), &["json"])
        .pick_file()
        .await
        .map(|file| file.path().to_path_buf())
}

/// The recent setups in the user's settings. Never fails: a problem becomes the notice.
async fn load_recent() -> Recent {
    let result = widget::blocking(|| match SettingsStore::open_default() {
        Ok(store) => recent_in(&store),
        Err(error) => Recent {
            paths: Vec::new(),
            notice: Some(tr_with(
                "start-recent-unavailable",
                &[("reason", &widget::error_chain(&error))],
            )),
        },
    })
    .await;
    result.unwrap_or_else(|reason| Recent {
        paths: Vec::new(),
        notice: Some(tr_with("start-recent-unavailable", &[("reason", &reason)])),
    })
}

/// The recent setups in `store` that still exist. Blocks.
pub fn recent_in(store: &SettingsStore) -> Recent {
    let loaded = store.load();
    Recent {
        paths: loaded
            .settings
            .recent_setups
            .into_iter()
            .filter(|path| path.is_file())
            .collect(),
        notice: loaded.notice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced_test::Simulator;
    use iced_test::selector::id;

    fn simulator<'a>(state: &'a State, setup: &'a Setup) -> Simulator<'a, Message> {
        crate::gui::test_support::simulator(state.view(setup))
    }

    #[test]
    fn at_least_one_thing_and_one_product_for_sso() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        assert!(
            state.can_continue(&setup),
            "the default is SSO for GoToMeeting"
        );

        let _ = state.update(Message::SsoToggled(false), &mut setup);
        assert!(!setup.sso);
        assert!(!state.can_continue(&setup), "nothing chosen");
        let _ = state.update(Message::ProvisioningToggled(true), &mut setup);
        assert!(state.can_continue(&setup), "provisioning only");

        // Provisioning only needs no product.
        let _ = state.update(
            Message::ProductToggled(Product::GoToMeeting, false),
            &mut setup,
        );
        assert!(setup.products.is_empty());
        assert!(state.can_continue(&setup));

        // SSO does.
        let _ = state.update(Message::SsoToggled(true), &mut setup);
        assert!(!state.can_continue(&setup));
        let _ = state.update(
            Message::ProductToggled(Product::GoToAssist, true),
            &mut setup,
        );
        let _ = state.update(
            Message::ProductToggled(Product::GoToWebinar, true),
            &mut setup,
        );
        assert!(state.can_continue(&setup));
        assert_eq!(
            setup.products,
            [Product::GoToWebinar, Product::GoToAssist],
            "kept in the wizard's order"
        );
        let _ = state.update(
            Message::ProductToggled(Product::GoToWebinar, true),
            &mut setup,
        );
        assert_eq!(setup.products.len(), 2, "no duplicates");
    }

    #[test]
    fn picking_a_profile_records_its_id() {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let index = profile::profiles()
            .iter()
            .position(|p| p.id == "goto-2024-gallery")
            .expect("the 2024 profile exists");
        let _ = state.update(Message::ProfileSelected(index), &mut setup);
        assert_eq!(setup.profile_id, "goto-2024-gallery");
        let _ = state.update(Message::ProfileSelected(999), &mut setup);
        assert_eq!(
            setup.profile_id, "goto-2024-gallery",
            "out of range ignored"
        );
    }

    #[test]
    fn resuming_a_saved_setup_replaces_the_setup() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("saved.json");
        let saved = Setup {
            provisioning: true,
            products: vec![Product::GoToTraining],
            profile_id: "goto-2024-gallery".into(),
            ..Setup::default()
        };
        saved.save(&path).unwrap();

        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let _ = state.update(
            Message::ResumePathChanged(path.display().to_string()),
            &mut setup,
        );
        let action = state.update(Message::ResumeTypedPath, &mut setup);
        assert!(matches!(action, Action::Run(_)), "{action:?}");
        assert!(state.resume.running);
        assert!(state.resume.handle.is_some());

        // The task's work, then its result as the message it produces.
        let result = read_setup(&path);
        let action = state.update(Message::Loaded(state.resume.generation, result), &mut setup);
        let Action::Replace(loaded) = action else {
            panic!("expected Replace, got {action:?}")
        };
        assert_eq!(*loaded, saved);
        assert!(!state.resume.running);
    }

    #[test]
    fn a_bad_file_says_what_to_do_and_keeps_the_typed_path() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("notes.json");
        std::fs::write(&path, "not json").unwrap();
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let typed = path.display().to_string();
        let _ = state.update(Message::ResumePathChanged(typed.clone()), &mut setup);
        let _ = state.update(Message::ResumeTypedPath, &mut setup);
        let action = state.update(
            Message::Loaded(state.resume.generation, read_setup(&path)),
            &mut setup,
        );
        assert!(matches!(action, Action::None));
        let error = state.resume_error.clone().expect("an error is shown");
        assert!(error.contains("choose the .json file"), "{error}");
        assert_eq!(state.resume_path, typed);

        let missing = read_setup(&folder.path().join("gone.json")).unwrap_err();
        assert!(missing.contains("cannot read"), "{missing}");

        // An empty path is not read at all.
        let _ = state.update(Message::ResumePathChanged("  ".into()), &mut setup);
        let action = state.update(Message::ResumeTypedPath, &mut setup);
        assert!(matches!(action, Action::None));
        assert_eq!(state.resume_error, Some(tr("start-resume-path-empty")));
    }

    #[test]
    fn stale_results_are_dropped_and_cancel_stops_the_read() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("saved.json");
        Setup::default().save(&path).unwrap();
        let mut setup = Setup::default();
        let mut state = State::new(&setup);

        let _ = state.update(Message::RecentPressed(path.clone()), &mut setup);
        let first = state.resume.generation;
        assert_eq!(state.resume_path, path.display().to_string());
        state.cancel();
        assert!(!state.resume.running);
        assert!(state.resume.handle.is_none());
        let action = state.update(Message::Loaded(first, read_setup(&path)), &mut setup);
        assert!(matches!(action, Action::None), "dropped after cancel");

        // A dialog answer from before a cancel is dropped too.
        let _ = state.update(Message::ResumePressed, &mut setup);
        let dialog = state.resume.generation;
        state.cancel();
        let action = state.update(
            Message::ResumeDialogClosed(dialog, Some(path.clone())),
            &mut setup,
        );
        assert!(matches!(action, Action::None));
        assert!(!state.resume.running);

        // Opening a typed path while the dialog is open: the dialog's answer no longer counts.
        let _ = state.update(Message::ResumePressed, &mut setup);
        let dialog = state.resume.generation;
        assert!(state.resume.dialog_open);
        let _ = state.update(
            Message::ResumePathChanged(path.display().to_string()),
            &mut setup,
        );
        let _ = state.update(Message::ResumeTypedPath, &mut setup);
        assert!(!state.resume.dialog_open && state.resume.running);
        let other = folder.path().join("other.json");
        let action = state.update(Message::ResumeDialogClosed(dialog, Some(other)), &mut setup);
        assert!(matches!(action, Action::None));
        assert_eq!(state.resume_path, path.display().to_string());
        state.cancel();

        // No file from the dialog: say so, keep the typed path.
        let _ = state.update(Message::ResumePathChanged("typed".into()), &mut setup);
        let _ = state.update(Message::ResumePressed, &mut setup);
        let _ = state.update(
            Message::ResumeDialogClosed(state.resume.generation, None),
            &mut setup,
        );
        assert_eq!(state.resume_error, Some(tr("start-resume-no-dialog")));
        assert_eq!(state.resume_path, "typed");
    }

    #[test]
    fn recent_setups_come_from_the_settings_and_missing_files_are_left_out() {
        let folder = tempfile::tempdir().unwrap();
        let store = SettingsStore::at(folder.path().join("config"));
        let kept = folder.path().join("kept.json");
        Setup::default().save(&kept).unwrap();
        let mut settings = store.load().settings;
        settings.remember_setup(folder.path().join("deleted.json"));
        settings.remember_setup(&kept);
        store.save(&settings).unwrap();

        let recent = recent_in(&store);
        assert_eq!(recent.paths, std::slice::from_ref(&kept));
        assert_eq!(recent.notice, None);

        // A damaged settings file is tolerated: no list, a notice.
        std::fs::write(store.path(), "{").unwrap();
        let recent = recent_in(&store);
        assert!(recent.paths.is_empty());
        assert!(recent.notice.is_some());

        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        let _ = state.update(
            Message::RecentLoaded(Recent {
                paths: vec![kept.clone()],
                notice: None,
            }),
            &mut setup,
        );
        assert_eq!(state.recent, Some(vec![kept]));
    }

    #[test]
    fn strings_exist() {
        let source = include_str!("start.rs");
        let ids = widget::literal_ids(source);
        // Both call shapes are found: on one line, and with the id on the next line.
        assert!(ids.contains(&"start-resume-no-dialog"), "{ids:?}");
        assert!(ids.contains(&"start-profile-unknown"), "{ids:?}");
        widget::assert_ids_exist(source);
    }

    #[test]
    fn simulator_toggles_by_id_and_shows_the_inline_messages() -> Result<(), iced_test::Error> {
        let mut setup = Setup::default();
        let mut state = State::new(&setup);
        {
            let mut ui = simulator(&state, &setup);
            let first = &profile::profiles()[0];
            let _ = ui.find(tr_with(
                "start-profile-source",
                &[("source", &first.source), ("date", &first.as_of)],
            ))?;
            let _ = ui.find(id(profile_widget_id(first)))?;
            let _ = ui.find(tr("start-resume-choose"))?;
            assert!(ui.find(tr("start-choose-something")).is_err());
            let _ = ui.click(id(SSO_ID))?;
            let _ = ui.click(id("start-product-gotowebinar"))?;
            for message in ui.into_messages() {
                let _ = state.update(message, &mut setup);
            }
        }
        assert!(!setup.sso);
        assert!(setup.products.contains(&Product::GoToWebinar));
        assert!(!state.can_continue(&setup));
        let mut ui = simulator(&state, &setup);
        let _ = ui.find(tr("start-choose-something"))?;

        // Typing a path and pressing Enter asks to open it.
        let _ = ui.click(id(RESUME_PATH_ID))?;
        let _ = ui.typewrite("x");
        let _ = ui.tap_key(iced::keyboard::key::Named::Enter);
        let messages: Vec<Message> = ui.into_messages().collect();
        assert!(
            messages
                .iter()
                .any(|m| matches!(m, Message::ResumePathChanged(p) if p == "x")),
            "{messages:?}"
        );
        assert!(
            matches!(messages.last(), Some(Message::ResumeTypedPath)),
            "{messages:?}"
        );
        Ok(())
    }
}
