//! The class view's root: it owns the reducer and every side effect (the
//! checker, storage, the address bar, downloads and the clipboard).

use std::rc::Rc;

use m13_app::cache;
use m13_app::checker::client::Checker;
use m13_app::checker::protocol::{Reply, Request, Work};
use m13_app::clock;
use m13_app::components::CopyRequest;
use m13_app::components::rate_limit::RateLimitLine;
use m13_app::components::token_field::TokenField;
use m13_app::fetch::error::LoadError;
use m13_app::state::{ZipFile, watchdog_seconds};
use m13_app::storage;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, File, HtmlInputElement, HtmlTextAreaElement, InputEvent};
use yew::{
    Callback, Html, TargetCast, UseReducerDispatcher, component, html, use_effect_with, use_mut_ref, use_reducer,
};

use crate::checker_slot::CheckerSlot;
use crate::class::exports::Exports;
use crate::class::reports::RowReports;
use crate::class::state::{Action, ClassState, Send, Source};
use crate::class::table::{ClassTable, Rows};

type Dispatcher = UseReducerDispatcher<ClassState>;

/// How long a notice ("Copied…") stays.
const NOTICE_MS: u32 = 4_000;

#[component]
pub fn ClassApp() -> Html {
    let state = use_reducer(ClassState::default);

    // On load: the session's token and rate window, then what to check: the
    // zips the single-release page handed over, else `?urls=`.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            dispatcher.dispatch(Action::Restore { token: storage::load_token(), rate: storage::load_rate() });
            let files = handed_over_files();
            if !files.is_empty() {
                dispatcher.dispatch(Action::CheckZips { files, now: clock::now_secs() });
            } else if let Some(list) = urls_parameter() {
                dispatcher.dispatch(Action::Edit(list));
                dispatcher.dispatch(Action::CheckList { now: clock::now_secs() });
            }
        });
    }

    // The checker: one Web Worker for the class, started at once and again
    // after it stops; each job of the outbox goes to it once.
    let slot = use_mut_ref(CheckerSlot::default);
    {
        let dispatcher = state.dispatcher();
        let state = state.clone();
        use_effect_with((state.outbox.len(), state.checker_restarts), move |_| {
            let mut slot = slot.borrow_mut();
            if let Some((checker, new)) =
                slot.next(&state.outbox, state.checker_restarts, || start_checker(&dispatcher))
            {
                for send in new {
                    send_job(checker, &state, send);
                }
            }
        });
    }

    // The watchdog, as on the single-release page: while rows run, a
    // checker that says nothing about them for the limit (it sends a sign
    // of life every 2 s while it waits for the network) is stuck.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((state.words, state.is_running()), move |&(words, running)| {
            let seconds = watchdog_seconds(None);
            let timer = running.then(|| {
                gloo::timers::callback::Timeout::new(seconds.saturating_mul(1000), move || {
                    dispatcher.dispatch(Action::Stalled { words, seconds, now: clock::now_secs() })
                })
            });
            move || drop(timer)
        });
    }

    use_effect_with(state.token.clone(), |token| storage::save_token(token));
    use_effect_with((state.rate, state.token.is_empty()), |(rate, anonymous)| {
        if *anonymous {
            storage::save_rate(rate.as_ref());
        }
    });
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.notice.clone(), move |notice| {
            let timeout = notice.is_some().then(|| {
                gloo::timers::callback::Timeout::new(NOTICE_MS, move || dispatcher.dispatch(Action::Notice(None)))
            });
            move || drop(timeout)
        });
    }

    let dispatcher = state.dispatcher();
    let on_edit = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: InputEvent| {
            dispatcher.dispatch(Action::Edit(event.target_unchecked_into::<HtmlTextAreaElement>().value()))
        })
    };
    let on_check = {
        let dispatcher = dispatcher.clone();
        let list = state.list.clone();
        Callback::from(move |_| {
            show_in_address_bar(&list);
            dispatcher.dispatch(Action::CheckList { now: clock::now_secs() });
        })
    };
    let on_zips = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let files = input.files().map(|list| zips_of((0..list.length()).filter_map(|i| list.get(i))));
            if let Some(files) = files.filter(|f| !f.is_empty()) {
                show_in_address_bar("");
                dispatcher.dispatch(Action::CheckZips { files, now: clock::now_secs() });
            }
            input.set_value("");
        })
    };
    let on_token = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |token: String| dispatcher.dispatch(Action::SetToken(token)))
    };
    let on_copy = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |request: CopyRequest| {
            let dispatcher = dispatcher.clone();
            copy(request, move |notice| dispatcher.dispatch(Action::Notice(Some(notice))));
        })
    };
    let on_download = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |(name, mime, text): crate::class::exports::Download| {
            // A byte-order mark, so a spreadsheet reads the names as UTF-8.
            let text = if mime.starts_with("text/csv") { format!("\u{feff}{text}") } else { text };
            if download(name, mime, &text).is_err() {
                dispatcher
                    .dispatch(Action::Notice(Some(format!("Could not save {name}: copy the text below instead."))));
            }
        })
    };
    let now = clock::now_secs();
    let rows = Rows(Rc::new(state.rows.clone()));
    let busy = state.rows.iter().any(|r| matches!(r.state, crate::class::state::RowState::Running { .. }));

    html! {
        <>
            <header class="site">
                <h1>{ "Milestone 13: check a class" }</h1>
                <p class="lede">{ "Every release of a class at once: one row per release, one cell per rule, each release's report a tap away, and the table as CSV or Markdown." }</p>
            </header>
            <main class="class-view" data-checker={if state.checker_ready { "ready" } else { "loading" }}>
                <section class="input" aria-label="What to check">
                    <label for="class-list">{ "Release URLs, one a line, or \"Name, URL\" (a spreadsheet's two columns pasted work too)" }</label>
                    <textarea id="class-list" rows="6" spellcheck="false" autocomplete="off"
                        placeholder="Ana Lopez, https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1"
                        value={state.list.clone()} oninput={on_edit} />
                    <div class="row">
                        <button type="button" class="primary" onclick={on_check}>{ "Check every release" }</button>
                        <label class="button" for="class-zips">{ "Choose zip files" }</label>
                        <input id="class-zips" class="visually-hidden" type="file" multiple=true accept=".zip,application/zip" onchange={on_zips} />
                    </div>
                    <TokenField token={state.token.clone()} on_change={on_token} />
                    <p class="hint"><a href="./">{ "Check one release instead" }</a></p>
                </section>
                if let Some(rate) = state.rate {
                    <RateLimitLine {rate} {now} reset_clock={clock::clock_time(rate.reset)} />
                }
                <p class="notice" role="status" aria-live="polite">{ state.notice.clone().unwrap_or_default() }</p>
                if let Some(warning) = &state.warning {
                    <p class="warning" role="alert">{ warning.clone() }</p>
                }
                if !state.rows.is_empty() {
                    <section class="class-results" aria-labelledby="class-heading" data-busy={busy.to_string()}>
                        <ClassTable rows={rows.clone()} />
                        <Exports rows={state.class_rows()} on_copy={on_copy.clone()} {on_download} />
                        <RowReports {rows} {on_copy} />
                    </section>
                }
            </main>
            <footer class="site">
                <p>{ "The same rules as the milestone-check CLI (milestone-check check --from roster.txt). Files are read in this browser; only GitHub (or its jsDelivr mirror) is asked for them." }</p>
                <p class="build">{ m13_app::version::footer_line() }</p>
            </footer>
        </>
    }
}

/// A new checker whose replies become actions; `None` (and a notice) if it
/// cannot start.
fn start_checker(dispatcher: &Dispatcher) -> Option<Checker> {
    let for_replies = dispatcher.clone();
    match Checker::start(move |reply| on_reply(reply, &for_replies)) {
        Ok(checker) => Some(checker),
        Err(error) => {
            dispatcher.dispatch(Action::Notice(Some(format!("{}: {}", error.title(), error.message()))));
            None
        }
    }
}

/// Hands one row to the checker, with what only the page can read: the
/// token, the rate window, and the record local storage kept of a release.
fn send_job(checker: &Checker, state: &ClassState, send: &Send) {
    let Some(row) = state.rows.get(send.row) else { return };
    let (job, zip) = match &row.source {
        Source::Release(release) => {
            let remembered = storage::load_check(&cache::check_key(release));
            let work = Work::Release {
                release: release.clone(),
                token: state.token.clone(),
                rate: state.rate,
                remembered,
                mirror: send.mirror,
            };
            (work, None)
        }
        Source::Zip { name, file } => (Work::Zip { name: name.clone(), posted_url: None }, file.file().cloned()),
        Source::Unusable { .. } => return,
    };
    checker.send(&Request { id: send.job, job }, zip.as_ref());
}

fn on_reply(reply: Reply, dispatcher: &Dispatcher) {
    let now = clock::now_secs();
    match reply {
        Reply::Ready => dispatcher.dispatch(Action::CheckerReady),
        Reply::Progress { id, progress } => dispatcher.dispatch(Action::Progress { job: id, progress }),
        Reply::Rate(rate) => dispatcher.dispatch(Action::Rate(rate)),
        Reply::Loaded { id, checked, remember } => {
            if let Some(remember) = remember {
                storage::save_check(&remember.key, &remember.record);
            }
            dispatcher.dispatch(Action::Loaded { job: id, checked: Rc::new(*checked), now });
        }
        Reply::Failed { id, error } => {
            let checker_stopped = matches!(error, LoadError::Checker { .. } | LoadError::TimedOut { .. });
            let message = format!("{}: {}", error.title(), error.message());
            dispatcher.dispatch(Action::Failed { job: id, message, checker_stopped, now });
        }
        Reply::Alive { id } => dispatcher.dispatch(Action::Alive { job: id }),
        Reply::ForView { .. } => {}
    }
}

/// The zips `web/boot.js` was handed by the single-release page
/// (`window.m13ClassFiles`, an array of `File`), taken once.
fn handed_over_files() -> Vec<(String, ZipFile)> {
    let Some(window) = web_sys::window() else { return Vec::new() };
    let key = JsValue::from_str("m13ClassFiles");
    let value = js_sys::Reflect::get(&window, &key).unwrap_or(JsValue::UNDEFINED);
    let _ = js_sys::Reflect::delete_property(&window, &key);
    if !js_sys::Array::is_array(&value) {
        return Vec::new();
    }
    zips_of(js_sys::Array::from(&value).iter().filter_map(|f| f.dyn_into::<File>().ok()))
}

fn zips_of(files: impl Iterator<Item = File>) -> Vec<(String, ZipFile)> {
    files.map(|file| (file.name(), ZipFile::new(file))).collect()
}

/// The `urls` parameter of the address, decoded by the browser.
fn urls_parameter() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("urls").filter(|u| !u.trim().is_empty())
}

/// `?urls=…` for the list being checked (so the class view can be shared
/// or reloaded), `?class` for zips.
fn show_in_address_bar(list: &str) {
    let Some(window) = web_sys::window() else { return };
    let Ok(path) = window.location().pathname() else { return };
    let target = if list.trim().is_empty() {
        format!("{path}?class")
    } else {
        format!("{path}?urls={}", String::from(js_sys::encode_uri_component(list.trim())))
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
    }
}

/// Copies `request.text`; `notice` gets what to tell the user.
pub fn copy(request: CopyRequest, notice: impl Fn(String) + 'static) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // Only secure pages (https, localhost) have a clipboard.
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined());
    if !has_clipboard {
        notice(format!("This page cannot use the clipboard (it needs https): select {} and copy it.", request.what));
        return;
    }
    let promise = navigator.clipboard().write_text(&request.text);
    wasm_bindgen_futures::spawn_local(async move {
        notice(match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => format!("Copied {} to the clipboard.", request.what),
            Err(_) => format!("Could not copy {}: select it and copy it by hand.", request.what),
        });
    });
}

/// Saves `text` as a file named `name`, through a `blob:` link.
fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // Not at once: the download reads the blob after the click returns.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
    Ok(())
}
