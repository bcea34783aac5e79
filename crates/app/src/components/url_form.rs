//! The release URL field: paste, Enter. A link that is not a release is
//! explained under the field, with a button when it names a release.

use web_sys::HtmlInputElement;
use yew::{Callback, Html, InputEvent, Properties, SubmitEvent, TargetCast, component, html};

use crate::state::InputProblem;

#[derive(Properties, PartialEq)]
pub struct UrlFormProps {
    pub value: String,
    pub problem: Option<InputProblem>,
    pub busy: bool,
    pub on_input: Callback<String>,
    pub on_submit: Callback<()>,
    /// Check another URL (a suggestion).
    pub on_open: Callback<String>,
}

#[component]
pub fn UrlForm(props: &UrlFormProps) -> Html {
    let oninput = props.on_input.reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let onsubmit = props.on_submit.reform(|event: SubmitEvent| event.prevent_default());
    let described = if props.problem.is_some() { "url-help url-problem" } else { "url-help" };
    html! {
        <form class="url-form" {onsubmit} novalidate=true>
            <label for="release-url">{ "Release URL" }</label>
            <div class="row">
                <input
                    id="release-url"
                    name="url"
                    type="text"
                    inputmode="url"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    placeholder="https://github.com/OWNER/REPO/releases/tag/milestone-13.1"
                    value={props.value.clone()}
                    {oninput}
                    aria-describedby={described}
                    aria-invalid={if props.problem.is_some() { "true" } else { "false" }}
                />
                <button type="submit" class="primary" disabled={props.busy}>{ "Check" }</button>
            </div>
            <p id="url-help" class="hint">{ "The release page as it was posted for review; press Enter to check." }</p>
            if let Some(problem) = &props.problem {
                <div id="url-problem" class="problem" role="alert">
                    <p>{ problem.message.clone() }</p>
                    if let Some(url) = &problem.suggestion {
                        <button type="button" onclick={ let url = url.clone(); props.on_open.reform(move |_| url.clone()) }>
                            { "Check the release of that tag instead" }
                        </button>
                    }
                </div>
            }
        </form>
    }
}
