//! Every rule's card, failures first, in groups by status.

use m13_rules::{Finding, Status};
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

fn group_title(status: Status) -> &'static str {
    match status {
        Status::Fail => "To fix",
        Status::Warn => "Warnings",
        Status::Manual => "Check by hand",
        Status::Pass => "Passed",
    }
}

#[component]
pub fn FindingList(props: &FindingListProps) -> Html {
    html! {
        <section class="findings" aria-labelledby="findings-heading">
            <h2 id="findings-heading">{ "Rules" }</h2>
            { for Status::ALL.into_iter().map(|status| {
                let group: Vec<&Finding> = props.findings.iter().filter(|f| f.status == status).collect();
                if group.is_empty() {
                    return html! {};
                }
                html! {
                    <div class="group" data-group={status.as_str()}>
                        <h3 class="group-title">{ format!("{} ({})", group_title(status), group.len()) }</h3>
                        { for group.into_iter().filter_map(|finding| {
                            let rule = props.rules.iter().find(|r| r.id == finding.id)?;
                            Some(html! {
                                <FindingCard key={finding.id.as_str()} finding={finding.clone()} rule={rule.clone()} blob_base={props.blob_base.clone()} />
                            })
                        }) }
                    </div>
                }
            }) }
        </section>
    }
}
