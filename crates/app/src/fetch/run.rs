//! One check of a release by URL, in the browser: the route, the calls in
//! parallel, progress as it goes, and a [`StoredCheck`] (the input of the
//! rules, ready to remember) or a [`LoadError`] at the end.

use std::cell::Cell;
use std::collections::BTreeMap;

use futures::future::join_all;
use m13_rules::{Entry, ReleaseProof};

use super::error::LoadError;
use super::github::{self, Listing, MirrorReason, NetworkError, RAW_HOST};
use super::http;
use super::jsdelivr::{self, CDN_HOST};
use super::plan::{self, MirrorFailure, Route};
use super::rate::RateLimit;
use crate::cache::{StoredCheck, StoredContent, StoredProof, StoredSource, VERSION};
use crate::clock;
use crate::input::ReleaseRef;
use crate::state::{Phase, Progress};

/// What a running check tells the page.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    Progress(Progress),
    Rate(RateLimit),
}

/// Fetches what the rules need to check `release`.
pub async fn fetch_release(
    release: &ReleaseRef,
    token: Option<&str>,
    known_rate: Option<RateLimit>,
    emit: &dyn Fn(Event),
) -> Result<StoredCheck, LoadError> {
    let route = if token.is_some() { Route::Api } else { plan::route(known_rate.as_ref(), clock::now_secs()) };
    match route {
        Route::Api => via_api(release, token, emit).await,
        Route::Mirror(reason) => match from_mirror(release, &reason, None, emit).await {
            Ok(record) => Ok(record),
            // The window still has a few calls: spend them rather than fail.
            Err(_) if matches!(reason, MirrorReason::LowLimit { remaining, .. } if remaining >= 2) => {
                via_api(release, token, emit).await
            }
            Err(failure) => Err(plan::both_failed(&reason, &failure, clock::clock_time)),
        },
    }
}

async fn via_api(release: &ReleaseRef, token: Option<&str>, emit: &dyn Fn(Event)) -> Result<StoredCheck, LoadError> {
    if http::offline() {
        return Err(LoadError::Offline);
    }
    emit(Event::Progress(Progress { phase: Phase::Listing, done: 0, total: 2 }));
    let (release_address, tree_address) = (github::release_url(release), github::tree_url(release));
    let (release_reply, tree_reply) =
        futures::join!(http::get(&release_address, token), http::get(&tree_address, token));
    let lowest = [&release_reply, &tree_reply]
        .into_iter()
        .filter_map(|r| r.as_ref().ok().and_then(|r| r.rate))
        .min_by_key(|r| r.remaining);
    if let Some(rate) = lowest {
        emit(Event::Rate(rate));
    }
    match github::interpret(release, &release_reply, &tree_reply, token.is_some()) {
        Listing::Listed { proof, entries } => {
            let files = download(&entries, |path| github::raw_url(release, path), emit).await;
            if all_unanswered(&files) {
                return Err(if http::offline() {
                    LoadError::Offline
                } else {
                    LoadError::FilesUnreachable { host: RAW_HOST.to_owned() }
                });
            }
            let notes = vec![plan::github_note(files.len())];
            Ok(record(release, StoredSource::GitHub, &proof, &entries, files, notes, RAW_HOST))
        }
        Listing::TryMirror { reason, proof } => from_mirror(release, &reason, proof, emit)
            .await
            .map_err(|failure| plan::both_failed(&reason, &failure, clock::clock_time)),
        Listing::Failed(error) => Err(error),
    }
}

async fn from_mirror(
    release: &ReleaseRef,
    reason: &MirrorReason,
    proof: Option<ReleaseProof>,
    emit: &dyn Fn(Event),
) -> Result<StoredCheck, MirrorFailure> {
    emit(Event::Progress(Progress { phase: Phase::MirrorListing, done: 0, total: 1 }));
    let reply =
        http::get(&jsdelivr::listing_url(release), None).await.map_err(|NetworkError(e)| MirrorFailure::Network(e))?;
    if reply.status != 200 {
        return Err(MirrorFailure::Refused(jsdelivr::refusal(reply.status, &reply.body)));
    }
    let entries = jsdelivr::parse_listing(&reply.body).map_err(MirrorFailure::Refused)?;
    let files = download(&entries, |path| jsdelivr::file_url(release, path), emit).await;
    if all_unanswered(&files) {
        return Err(MirrorFailure::Network("no file could be downloaded".to_owned()));
    }
    let proof = proof.unwrap_or_else(|| ReleaseProof::NotChecked {
        reason: "the files came from the jsDelivr mirror, which cannot tell a release from a tag".to_owned(),
    });
    let notes = vec![plan::mirror_note(reason, clock::clock_time)];
    Ok(record(release, StoredSource::Jsdelivr, &proof, &entries, files, notes, CDN_HOST))
}

/// One downloaded file, or why not: a status, or no answer at all.
enum Fetched {
    Bytes(Vec<u8>),
    Status(u16),
    Unanswered,
}

/// Downloads, in parallel, the files the rules read, within the cap on all
/// bytes read for one check (by listed size; `m13_source::load` checks
/// the real sizes again).
async fn download(entries: &[Entry], url: impl Fn(&str) -> String, emit: &dyn Fn(Event)) -> BTreeMap<String, Fetched> {
    let chosen = plan::files_to_fetch(entries);
    let total = chosen.len();
    let done = Cell::new(0);
    emit(Event::Progress(Progress { phase: Phase::Downloading, done: 0, total }));
    let downloads = chosen.into_iter().map(|path| {
        let address = url(&path);
        let done = &done;
        async move {
            let fetched = match http::get(&address, None).await {
                Ok(reply) if reply.status == 200 => Fetched::Bytes(reply.body),
                Ok(reply) => Fetched::Status(reply.status),
                Err(_) => Fetched::Unanswered,
            };
            done.set(done.get() + 1);
            emit(Event::Progress(Progress { phase: Phase::Downloading, done: done.get(), total }));
            (path, fetched)
        }
    });
    m13_rules::order::map_from(join_all(downloads).await)
}

fn all_unanswered(files: &BTreeMap<String, Fetched>) -> bool {
    !files.is_empty() && files.values().all(|f| matches!(f, Fetched::Unanswered))
}

fn record(
    release: &ReleaseRef,
    source: StoredSource,
    proof: &ReleaseProof,
    entries: &[Entry],
    files: BTreeMap<String, Fetched>,
    notes: Vec<String>,
    host: &str,
) -> StoredCheck {
    let files = m13_rules::order::map_from(files.into_iter().map(|(path, fetched)| {
        let result = match fetched {
            Fetched::Bytes(bytes) => Ok(bytes),
            Fetched::Status(status) => Err(format!("{host} answered HTTP {status}")),
            Fetched::Unanswered => Err(format!("no answer from {host}")),
        };
        (path, StoredContent::from_result(result))
    }));
    StoredCheck {
        version: VERSION,
        saved_at: clock::now_ms(),
        posted_url: release.url.clone(),
        owner: release.owner.clone(),
        repo: release.repo.clone(),
        tag: release.tag.clone(),
        source,
        proof: StoredProof::from(proof),
        entries: entries.iter().map(|e| (e.path.clone(), e.size)).collect(),
        files,
        notes,
    }
}
