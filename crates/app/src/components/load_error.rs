//! Why a release could not be checked, and what to do.

use yew::{Html, Properties, component, html};

use crate::fetch::error::LoadError;

#[derive(Properties, PartialEq)]
pub struct LoadErrorViewProps {
    pub error: LoadError,
}

#[component]
pub fn LoadErrorView(props: &LoadErrorViewProps) -> Html {
    let error = &props.error;
    html! {
        <section class="load-error" role="alert" aria-labelledby="error-heading">
            <h2 id="error-heading" tabindex="-1">{ error.title() }</h2>
            <p>{ error.message() }</p>
            if let Some(hint) = error.hint() {
                <p class="hint">{ hint }</p>
            }
        </section>
    }
}
