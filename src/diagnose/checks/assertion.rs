//! What the assertion says against what GoTo expects: audience, recipient, InResponseTo, the
//! validity window and the NameID.

use super::*;

pub(super) fn audience(
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let Some(sp) = &expected.sp_entity_id else {
        return;
    };
    if assertion.audiences.contains(&sp.value) {
        return;
    }
    let found = if assertion.audiences.is_empty() {
        "no audience".to_owned()
    } else {
        format!("the audience {:?}", assertion.audiences.join(", "))
    };
    let hint = assertion
        .audiences
        .first()
        .map(|a| near_miss(a, &sp.value))
        .unwrap_or_default();
    findings.push(Finding::error(
        RootCause::AudienceMismatch,
        FixSide::Entra,
        format!(
            "The assertion names {found}, but GoTo's entity ID is {:?} (from {}){hint}.",
            sp.value, sp.source
        ),
        format!(
            "In Entra → the GoTo app → Single sign-on → Basic SAML Configuration, set Identifier (Entity ID) to {}.",
            sp.value
        ),
    ));
}

pub(super) fn recipient(
    summary: &MessageSummary,
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let Some(acs) = &expected.acs_url else { return };
    let places = [
        (
            "the assertion's Recipient",
            assertion.confirmation.recipient.as_deref(),
        ),
        ("the response's Destination", summary.destination.as_deref()),
    ];
    for (place, value) in places {
        let Some(value) = value else { continue };
        if value != acs.value {
            findings.push(Finding::error(
                RootCause::RecipientMismatch,
                FixSide::Entra,
                format!(
                    "{} is {value:?}, but GoTo's reply URL is {:?} (from {}){}.",
                    capitalise(place),
                    acs.value,
                    acs.source,
                    near_miss(value, &acs.value)
                ),
                format!(
                    "In Entra → the GoTo app → Single sign-on → Basic SAML Configuration, set Reply URL (Assertion Consumer Service URL) to {} (and make it the default).",
                    acs.value
                ),
            ));
            return;
        }
    }
    if assertion.confirmation.recipient.is_none() {
        findings.push(Finding::error(
            RootCause::RecipientMismatch,
            FixSide::Entra,
            "The assertion has no Recipient, so GoTo cannot tell it was meant for its reply URL.",
            format!(
                "In Entra → Basic SAML Configuration, set Reply URL to {}.",
                acs.value
            ),
        ));
    }
}

pub(super) fn in_response_to(
    summary: &MessageSummary,
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let on_response = summary.in_response_to.as_deref();
    let on_assertion = assertion.confirmation.in_response_to.as_deref();
    if let (Some(a), Some(b)) = (on_response, on_assertion)
        && a != b
    {
        findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "The response answers request {a:?} but its assertion answers {b:?}: the message was assembled from two sign-ins."
            ),
            "Do not trust this message; capture the sign-in again.",
        ));
        return;
    }
    let Some(request) = &expected.request_id else {
        return;
    };
    let answered = on_response.or(on_assertion);
    match answered {
        Some(id) if id == request.value => {}
        Some(id) => findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "The response answers request {id:?}, but GoTo sent {:?} (from {}). GoTo refuses an answer to another request: the browser used an old tab, a bookmark of Entra's sign-in page, or two sign-ins crossed.",
                request.value, request.source
            ),
            "Close the browser's other sign-in tabs and start the sign-in again from GoTo (not from a bookmark of the Microsoft sign-in page).",
        )),
        None => findings.push(Finding::error(
            RootCause::InResponseToMismatch,
            FixSide::Neither,
            format!(
                "GoTo sent request {:?} (from {}), but the response answers no request (it was started at Entra, e.g. from My Apps).",
                request.value, request.source
            ),
            "Start the sign-in from GoTo, or make sure the GoTo app allows sign-ins started at Entra (My Apps) with the right relay state.",
        )),
    }
}

pub(super) fn validity(
    input: &CheckInput,
    assertion: &AssertionSummary,
    findings: &mut Vec<Finding>,
) {
    let skew = Duration::seconds(i64::try_from(input.expected.skew_seconds).unwrap_or(i64::MAX));
    let now = input.now;
    let later_hint = if input.now_given {
        String::new()
    } else {
        " If this capture is older, diagnose it as of the time it was captured (the capture time, or --now on the command line).".to_owned()
    };
    let ends = [
        (
            "Conditions NotOnOrAfter",
            assertion.not_on_or_after.as_ref(),
        ),
        (
            "SubjectConfirmationData NotOnOrAfter",
            assertion.confirmation.not_on_or_after.as_ref(),
        ),
    ];
    for (what, instant) in ends {
        if let Some(Instant {
            text,
            time: Some(end),
        }) = instant
            && now >= *end + skew
        {
            findings.push(Finding::error(
                RootCause::Expired,
                FixSide::Neither,
                format!(
                    "The assertion expired: {what} is {text}, and it is now {} (allowing {} s of clock skew).{later_hint}",
                    crate::time_format::rfc3339(now),
                    input.expected.skew_seconds
                ),
                "Sign in again; if fresh responses also arrive expired, the clock of the computer or server that checks them is wrong (Entra's is right): set it to synchronise with NTP.",
            ));
            break;
        }
    }
    let starts = [
        ("Conditions NotBefore", assertion.not_before.as_ref()),
        ("IssueInstant", assertion.issue_instant.as_ref()),
    ];
    for (what, instant) in starts {
        if let Some(Instant {
            text,
            time: Some(start),
        }) = instant
            && now + skew < *start
        {
            findings.push(Finding::error(
                RootCause::NotYetValid,
                FixSide::Neither,
                format!(
                    "The assertion is not valid yet: {what} is {text}, and it is now {} (allowing {} s of clock skew).",
                    crate::time_format::rfc3339(now),
                    input.expected.skew_seconds
                ),
                "A clock is behind: set the clock of the computer or server that checks the response to synchronise with NTP.",
            ));
            break;
        }
    }
    let unreadable = [
        assertion.not_before.as_ref(),
        assertion.not_on_or_after.as_ref(),
        assertion.confirmation.not_on_or_after.as_ref(),
    ];
    if let Some(bad) = unreadable.into_iter().flatten().find(|i| i.time.is_none()) {
        findings.push(Finding::error(
            RootCause::Malformed,
            FixSide::Neither,
            format!(
                "The time {:?} in the assertion is not a valid xs:dateTime.",
                bad.text
            ),
            "Capture the sign-in again; a changed time means the message was edited.",
        ));
    }
}

pub(super) fn name_id(
    assertion: &AssertionSummary,
    expected: &Expected,
    findings: &mut Vec<Finding>,
) {
    let Some(name_id) = &assertion.name_id else {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            "The assertion has no NameID, so GoTo cannot tell who signed in.",
            "In Entra → the GoTo app → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail with the format Email address.",
        ));
        return;
    };
    let format = name_id.format.as_deref().unwrap_or("(none: unspecified)");
    if name_id.format.as_deref() != Some(EMAIL_FORMAT) {
        findings.push(Finding::error(
            RootCause::NameidFormat,
            FixSide::Entra,
            format!(
                "The NameID format is {format}, but GoTo matches accounts by e-mail address ({EMAIL_FORMAT})."
            ),
            "In Entra → the GoTo app → Attributes & Claims → Unique User Identifier (Name ID), set \"Choose name identifier format\" to Email address.",
        ));
    }
    let value = name_id.value.trim();
    let mail_claim = assertion
        .attributes
        .iter()
        .find(|a| a.name == MAIL_CLAIM)
        .and_then(|a| a.values.first())
        .map(|v| v.trim().to_owned());
    if !looks_like_mail(value) {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            format!(
                "The NameID is {value:?}, which is not an e-mail address (Entra sends an object ID or name when the source attribute is not user.mail)."
            ),
            "In Entra → the GoTo app → Attributes & Claims → Unique User Identifier (Name ID), set the source attribute to user.mail.",
        ));
        return;
    }
    if let Some(user) = &expected.user
        && !value.eq_ignore_ascii_case(user.trim())
    {
        findings.push(Finding::error(
            RootCause::NameidNotEmail,
            FixSide::Entra,
            format!(
                "The NameID is {value:?}, but the person's GoTo account is {user:?}; GoTo finds no account for {value:?}.{}",
                if is_upn_like(value) {
                    " It looks like the sign-in name (UPN), not the mailbox."
                } else {
                    ""
                }
            ),
            "In Entra → the GoTo app → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail, and make sure the user's mail in Entra is their GoTo account's address.",
        ));
        return;
    }
    let differs_from_mail = mail_claim
        .as_deref()
        .is_some_and(|mail| !mail.eq_ignore_ascii_case(value));
    if is_upn_like(value) || differs_from_mail {
        let why = match &mail_claim {
            Some(mail) if differs_from_mail => {
                format!("it differs from the mail claim {mail:?}")
            }
            _ => "its domain is an onmicrosoft.com sign-in domain".to_owned(),
        };
        findings.push(Finding::note(
            FindingId::Note(NoteId::NameidLooksLikeUpn),
            Severity::Warning,
            FixSide::Entra,
            format!(
                "The NameID {value:?} looks like the user's sign-in name (UPN) rather than their mailbox: {why}. GoTo accounts are e-mail addresses."
            ),
            "In Entra → Attributes & Claims, set Unique User Identifier (Name ID) to user.mail (not user.userprincipalname).",
        ));
    }
}

pub(super) fn looks_like_mail(value: &str) -> bool {
    let Some((local, domain)) = value.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !value.chars().any(char::is_whitespace)
        && !domain.contains('@')
}

pub(super) fn is_upn_like(value: &str) -> bool {
    value
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.to_ascii_lowercase().ends_with(".onmicrosoft.com"))
}
