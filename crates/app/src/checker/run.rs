//! What the checker does with one request: get the release's files (GitHub,
//! its mirror, the remembered record, a zip or the built-in sample), run the
//! rules, and turn the report into what the page shows ([`Checked`]).
//! Everything here runs in the worker; the page links none of it.

use m13_rules::{Origin, Report, RuleId, RuleOf, SourceKind, check};
use m13_source::zip::ZipSource;

use super::compare::run_view;
use super::protocol::{Remember, Reply, Request, ViewAnswer, ViewWork, Work};
use crate::cache::{self, MAX_RECORD_CHARS, StoredCheck};
use crate::clock;
use crate::fetch::error::LoadError;
use crate::fetch::rate::RateLimit;
use crate::fetch::run::{Event, fetch_release};
use crate::graph_layout;
use crate::input::{Input, ReleaseRef, classify};
use crate::links::{BlobBase, issue_link, issue_repository};
use crate::sample;
use crate::state::{Checked, Phase, Progress, RuleInfo};

/// Runs `request`; `zip` is the dropped file's bytes for a zip job (read by
/// the worker's edge). Progress and rate limits go out through `emit` as
/// they come; the returned reply is the last one.
pub async fn run(request: Request, zip: Option<Vec<u8>>, emit: &dyn Fn(Reply)) -> Reply {
    let id = request.id;
    let result = match request.job {
        Work::ForView(bytes) => return for_view(id, &bytes, emit).await,
        Work::Sample => Ok((checked_sample(), None)),
        Work::Zip { name, posted_url } => match zip {
            Some(bytes) => checked_zip(&name, bytes, posted_url).map(|checked| (checked, None)),
            None => Err(LoadError::File { detail: "the file did not reach the checker".to_owned() }),
        },
        Work::Release { release, token, rate, remembered, mirror } => {
            checked_release(id, &release, &token, (rate, mirror), remembered.as_deref(), emit).await
        }
    };
    match result {
        Ok((mut checked, remember)) => {
            checked.issue = issue_repository(&checked)
                .map(|base| issue_link(&base.owner, &base.repo, Some(&base.tag), &checked.markdown).button());
            Reply::Loaded { id, checked: Box::new(checked), remember }
        }
        Err(error) => Reply::Failed { id, error },
    }
}

/// A job of an on-demand view: its answer travels as bytes.
async fn for_view(id: u32, bytes: &[u8], emit: &dyn Fn(Reply)) -> Reply {
    let work = match ViewWork::decode(bytes) {
        Ok(work) => work,
        Err(detail) => {
            let detail = format!("it could not read the request ({detail})");
            return Reply::Failed { id, error: LoadError::Checker { detail } };
        }
    };
    match run_view(id, work, emit).await {
        Ok((reply, remember)) => Reply::ForView { id, payload: ViewAnswer { reply, remember }.encode() },
        Err(error) => Reply::Failed { id, error },
    }
}

/// What the page shows of `report`. `steps_subject` names where the
/// cluster-step ticks are remembered (a release, a zip name, the sample).
pub fn checked(report: Report, label: String, steps_subject: &str) -> Checked {
    let markdown =
        m13_report::to_markdown(&report, &label, &m13_report::Tool::default().with_commit(crate::version::COMMIT));
    let rules = RuleId::ALL
        .iter()
        .map(|&id| {
            let rule = id.rule();
            RuleInfo {
                id,
                title: rule.title.to_owned(),
                kind: rule.kind,
                source: rule.source.to_owned(),
                explanation: rule.explanation(),
            }
        })
        .collect();
    Checked {
        source: report.origin.source.describe(),
        findings: report.results,
        rules,
        steps: report.steps,
        pictures: graph_layout::pictures(&report.graph),
        graph: report.graph,
        label,
        markdown,
        steps_key: cache::steps_key(steps_subject),
        blob_base: None,
        notes: Vec::new(),
        remembered: None,
        release: None,
        issue: None,
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

/// A release by URL: from the remembered record when it is still complete
/// for the current rules, else from the network (and then remembered).
async fn checked_release(
    id: u32,
    release: &ReleaseRef,
    token: &str,
    (rate, mirror): (Option<RateLimit>, bool),
    remembered: Option<&str>,
    emit: &dyn Fn(Reply),
) -> Result<(Checked, Option<Remember>), LoadError> {
    if let Some(mut record) = remembered.and_then(StoredCheck::parse).filter(StoredCheck::is_current) {
        // The same release, maybe posted with another spelling of the URL.
        record.posted_url = release.url.clone();
        return Ok((checked_from_record(&record, Some(clock::date_time(record.saved_at))), None));
    }
    let forward = |event: Event| match event {
        Event::Progress(progress) => emit(Reply::Progress { id, progress }),
        Event::Rate(rate) => emit(Reply::Rate(rate)),
    };
    let token = Some(token).filter(|t| !t.is_empty());
    let record = fetch_release(release, token, rate, mirror, &forward).await?;
    emit(Reply::Progress { id, progress: Progress::start(Phase::Checking) });
    let remember = record
        .to_json()
        .filter(|json| json.len() <= MAX_RECORD_CHARS)
        .map(|json| Remember { key: cache::check_key(release), record: json });
    Ok((checked_from_record(&record, None), remember))
}
