//! One rule's result: status, title, where the requirement comes from, the
//! message, the evidence (linked to GitHub when the files came from
//! there), the fix and a "why?" disclosure.

use m13_rules::{Finding, Kind, Status};
use yew::{Html, Properties, classes, component, html};

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

#[component]
pub fn FindingCard(props: &FindingCardProps) -> Html {
    let finding = &props.finding;
    let rule = &props.rule;
    let status = finding.status.as_str();
    let kind = match rule.kind {
        Kind::Requirement => "requirement",
        Kind::Deeper => "deeper check",
    };
    let heading_id = format!("rule-{}", finding.id);
    html! {
        <article class={classes!("finding", status)} data-rule-id={finding.id.as_str()} data-status={status} aria-labelledby={heading_id.clone()} tabindex="-1">
            <header>
                <span class={classes!("badge", status)}>{ badge(finding.status) }</span>
                <h3 id={heading_id}>{ rule.title.clone() }</h3>
            </header>
            <p class="meta">
                <code>{ finding.id.as_str() }</code>{ " · " }{ kind }{ " · course page: " }{ rule.source.clone() }
            </p>
            <p class="message">{ inline(&finding.message) }</p>
            if !finding.evidence.is_empty() {
                <ul class="evidence" aria-label="Evidence">
                    { for finding.evidence.iter().take(MAX_EVIDENCE_SHOWN).map(|evidence| {
                        let location = evidence.location();
                        let link = props.blob_base.as_ref().and_then(|base| base.link(evidence));
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
                    }) }
                    if finding.evidence.len() > MAX_EVIDENCE_SHOWN {
                        <li class="more">{ format!("… and {} more.", thousands(finding.evidence.len() - MAX_EVIDENCE_SHOWN)) }</li>
                    }
                </ul>
            }
            if let Some(fix) = &finding.fix {
                <p class="fix"><strong>{ "Fix: " }</strong>{ inline(fix) }</p>
            }
            <details class="why">
                <summary>{ "Why?" }</summary>
                <RuleDoc text={rule.explanation.clone()} />
            </details>
        </article>
    }
}
