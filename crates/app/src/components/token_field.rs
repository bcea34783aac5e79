//! The optional GitHub token, behind a disclosure.

use web_sys::HtmlInputElement;
use yew::{Callback, Event, Html, InputEvent, Properties, TargetCast, component, html, use_effect_with, use_state};

#[derive(Properties, PartialEq)]
pub struct TokenFieldProps {
    pub token: String,
    pub on_change: Callback<String>,
}

#[component]
pub fn TokenField(props: &TokenFieldProps) -> Html {
    // What is typed is kept as it is typed: the page re-renders whenever the
    // checker reports (it loads while the user types), and an input bound
    // to the last committed token would be reset to it. It is committed on
    // change (Tab, Enter, leaving the field).
    let draft = use_state(|| props.token.clone());
    {
        let draft = draft.clone();
        use_effect_with(props.token.clone(), move |token| draft.set(token.clone()));
    }
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |event: InputEvent| draft.set(event.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let onchange = props.on_change.reform(|event: Event| event.target_unchecked_into::<HtmlInputElement>().value());
    let on_clear = props.on_change.reform(|_| String::new());
    html! {
        <details class="token" open={!props.token.is_empty()}>
            <summary>{ if props.token.is_empty() { "GitHub token (optional)" } else { "GitHub token (in use)" } }</summary>
            <label for="github-token">{ "Personal access token" }</label>
            <div class="row">
                <input id="github-token" type="password" autocomplete="off" spellcheck="false" value={(*draft).clone()} {oninput} {onchange} aria-describedby="token-help" />
                if !props.token.is_empty() {
                    <button type="button" onclick={on_clear}>{ "Forget" }</button>
                }
            </div>
            <p id="token-help" class="hint">
                { "Raises GitHub's limit from 60 to 5,000 calls an hour and reads private repositories the token can read. A fine-grained token with read-only access to contents is enough. It stays in this tab (session storage) and is sent only to api.github.com." }
            </p>
        </details>
    }
}
