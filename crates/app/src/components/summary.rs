//! The verdict at the top of a check: counts, what was checked, where the
//! files came from, and "check again" for a remembered result.

use m13_rules::{Counts, Status};
use yew::{Callback, Html, Properties, classes, component, html};

use super::inline::inline;
use crate::state::Checked;

#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    pub checked: std::rc::Rc<Checked>,
    pub on_recheck: Callback<()>,
}

/// The one-line verdict.
pub fn verdict(counts: Counts) -> String {
    match counts.fail {
        0 if counts.manual + counts.warn == 0 => "Meets milestone 13 as far as the files tell.".to_owned(),
        0 => "No failure; some items need a look.".to_owned(),
        1 => "1 rule fails: send it back with the fix below.".to_owned(),
        n => format!("{n} rules fail: send it back with the fixes below."),
    }
}

#[component]
pub fn Summary(props: &SummaryProps) -> Html {
    let checked = &props.checked;
    let counts = checked.counts();
    let passed = checked.passed();
    html! {
        <section class={classes!("summary", if passed { "passed" } else { "failed" })} aria-labelledby="summary-heading">
            <h2 id="summary-heading" tabindex="-1">{ verdict(counts) }</h2>
            <p class="checked-what">{ "Checked: " }<span class="label-text">{ checked.label.clone() }</span></p>
            <ul class="counts" aria-label="Counts">
                { for Status::ALL.into_iter().map(|status| html! {
                    <li class={classes!("badge", status.as_str())}>{ format!("{} {}", counts.of(status), status.as_str()) }</li>
                }) }
            </ul>
            <p class="source">{ "Source: " }{ checked.source.clone() }</p>
            { for checked.notes.iter().map(|note| html! { <p class="note">{ inline(note) }</p> }) }
            if let Some(when) = &checked.remembered {
                <p class="note remembered">
                    { format!("Remembered in this browser from a check on {when}: no GitHub call was spent. ") }
                    <button type="button" onclick={props.on_recheck.reform(|_| ())}>{ "Check again" }</button>
                </p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::{RuleId, Status};

    use super::*;

    #[test]
    fn the_verdict_counts_failures() {
        let mut report = crate::sample::report();
        assert_eq!(verdict(report.counts()), "3 rules fail: send it back with the fixes below.");
        for finding in &mut report.results {
            if finding.id != RuleId::CpuRequestRange {
                finding.status = Status::Pass;
            }
        }
        assert_eq!(verdict(report.counts()), "1 rule fails: send it back with the fix below.");
        for finding in &mut report.results {
            finding.status = if finding.id == RuleId::ReleaseTag { Status::Manual } else { Status::Pass };
        }
        assert_eq!(verdict(report.counts()), "No failure; some items need a look.");
        report.results.iter_mut().for_each(|f| f.status = Status::Pass);
        assert_eq!(verdict(report.counts()), "Meets milestone 13 as far as the files tell.");
    }
}
