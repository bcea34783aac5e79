//! Which step of a check is running, and how many files are done.

use yew::{Html, Properties, component, html};

use crate::state::Progress;

#[derive(Properties, PartialEq)]
pub struct ProgressViewProps {
    pub progress: Progress,
}

#[component]
pub fn ProgressView(props: &ProgressViewProps) -> Html {
    let Progress { phase, done, total } = props.progress;
    let count = if total > 0 { format!(": {done} of {total}") } else { String::new() };
    html! {
        <section class="progress" aria-live="polite" aria-busy="true">
            <p>{ format!("{}{count}…", phase.describe()) }</p>
            if total > 0 {
                <progress max={total.to_string()} value={done.to_string()}>{ format!("{done} of {total}") }</progress>
            } else {
                <progress />
            }
        </section>
    }
}
