//! The command line as clap parses it. [`crate::config`] turns it into a
//! checked configuration.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit status:
  0   every source was checked and no rule failed
  1   a rule failed for at least one source
  2   a source could not be read (bad URL, 404, rate limit, not a zip...)
  64  usage or configuration error, before any check (unknown option or
      format, no source, an unreadable --from list, explain of an unknown
      rule...)
  74  an output could not be written (the --sarif FILE cannot be created, a
      full disk); a closed pipe, as with `| head`, is not an error and keeps
      the status of the verdicts";

/// `0.2.0 (1a2b3c4d5e6f)`: the version and the commit built from
/// (`unknown` outside a git checkout; see build.rs).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("M13_COMMIT"), ")");

/// `--version` adds the target the binary was built for.
const LONG_VERSION: &str =
    concat!(env!("CARGO_PKG_VERSION"), " (", env!("M13_COMMIT"), ")\ntarget: ", env!("M13_TARGET"));

/// Check CIS-92 milestone-13 releases ("A Scalable Application") with
/// evidence, and print the cluster steps to finish the review.
#[derive(Debug, Parser)]
#[command(name = "milestone-check", version = VERSION, long_version = LONG_VERSION, about, after_help = EXIT_CODES)]
pub struct Args {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check releases: GitHub release URLs, downloaded zips or directories.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// Explain a rule: what it checks, why, and how to fix it.
    Explain {
        /// A rule id, e.g. `secret-matches-values`.
        rule: String,
    },
    /// List every rule with its id, kind and title.
    Rules,
    /// Of the tag names on stdin (one per line, as `git tag` prints them),
    /// print the milestone-13 tags before TAG, the latest first: what
    /// `check --compare-to` can compare a resubmission with.
    EarlierTags {
        /// The release's own tag, e.g. `milestone-13.3`.
        tag: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// What to check: `https://github.com/OWNER/REPO/releases/tag/milestone-13.N`,
    /// a "Source code (zip)" file, or a directory.
    #[arg(value_name = "SOURCE")]
    pub sources: Vec<String>,

    /// Read more sources from FILE, one per line (`#` starts a comment). A
    /// line may name the student before a URL (`Ana Lopez, https://...`,
    /// as in a spreadsheet export): the name labels that source.
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,

    /// The release URL the student posted, to judge `release-tag` for a zip
    /// or directory (without it, `release-tag` is manual).
    #[arg(long, value_name = "URL")]
    pub release_url: Option<String>,

    /// Compare with an earlier release: a tag of the same repository for a
    /// release URL (`milestone-13.2`), or the earlier release's URL, zip or
    /// directory. Adds which verdicts were fixed, broke or still fail, and
    /// which of the files the rules read changed.
    #[arg(long, value_name = "TAG|URL|PATH")]
    pub compare_to: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also write the findings as SARIF 2.1.0 to FILE, whatever `--format`
    /// prints: one run gives a review and the file for code scanning.
    #[arg(long, value_name = "FILE")]
    pub sarif: Option<PathBuf>,

    /// A GitHub token (5,000 API calls an hour instead of 60). Sent only to
    /// api.github.com, never printed.
    #[arg(long, env = "GITHUB_TOKEN", hide_env_values = true, value_name = "TOKEN")]
    pub token: Option<String>,

    /// When to use colour in text output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Do not show a progress bar.
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The report for a terminal; a table for several sources.
    Text,
    /// One object per source; an array for several.
    Json,
    /// The review to paste into a GitHub comment.
    Markdown,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// The class table (one row per source: result, counts, failed rules)
    /// as CSV, for a spreadsheet; the web app's class view exports the same.
    Csv,
    /// How the pieces connect, as a Mermaid flowchart (broken links red and
    /// dashed); for several sources, a Markdown heading and a mermaid block
    /// each.
    Mermaid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
