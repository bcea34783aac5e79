//! Every rule as a checklist: the thirteen requirements of the course page,
//! then the deeper checks, each a line (status and title) with failures
//! first; what asks for something is open, passes are closed.

use m13_rules::{Finding, Kind, Status};
use yew::{Html, Properties, component, html};

use super::finding_card::FindingCard;
use crate::links::BlobBase;
use crate::state::RuleInfo;

#[derive(Properties, PartialEq)]
pub struct FindingListProps {
    /// In display order (`Checked::by_severity`).
    pub findings: Vec<Finding>,
    /// Every rule, to title each finding.
    pub rules: Vec<RuleInfo>,
    pub blob_base: Option<BlobBase>,
}

fn group_title(kind: Kind) -> &'static str {
    match kind {
        Kind::Requirement => "Requirements",
        Kind::Deeper => "Deeper checks",
    }
}

/// `3 fail, 10 pass`: a group's counts, worst first, zeros left out.
pub fn tally(statuses: &[Status]) -> String {
    Status::ALL
        .into_iter()
        .filter_map(|status| {
            let n = statuses.iter().filter(|s| **s == status).count();
            (n > 0).then(|| format!("{n} {}", status.as_str()))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
pub fn FindingList(props: &FindingListProps) -> Html {
    html! {
        <section id="rules" class="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading" tabindex="-1">{ "Rules" }</h2>
            { for [Kind::Requirement, Kind::Deeper].into_iter().map(|kind| {
                let group: Vec<(&Finding, &RuleInfo)> = props
                    .findings
                    .iter()
                    .filter_map(|finding| Some((finding, props.rules.iter().find(|r| r.id == finding.id)?)))
                    .filter(|(_, rule)| rule.kind == kind)
                    .collect();
                if group.is_empty() {
                    return html! {};
                }
                let statuses: Vec<Status> = group.iter().map(|(f, _)| f.status).collect();
                let kind_name = match kind {
                    Kind::Requirement => "requirement",
                    Kind::Deeper => "deeper",
                };
                html! {
                    <div class="group" data-kind={kind_name}>
                        <h3 class="group-title">{ format!("{} ({}): {}", group_title(kind), group.len(), tally(&statuses)) }</h3>
                        <ul class="checklist">
                            { for group.into_iter().map(|(finding, rule)| html! {
                                <li key={finding.id.as_str()}>
                                    <FindingCard finding={finding.clone()} rule={rule.clone()} blob_base={props.blob_base.clone()} />
                                </li>
                            }) }
                        </ul>
                    </div>
                }
            }) }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::Status;

    #[test]
    fn a_tally_is_worst_first_without_zeros() {
        assert_eq!(super::tally(&[Status::Pass, Status::Fail, Status::Pass]), "1 fail, 2 pass");
        assert_eq!(super::tally(&[Status::Pass]), "1 pass");
        assert_eq!(super::tally(&[]), "");
    }
}
