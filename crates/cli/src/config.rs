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
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("github.com/") {
            return SourceSpec::Url(text.to_owned());
        }
        let path = PathBuf::from(text);
        if path.is_dir() { SourceSpec::Directory(path) } else { SourceSpec::Zip(path) }
    }
}

pub struct Config {
    pub sources: Vec<SourceSpec>,
    pub release_url: Option<String>,
    pub format: Format,
    pub token: Option<String>,
    pub color: bool,
    pub progress: bool,
}

impl Config {
    pub fn from_args(args: CheckArgs) -> anyhow::Result<Config> {
        let mut texts = args.sources;
        if let Some(list) = &args.from {
            let content = std::fs::read_to_string(list)
                .with_context(|| format!("cannot read the source list {}", list.display()))?;
            texts.extend(
                content
                    .lines()
                    .map(|l| l.split('#').next().unwrap_or("").trim())
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned),
            );
        }
        if texts.is_empty() {
            bail!("nothing to check: give a release URL, a zip or a directory (or --from FILE)");
        }
        let sources: Vec<SourceSpec> = texts.iter().map(|t| SourceSpec::classify(t)).collect();
        if args.release_url.is_some() {
            if sources.len() > 1 {
                bail!("--release-url applies to one zip or directory; with several sources, check each on its own");
            }
            if matches!(sources.first(), Some(SourceSpec::Url(_))) {
                bail!("--release-url is for a zip or directory; a URL source is already the release URL");
            }
        }
        let token = args.token.filter(|t| !t.trim().is_empty());
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        };
        let progress = !args.quiet && sources.len() > 1 && std::io::stderr().is_terminal();
        Ok(Config { sources, release_url: args.release_url, format: args.format, token, color, progress })
    }
}
