//! The review for the reviewee, in Markdown: one copy button, and the text
//! in a read-only textarea (never rendered as HTML).

use yew::{Callback, Html, Properties, component, html};

use super::CopyRequest;
use super::copy_button::CopyButton;

#[derive(Properties, PartialEq)]
pub struct ReportExportProps {
    pub markdown: String,
    pub on_copy: Callback<CopyRequest>,
}

#[component]
pub fn ReportExport(props: &ReportExportProps) -> Html {
    html! {
        <section id="review" class="export" aria-labelledby="export-heading">
            <h2 id="export-heading" tabindex="-1">{ "Review to post" }</h2>
            <p class="hint">{ "What passed and what failed, with evidence and fixes, ready to paste into the review comment." }</p>
            <CopyButton text={props.markdown.clone()} label="Copy the review (Markdown)" what="the review" on_copy={props.on_copy.clone()} />
            <label for="review-markdown" class="visually-hidden">{ "The review in Markdown" }</label>
            <textarea id="review-markdown" readonly=true rows="14" spellcheck="false" value={props.markdown.clone()} />
        </section>
    }
}
