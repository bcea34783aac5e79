//! Each finished row's report, below the table (the row's name links
//! here): what failed, with its evidence and fix, as the single-release page
//! shows it, the review to copy, and for a release by URL the link to its
//! full report (cluster steps, picture, issue link).

use m13_app::components::CopyRequest;
use m13_app::components::copy_button::CopyButton;
use m13_app::components::finding_card::FindingCard;
use m13_rules::Status;
use yew::{Callback, Html, Properties, component, html};

use crate::class::state::{Row, RowState, Source};
use crate::class::table::Rows;

#[derive(Properties, PartialEq)]
pub struct RowReportsProps {
    pub rows: Rows,
    pub on_copy: Callback<CopyRequest>,
}

#[component]
pub fn RowReports(props: &RowReportsProps) -> Html {
    let finished = props
        .rows
        .0
        .iter()
        .enumerate()
        .filter(|(_, row)| matches!(row.state, RowState::Checked(_) | RowState::Failed(_)));
    html! {
        <section class="class-reports" aria-labelledby="class-reports-heading">
            <h2 id="class-reports-heading">{ "Each release" }</h2>
            { for finished.map(|(index, row)| report(index, row, &props.on_copy)) }
        </section>
    }
}

/// `?url=…`, relative to the page (its `<base>` is the site's root).
fn full_report_link(url: &str) -> String {
    format!("?url={}", String::from(js_sys::encode_uri_component(url)))
}

fn report(index: usize, row: &Row, on_copy: &Callback<CopyRequest>) -> Html {
    let id = format!("report-{index}");
    let body = match &row.state {
        RowState::Checked(checked) => {
            let counts = checked.counts();
            let not_passed: Vec<_> =
                checked.by_severity().into_iter().filter(|f| f.status != Status::Pass).cloned().collect();
            html! {
                <>
                    <p>{ format!("{} passed, {} failed, {} warnings, {} to check by hand. Files: {}.", counts.pass, counts.fail, counts.warn, counts.manual, checked.source) }</p>
                    { for checked.notes.iter().map(|note| html! { <p class="note">{ note.clone() }</p> }) }
                    <div class="row">
                        if let Source::Release(release) = &row.source {
                            <a class="button" href={full_report_link(&release.url)} target="_blank" rel="noopener noreferrer">{ "Open the full report" }</a>
                        }
                        <CopyButton text={checked.markdown.clone()} label="Copy the review" what={format!("the review of {}", row.label)} on_copy={on_copy.clone()} />
                    </div>
                    <div class="findings">
                        { for not_passed.into_iter().map(|finding| {
                            let rule = checked.rule(finding.id).cloned();
                            let key = finding.id.as_str();
                            match rule {
                                Some(rule) => html! { <FindingCard {key} {finding} {rule} blob_base={checked.blob_base.clone()} id_prefix={format!("{id}-")} /> },
                                None => html! {},
                            }
                        }) }
                    </div>
                </>
            }
        }
        RowState::Failed(why) => html! { <p class="not-checked">{ why.clone() }</p> },
        RowState::Waiting | RowState::Running { .. } => html! {},
    };
    html! {
        <details class="class-report" key={id.clone()} id={id} data-source={row.source.data_source().to_owned()}>
            <summary>{ row.label.clone() }</summary>
            { body }
        </details>
    }
}
