//! Why a release could not be checked, and what to do; for a check the
//! watchdog stopped (or a checker that stopped by itself), a button to check
//! again with a new checker.

use yew::{Callback, Html, Properties, component, html};

use crate::fetch::error::LoadError;

#[derive(Properties, PartialEq)]
pub struct LoadErrorViewProps {
    pub error: LoadError,
    /// Run the same check again; `None` when that would not help.
    #[prop_or_default]
    pub on_retry: Option<Callback<()>>,
}

#[component]
pub fn LoadErrorView(props: &LoadErrorViewProps) -> Html {
    let error = &props.error;
    let retry = props.on_retry.as_ref().map(|on_retry| on_retry.reform(|_: yew::MouseEvent| ()));
    html! {
        <section class="load-error" role="alert" aria-labelledby="error-heading">
            <h2 id="error-heading" tabindex="-1">{ error.title() }</h2>
            <p>{ error.message() }</p>
            if let Some(hint) = error.hint() {
                <p class="hint">{ hint }</p>
            }
            if let Some(onclick) = retry {
                <p><button type="button" class="primary retry" {onclick}>{ "Check again" }</button></p>
            }
        </section>
    }
}
