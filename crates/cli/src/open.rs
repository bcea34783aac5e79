//! Turning a [`SourceSpec`] into a checked [`Report`]: the only place the
//! CLI touches files and the network (through `m13-source`).

use m13_rules::{Origin, Report, SourceKind};
use m13_source::dir::DirSource;
use m13_source::github::{GitHub, RateLimit};
use m13_source::zip::ZipSource;
use m13_source::{Source, load};

use crate::config::{Config, SourceSpec};

/// Reads and checks one source. The error is a sentence for the user.
/// `on_quota` hears the API quota GitHub reported while fetching a URL.
pub fn check_source(spec: &SourceSpec, config: &Config, on_quota: &dyn Fn(RateLimit)) -> Result<Report, String> {
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
            (Box::new(source), with_url(Origin::new(SourceKind::Zip { name }), config), skipped)
        }
        SourceSpec::Directory(path) => {
            let source = DirSource::open(path).map_err(|e| e.to_string())?;
            let skipped = source.skipped().to_vec();
            let origin = with_url(Origin::new(SourceKind::Directory { path: path.display().to_string() }), config);
            (Box::new(source), origin, skipped)
        }
    };
    // Entries the reader refused (`../x`, links...) are not part of the check: say so.
    for entry in &skipped {
        eprintln!("milestone-check: {}: skipped {entry}", spec.label());
    }
    let snapshot = load(source.as_mut());
    Ok(m13_rules::check(&snapshot, &origin))
}

fn with_url(origin: Origin, config: &Config) -> Origin {
    match &config.release_url {
        Some(url) => origin.posted_url(url),
        None => origin,
    }
}
