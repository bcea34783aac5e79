//! The class table: a row per release (`data-source`: the URL as given or
//! the zip's name), a cell per rule (`data-rule-id`, `data-status`), the
//! thirteen requirements first, as the rules' report order has them. The
//! name column stays in view when the table scrolls sideways on a phone.

use std::rc::Rc;

use m13_app::components::finding_card::badge;
use m13_app::state::{Checked, RuleInfo};
use m13_rules::{Kind, RuleId, Status};
use wasm_bindgen::JsCast;
use yew::{Callback, Html, Properties, component, html};

use crate::class::state::{Row, RowState, Source};

/// The rows, compared by address: a new list of rows is a new table.
#[derive(Clone)]
pub struct Rows(pub Rc<Vec<Row>>);

impl PartialEq for Rows {
    fn eq(&self, other: &Rows) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct ClassTableProps {
    pub rows: Rows,
}

#[component]
pub fn ClassTable(props: &ClassTableProps) -> Html {
    let rows = &props.rows.0;
    // The rules' titles and kinds come with every finished check.
    let rules: Vec<RuleInfo> = rows
        .iter()
        .find_map(|row| match &row.state {
            RowState::Checked(checked) => Some(checked.rules.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let title = |id: RuleId| rules.iter().find(|r| r.id == id).map(|r| r.title.clone()).unwrap_or_default();
    let requirements = rules.iter().filter(|r| r.kind == Kind::Requirement).count();
    let (done, total) = (rows.iter().filter(|r| is_finished(r)).count(), rows.len());
    let ready = rows.iter().filter(|r| matches!(&r.state, RowState::Checked(c) if c.passed())).count();
    let failed = rows.iter().filter(|r| matches!(&r.state, RowState::Checked(c) if !c.passed())).count();
    let unread = rows.iter().filter(|r| matches!(r.state, RowState::Failed(_))).count();
    let running = rows.iter().filter(|r| matches!(r.state, RowState::Running { .. })).count();
    let mirrored = rows.iter().filter(|r| r.mirrored).count();
    html! {
        <>
            <h2 id="class-heading" tabindex="-1">
                { format!("{total} release{}: {ready} ready, {failed} with changes needed, {unread} not checked", plural(total)) }
            </h2>
            <p class="class-progress" role="status" aria-live="polite">
                <progress max={total.to_string()} value={done.to_string()} />
                { if done == total { format!(" All {total} checked.") } else { format!(" Checked {done} of {total} ({running} running).") } }
                if mirrored > 0 {
                    { format!(" {mirrored} from the jsDelivr mirror (marked “mirror”): GitHub's hourly limit could not cover them, and a mirror cannot tell a release from a tag, so their release-tag needs a look by hand.") }
                }
            </p>
            <div class="class-table-wrap" role="region" aria-labelledby="class-heading" tabindex="0">
                <table class="class-table">
                    <thead>
                        if requirements > 0 {
                            <tr class="groups">
                                <td colspan="2" />
                                <th scope="colgroup" colspan={requirements.to_string()}>{ "Requirements" }</th>
                                <th scope="colgroup" colspan={(RuleId::ALL.len() - requirements).to_string()}>{ "Deeper checks" }</th>
                            </tr>
                        }
                        <tr>
                            <th scope="col" class="name">{ "Release" }</th>
                            <th scope="col" class="result">{ "Result" }</th>
                            { for RuleId::ALL.iter().map(|&id| html! {
                                <th scope="col" class="rule" data-rule-id={id.as_str()} title={title(id)}><span>{ id.as_str() }</span></th>
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for rows.iter().enumerate().map(|(index, row)| view_row(index, row)) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn is_finished(row: &Row) -> bool {
    matches!(row.state, RowState::Checked(_) | RowState::Failed(_))
}

/// What `data-result` says of a row.
fn result_of(row: &Row) -> &'static str {
    match &row.state {
        RowState::Waiting => "waiting",
        RowState::Running { .. } => "running",
        RowState::Checked(checked) if checked.passed() => "ready",
        RowState::Checked(_) => "changes-needed",
        RowState::Failed(_) => "not-checked",
    }
}

fn view_row(index: usize, row: &Row) -> Html {
    let span = RuleId::ALL.len().to_string();
    // A URL with no name from the list reads as `owner/repo tag`; the
    // exports keep the label as given, as the CLI's table does.
    let shown = match &row.source {
        Source::Release(release) if row.label == release.url => {
            format!("{}/{} {}", release.owner, release.repo, release.tag)
        }
        _ => row.label.clone(),
    };
    let name = if is_finished(row) {
        // Not a plain `#report-N` link: the page's `<base>` would make it
        // another address, and the browser would leave this one.
        let onclick = Callback::from(move |event: yew::MouseEvent| {
            event.prevent_default();
            open_report(index);
        });
        html! { <a href={format!("#report-{index}")} {onclick}>{ shown.clone() }</a> }
    } else {
        html! { { shown.clone() } }
    };
    let source_kind = match row.source {
        Source::Release(_) => "url",
        Source::Zip { .. } => "zip",
        Source::Unusable { .. } => "text",
    };
    let cells = match &row.state {
        RowState::Waiting => html! { <td class="pending" colspan={span}>{ "Waiting" }</td> },
        RowState::Running { progress, .. } => html! {
            <td class="pending" colspan={span}>{ progress.map_or("Starting", |p| p.phase.describe()) }{ "…" }</td>
        },
        RowState::Failed(why) => html! { <td class="not-checked" colspan={span}>{ why.clone() }</td> },
        RowState::Checked(checked) => html! { { for RuleId::ALL.iter().map(|&id| cell(checked, id)) } },
    };
    html! {
        <tr data-source={row.source.data_source().to_owned()} data-kind={source_kind} data-result={result_of(row)}
            data-mirror={row.mirrored.then_some("true")}>
            <th scope="row" class="name" title={row.label.clone()}><span class="label">{ name }</span></th>
            <td class="result">{ verdict(row) }
                if row.mirrored {
                    <span class="mirror" title="Files from the jsDelivr mirror: release-tag needs a look by hand">{ " mirror" }</span>
                }
            </td>
            { cells }
        </tr>
    }
}

fn verdict(row: &Row) -> String {
    match &row.state {
        RowState::Waiting | RowState::Running { .. } => "…".to_owned(),
        RowState::Checked(checked) if checked.passed() => "✅ ready".to_owned(),
        RowState::Checked(checked) => format!("❌ {} failed", checked.counts().fail),
        RowState::Failed(_) => "⚠️ not checked".to_owned(),
    }
}

fn cell(checked: &Checked, id: RuleId) -> Html {
    let Some(finding) = checked.findings.iter().find(|f| f.id == id) else {
        return html! { <td class="cell" data-rule-id={id.as_str()}>{ "–" }</td> };
    };
    let status = finding.status;
    let symbol = match status {
        Status::Pass => "✓",
        Status::Fail => "✗",
        Status::Warn => "!",
        Status::Manual => "?",
    };
    html! {
        <td class={format!("cell {}", status.as_str())} data-rule-id={id.as_str()} data-status={status.as_str()}
            title={format!("{}: {}", id.as_str(), badge(status))}>
            <span aria-hidden="true">{ symbol }</span>
            <span class="visually-hidden">{ badge(status) }</span>
        </td>
    }
}

/// Opens row `index`'s report below the table (the link then scrolls to it).
fn open_report(index: usize) {
    let element =
        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&format!("report-{index}")));
    if let Some(details) = element.and_then(|e| e.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
        details.set_open(true);
    }
}
