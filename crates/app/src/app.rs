//! The root component: it owns the one reducer and every side effect. Jobs
//! (a URL, a zip, the sample) run in an effect keyed on the job's id;
//! storage, the clipboard and the address bar are touched here and nowhere
//! else.

use std::collections::BTreeSet;
use std::rc::Rc;

use m13_rules::{Origin, RuleId, SourceKind, check};
use m13_source::zip::ZipSource;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::File;
use yew::{Callback, Html, UseReducerDispatcher, component, html, use_effect_with, use_reducer};

use crate::cache::{self, StoredCheck};
use crate::clock;
use crate::components::CopyRequest;
use crate::components::cluster_steps::ClusterSteps;
use crate::components::drop_zone::DropZone;
use crate::components::finding_list::FindingList;
use crate::components::load_error::LoadErrorView;
use crate::components::progress::ProgressView;
use crate::components::rate_limit::RateLimitLine;
use crate::components::release_graph::ReleaseGraph;
use crate::components::report_export::ReportExport;
use crate::components::summary::Summary;
use crate::components::token_field::TokenField;
use crate::components::url_form::UrlForm;
use crate::fetch::error::LoadError;
use crate::fetch::rate::RateLimit;
use crate::fetch::run::{Event, fetch_release};
use crate::input::{Input, ReleaseRef, classify};
use crate::links::BlobBase;
use crate::sample;
use crate::state::{Action, CheckState, Checked, Job, Pending, Phase, Progress, State, ZipBytes};
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

    // Run each job once, when it is asked for.
    {
        let dispatcher = state.dispatcher();
        let token = state.token.clone();
        let rate = state.rate;
        use_effect_with(state.job.clone(), move |job| {
            if let Some(pending) = job.clone() {
                show_in_address_bar(&pending.job);
                spawn_local(run_job(pending, token, rate, dispatcher));
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
    let on_toggle = dispatch_with(&dispatcher, Action::ToggleStep);
    let on_token = dispatch_with(&dispatcher, Action::SetToken);
    let on_file = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |file: File| read_file(file, dispatcher.clone()))
    };
    let on_copy = {
        let dispatcher = dispatcher.clone();
        Callback::from(move |request: CopyRequest| copy(request, dispatcher.clone()))
    };
    let on_show = Callback::from(show_finding);
    let busy = state.is_working();
    let now = clock::now_secs();

    html! {
        <>
            <header class="site">
                <h1>{ "Milestone 13 release check" }</h1>
                <p class="lede">{ "CIS-92 \"A Scalable Application\": paste a GitHub release URL and see, in seconds, whether the release meets the milestone, with the cluster steps and a review to post." }</p>
            </header>
            <main>
                <section class="input" aria-label="What to check">
                    <UrlForm value={state.input.clone()} problem={state.problem.clone()} {busy} {on_input} {on_submit} {on_open} />
                    <DropZone {busy} {on_file} />
                    <div class="row sample-row">
                        <button type="button" class="sample" onclick={on_sample} disabled={busy}>{ "Try a sample" }</button>
                        <span class="hint">{ "A made-up release with three mistakes, built into the page: no network needed." }</span>
                    </div>
                    <TokenField token={state.token.clone()} on_change={on_token} />
                </section>
                if let Some(rate) = state.rate {
                    <RateLimitLine {rate} {now} reset_clock={clock::clock_time(rate.reset)} />
                }
                <p class="notice" role="status" aria-live="polite">{ state.notice.clone().unwrap_or_default() }</p>
                { view_check(&state.check, Handlers { on_recheck, on_toggle, on_copy, on_show }, &state.steps_done) }
            </main>
            <footer class="site">
                <p>{ "The same rules as the milestone-check CLI. Files are read in this browser; only GitHub (or its jsDelivr mirror) is asked for them." }</p>
            </footer>
        </>
    }
}

/// What the results can ask of the app.
struct Handlers {
    on_recheck: Callback<()>,
    on_toggle: Callback<String>,
    on_copy: Callback<CopyRequest>,
    /// Scroll to a rule's finding and focus it.
    on_show: Callback<RuleId>,
}

fn view_check(check: &CheckState, handlers: Handlers, done: &BTreeSet<String>) -> Html {
    let Handlers { on_recheck, on_toggle, on_copy, on_show } = handlers;
    match check {
        CheckState::Idle => html! {},
        CheckState::Working(progress) => html! { <ProgressView progress={*progress} /> },
        CheckState::Failed(error) => html! { <LoadErrorView error={error.clone()} /> },
        CheckState::Checked(checked) => {
            let findings = checked.report.by_severity().into_iter().cloned().collect::<Vec<_>>();
            html! {
                <div class="results">
                    <Summary checked={checked.clone()} {on_recheck} />
                    <ReleaseGraph report={checked.report.clone()} on_select={on_show} />
                    <FindingList {findings} blob_base={checked.blob_base.clone()} />
                    <ClusterSteps steps={checked.report.steps.clone()} done={done.clone()} {on_toggle} on_copy={on_copy.clone()} />
                    <ReportExport markdown={checked.markdown.to_string()} {on_copy} />
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

/// Scrolls to the card of `rule`'s finding and gives it the focus, so the
/// keyboard and screen readers carry on from there.
fn show_finding(rule: RuleId) {
    let selector = format!("[data-rule-id=\"{}\"]", rule.as_str());
    let card = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(&selector).ok().flatten());
    if let Some(card) = card.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        card.scroll_into_view_with_bool(true);
        let _ = card.focus();
    }
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

fn read_file(file: File, dispatcher: Dispatcher) {
    if file.size() > MAX_ZIP_BYTES {
        dispatcher.dispatch(Action::FileFailed(format!(
            "`{}` is {:.0} MB; a release zip of this milestone is a few MB",
            file.name(),
            file.size() / 1_048_576.0
        )));
        return;
    }
    dispatcher.dispatch(Action::ReadingFile);
    let name = file.name();
    spawn_local(async move {
        match gloo::file::futures::read_as_bytes(&gloo::file::File::from(file)).await {
            Ok(bytes) => dispatcher.dispatch(Action::CheckZip { name, bytes: ZipBytes::new(bytes) }),
            Err(error) => dispatcher.dispatch(Action::FileFailed(error.to_string())),
        }
    });
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

/// Lets the browser paint the progress before a long synchronous step.
async fn yield_to_browser() {
    gloo::timers::future::TimeoutFuture::new(0).await;
}

async fn run_job(pending: Pending, token: String, rate: Option<RateLimit>, dispatcher: Dispatcher) {
    let id = pending.id;
    let result = match pending.job {
        Job::Sample => {
            yield_to_browser().await;
            Ok(checked_sample())
        }
        Job::Zip { name, bytes, posted_url } => {
            yield_to_browser().await;
            checked_zip(&name, bytes.take(), posted_url)
        }
        Job::Release { release, fresh } => checked_release(id, &release, fresh, &token, rate, &dispatcher).await,
    };
    match result {
        Ok(checked) => {
            let steps_done = storage::load_steps(&checked.steps_key);
            dispatcher.dispatch(Action::Loaded { id, checked: Rc::new(checked), steps_done });
        }
        Err(error) => dispatcher.dispatch(Action::Failed { id, error }),
    }
}

fn checked(report: m13_rules::Report, label: String, steps_subject: &str) -> Checked {
    let markdown: Rc<str> = Rc::from(m13_report::to_markdown(&report, &label));
    Checked {
        report: Rc::new(report),
        label,
        markdown,
        steps_key: cache::steps_key(steps_subject),
        blob_base: None,
        notes: Vec::new(),
        remembered: None,
        release: None,
    }
}

fn checked_sample() -> Checked {
    let mut checked = checked(sample::report(), sample::LABEL.to_owned(), "sample");
    checked.notes.push(format!(
        "The files are built into this page (web/sample/); the URL {} is made up, so GitHub was not asked.",
        sample::POSTED_URL
    ));
    checked
}

fn checked_zip(name: &str, bytes: Vec<u8>, posted_url: Option<String>) -> Result<Checked, LoadError> {
    let mut source = ZipSource::from_bytes(name, bytes).map_err(|e| LoadError::Zip { detail: format!("{e}.") })?;
    let snapshot = m13_source::load(&mut source);
    let mut origin = Origin::new(SourceKind::Zip { name: name.to_owned() });
    let release = match posted_url.as_deref().map(classify) {
        Some(Input::Release(release)) => Some(release),
        _ => None,
    };
    if let Some(release) = &release {
        origin = origin.posted_url(release.url.clone());
    }
    let mut checked = checked(check(&snapshot, &origin), name.to_owned(), &format!("zip:{name}"));
    checked.notes.push(match &release {
        Some(release) => format!(
            "Files from the zip file, read in this browser: nothing was uploaded. The tag is judged from the URL in the field ({}).",
            release.url
        ),
        None => "Files from the zip file, read in this browser: nothing was uploaded. Put the release URL in the field before dropping the zip to have the tag judged too.".to_owned(),
    });
    checked.blob_base = release.map(|r| BlobBase { owner: r.owner, repo: r.repo, tag: r.tag });
    Ok(checked)
}

fn checked_from_record(record: &StoredCheck, remembered: Option<String>) -> Checked {
    let release = record.release();
    let subject = cache::release_id(&release.owner, &release.repo, &release.tag);
    let mut checked = checked(record.report(), record.posted_url.clone(), &subject);
    checked.notes = record.notes.clone();
    checked.remembered = remembered;
    checked.blob_base =
        Some(BlobBase { owner: release.owner.clone(), repo: release.repo.clone(), tag: release.tag.clone() });
    checked.release = Some(release);
    checked
}

async fn checked_release(
    id: u32,
    release: &ReleaseRef,
    fresh: bool,
    token: &str,
    rate: Option<RateLimit>,
    dispatcher: &Dispatcher,
) -> Result<Checked, LoadError> {
    let key = cache::check_key(release);
    if !fresh
        && let Some(mut record) = storage::load_check(&key)
        && record.is_current()
    {
        // The same release, maybe posted with another spelling of the URL.
        record.posted_url = release.url.clone();
        yield_to_browser().await;
        return Ok(checked_from_record(&record, Some(clock::date_time(record.saved_at))));
    }
    let emit = |event: Event| match event {
        Event::Progress(progress) => dispatcher.dispatch(Action::Progress { id, progress }),
        Event::Rate(rate) => dispatcher.dispatch(Action::RateLimit(rate)),
    };
    let token = Some(token).filter(|t| !t.is_empty());
    let record = fetch_release(release, token, rate, &emit).await?;
    emit(Event::Progress(Progress::start(Phase::Checking)));
    yield_to_browser().await;
    storage::save_check(&key, &record);
    Ok(checked_from_record(&record, None))
}
