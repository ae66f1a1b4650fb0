//! The wizard's steps: which exist for a setup (single sign-on, provisioning or both), their
//! order, and their titles. Screens decide whether their step is complete.

use goto_sso_wizard::setup::Setup;

use crate::gui::i18n::tr;

/// A step of the wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// What to set up, products, GoTo profile; resume a saved setup.
    Start,
    /// Provisioning credentials.
    Credentials,
    /// Provisioning connection test.
    TestConnection,
    /// The metadata URL (or a metadata file).
    MetadataUrl,
    /// The signing certificate.
    Certificate,
    /// Relay state per product and Entra's Basic SAML Configuration.
    RelayState,
    /// GoTo's identity-provider page.
    GoToSettings,
    /// Checklist, report, saving.
    Review,
}

impl Step {
    /// Every step in wizard order.
    pub const ALL: [Step; 8] = [
        Step::Start,
        Step::Credentials,
        Step::TestConnection,
        Step::MetadataUrl,
        Step::Certificate,
        Step::RelayState,
        Step::GoToSettings,
        Step::Review,
    ];

    /// The steps `setup` needs: provisioning steps only with provisioning, SSO steps only with SSO.
    pub fn for_setup(setup: &Setup) -> Vec<Step> {
        Step::ALL
            .into_iter()
            .filter(|step| match step {
                Step::Credentials | Step::TestConnection => setup.provisioning,
                Step::MetadataUrl | Step::Certificate | Step::RelayState | Step::GoToSettings => {
                    setup.sso
                }
                Step::Start | Step::Review => true,
            })
            .collect()
    }

    /// The step after this one for `setup`.
    pub fn next(self, setup: &Setup) -> Option<Step> {
        let steps = Step::for_setup(setup);
        let at = steps.iter().position(|step| *step == self)?;
        steps.get(at + 1).copied()
    }

    /// The step before this one for `setup`.
    pub fn previous(self, setup: &Setup) -> Option<Step> {
        let steps = Step::for_setup(setup);
        let at = steps.iter().position(|step| *step == self)?;
        at.checked_sub(1)
            .and_then(|before| steps.get(before).copied())
    }

    /// The title, from the Fluent files.
    pub fn title(self) -> String {
        tr(match self {
            Step::Start => "step-start",
            Step::Credentials => "step-credentials",
            Step::TestConnection => "step-test-connection",
            Step::MetadataUrl => "step-metadata-url",
            Step::Certificate => "step-certificate",
            Step::RelayState => "step-relay-state",
            Step::GoToSettings => "step-goto-settings",
            Step::Review => "step-review",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_only_skips_provisioning_steps_and_both_has_all() {
        let sso_only = Setup::default();
        assert_eq!(
            Step::for_setup(&sso_only),
            [
                Step::Start,
                Step::MetadataUrl,
                Step::Certificate,
                Step::RelayState,
                Step::GoToSettings,
                Step::Review
            ]
        );
        let both = Setup {
            provisioning: true,
            ..Setup::default()
        };
        assert_eq!(Step::for_setup(&both), Step::ALL);
        let provisioning_only = Setup {
            provisioning: true,
            sso: false,
            ..Setup::default()
        };
        assert_eq!(
            Step::for_setup(&provisioning_only),
            [
                Step::Start,
                Step::Credentials,
                Step::TestConnection,
                Step::Review
            ]
        );
    }

    #[test]
    fn next_and_previous_follow_the_setup() {
        let setup = Setup::default();
        assert_eq!(Step::Start.next(&setup), Some(Step::MetadataUrl));
        assert_eq!(Step::MetadataUrl.previous(&setup), Some(Step::Start));
        assert_eq!(Step::Start.previous(&setup), None);
        assert_eq!(Step::Review.next(&setup), None);
        assert!(
            Step::ALL
                .iter()
                .all(|step| !step.title().starts_with("step-"))
        );
    }
}
