//! One check of a release by URL, in the browser: the route, the calls in
//! parallel, progress as it goes, and a [`StoredCheck`] (the input of the
//! rules, ready to remember) or a [`LoadError`] at the end.

use std::cell::Cell;
use std::collections::BTreeMap;

use futures::future::join_all;
use m13_rules::{Entry, ReleaseProof};

use super::error::LoadError;
use super::github::{self, API_HOST, Listing, MirrorReason, NetworkError, RAW_HOST};
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
    for_class: bool,
    emit: &dyn Fn(Event),
) -> Result<StoredCheck, LoadError> {
    let route = match (token, known_rate) {
        (Some(_), _) => Route::Api,
        (None, Some(rate)) if for_class => Route::Mirror(MirrorReason::ForClass { remaining: rate.remaining }),
        (None, rate) => plan::route(rate.as_ref(), clock::now_secs()),
    };
    match route {
        Route::Api => via_api(release, token, emit).await,
        Route::Mirror(reason) => match from_mirror(release, &reason, None, emit).await {
            Ok(record) => Ok(record),
            // The window still has a few calls: spend them rather than fail.
            Err(_) if matches!(reason, MirrorReason::LowLimit { remaining, .. } | MirrorReason::ForClass { remaining } if remaining >= 2) => {
                via_api(release, token, emit).await
            }
            Err(failure) => Err(plan::both_failed(&reason, &failure, clock::clock_time)),
        },
    }
}

/// The tags of the repository's published releases (one API call).
pub async fn list_release_tags(
    release: &ReleaseRef,
    token: Option<&str>,
    emit: &dyn Fn(Event),
) -> Result<Vec<String>, LoadError> {
    if http::offline() {
        return Err(LoadError::Offline);
    }
    let reply = http::get(&github::releases_url(release), token).await;
    emit_lowest(&[&reply], emit);
    github::interpret_releases(release, &reply, token.is_some(), clock::clock_time)
}

async fn via_api(release: &ReleaseRef, token: Option<&str>, emit: &dyn Fn(Event)) -> Result<StoredCheck, LoadError> {
    if http::offline() {
        return Err(LoadError::Offline);
    }
    emit(Event::Progress(Progress { phase: Phase::Listing, done: 0, total: 2 }));
    let (release_address, tree_address) = (github::release_url(release), github::tree_url(release));
    let (release_reply, tree_reply) =
        futures::join!(http::get(&release_address, token), http::get(&tree_address, token));
    emit_lowest(&[&release_reply, &tree_reply], emit);
    match github::interpret(release, &release_reply, &tree_reply, token.is_some()) {
        Listing::Listed { proof, entries, shas } => {
            let mut api_calls = 2;
            // No release, and the tree may be a branch's: one more call says
            // whether the tag exists.
            let proof = if matches!(proof, ReleaseProof::TagWithoutRelease { .. }) {
                let reply = http::get(&github::ref_url(release), token).await;
                emit_lowest(&[&reply], emit);
                api_calls += 1;
                github::interpret_ref(release, &reply)?
            } else {
                proof
            };
            let chosen = plan::files_to_fetch(&entries);
            let (files, notes) = match token {
                // With a token the files come through the API too, so a
                // private repository can be read (the raw host never gets it).
                Some(token) => {
                    let files = download(
                        &chosen,
                        |path| github::blob_url(release, shas.get(path).map_or("", String::as_str)),
                        Host::Api(token),
                        emit,
                    )
                    .await;
                    let notes = vec![plan::api_note(api_calls, files.len())];
                    (files, notes)
                }
                None => from_raw_host(release, &chosen, api_calls, emit).await?,
            };
            if all_unanswered(&files) {
                return Err(if http::offline() {
                    LoadError::Offline
                } else {
                    LoadError::FilesUnreachable { host: if token.is_some() { API_HOST } else { RAW_HOST }.to_owned() }
                });
            }
            Ok(record(release, StoredSource::GitHub, &proof, &entries, files, notes))
        }
        Listing::TryMirror { reason, proof } => from_mirror(release, &reason, proof, emit)
            .await
            .map_err(|failure| plan::both_failed(&reason, &failure, clock::clock_time)),
        Listing::Failed(error) => Err(error),
    }
}

/// Tells the page the lowest rate-limit window among `replies`.
fn emit_lowest(replies: &[&Result<github::Reply, NetworkError>], emit: &dyn Fn(Event)) {
    let lowest = replies.iter().filter_map(|r| r.as_ref().ok().and_then(|r| r.rate)).min_by_key(|r| r.remaining);
    if let Some(rate) = lowest {
        emit(Event::Rate(rate));
    }
}

/// Without a token: the files from the raw host, and those it refuses
/// (429, 403, no answer) from jsDelivr.
async fn from_raw_host(
    release: &ReleaseRef,
    chosen: &[String],
    api_calls: usize,
    emit: &dyn Fn(Event),
) -> Result<(BTreeMap<String, Fetched>, Vec<String>), LoadError> {
    let mut files = download(chosen, |path| github::raw_url(release, path), Host::Raw, emit).await;
    // The tree answered, so the repository is public to the API: every file
    // refused as missing means GitHub hides it (private, or just made so).
    if !files.is_empty() && files.values().all(|f| matches!(f, Fetched::Status(404, _))) {
        return Err(LoadError::MaybePrivate { host: RAW_HOST.to_owned() });
    }
    let refused: Vec<String> = files.iter().filter(|(_, f)| f.is_refusal()).map(|(path, _)| path.clone()).collect();
    let Some(why) = files.values().find(|f| f.is_refusal()).map(Fetched::describe) else {
        let note = plan::github_note(api_calls, files.len(), None);
        return Ok((files, vec![note]));
    };
    let mirrored = download(&refused, |path| jsdelivr::file_url(release, path), Host::Cdn, emit).await;
    let served = mirrored.values().filter(|f| matches!(f, Fetched::Bytes(_))).count();
    // A file the mirror could not serve either keeps the raw host's refusal.
    for (path, fetched) in mirrored {
        if matches!(fetched, Fetched::Bytes(_)) {
            files.insert(path, fetched);
        }
    }
    let from_raw = files.len().saturating_sub(refused.len());
    Ok((files, vec![plan::github_note(api_calls, from_raw, Some((served, refused.len(), why)))]))
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
    let files =
        download(&plan::files_to_fetch(&entries), |path| jsdelivr::file_url(release, path), Host::Cdn, emit).await;
    if all_unanswered(&files) {
        return Err(MirrorFailure::Network("no file could be downloaded".to_owned()));
    }
    let proof = proof.unwrap_or_else(|| ReleaseProof::NotChecked {
        reason: "the files came from the jsDelivr mirror, which cannot tell a release from a tag".to_owned(),
    });
    let notes = vec![plan::mirror_note(reason, clock::clock_time)];
    Ok(record(release, StoredSource::Jsdelivr, &proof, &entries, files, notes))
}

/// One downloaded file, or why not: a status, or no answer at all, and
/// from which host.
#[derive(Clone)]
enum Fetched {
    Bytes(Vec<u8>),
    Status(u16, &'static str),
    Unanswered(&'static str),
}

impl Fetched {
    /// A refusal another host may not share: the raw host's rate limit
    /// (429), a 403, or no answer.
    fn is_refusal(&self) -> bool {
        matches!(self, Fetched::Status(429 | 403, _) | Fetched::Unanswered(_))
    }

    fn describe(&self) -> String {
        match self {
            Fetched::Bytes(_) => "it answered".to_owned(),
            Fetched::Status(status, host) => format!("{host} answered HTTP {status}"),
            Fetched::Unanswered(host) => format!("no answer from {host}"),
        }
    }
}

/// Where the files of a download come from.
#[derive(Clone, Copy)]
enum Host<'a> {
    Raw,
    Cdn,
    /// `git/blobs`, with the token.
    Api(&'a str),
}

/// Downloads `paths` in parallel (chosen by [`plan::files_to_fetch`]
/// within the cap on all bytes read for one check; `m13_source::load`
/// checks the real sizes again).
async fn download(
    paths: &[String],
    url: impl Fn(&str) -> String,
    host: Host<'_>,
    emit: &dyn Fn(Event),
) -> BTreeMap<String, Fetched> {
    let total = paths.len();
    let done = Cell::new(0);
    let name = match host {
        Host::Raw => RAW_HOST,
        Host::Cdn => CDN_HOST,
        Host::Api(_) => API_HOST,
    };
    emit(Event::Progress(Progress { phase: Phase::Downloading, done: 0, total }));
    // Through the API each file is a call: the page shows the window the
    // last of them left.
    let lowest: Cell<Option<RateLimit>> = Cell::new(None);
    let downloads = paths.iter().map(|path| {
        let address = url(path);
        let (done, lowest) = (&done, &lowest);
        async move {
            let reply = match host {
                Host::Api(token) => http::get_blob(&address, Some(token)).await,
                Host::Raw | Host::Cdn => http::get(&address, None).await,
            };
            if let Some(rate) = reply.as_ref().ok().and_then(|r| r.rate)
                && lowest.get().is_none_or(|low| rate.remaining < low.remaining)
            {
                lowest.set(Some(rate));
            }
            let fetched = match reply {
                Ok(reply) if reply.status == 200 => Fetched::Bytes(reply.body),
                Ok(reply) => Fetched::Status(reply.status, name),
                Err(_) => Fetched::Unanswered(name),
            };
            done.set(done.get() + 1);
            emit(Event::Progress(Progress { phase: Phase::Downloading, done: done.get(), total }));
            (path.clone(), fetched)
        }
    });
    let files = m13_rules::order::map_from(join_all(downloads).await);
    if let Some(rate) = lowest.get() {
        emit(Event::Rate(rate));
    }
    files
}

fn all_unanswered(files: &BTreeMap<String, Fetched>) -> bool {
    !files.is_empty() && files.values().all(|f| matches!(f, Fetched::Unanswered(_)))
}

fn record(
    release: &ReleaseRef,
    source: StoredSource,
    proof: &ReleaseProof,
    entries: &[Entry],
    files: BTreeMap<String, Fetched>,
    notes: Vec<String>,
) -> StoredCheck {
    let files = m13_rules::order::map_from(files.into_iter().map(|(path, fetched)| {
        let result = match fetched {
            Fetched::Bytes(bytes) => Ok(bytes),
            failed => Err(failed.describe()),
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
