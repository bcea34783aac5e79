//! One rule's result as a line of the checklist: its status and title, in
//! a `<details>` that opens on where the requirement comes from, the
//! message, the evidence (linked to GitHub when the files came from there),
//! the fix and a "why?" disclosure. Failures, warnings and manual items
//! start open; passes start closed, one tap from their evidence. What a
//! closed line holds is drawn when it is first opened (the sample's 23
//! closed lines and 26 explanations would otherwise be drawn unseen).

use m13_rules::{Evidence, Finding, Kind, Status};
use web_sys::Element;
use yew::{Event, Html, Properties, TargetCast, UseStateHandle, classes, component, html, use_state};

use super::inline::inline;
use super::rule_doc::RuleDoc;
use super::thousands;
use crate::links::BlobBase;
use crate::state::RuleInfo;

#[derive(Properties, PartialEq)]
pub struct FindingCardProps {
    pub finding: Finding,
    /// The rule that made it.
    pub rule: RuleInfo,
    pub blob_base: Option<BlobBase>,
    /// Before the ids this card gives its elements, where several reports
    /// share a page (the class view).
    #[prop_or_default]
    pub id_prefix: String,
}

/// The most evidence entries a card shows; the rest are counted. A rule
/// citing thousands of Pods would otherwise draw thousands of rows.
const MAX_EVIDENCE_SHOWN: usize = 20;

/// The badge text of a status.
pub fn badge(status: Status) -> &'static str {
    match status {
        Status::Fail => "Fail",
        Status::Warn => "Warning",
        Status::Manual => "Check by hand",
        Status::Pass => "Pass",
    }
}

/// How many evidence entries an open line shows before "N more places".
const EVIDENCE_OPEN: usize = 3;

/// One evidence entry: where (linked to GitHub when it can be), what was
/// found, what was expected.
fn evidence_item(evidence: &Evidence, blob_base: Option<&BlobBase>) -> Html {
    let location = evidence.location();
    let link = blob_base.and_then(|base| base.link(evidence));
    html! {
        <li>
            if let Some(href) = link {
                <a href={href} target="_blank" rel="noopener noreferrer"><code>{ location }</code></a>
            } else {
                <code>{ location }</code>
            }
            if let Some(found) = &evidence.found {
                <div class="found"><span class="label">{ "found" }</span><code>{ found.clone() }</code></div>
            }
            if let Some(expected) = &evidence.expected {
                <div class="expected"><span class="label">{ "expected" }</span><code>{ expected.clone() }</code></div>
            }
        </li>
    }
}

/// Whether a finding's line starts open: everything that asks for
/// something (a fix, a look) does; a pass keeps to its line.
pub fn starts_open(status: Status) -> bool {
    status != Status::Pass
}

/// A `toggle` listener that records that its `<details>` was opened once
/// (its content stays drawn when it closes again).
fn on_first_open(opened: &UseStateHandle<bool>) -> yew::Callback<Event> {
    let opened = opened.clone();
    yew::Callback::from(move |event: Event| {
        if !*opened && event.target_dyn_into::<Element>().is_some_and(|d| d.has_attribute("open")) {
            opened.set(true);
        }
    })
}

#[component]
pub fn FindingCard(props: &FindingCardProps) -> Html {
    let finding = &props.finding;
    let rule = &props.rule;
    let status = finding.status.as_str();
    let kind = match rule.kind {
        Kind::Requirement => "requirement",
        Kind::Deeper => "deeper check",
    };
    let heading_id = format!("{}rule-{}", props.id_prefix, finding.id);
    let opened = use_state(|| starts_open(finding.status));
    let why_opened = use_state(|| false);
    html! {
        <article class={classes!("finding", status)} data-rule-id={finding.id.as_str()} data-status={status} aria-labelledby={heading_id.clone()} tabindex="-1">
            <details class="finding-details" open={starts_open(finding.status)} ontoggle={on_first_open(&opened)}>
                <summary>
                    <span class={classes!("badge", status)}>{ badge(finding.status) }</span>
                    <span class="title" id={heading_id}>{ rule.title.clone() }</span>
                </summary>
                if *opened {
                    <p class="meta">
                        <code>{ finding.id.as_str() }</code>{ " · " }{ kind }{ " · course page: " }{ rule.source.clone() }
                    </p>
                    <p class="message">{ inline(&finding.message) }</p>
                    if !finding.evidence.is_empty() {
                        <ul class="evidence" aria-label="Evidence">
                            { for finding.evidence.iter().take(EVIDENCE_OPEN).map(|evidence| evidence_item(evidence, props.blob_base.as_ref())) }
                        </ul>
                    }
                    if finding.evidence.len() > EVIDENCE_OPEN {
                        <details class="more-evidence">
                            <summary>{ format!("{} more places", thousands(finding.evidence.len() - EVIDENCE_OPEN)) }</summary>
                            <ul class="evidence" aria-label="More evidence">
                                { for finding.evidence.iter().take(MAX_EVIDENCE_SHOWN).skip(EVIDENCE_OPEN).map(|evidence| evidence_item(evidence, props.blob_base.as_ref())) }
                                if finding.evidence.len() > MAX_EVIDENCE_SHOWN {
                                    <li class="more">{ format!("… and {} more.", thousands(finding.evidence.len() - MAX_EVIDENCE_SHOWN)) }</li>
                                }
                            </ul>
                        </details>
                    }
                    if let Some(fix) = &finding.fix {
                        <p class="fix"><strong>{ "Fix: " }</strong>{ inline(fix) }</p>
                    }
                    <details class="why" ontoggle={on_first_open(&why_opened)}>
                        <summary>{ "Why?" }</summary>
                        if *why_opened {
                            <RuleDoc text={rule.explanation.clone()} />
                        }
                    </details>
                }
            </details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::Status;

    #[test]
    fn only_passes_start_closed() {
        assert!(!super::starts_open(Status::Pass));
        for status in [Status::Fail, Status::Warn, Status::Manual] {
            assert!(super::starts_open(status), "{status:?}");
        }
    }
}
