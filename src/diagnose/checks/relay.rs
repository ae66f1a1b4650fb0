//! The relay state: which product the sign-in lands in.

use super::*;

pub(super) fn relay_state(input: &CheckInput, findings: &mut Vec<Finding>) {
    let expected = &input.expected.relay_states;
    if expected.is_empty() {
        return;
    }
    let source = input
        .expected
        .relay_state_source
        .as_deref()
        .unwrap_or("the setup");
    let listed = expected
        .iter()
        .map(|(product, url)| match product {
            Some(p) => format!("{url} ({})", p.name()),
            None => url.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ");
    match input.message.relay_state.as_deref() {
        Some(found) => {
            if expected.iter().any(|(_, url)| same_relay_state(found, url)) {
                return;
            }
            findings.push(Finding::error(
                RootCause::WrongRelayState,
                FixSide::Entra,
                format!(
                    "The relay state is {found:?}, but GoTo expects {listed} (from {source}); the user lands in the wrong place or nowhere."
                ),
                format!(
                    "In Entra → the GoTo app → Basic SAML Configuration, set Relay State to {}.",
                    relay_state_choice(expected)
                ),
            ));
        }
        None if input.message.kind != InputKind::Xml && input.summary.in_response_to.is_none() => {
            findings.push(Finding::note(
                FindingId::Cause(RootCause::WrongRelayState),
                Severity::Warning,
                FixSide::Entra,
                format!(
                    "The sign-in started at Entra (My Apps) and carries no relay state, so GoTo does not know which product to open (expected {listed})."
                ),
                format!(
                    "In Entra → the GoTo app → Basic SAML Configuration, set Relay State to {}.",
                    relay_state_choice(expected)
                ),
            ));
        }
        None => {}
    }
}

/// The relay state to set: the one expected, or the choice among the products'.
pub(super) fn relay_state_choice(expected: &[(Option<Product>, String)]) -> String {
    match expected {
        [(_, only)] => only.clone(),
        several => format!(
            "the address of the product the user signs in to ({})",
            several
                .iter()
                .map(|(product, url)| match product {
                    Some(p) => format!("{}: {url}", p.name()),
                    None => url.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
}

/// Relay states compare without a trailing slash and with the scheme and host in any case.
pub(super) fn same_relay_state(found: &str, expected: &str) -> bool {
    let normalise = |s: &str| {
        let s = s.trim().trim_end_matches('/');
        match url::Url::parse(s) {
            Ok(url) => url.as_str().trim_end_matches('/').to_owned(),
            Err(_) => s.to_owned(),
        }
    };
    normalise(found) == normalise(expected)
}
