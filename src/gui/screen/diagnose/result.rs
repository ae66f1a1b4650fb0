//! The answer of a diagnosis: the verdict first (the root cause and its fix where they cannot be
//! missed), then every finding, what the message says, and the XML on request.

use goto_sso_wizard::diagnose::{self, Diagnosis, Finding, FixSide, Severity, Unchecked, Verdict};
use iced::widget::{Column, column, container, row, scrollable, text};
use iced::{Alignment, Element, Font, Length};

use super::{Message, XML_ID};
use crate::gui::i18n::{tr, tr_with};
use crate::gui::widget::style::{self, Tone};
use crate::gui::widget::{bold, mono, small_button, subheading};

/// Width of the field column of the summary: the longest usual field ("Signature on the
/// assertion") fits.
const FIELD_WIDTH: f32 = 200.0;
/// Height of the XML box; it scrolls both ways inside.
const XML_HEIGHT: f32 = 360.0;

/// The result section.
pub fn view(diagnosis: &Diagnosis, stale: bool, show_xml: bool) -> Element<'_, Message> {
    let mut result = column![subheading(tr("diagnose-result-heading"))].spacing(12);
    if stale {
        result = result.push(style::note(tr("diagnose-stale"), Tone::Warning));
    }
    result = result.push(verdict(diagnosis));
    if !diagnosis.findings.is_empty() {
        result = result.push(findings(&diagnosis.findings));
    }
    result = result.push(summary(diagnosis));
    result = result.push(xml(&diagnosis.pretty_xml, show_xml));
    result.into()
}

/// The verdict line: healthy (with its warnings), inconclusive (what could not be compared), or
/// the root cause.
pub fn verdict_text(diagnosis: &Diagnosis) -> String {
    match (diagnosis.verdict, diagnosis.root_cause) {
        (Verdict::Healthy, _) => match diagnosis.warning_count() {
            0 => tr("diagnose-verdict-healthy"),
            warnings => tr_with(
                "diagnose-verdict-healthy-warnings",
                &[("count", &warnings.to_string())],
            ),
        },
        (Verdict::Inconclusive, _) => {
            let signer = diagnosis.unchecked.contains(&Unchecked::SignerTrust);
            let issuer = diagnosis.unchecked.contains(&Unchecked::Issuer);
            tr(match (signer, issuer) {
                (true, true) => "diagnose-verdict-inconclusive-both",
                (true, false) => "diagnose-verdict-inconclusive-signer",
                _ => "diagnose-verdict-inconclusive-issuer",
            })
        }
        (Verdict::NotHealthy, cause) => tr_with(
            "diagnose-verdict-broken",
            &[("cause", cause.map_or("", |cause| cause.id()))],
        ),
    }
}

/// Each verdict's own colour: green, amber, red.
pub fn verdict_tone(verdict: Verdict) -> Tone {
    match verdict {
        Verdict::Healthy => Tone::Success,
        Verdict::Inconclusive => Tone::Warning,
        Verdict::NotHealthy => Tone::Danger,
    }
}

/// Each verdict's own mark, so the three differ in more than colour and wording.
fn verdict_mark(verdict: Verdict) -> String {
    tr(match verdict {
        Verdict::Healthy => "diagnose-mark-healthy",
        Verdict::Inconclusive => "diagnose-mark-inconclusive",
        Verdict::NotHealthy => "diagnose-mark-not-healthy",
    })
}

/// The banner: the verdict's mark and line, and under it the root cause's finding (what was
/// found and the fix) or, when inconclusive, what to give to finish the check.
fn verdict(diagnosis: &Diagnosis) -> Element<'_, Message> {
    let mut banner = column![
        row![
            text(verdict_mark(diagnosis.verdict)).size(28).font(bold()),
            text(verdict_text(diagnosis))
                .size(20)
                .font(bold())
                .width(Length::Fill)
                .wrapping(text::Wrapping::WordOrGlyph),
        ]
        .spacing(12)
        .align_y(Alignment::Center),
    ]
    .spacing(8);
    let root = diagnosis
        .root_cause
        .and_then(|cause| diagnosis.findings.iter().find(|f| f.cause() == Some(cause)));
    if let Some(root) = root {
        banner = banner.push(text(&root.message).size(15));
        banner = banner.push(fix_line(root, 15));
    }
    if diagnosis.verdict == Verdict::Inconclusive {
        banner = banner.push(
            text(tr("diagnose-inconclusive-fix"))
                .size(15)
                .wrapping(text::Wrapping::WordOrGlyph),
        );
    }
    let tone = verdict_tone(diagnosis.verdict);
    container(banner)
        .padding([12, 16])
        .width(Length::Fill)
        .style(move |theme| style::tinted(theme, tone))
        .into()
}

/// "Fix (Entra): …", "Fix (GoTo): …" or "What to do: …".
fn fix_line(finding: &Finding, size: u32) -> Element<'_, Message> {
    let label = match finding.side {
        FixSide::Entra => tr("diagnose-fix-entra"),
        FixSide::GoTo => tr("diagnose-fix-goto"),
        FixSide::Neither => tr("diagnose-fix-neither"),
    };
    row![
        text(label).size(size).font(bold()),
        text(&finding.fix)
            .size(size)
            .width(Length::Fill)
            .wrapping(text::Wrapping::WordOrGlyph),
    ]
    .spacing(6)
    .into()
}

fn findings(findings: &[Finding]) -> Element<'_, Message> {
    findings
        .iter()
        .fold(
            column![text(tr("diagnose-findings-heading")).size(16).font(bold())].spacing(14),
            |list, finding| list.push(finding_view(finding)),
        )
        .into()
}

/// One finding: its severity and id, what was found, and the fix.
fn finding_view(finding: &Finding) -> Element<'_, Message> {
    let (label, tone) = match finding.severity {
        Severity::Error => (tr("diagnose-severity-error"), Tone::Danger),
        Severity::Warning => (tr("diagnose-severity-warning"), Tone::Warning),
        Severity::Info => (tr("diagnose-severity-info"), Tone::Info),
    };
    column![
        row![style::note(label, tone), mono(finding.id.id().to_owned())]
            .spacing(8)
            .align_y(Alignment::Center),
        text(&finding.message)
            .size(14)
            .wrapping(text::Wrapping::WordOrGlyph),
        fix_line(finding, 14),
    ]
    .spacing(4)
    .into()
}

/// What the message says, field by field, in two columns.
fn summary(diagnosis: &Diagnosis) -> Element<'_, Message> {
    let rows = diagnose::summary_rows(diagnosis);
    rows.into_iter()
        .fold(
            Column::new()
                .push(text(tr("diagnose-summary-heading")).size(16).font(bold()))
                .spacing(6),
            |table, (field, value)| {
                table.push(
                    row![
                        text(field)
                            .size(13)
                            .font(bold())
                            .width(Length::Fixed(FIELD_WIDTH)),
                        text(value)
                            .size(13)
                            .font(Font::MONOSPACE)
                            .width(Length::Fill)
                            .wrapping(text::Wrapping::WordOrGlyph),
                    ]
                    .spacing(12),
                )
            },
        )
        .into()
}

/// The button that shows or hides the XML, and the XML when shown.
fn xml(pretty_xml: &str, shown: bool) -> Element<'_, Message> {
    let label = if shown {
        tr("diagnose-hide-xml")
    } else {
        tr("diagnose-show-xml")
    };
    let mut section = column![small_button(label, Some(Message::ToggleXml), XML_ID)].spacing(8);
    if shown {
        let direction = scrollable::Direction::Both {
            vertical: scrollable::Scrollbar::default(),
            horizontal: scrollable::Scrollbar::default(),
        };
        section = section.push(
            container(
                scrollable(
                    text(pretty_xml)
                        .size(12)
                        .font(Font::MONOSPACE)
                        .wrapping(text::Wrapping::None),
                )
                .direction(direction)
                .width(Length::Fill)
                .height(Length::Fixed(XML_HEIGHT)),
            )
            .padding(8)
            .style(container::bordered_box),
        );
    }
    section.into()
}
