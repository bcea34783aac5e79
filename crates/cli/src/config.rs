//! The checked configuration: every source classified, conflicts refused
//! with a message before anything is downloaded.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, bail};

use crate::args::{CheckArgs, Color, Format};

/// One thing to check, as the user named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    Url(String),
    Zip(PathBuf),
    Directory(PathBuf),
}

impl SourceSpec {
    /// The label shown in tables and reports: what the user typed.
    pub fn label(&self) -> String {
        match self {
            SourceSpec::Url(url) => url.clone(),
            SourceSpec::Zip(path) | SourceSpec::Directory(path) => path.display().to_string(),
        }
    }

    fn classify(text: &str) -> SourceSpec {
        // An existing file or directory of that name wins: `github.com/x.zip` saved to disk.
        if m13_rules::url::looks_like_url(text) && !std::path::Path::new(text).exists() {
            return SourceSpec::Url(text.to_owned());
        }
        let path = PathBuf::from(text);
        if path.is_dir() { SourceSpec::Directory(path) } else { SourceSpec::Zip(path) }
    }
}

/// What `--compare-to` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareTo {
    /// A tag of each release URL's own repository.
    Tag(String),
    /// One earlier release, for the one source checked.
    Source(SourceSpec),
}

pub struct Config {
    pub sources: Vec<SourceSpec>,
    pub compare_to: Option<CompareTo>,
    /// What each source is called in reports, in the same order: a name
    /// from the `--from` list, else what the user typed.
    pub labels: Vec<String>,
    pub release_url: Option<String>,
    pub format: Format,
    /// Where to write SARIF besides the chosen format.
    pub sarif: Option<PathBuf>,
    pub token: Option<String>,
    pub color: bool,
    pub progress: bool,
}

impl Config {
    pub fn from_args(args: CheckArgs) -> anyhow::Result<Config> {
        let mut named: Vec<(Option<String>, String)> = args.sources.into_iter().map(|s| (None, s)).collect();
        if let Some(list) = &args.from {
            let content = std::fs::read_to_string(list)
                .with_context(|| format!("cannot read the source list {}", list.display()))?;
            named.extend(m13_rules::roster::parse(&content).into_iter().map(|entry| (entry.name, entry.source)));
        }
        if named.is_empty() {
            bail!("nothing to check: give a release URL, a zip or a directory (or --from FILE)");
        }
        let sources: Vec<SourceSpec> = named.iter().map(|(_, text)| SourceSpec::classify(text)).collect();
        let labels: Vec<String> =
            named.into_iter().zip(&sources).map(|((name, _), spec)| name.unwrap_or_else(|| spec.label())).collect();
        if args.release_url.is_some() {
            if sources.len() > 1 {
                bail!("--release-url applies to one zip or directory; with several sources, check each on its own");
            }
            if matches!(sources.first(), Some(SourceSpec::Url(_))) {
                bail!("--release-url is for a zip or directory; a URL source is already the release URL");
            }
        }
        let compare_to = match args.compare_to.as_deref().map(str::trim) {
            None => None,
            Some("") => bail!("--compare-to needs a tag, a release URL, a zip or a directory"),
            Some(text) => Some(compare_to(text, &sources)?),
        };
        let token = args.token.filter(|t| !t.trim().is_empty());
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        let progress = !args.quiet && sources.len() > 1 && std::io::stderr().is_terminal();
        Ok(Config {
            sources,
            compare_to,
            labels,
            release_url: args.release_url,
            format: args.format,
            sarif: args.sarif,
            token,
            color,
            progress,
        })
    }
}

/// `--compare-to`: a URL, zip or directory is one earlier release, for one
/// source; anything else is a tag, which needs release URLs to find it in.
fn compare_to(text: &str, sources: &[SourceSpec]) -> anyhow::Result<CompareTo> {
    let spec = SourceSpec::classify(text);
    let is_path = matches!(&spec, SourceSpec::Zip(path) if path.exists()) || matches!(spec, SourceSpec::Directory(_));
    if matches!(spec, SourceSpec::Url(_)) || is_path {
        if sources.len() > 1 {
            bail!(
                "--compare-to {text} compares one source; for several release URLs give a tag (--compare-to milestone-13.1)"
            );
        }
        return Ok(CompareTo::Source(spec));
    }
    // What can only be a path (a tag may hold `/`, as `milestone-13/final`).
    let path_like = ["./", "../", "/", "~"].iter().any(|p| text.starts_with(p)) || text.contains('\\');
    if path_like || text.to_ascii_lowercase().ends_with(".zip") {
        bail!("--compare-to {text}: no such file or directory");
    }
    if let Some(other) = sources.iter().find(|s| !matches!(s, SourceSpec::Url(_))) {
        bail!(
            "--compare-to {text} is a tag, found through a release URL; for {} give the earlier zip or directory",
            other.label()
        );
    }
    Ok(CompareTo::Tag(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::SourceSpec;

    #[test]
    fn urls_are_told_from_paths_whatever_their_case() {
        for url in [
            "HTTPS://GitHub.com/ana/cis-92/releases/tag/milestone-13.1",
            "www.github.com/ana/cis-92",
            "GitHub.com/ana/x",
            "WWW.GitHub.com/ana/cis-92/releases/tag/milestone-13.1",
        ] {
            assert!(matches!(SourceSpec::classify(url), SourceSpec::Url(_)), "{url}");
        }
        assert!(matches!(SourceSpec::classify("zips/ana.zip"), SourceSpec::Zip(_)));
        // `www.github.com/...` is a URL, not a zip in a folder called `www.github.com`.
        assert!(matches!(SourceSpec::classify("www.github.com/ana/cis-92.zip"), SourceSpec::Url(_)));
    }
}
