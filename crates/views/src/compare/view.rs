//! The comparison view's root: it owns the reducer and the side effects
//! (the checker, storage, the clipboard).

use std::rc::Rc;

use m13_app::cache;
use m13_app::checker::client::Checker;
use m13_app::checker::protocol::{Compared, ComparedRule, Reply, Request, ViewAnswer, ViewReply, Work};
use m13_app::clock;
use m13_app::components::CopyRequest;
use m13_app::components::copy_button::CopyButton;
use m13_app::components::finding_card::badge;
use m13_app::components::rate_limit::RateLimitLine;
use m13_app::components::token_field::TokenField;
use m13_app::input::ReleaseRef;
use m13_app::storage;
use yew::{
    Callback, Html, Properties, UseReducerDispatcher, component, html, use_effect_with, use_mut_ref, use_reducer,
};

use super::state::{Action, CompareState, Comparing, Earlier};
use crate::checker_slot::CheckerSlot;
use crate::class::view::copy;

type Dispatcher = UseReducerDispatcher<CompareState>;

/// The order the changes are listed in: what the reviewer asked for first.
const GROUPS: [(&str, &str); 4] =
    [("fixed", "Fixed"), ("broken", "Broken"), ("still-failing", "Still failing"), ("changed", "Changed")];

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    /// The release to compare (`?compare=`).
    pub url: String,
}

/// The `compare` parameter of the address, decoded by the browser.
pub fn compare_parameter() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get("compare")
}

#[component]
pub fn CompareApp(props: &CompareProps) -> Html {
    let state = use_reducer(CompareState::new);
    {
        let dispatcher = state.dispatcher();
        let url = props.url.clone();
        use_effect_with((), move |_| {
            dispatcher.dispatch(Action::Open { url, token: storage::load_token(), rate: storage::load_rate() });
        });
    }
    let slot = use_mut_ref(CheckerSlot::default);
    {
        let dispatcher = state.dispatcher();
        let state = state.clone();
        use_effect_with(state.outbox.len(), move |_| {
            let start = || {
                let for_replies = dispatcher.clone();
                let started = Checker::start(move |reply| on_reply(reply, &for_replies)).ok();
                if started.is_none() {
                    let notice = "The checker could not start: reload the page.".to_owned();
                    dispatcher.dispatch(Action::Notice(Some(notice)));
                }
                started
            };
            if let Some((checker, new)) = slot.borrow_mut().next(&state.outbox, 0, start) {
                for send in new {
                    checker.send(&Request { id: send.job, job: Work::ForView(send.work.encode()) }, None);
                }
            }
        });
    }
    use_effect_with(state.token.clone(), |token| storage::save_token(token));

    let dispatcher = state.dispatcher();
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
    let now = clock::now_secs();
    let busy = state.is_busy();
    let release = state.release.as_ref().ok();

    html! {
        <>
            <header class="site">
                <h1>{ "Milestone 13: what changed since an earlier release" }</h1>
                <p class="lede">{ "A resubmission beside the release that was sent back: which verdicts changed, and which of the files the rules read." }</p>
            </header>
            <main class="compare-view" data-checker={if state.checker_ready { "ready" } else { "loading" }}>
                <section class="input" aria-label="The release">
                    if let Some(release) = release {
                        <p>{ "Release: " }<code>{ release.url.clone() }</code>{ " " }
                            <a href={format!("?url={}", String::from(js_sys::encode_uri_component(&release.url)))}>{ "Back to its report" }</a>
                        </p>
                    }
                    <TokenField token={state.token.clone()} on_change={on_token} />
                </section>
                if let Some(rate) = state.rate {
                    <RateLimitLine {rate} {now} reset_clock={clock::clock_time(rate.reset)} />
                }
                <p class="notice" role="status" aria-live="polite">{ state.notice.clone().unwrap_or_default() }</p>
                { earlier_view(&state.earlier, release, busy, &dispatcher) }
                { comparing_view(&state.comparing, release, on_copy) }
            </main>
            <footer class="site">
                <p>{ "The same comparison as the milestone-check CLI's check URL --compare-to TAG." }</p>
                <p class="build">{ m13_app::version::footer_line() }</p>
            </footer>
        </>
    }
}

fn earlier_view(earlier: &Earlier, release: Option<&ReleaseRef>, busy: bool, dispatcher: &Dispatcher) -> Html {
    match earlier {
        Earlier::Asking => {
            html! { <p class="progress" role="status">{ "Asking GitHub for the repository's releases (one API call)…" }</p> }
        }
        Earlier::Failed(why) => html! {
            <section class="load-error" role="alert" aria-labelledby="error-heading">
                <h2 id="error-heading">{ "No comparison" }</h2>
                <p>{ why.clone() }</p>
            </section>
        },
        Earlier::Listed(tags) if tags.is_empty() => {
            let repository = release.map(|r| format!("{}/{}", r.owner, r.repo)).unwrap_or_default();
            html! { <p class="earlier none">{ format!("{repository} has no earlier milestone-13 release to compare with.") }</p> }
        }
        Earlier::Listed(tags) => html! {
            <section class="earlier" aria-labelledby="earlier-heading">
                <h2 id="earlier-heading">{ "Earlier milestone-13 releases" }</h2>
                <div class="row">
                    { for tags.iter().map(|tag| {
                        let label = format!("Compare with {tag}");
                        let onclick = {
                            let (tag, dispatcher, release) = (tag.clone(), dispatcher.clone(), release.cloned());
                            Callback::from(move |_| {
                                let remembered = release.as_ref().map(|r| remembered(r, &tag)).unwrap_or_default();
                                dispatcher.dispatch(Action::Compare { tag: tag.clone(), remembered });
                            })
                        };
                        html! { <button type="button" data-tag={tag.clone()} {onclick} disabled={busy}>{ label }</button> }
                    }) }
                </div>
            </section>
        },
    }
}

/// The browser's records of `release` and of its repository's `tag`.
fn remembered(release: &ReleaseRef, tag: &str) -> (Option<String>, Option<String>) {
    let earlier = ReleaseRef { tag: tag.to_owned(), ..release.clone() };
    (storage::load_check(&cache::check_key(release)), storage::load_check(&cache::check_key(&earlier)))
}

fn comparing_view(comparing: &Comparing, release: Option<&ReleaseRef>, on_copy: Callback<CopyRequest>) -> Html {
    match comparing {
        Comparing::Idle => html! {},
        Comparing::Running { tag, progress } => html! {
            <p class="progress" role="status">
                { format!("Comparing with {tag}: {}…", progress.map_or("starting", |p| p.phase.describe())) }
            </p>
        },
        Comparing::Failed { tag, message } => html! {
            <section class="load-error" role="alert" aria-labelledby="error-heading">
                <h2 id="error-heading">{ format!("{tag} could not be compared") }</h2>
                <p>{ message.clone() }</p>
            </section>
        },
        Comparing::Done(compared) => comparison(compared, release, on_copy),
    }
}

fn comparison(compared: &Compared, release: Option<&ReleaseRef>, on_copy: Callback<CopyRequest>) -> Html {
    let repository = release.map(|r| format!("{}/{}", r.owner, r.repo)).unwrap_or_default();
    html! {
        <section id="comparison" class="comparison" data-earlier={compared.earlier.clone()} aria-labelledby="comparison-heading">
            <h2 id="comparison-heading" tabindex="-1">{ format!("Since {}: {}", compared.earlier, compared.summary) }</h2>
            { for GROUPS.iter().map(|(change, heading)| {
                let rules: Vec<&ComparedRule> = compared.rules.iter().filter(|r| r.change == *change).collect();
                if rules.is_empty() {
                    return html! {};
                }
                html! {
                    <>
                        <h3>{ *heading }</h3>
                        <ul class="changes">
                            { for rules.into_iter().map(|rule| html! {
                                <li data-rule-id={rule.id.as_str()} data-change={rule.change.clone()}>
                                    <code>{ rule.id.as_str() }</code>{ format!(": {} ({} → {})", rule.title, badge(rule.before), badge(rule.after)) }
                                </li>
                            }) }
                        </ul>
                    </>
                }
            }) }
            <h3>{ "Files the rules read" }</h3>
            if compared.files.is_empty() {
                <p>{ "None of the files the rules read changed." }</p>
            } else {
                <ul class="changed-files">
                    { for compared.files.iter().map(|file| html! {
                        <li data-path={file.path.clone()} data-change={file.change.clone()}><code>{ file.path.clone() }</code>{ format!(" ({})", file.change) }</li>
                    }) }
                </ul>
            }
            <h3>{ "The review, with what changed" }</h3>
            <label for="compare-markdown" class="visually-hidden">{ "The review in Markdown" }</label>
            <div class="export">
                <textarea id="compare-markdown" readonly=true rows="12" spellcheck="false" value={compared.markdown.clone()} />
            </div>
            <div class="row">
                <CopyButton text={compared.markdown.clone()} label="Copy the review" what="the review" {on_copy} />
                if let Some(issue) = &compared.issue {
                    <a class="button" href={issue.url.clone()} target="_blank" rel="noopener noreferrer">{ format!("Open an issue on {repository}") }</a>
                }
            </div>
            if let Some(note) = compared.issue.as_ref().and_then(|i| i.note.clone()) {
                <p class="hint">{ note }</p>
            }
        </section>
    }
}

fn on_reply(reply: Reply, dispatcher: &Dispatcher) {
    match reply {
        Reply::Ready => dispatcher.dispatch(Action::CheckerReady),
        Reply::Progress { id, progress } => dispatcher.dispatch(Action::Progress { job: id, progress }),
        // The window is kept for the other pages only when it is the
        // address's, not a token's.
        Reply::Rate(rate) => {
            if storage::load_token().is_empty() {
                storage::save_rate(Some(&rate));
            }
            dispatcher.dispatch(Action::Rate(rate));
        }
        Reply::ForView { id, payload } => {
            let answer = ViewAnswer::decode(&payload);
            for record in answer.iter().flat_map(|a| &a.remember) {
                storage::save_check(&record.key, &record.record);
            }
            match answer.map(|a| a.reply) {
                Ok(ViewReply::Earlier { tags }) => dispatcher.dispatch(Action::Listed { job: id, tags }),
                Ok(ViewReply::Compared(compared)) => {
                    dispatcher.dispatch(Action::Compared { job: id, compared: Rc::new(*compared) })
                }
                Err(detail) => dispatcher.dispatch(Action::Failed {
                    job: id,
                    message: format!("The checker's answer could not be read ({detail}): reload the page."),
                }),
            }
        }
        Reply::Failed { id, error } => {
            dispatcher.dispatch(Action::Failed { job: id, message: format!("{}: {}", error.title(), error.message()) })
        }
        Reply::Loaded { .. } | Reply::Alive { .. } => {}
    }
}
