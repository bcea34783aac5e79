//! Drop zone and file picker for the release's "Source code (zip)". The
//! files go up to the app: one is checked here, several open the class view.

use web_sys::{DragEvent, Event, File, FileList, HtmlInputElement};
use yew::{Callback, Html, Properties, TargetCast, classes, component, html, use_state};

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub busy: bool,
    pub on_files: Callback<Vec<File>>,
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
        let on_files = props.on_files.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hover.set(false);
            if let Some(list) = event.data_transfer().and_then(|d| d.files()) {
                on_files.emit(files_of(&list));
            }
        })
    };
    let onchange = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(list) = input.files() {
                on_files.emit(files_of(&list));
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

fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}
