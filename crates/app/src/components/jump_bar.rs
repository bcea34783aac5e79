//! The links under the verdict to each part of the result: the rules, the
//! picture, the cluster steps and the review. On a phone it stays at the
//! top of the screen while the results scroll under it.

use yew::{Callback, Html, MouseEvent, Properties, component, html};

/// Each part of the result: its section's id and the link's text.
pub const PARTS: [(&str, &str); 4] =
    [("rules", "Rules"), ("graph", "Picture"), ("steps", "Steps"), ("review", "Review")];

#[derive(Properties, PartialEq)]
pub struct JumpBarProps {
    /// Asks to show the section of this id (the app scrolls to it: a plain
    /// `#steps` would be read against the page's `<base>` and reload it).
    pub on_jump: Callback<&'static str>,
}

#[component]
pub fn JumpBar(props: &JumpBarProps) -> Html {
    html! {
        <nav class="jump" aria-label="Parts of the result">
            <ul>
                { for PARTS.into_iter().map(|(id, text)| {
                    let onclick = props.on_jump.reform(move |event: MouseEvent| {
                        event.prevent_default();
                        id
                    });
                    html! { <li><a href={format!("#{id}")} {onclick}>{ text }</a></li> }
                }) }
            </ul>
        </nav>
    }
}
