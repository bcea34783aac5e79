//! The root component: it owns the one reducer and every side effect. Jobs
//! (a URL, a zip, the sample) go to the checker (a Web Worker, see
//! [`crate::checker`]) from an effect keyed on the job's id, and its
//! replies come back as actions; storage, the clipboard and the address bar
//! are touched here and nowhere else.

use std::rc::Rc;

use m13_rules::RuleId;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::{Callback, Html, UseReducerDispatcher, component, html, use_effect_with, use_mut_ref, use_reducer};

use crate::cache;
use crate::checker::client::Checker;
use crate::checker::protocol::{Reply, Request, Work};
use crate::clock;
use crate::components::CopyRequest;
use crate::components::cluster_steps::ClusterSteps;
use crate::components::drop_zone::DropZone;
use crate::components::finding_list::FindingList;
use crate::components::jump_bar::JumpBar;
use crate::components::load_error::LoadErrorView;
use crate::components::progress::ProgressView;
use crate::components::rate_limit::RateLimitLine;
use crate::components::release_graph::ReleaseGraph;
use crate::components::report_export::ReportExport;
use crate::components::summary::Summary;
use crate::components::token_field::TokenField;
use crate::components::url_form::UrlForm;
use crate::fetch::rate::RateLimit;
use crate::state::{Action, CheckState, Job, Pending, State, ZipFile, watchdog_seconds};
use crate::storage;

/// Larger files are not read: a release zip of this milestone is a few MB.
const MAX_ZIP_BYTES: f64 = 256.0 * 1024.0 * 1024.0;
/// How long a notice ("Copied…") stays.
const NOTICE_MS: u32 = 4_000;

type Dispatcher = UseReducerDispatcher<State>;

#[component]
pub fn App() -> Html {
    let state = use_reducer(State::default);

    // On load: the session's token and rate window, then a `?url=` link.
    {
        let dispatcher = state.dispatcher();
        use_effect_with((), move |_| {
            dispatcher.dispatch(Action::Restore { token: storage::load_token(), rate: storage::load_rate() });
            if let Some(url) = deep_link() {
                dispatcher.dispatch(Action::Open(url));
            }
        });
    }

    // The checker starts once the page is shown: it downloads while the user
    // pastes a URL, and the sample works even if the network goes away
    // later. Each job goes to it once, when asked for; a checker that could
    // not load is started again for the next job.
    let checker = use_mut_ref(|| None::<Checker>);
    {
        let checker = checker.clone();
        let dispatcher = state.dispatcher();
        let token = state.token.clone();
        let rate = state.rate;
        use_effect_with(state.job.clone(), move |job| {
            let mut checker = checker.borrow_mut();
            if !checker.as_ref().is_some_and(Checker::is_working) {
                match start_checker(&dispatcher) {
                    Ok(started) => *checker = Some(started),
                    Err(error) => {
                        *checker = None;
                        if let Some(pending) = job {
                            dispatcher.dispatch(Action::Failed { id: pending.id, error });
                        }
                    }
                }
            }
            if let (Some(pending), Some(checker)) = (job.clone(), checker.as_ref()) {
                show_in_address_bar(&pending.job);
                send(checker, pending, token, rate);
            }
        });
    }

    // The watchdog: a job the checker has, and about which it has said
    // nothing for the limit, is stopped. Each word from the checker (its
    // progress, its signs of life while it waits for the network) gives a
    // new `watch`, so a new timer; a checker stuck computing cannot speak.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.watch(), move |watch| {
            let timer = watch.map(|watch| {
                let seconds = watchdog_seconds(watchdog_hook());
                gloo::timers::callback::Timeout::new(seconds.saturating_mul(1000), move || {
                    dispatcher.dispatch(Action::Stalled { watch, seconds })
                })
            });
            move || drop(timer)
        });
    }
    // A checker the watchdog stopped is terminated (dropping it does), and
    // another starts at once, so that it has loaded by the next check.
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.checker_stops, move |stops| {
            if *stops > 0 {
                let mut checker = checker.borrow_mut();
                *checker = None;
                *checker = start_checker(&dispatcher).ok();
            }
        });
    }

    // Remember ticked steps, the token (this tab only) and the rate window.
    let steps_key = match &state.check {
        CheckState::Checked(checked) => Some(checked.steps_key.clone()),
        _ => None,
    };
    use_effect_with((steps_key, state.steps_done.clone()), |(key, done)| {
        if let Some(key) = key {
            storage::save_steps(key, done);
        }
    });
    use_effect_with(state.token.clone(), |token| storage::save_token(token));
    use_effect_with((state.rate, state.token.is_empty()), |(rate, anonymous)| {
        if *anonymous {
            storage::save_rate(rate.as_ref());
        }
    });

    // A finished check or an error takes the focus (and so the view): on a
    // phone the results start below the fold.
    let landing = match &state.check {
        CheckState::Checked(_) => Some("summary-heading"),
        CheckState::Failed(_) => Some("error-heading"),
        CheckState::Idle | CheckState::Working(_) => None,
    };
    use_effect_with((state.job_id(), landing), |(_, landing)| {
        if let Some(id) = landing {
            focus(id);
        }
    });

    // A notice goes away by itself.
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
    let on_input = dispatch_with(&dispatcher, Action::Edit);
    let on_submit = dispatch_with(&dispatcher, |()| Action::Submit);
    let on_open = dispatch_with(&dispatcher, Action::Open);
    let on_sample = dispatch_with(&dispatcher, |_| Action::TrySample);
    let on_recheck = dispatch_with(&dispatcher, |()| Action::Recheck);
    let on_retry = dispatch_with(&dispatcher, |()| Action::Retry);
    let on_toggle = dispatch_with(&dispatcher, Action::ToggleStep);
    let on_token = dispatch_with(&dispatcher, Action::SetToken);
    let on_file = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |file: File| check_file(file, &dispatcher))
    };
    let on_copy = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |request: CopyRequest| copy(request, dispatcher.clone()))
    };
    let on_show = Callback::from(show_finding);
    let on_jump = Callback::from(jump_to);
    let busy = state.is_working();
    let now = clock::now_secs();

    html! {
        <>
            <header class="site">
                <h1>{ "Milestone 13 release check" }</h1>
                <p class="lede">{ "CIS-92 \"A Scalable Application\": paste a GitHub release URL and see, in seconds, whether the release meets the milestone, with the cluster steps and a review to post." }</p>
            </header>
            // `data-checker` says whether the checker's worker has loaded (for
            // the browser tests, which go offline only after it has).
            <main data-checker={if state.checker_ready { "ready" } else { "loading" }}>
                <section class="input" aria-label="What to check">
                    <UrlForm value={state.input.clone()} problem={state.problem.clone()} {busy} {on_input} {on_submit} {on_open} />
                    <DropZone {busy} {on_file} />
                    <div class="row sample-row">
                        <button type="button" class="sample" onclick={on_sample} disabled={busy}>{ "Try a sample" }</button>
                        <span class="hint">{ "A made-up release with three mistakes, built into the page: no network needed." }</span>
                    </div>
                    <p class="hint class-link"><a href="?class">{ "Check a whole class" }</a></p>
                    <TokenField token={state.token.clone()} on_change={on_token} />
                </section>
                if let Some(rate) = state.rate {
                    <RateLimitLine {rate} {now} reset_clock={clock::clock_time(rate.reset)} />
                }
                <p class="notice" role="status" aria-live="polite">{ state.notice.clone().unwrap_or_default() }</p>
                { view_check(&state, Handlers { on_recheck, on_retry, on_toggle, on_copy, on_show, on_jump }) }
            </main>
            <footer class="site">
                <p>{ "The same rules as the milestone-check CLI. Files are read in this browser; only GitHub (or its jsDelivr mirror) is asked for them." }</p>
                <p class="build">{ crate::version::footer_line() }</p>
            </footer>
        </>
    }
}

/// What the results can ask of the app.
struct Handlers {
    on_recheck: Callback<()>,
    /// Run a stopped check again.
    on_retry: Callback<()>,
    on_toggle: Callback<String>,
    on_copy: Callback<CopyRequest>,
    /// Scroll to a rule's finding and focus it.
    on_show: Callback<RuleId>,
    /// Scroll to a part of the result (a section's id).
    on_jump: Callback<&'static str>,
}

fn view_check(state: &State, handlers: Handlers) -> Html {
    let Handlers { on_recheck, on_retry, on_toggle, on_copy, on_show, on_jump } = handlers;
    let done = &state.steps_done;
    match &state.check {
        CheckState::Idle => html! {},
        CheckState::Working(progress) => {
            html! { <ProgressView progress={*progress} checker_ready={state.checker_ready} /> }
        }
        CheckState::Failed(error) => {
            let on_retry = state.can_retry().then_some(on_retry);
            html! { <LoadErrorView error={error.clone()} {on_retry} /> }
        }
        CheckState::Checked(checked) => {
            let findings = checked.by_severity().into_iter().cloned().collect::<Vec<_>>();
            // Keyed by the job: a new check draws its result afresh, with
            // its own open and closed lines.
            let key = state.job_id().unwrap_or_default().to_string();
            html! {
                <div class="results" {key}>
                    <Summary checked={checked.clone()} {on_recheck} />
                    <JumpBar {on_jump} />
                    <FindingList {findings} rules={checked.rules.clone()} blob_base={checked.blob_base.clone()} />
                    <ReleaseGraph checked={checked.clone()} on_select={on_show} />
                    <ClusterSteps steps={checked.steps.clone()} done={done.clone()} {on_toggle} on_copy={on_copy.clone()} />
                    <ReportExport markdown={checked.markdown.clone()} issue={checked.issue.clone()} {on_copy} />
                    if let Some(release) = &checked.release {
                        // The comparison view loads on demand (crates/views).
                        <p class="hint compare-link">
                            <a href={format!("?compare={}", String::from(js_sys::encode_uri_component(&release.url)))}>{ "Compare with an earlier release" }</a>
                        </p>
                    }
                </div>
            }
        }
    }
}

fn dispatch_with<T: 'static>(dispatcher: &Dispatcher, action: impl Fn(T) -> Action + 'static) -> Callback<T> {
    let dispatcher = dispatcher.clone();
    Callback::from(move |value: T| dispatcher.dispatch(action(value)))
}

fn focus(id: &str) {
    let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
        element.scroll_into_view_with_bool(true);
    }
}

/// Opens the line of `rule`'s finding, scrolls to it and gives it the
/// focus, so the keyboard and screen readers carry on from there.
fn show_finding(rule: RuleId) {
    let selector = format!("[data-rule-id=\"{}\"]", rule.as_str());
    let card = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten());
    if let Some(card) = card.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        if let Ok(Some(details)) = card.query_selector("details.finding-details") {
            let _ = details.set_attribute("open", "");
        }
        card.scroll_into_view_with_bool(true);
        let _ = card.focus();
    }
}

/// A link of the jump bar: focuses the heading of the section `id` (its
/// first `h2`) and scrolls the section to the top, without touching the
/// address.
fn jump_to(id: &'static str) {
    let section = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    let Some(section) = section else { return };
    let heading = section.query_selector("h2").ok().flatten();
    if let Some(heading) = heading.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = heading.focus();
    }
    section.scroll_into_view_with_bool(true);
}

/// The `url` parameter of the page's address, decoded.
fn deep_link() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("url").filter(|u| !u.trim().is_empty())
}

/// Puts the checked release in the address bar (`?url=…`), so the page can
/// be shared or reloaded; other checks clear it.
fn show_in_address_bar(job: &Job) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let Ok(path) = location.pathname() else { return };
    let target = match job {
        Job::Release { release, .. } => {
            format!("{path}?url={}", String::from(js_sys::encode_uri_component(&release.url)))
        }
        Job::Zip { .. } | Job::Sample => path.clone(),
    };
    let current = format!("{path}{}", location.search().unwrap_or_default());
    if current != target
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
    }
}

fn check_file(file: File, dispatcher: &Dispatcher) {
    if file.size() > MAX_ZIP_BYTES {
        // Whole megabytes, as an integer: float formatting would cost the
        // page's first load 10 KB of wasm.
        let megabytes = (file.size() / 1_048_576.0).round() as u64;
        dispatcher.dispatch(Action::FileFailed(format!(
            "`{}` is {megabytes} MB; a release zip of this milestone is a few MB",
            file.name()
        )));
        return;
    }
    dispatcher.dispatch(Action::CheckZip { name: file.name(), file: ZipFile::new(file) });
}

fn copy(request: CopyRequest, dispatcher: Dispatcher) {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    // Only secure pages (https, localhost) have a clipboard.
    let has_clipboard =
        js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard")).is_ok_and(|c| !c.is_undefined());
    if !has_clipboard {
        let notice = format!(
            "This page cannot use the clipboard (it needs https): select {} and copy it by hand.",
            request.what
        );
        dispatcher.dispatch(Action::Notice(Some(notice)));
        return;
    }
    let promise = navigator.clipboard().write_text(&request.text);
    spawn_local(async move {
        let notice = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => format!("Copied {} to the clipboard.", request.what),
            Err(_) => format!("Could not copy {}: select it and copy it by hand.", request.what),
        };
        dispatcher.dispatch(Action::Notice(Some(notice)));
    });
}

/// A new checker whose replies become actions.
fn start_checker(dispatcher: &Dispatcher) -> Result<Checker, crate::fetch::error::LoadError> {
    let dispatcher = dispatcher.clone();
    Checker::start(move |reply| on_reply(reply, &dispatcher))
}

/// The test hook of the watchdog's limit: `window.m13WatchdogSeconds`, a
/// number a script of the page sets (the browser tests do, before the page
/// loads). No address or stored value can set it, and
/// [`watchdog_seconds`] only lets it shorten the limit.
fn watchdog_hook() -> Option<f64> {
    let window = web_sys::window()?;
    js_sys::Reflect::get(&window, &JsValue::from_str("m13WatchdogSeconds")).ok()?.as_f64()
}

/// Hands `pending` to the checker, with what only the page can read: the
/// token, the rate window, and the record local storage kept of the release.
fn send(checker: &Checker, pending: Pending, token: String, rate: Option<RateLimit>) {
    let (work, zip) = match pending.job {
        Job::Sample => (Work::Sample, None),
        Job::Zip { name, file, posted_url } => (Work::Zip { name, posted_url }, file.file().cloned()),
        Job::Release { release, fresh } => {
            let remembered = if fresh { None } else { storage::load_check(&cache::check_key(&release)) };
            (Work::Release { release, token, rate, remembered, mirror: false }, None)
        }
    };
    checker.send(&Request { id: pending.id, job: work }, zip.as_ref());
}

/// One reply of the checker, as an action (and the record to remember).
fn on_reply(reply: Reply, dispatcher: &Dispatcher) {
    match reply {
        Reply::Ready => dispatcher.dispatch(Action::CheckerReady),
        Reply::Progress { id, progress } => dispatcher.dispatch(Action::Progress { id, progress }),
        Reply::Rate(rate) => dispatcher.dispatch(Action::RateLimit(rate)),
        Reply::Loaded { id, checked, remember } => {
            if let Some(remember) = remember {
                storage::save_check(&remember.key, &remember.record);
            }
            let steps_done = storage::load_steps(&checked.steps_key);
            dispatcher.dispatch(Action::Loaded { id, checked: Rc::new(*checked), steps_done });
        }
        Reply::Failed { id, error } => dispatcher.dispatch(Action::Failed { id, error }),
        Reply::Alive { id } => dispatcher.dispatch(Action::Alive { id }),
        // The page sends no view's job.
        Reply::ForView { .. } => {}
    }
}
