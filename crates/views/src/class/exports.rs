//! The class table to take away: CSV for a spreadsheet and Markdown for a
//! course forum, in the CLI's columns (`m13_report::class`), each to save
//! as a file, copy, or read on the page.

use m13_app::components::CopyRequest;
use m13_app::components::copy_button::CopyButton;
use m13_report::{ClassRow, class_table_csv, class_table_markdown};
use yew::{Callback, Html, Properties, component, html};

/// A file to save: (name, MIME type, text).
pub type Download = (&'static str, &'static str, String);

#[derive(Properties, PartialEq)]
pub struct ExportsProps {
    pub rows: Vec<ClassRow>,
    pub on_copy: Callback<CopyRequest>,
    pub on_download: Callback<Download>,
}

#[component]
pub fn Exports(props: &ExportsProps) -> Html {
    let csv = class_table_csv(&props.rows);
    let markdown = class_table_markdown(&props.rows);
    let save = |name: &'static str, mime: &'static str, text: &str| {
        let text = text.to_owned();
        props.on_download.reform(move |_| (name, mime, text.clone()))
    };
    html! {
        <section class="class-exports" aria-labelledby="class-exports-heading">
            <h2 id="class-exports-heading">{ "The class table" }</h2>
            <p class="hint">{ "The same columns as the CLI's table (milestone-check check --from roster.txt --format csv)." }</p>
            <div class="row">
                <button type="button" onclick={save("milestone-13-class.csv", "text/csv;charset=utf-8", &csv)}>{ "Save as CSV" }</button>
                <button type="button" onclick={save("milestone-13-class.md", "text/markdown;charset=utf-8", &markdown)}>{ "Save as Markdown" }</button>
                <CopyButton text={markdown.clone()} label="Copy the Markdown" what="the Markdown" on_copy={props.on_copy.clone()} />
            </div>
            <details>
                <summary>{ "CSV" }</summary>
                <pre class="export" data-export="csv" tabindex="0" aria-label="The class table as CSV">{ csv }</pre>
            </details>
            <details>
                <summary>{ "Markdown" }</summary>
                <pre class="export" data-export="markdown" tabindex="0" aria-label="The class table as Markdown">{ markdown }</pre>
            </details>
        </section>
    }
}
