//! Every string the window shows, looked up by id in Fluent files (`assets/i18n/<lang>/*.ftl`),
//! so translations are files, not code. English is complete; an id missing from a translation
//! falls back to English, and a missing English id shows the id itself (a test forbids that).

use std::cell::RefCell;

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use unic_langid::langid;

/// The English messages, part of the binary: the frame's, then one file per step, then the
/// diagnose screen's.
const ENGLISH: [&str; 11] = [
    include_str!("../../assets/i18n/en/welcome.ftl"),
    include_str!("../../assets/i18n/en/wizard.ftl"),
    include_str!("../../assets/i18n/en/start.ftl"),
    include_str!("../../assets/i18n/en/credentials.ftl"),
    include_str!("../../assets/i18n/en/test-connection.ftl"),
    include_str!("../../assets/i18n/en/metadata-url.ftl"),
    include_str!("../../assets/i18n/en/certificate.ftl"),
    include_str!("../../assets/i18n/en/relay-state.ftl"),
    include_str!("../../assets/i18n/en/goto-settings.ftl"),
    include_str!("../../assets/i18n/en/review.ftl"),
    include_str!("../../assets/i18n/en/diagnose.ftl"),
];

thread_local! {
    // Fluent bundles are not `Sync`; the window runs its views on one thread, so one bundle per
    // thread is both correct and cheap.
    static BUNDLE: RefCell<FluentBundle<FluentResource>> = RefCell::new(english());
}

fn english() -> FluentBundle<FluentResource> {
    let mut bundle = FluentBundle::new(vec![langid!("en-US")]);
    // Unicode isolation marks around placeables would show up inside copied URLs.
    bundle.set_use_isolating(false);
    for file in ENGLISH {
        // A test proves every file parses and no id is defined twice; keep what did.
        let resource =
            FluentResource::try_new(file.to_owned()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// The message `id`.
pub fn tr(id: &str) -> String {
    format(id, None)
}

/// The message `id` with arguments.
pub fn tr_with(id: &str, arguments: &[(&str, &str)]) -> String {
    let mut args = FluentArgs::new();
    for (name, value) in arguments {
        args.set(*name, FluentValue::from(value.to_string()));
    }
    format(id, Some(&args))
}

fn format(id: &str, args: Option<&FluentArgs<'_>>) -> String {
    BUNDLE.with(|bundle| {
        let bundle = bundle.borrow();
        let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
            return id.to_owned();
        };
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_files_parse_and_define_each_id_once() {
        let mut bundle: FluentBundle<FluentResource> = FluentBundle::new(vec![langid!("en-US")]);
        for (index, file) in ENGLISH.iter().enumerate() {
            let resource = match FluentResource::try_new((*file).to_owned()) {
                Ok(resource) => resource,
                Err((_, errors)) => panic!("English file {index}: {errors:?}"),
            };
            if let Err(errors) = bundle.add_resource(resource) {
                panic!("English file {index} redefines ids: {errors:?}");
            }
        }
    }

    #[test]
    fn lookups_and_arguments() {
        assert_eq!(tr("app-title"), "GoTo SSO Wizard");
        assert_eq!(
            tr_with("step-counter", &[("current", "2"), ("total", "8")]),
            "Step 2 of 8"
        );
        assert_eq!(tr("no-such-message"), "no-such-message");
    }
}
