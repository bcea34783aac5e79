//! Turning a [`SourceSpec`] into a checked [`Report`]: the only place the
//! CLI touches files and the network (through `m13-source`).

use m13_rules::compare::{Comparison, compare};
use m13_rules::url::{GitHubLink, encode_path};
use m13_rules::{Origin, Report, Snapshot, SourceKind};
use m13_source::dir::DirSource;
use m13_source::github::{GitHub, RateLimit};
use m13_source::zip::ZipSource;
use m13_source::{Source, load};

use crate::config::{CompareTo, Config, SourceSpec};

/// A checked source, and what changed since the earlier release when
/// `--compare-to` named one (an error when that release could not be read).
pub struct Checked {
    pub report: Report,
    pub since: Option<Result<Comparison, String>>,
}

/// Reads and checks one source. The error is a sentence for the user.
/// `on_quota` hears the API quota GitHub reported while fetching a URL.
pub fn check_source(spec: &SourceSpec, config: &Config, on_quota: &dyn Fn(RateLimit)) -> Result<Checked, String> {
    let (report, snapshot) = read_and_check(spec, config.release_url.as_deref(), config, on_quota)?;
    let since = config.compare_to.as_ref().map(|wanted| {
        let (earlier, name) = earlier_source(spec, wanted)?;
        // `--release-url` is this release's: the earlier one's posted URL is
        // not known (and its tag is not what is compared).
        let (earlier_report, earlier_snapshot) = read_and_check(&earlier, None, config, on_quota)
            .map_err(|e| format!("cannot read the earlier release {name}: {e}"))?;
        Ok(compare(&name, (&earlier_report, &earlier_snapshot), (&report, &snapshot)))
    });
    Ok(Checked { report, since })
}

/// The earlier release `--compare-to` names for `spec`, and what to call it.
fn earlier_source(spec: &SourceSpec, wanted: &CompareTo) -> Result<(SourceSpec, String), String> {
    match wanted {
        CompareTo::Source(SourceSpec::Url(url)) => {
            let name = match GitHubLink::parse(url) {
                Ok(GitHubLink::Release { tag, .. }) => tag,
                _ => url.clone(),
            };
            Ok((SourceSpec::Url(url.clone()), name))
        }
        CompareTo::Source(other) => {
            let name = match other {
                SourceSpec::Zip(path) | SourceSpec::Directory(path) => {
                    path.file_name().map_or_else(|| other.label(), |n| n.to_string_lossy().into_owned())
                }
                SourceSpec::Url(url) => url.clone(),
            };
            Ok((other.clone(), name))
        }
        CompareTo::Tag(tag) => {
            let SourceSpec::Url(url) = spec else {
                return Err(format!("the tag {tag} is found through a release URL, and {} is not one", spec.label()));
            };
            let (owner, repo) = match GitHubLink::parse(url) {
                Ok(link) => {
                    let (owner, repo) = link.owner_repo();
                    (owner.to_owned(), repo.to_owned())
                }
                Err(_) => return Err(format!("cannot find the tag {tag}: {url} names no repository")),
            };
            let earlier = format!("https://github.com/{owner}/{repo}/releases/tag/{}", encode_path(tag));
            Ok((SourceSpec::Url(earlier), tag.clone()))
        }
    }
}

fn read_and_check(
    spec: &SourceSpec,
    release_url: Option<&str>,
    config: &Config,
    on_quota: &dyn Fn(RateLimit),
) -> Result<(Report, Snapshot), String> {
    let (mut source, origin, skipped): (Box<dyn Source>, Origin, Vec<String>) = match spec {
        SourceSpec::Url(url) => {
            let github = GitHub::new(config.token.clone());
            let fetched = github.fetch(url);
            if let Some(quota) = github.rate_limit() {
                on_quota(quota);
            }
            let fetched = fetched.map_err(|e| e.to_string())?;
            let skipped = fetched.source.skipped().to_vec();
            (Box::new(fetched.source), fetched.origin, skipped)
        }
        SourceSpec::Zip(path) => {
            let source = ZipSource::open(path).map_err(|e| e.to_string())?;
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            let skipped = source.skipped().to_vec();
            (Box::new(source), with_url(Origin::new(SourceKind::Zip { name }), release_url), skipped)
        }
        SourceSpec::Directory(path) => {
            let source = DirSource::open(path).map_err(|e| e.to_string())?;
            let skipped = source.skipped().to_vec();
            let origin = with_url(Origin::new(SourceKind::Directory { path: path.display().to_string() }), release_url);
            (Box::new(source), origin, skipped)
        }
    };
    // Entries the reader refused (`../x`, links...) are not part of the check: say so.
    for entry in &skipped {
        eprintln!("milestone-check: {}: skipped {entry}", spec.label());
    }
    let snapshot = load(source.as_mut());
    let report = m13_rules::check(&snapshot, &origin);
    Ok((report, snapshot))
}

fn with_url(origin: Origin, release_url: Option<&str>) -> Origin {
    match release_url {
        Some(url) => origin.posted_url(url),
        None => origin,
    }
}
