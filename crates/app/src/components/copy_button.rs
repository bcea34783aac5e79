//! A button that asks the app to copy a text.

use yew::{Callback, Html, Properties, component, html};

use super::CopyRequest;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: String,
    /// The button's visible label.
    pub label: String,
    /// What is copied, for screen readers and the confirmation.
    pub what: String,
    pub on_copy: Callback<CopyRequest>,
}

#[component]
pub fn CopyButton(props: &CopyButtonProps) -> Html {
    let onclick = {
        let request = CopyRequest { text: props.text.clone(), what: props.what.clone() };
        props.on_copy.reform(move |_| request.clone())
    };
    html! {
        <button type="button" class="copy" {onclick} aria-label={format!("Copy {}", props.what)}>
            { props.label.clone() }
        </button>
    }
}
