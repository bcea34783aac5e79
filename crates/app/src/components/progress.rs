//! Which step of a check is running, and how many files are done; on a
//! first visit, that the checker itself is still arriving.

use yew::{Html, Properties, component, html};

use crate::state::Progress;

#[derive(Properties, PartialEq)]
pub struct ProgressViewProps {
    pub progress: Progress,
    /// The checker's worker has loaded; until then the job waits for it.
    pub checker_ready: bool,
}

#[component]
pub fn ProgressView(props: &ProgressViewProps) -> Html {
    let Progress { phase, done, total } = props.progress;
    let count = if total > 0 { format!(": {done} of {total}") } else { String::new() };
    let text = if props.checker_ready {
        format!("{}{count}…", phase.describe())
    } else {
        "Loading the checker (the rules, once per visit)…".to_owned()
    };
    html! {
        <section class="progress" aria-live="polite" aria-busy="true">
            <p>{ text }</p>
            if total > 0 {
                <progress max={total.to_string()} value={done.to_string()}>{ format!("{done} of {total}") }</progress>
            } else {
                <progress />
            }
        </section>
    }
}
