//! The on-demand views' jobs ([`ViewWork`]): a repository's earlier
//! milestone-13 releases, and a release compared with one of them (which
//! rules were fixed, broke or still fail, which of the files the rules read
//! changed), with the review's "Since" section. The same comparison as the
//! CLI's `--compare-to` (`m13_rules::compare`, `m13_report::compare`).

use m13_rules::compare::{FileChange, compare, earlier_milestone_tags};
use m13_rules::{RuleId, RuleOf};

use super::protocol::{Compared, ComparedFile, ComparedRule, Remember, Reply, ViewReply, ViewWork};
use crate::cache::{self, MAX_RECORD_CHARS, StoredCheck};
use crate::fetch::error::LoadError;
use crate::fetch::run::{Event, fetch_release, list_release_tags};
use crate::input::ReleaseRef;
use crate::links::issue_link;
use crate::state::{Phase, Progress};

/// Runs one view job; progress and rate limits go out through `emit`.
pub async fn run_view(id: u32, work: ViewWork, emit: &dyn Fn(Reply)) -> Result<(ViewReply, Vec<Remember>), LoadError> {
    let forward = |event: Event| match event {
        Event::Progress(progress) => emit(Reply::Progress { id, progress }),
        Event::Rate(rate) => emit(Reply::Rate(rate)),
    };
    match work {
        ViewWork::EarlierReleases { release, token } => {
            let token = Some(token.as_str()).filter(|t| !t.is_empty());
            let tags = list_release_tags(&release, token, &forward).await?;
            Ok((ViewReply::Earlier { tags: earlier_milestone_tags(&tags, &release.tag) }, Vec::new()))
        }
        ViewWork::Compare { release, earlier_tag, token, rate, remembered, remembered_earlier } => {
            let token = Some(token.as_str()).filter(|t| !t.is_empty());
            let earlier_release = ReleaseRef {
                url: format!("https://github.com/{}/{}/releases/tag/{earlier_tag}", release.owner, release.repo),
                tag: earlier_tag.clone(),
                ..release.clone()
            };
            let mut remember = Vec::new();
            let later = record(&release, token, rate, remembered.as_deref(), &forward, &mut remember).await?;
            let earlier =
                record(&earlier_release, token, rate, remembered_earlier.as_deref(), &forward, &mut remember).await?;
            forward(Event::Progress(Progress::start(Phase::Checking)));
            Ok((ViewReply::Compared(Box::new(compared(&release, &earlier_tag, &later, &earlier))), remember))
        }
    }
}

/// A release's files: the remembered record while it is complete for the
/// current rules, else fetched (and then to be remembered).
async fn record(
    release: &ReleaseRef,
    token: Option<&str>,
    rate: Option<crate::fetch::rate::RateLimit>,
    remembered: Option<&str>,
    forward: &dyn Fn(Event),
    remember: &mut Vec<Remember>,
) -> Result<StoredCheck, LoadError> {
    if let Some(mut record) = remembered.and_then(StoredCheck::parse).filter(StoredCheck::is_current) {
        record.posted_url = release.url.clone();
        return Ok(record);
    }
    let record = fetch_release(release, token, rate, false, forward).await?;
    if let Some(json) = record.to_json().filter(|json| json.len() <= MAX_RECORD_CHARS) {
        remember.push(Remember { key: cache::check_key(release), record: json });
    }
    Ok(record)
}

/// What the comparison view shows of `later` since `earlier`.
fn compared(release: &ReleaseRef, earlier_tag: &str, later: &StoredCheck, earlier: &StoredCheck) -> Compared {
    let (later_snapshot, earlier_snapshot) = (later.snapshot(), earlier.snapshot());
    let later_report = m13_rules::check(&later_snapshot, &later.origin());
    let earlier_report = m13_rules::check(&earlier_snapshot, &earlier.origin());
    let comparison = compare(earlier_tag, (&earlier_report, &earlier_snapshot), (&later_report, &later_snapshot));
    let tool = m13_report::Tool::default().with_commit(crate::version::COMMIT);
    let markdown = m13_report::to_markdown_since(&later_report, &release.url, &tool, Some(&comparison));
    let issue = issue_link(&release.owner, &release.repo, Some(&release.tag), &markdown).button();
    Compared {
        later: release.url.clone(),
        earlier: earlier_tag.to_owned(),
        summary: m13_report::comparison_summary(&comparison),
        rules: comparison
            .rules
            .iter()
            .map(|change| ComparedRule {
                id: change.id,
                title: title(change.id),
                before: change.before,
                after: change.after,
                change: kebab(change.change.heading()),
            })
            .collect(),
        files: comparison
            .files
            .iter()
            .map(|file| ComparedFile {
                path: file.path.clone(),
                change: match file.change {
                    FileChange::Added => "added",
                    FileChange::Removed => "removed",
                    FileChange::Modified => "modified",
                }
                .to_owned(),
            })
            .collect(),
        markdown,
        issue: Some(issue),
    }
}

fn title(id: RuleId) -> String {
    id.rule().title.to_owned()
}

/// `Still failing` → `still-failing`.
fn kebab(heading: &str) -> String {
    heading.to_ascii_lowercase().replace(' ', "-")
}

#[cfg(test)]
mod tests {
    use super::kebab;

    #[test]
    fn changes_are_named_as_the_json_names_them() {
        assert_eq!(kebab("Still failing"), "still-failing");
        assert_eq!(kebab("Fixed"), "fixed");
    }
}
