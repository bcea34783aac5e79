//! Drop zone and file picker for the release's "Source code (zip)". The
//! file goes up to the app, which reads it. Several at once open the class
//! view instead: `web/boot.js` takes them before this component sees them.

use web_sys::{DragEvent, Event, File, HtmlInputElement};
use yew::{Callback, Html, Properties, TargetCast, classes, component, html, use_state};

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub busy: bool,
    pub on_file: Callback<File>,
}

#[component]
pub fn DropZone(props: &DropZoneProps) -> Html {
    let hover = use_state(|| false);
    let ondragover = {
        let hover = hover.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hover.set(true);
        })
    };
    let ondragleave = {
        let hover = hover.clone();
        Callback::from(move |_: DragEvent| hover.set(false))
    };
    let ondrop = {
        let hover = hover.clone();
        let on_file = props.on_file.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hover.set(false);
            if let Some(file) = event.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                on_file.emit(file);
            }
        })
    };
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                on_file.emit(file);
            }
            // Picking the same file again should check it again.
            input.set_value("");
        })
    };
    html! {
        <div class={classes!("drop-zone", (*hover).then_some("hover"))} {ondragover} {ondragleave} {ondrop}>
            <p>{ "Or drop the release's \"Source code (zip)\" here (several at once: a class). It is read in this browser; nothing is uploaded." }</p>
            <label class="button" for="zip-file">{ "Choose a zip file" }</label>
            <input id="zip-file" class="visually-hidden" type="file" multiple=true accept=".zip,application/zip" disabled={props.busy} {onchange} />
        </div>
    }
}
