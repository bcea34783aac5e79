//! The review for the reviewee, in Markdown: one copy button, a link that
//! opens it as a new issue on the reviewee's repository (built by the
//! checker, see [`crate::links::issue_link`]), and the text in a read-only
//! textarea (never rendered as HTML).

use yew::{Callback, Html, Properties, component, html};

use super::CopyRequest;
use super::copy_button::CopyButton;
use crate::links::IssueButton;

#[derive(Properties, PartialEq)]
pub struct ReportExportProps {
    pub markdown: String,
    /// The review as a new issue, when the check knows the repository.
    #[prop_or_default]
    pub issue: Option<IssueButton>,
    pub on_copy: Callback<CopyRequest>,
}

#[component]
pub fn ReportExport(props: &ReportExportProps) -> Html {
    html! {
        <section id="review" class="export" aria-labelledby="export-heading">
            <h2 id="export-heading" tabindex="-1">{ "Review to post" }</h2>
            <p class="hint">{ "What passed and what failed, with evidence and fixes, ready to paste into the review comment." }</p>
            <div class="row export-actions">
                <CopyButton text={props.markdown.clone()} label="Copy the review (Markdown)" what="the review" on_copy={props.on_copy.clone()} />
                if let Some(link) = &props.issue {
                    <a class="button issue-link" href={link.url.clone()} target="_blank" rel="noopener noreferrer">{ link.label.clone() }</a>
                }
            </div>
            if let Some(note) = props.issue.as_ref().and_then(|l| l.note.clone()) {
                <p class="hint issue-shortened">{ note }</p>
            }
            <label for="review-markdown" class="visually-hidden">{ "The review in Markdown" }</label>
            <textarea id="review-markdown" readonly=true rows="14" spellcheck="false" value={props.markdown.clone()} />
        </section>
    }
}
