//! `milestone-check`: the CLI is glue. Parse, check each source (in
//! parallel, with a progress bar on a terminal), write one report in the
//! chosen format (and SARIF to a file on the side), exit with a status a CI
//! can act on ([`Exit`]).

mod args;
mod config;
mod open;

use std::fs::File;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::anyhow;
use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use m13_report::{BatchItem, Tool};
use m13_rules::compare::Comparison;
use m13_rules::{Report, RuleId, RuleOf};
use m13_source::github::RateLimit;

use crate::args::{Args, Command, Format};
use crate::config::{Config, SourceSpec};
use crate::open::Checked;

/// The exit statuses `--help` lists (`args::EXIT_CODES`): the verdicts
/// (0, 1, 2), then sysexits' codes for a run that gave none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    /// Every source was checked and no rule failed.
    Passed = 0,
    /// A rule failed for at least one source.
    Failed = 1,
    /// A source could not be read.
    Unreadable = 2,
    /// A usage or configuration error (sysexits' `EX_USAGE`): nothing was checked.
    Usage = 64,
    /// An output could not be written (sysexits' `EX_IOERR`).
    Output = 74,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Why a run ended without its verdicts' status.
#[derive(Debug)]
enum Stop {
    Usage(anyhow::Error),
    Output(anyhow::Error),
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            // clap exits 2 on a usage error, which here means "a source
            // could not be read": a CI must be able to tell them apart.
            // `--help` and `--version` are not errors.
            let _ = error.print();
            return if error.use_stderr() { Exit::Usage } else { Exit::Passed }.into();
        }
    };
    let outcome = match args.command {
        Command::Check(check) => Config::from_args(check).map_err(Stop::Usage).and_then(|config| run(&config)),
        Command::Explain { rule } => explain(&rule),
        Command::Rules => list_rules(),
        Command::EarlierTags { tag } => earlier_tags(&tag),
    };
    match outcome {
        Ok(exit) => exit.into(),
        Err(Stop::Usage(error)) => {
            eprintln!("milestone-check: {error:#}");
            Exit::Usage.into()
        }
        Err(Stop::Output(error)) => {
            eprintln!("milestone-check: {error:#}");
            Exit::Output.into()
        }
    }
}

/// The program named in every report: this build's version and commit.
fn tool() -> Tool {
    Tool::new("milestone-check", env!("CARGO_PKG_VERSION")).with_commit(env!("M13_COMMIT"))
}

/// Writes `text` to stdout. A reader that stops early (`| head`, `| grep
/// -q`) is not an error: the verdicts are decided, and the exit status
/// stays theirs.
fn print(text: &str) -> Result<(), Stop> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != ErrorKind::BrokenPipe => {
            Err(Stop::Output(anyhow::Error::new(error).context("cannot write the output")))
        }
        _ => Ok(()),
    }
}

/// Checks every source, writes the output, and picks the exit code.
fn run(config: &Config) -> Result<Exit, Stop> {
    // Created before any download, so a path that cannot be written fails
    // now rather than after a class's worth of checks.
    let sarif = match &config.sarif {
        Some(path) => Some((path, File::create(path).map_err(|e| cannot_write(path, e))?)),
        None => None,
    };
    let results = check_all(config);
    let mut unreadable = false;
    let mut failed = false;
    let mut comparisons: Vec<(String, Comparison)> = Vec::new();
    let mut items: Vec<(String, Result<Report, String>)> = Vec::new();
    for (label, result) in config.labels.iter().cloned().zip(results) {
        match result {
            Ok(Checked { report, since }) => {
                match since {
                    Some(Ok(comparison)) => comparisons.push((label.clone(), comparison)),
                    Some(Err(error)) => {
                        unreadable = true;
                        eprintln!("milestone-check: {label}: {error}");
                    }
                    None => {}
                }
                items.push((label, Ok(report)));
            }
            Err(error) => items.push((label, Err(error))),
        }
    }
    for (label, result) in &items {
        match result {
            Ok(report) => failed |= !report.passed(),
            Err(error) => {
                unreadable = true;
                // ripgrep style: a source that cannot be read is reported and the batch goes on.
                if items.len() > 1 || config.format != Format::Text {
                    // Readers' messages usually name the path already.
                    if error.contains(label.as_str()) {
                        eprintln!("milestone-check: {error}");
                    } else {
                        eprintln!("milestone-check: {label}: {error}");
                    }
                }
            }
        }
    }
    let tool = tool();
    if let Some((path, mut file)) = sarif {
        file.write_all(to_sarif(&items, &tool).as_bytes()).map_err(|e| cannot_write(path, e))?;
    }
    print(&render(config, &items, &comparisons, &tool))?;
    if let ([(_, Err(error))], Format::Text) = (items.as_slice(), config.format) {
        eprintln!("milestone-check: {error}");
    }
    Ok(if unreadable {
        Exit::Unreadable
    } else if failed {
        Exit::Failed
    } else {
        Exit::Passed
    })
}

fn cannot_write(path: &Path, error: std::io::Error) -> Stop {
    Stop::Output(anyhow!("cannot write {}: {error}", path.display()))
}

/// Every checked source of `items` in one SARIF log.
fn to_sarif(items: &[(String, Result<Report, String>)], tool: &Tool) -> String {
    let checked: Vec<(&str, &Report)> =
        items.iter().filter_map(|(label, r)| r.as_ref().ok().map(|report| (label.as_str(), report))).collect();
    pretty(&m13_report::to_sarif(&checked, tool))
}

/// The chosen format of every report, with what changed since the earlier
/// release where `--compare-to` asked (`comparisons`, by label).
fn render(
    config: &Config,
    items: &[(String, Result<Report, String>)],
    comparisons: &[(String, Comparison)],
    tool: &Tool,
) -> String {
    let since = |label: &str| comparisons.iter().find(|(l, _)| l == label).map(|(_, c)| c);
    let batch: Vec<BatchItem<'_>> = items
        .iter()
        .map(|(label, result)| match result {
            Ok(report) => BatchItem::Checked { label, report },
            Err(error) => BatchItem::Failed { label, error },
        })
        .collect();
    let single = match items {
        [(label, Ok(report))] => Some((label.as_str(), report)),
        _ => None,
    };
    match (config.format, single) {
        (Format::Json, Some((label, report))) => {
            pretty(&with_comparison(m13_report::to_json(report, label, tool), since(label)))
        }
        (Format::Json, None) => {
            let mut all = m13_report::batch_to_json(&batch, tool);
            if let Some(array) = all.as_array_mut() {
                for (value, (label, _)) in array.iter_mut().zip(items) {
                    *value = with_comparison(std::mem::take(value), since(label));
                }
            }
            pretty(&all)
        }
        (Format::Text, Some((label, report))) => {
            let text = m13_report::to_text(report, label, config.color, tool);
            match since(label) {
                Some(comparison) => format!("{text}\n{}", m13_report::comparison_to_text(comparison)),
                None => text,
            }
        }
        (Format::Text, None) if items.len() == 1 => String::new(),
        (Format::Text, None) => {
            let mut text = m13_report::batch_table(&batch, config.color, tool);
            for (label, comparison) in comparisons {
                text.push_str(&format!("\n{label}\n{}", m13_report::comparison_to_text(comparison)));
            }
            text
        }
        (Format::Markdown, Some((label, report))) => m13_report::to_markdown_since(report, label, tool, since(label)),
        (Format::Markdown, None) if items.len() == 1 => String::new(),
        (Format::Markdown, None) => {
            let mut markdown = m13_report::batch_to_markdown(&batch, tool);
            for (label, comparison) in comparisons {
                let section = m13_report::comparison_to_markdown(comparison);
                markdown.push_str(&format!("\n**{}**\n\n{section}", m13_report::escape(label)));
            }
            markdown
        }
        // A Mermaid comment, after the diagram so the text still starts
        // with its type.
        (Format::Mermaid, Some((_, report))) => {
            format!("{}%% Checked by {tool}.\n", m13_report::to_mermaid(&report.graph))
        }
        // One Mermaid text holds one diagram: several sources become a
        // Markdown heading and a mermaid block each.
        (Format::Mermaid, None) => {
            let blocks: Vec<String> = items
                .iter()
                .filter_map(|(label, r)| {
                    let report = r.as_ref().ok()?;
                    let diagram = m13_report::to_mermaid(&report.graph);
                    Some(format!("## {}\n\n```mermaid\n{diagram}```\n", m13_report::escape(label)))
                })
                .collect();
            format!("{}\n*Checked by {}.*\n", blocks.join("\n"), m13_report::escape(&tool.to_string()))
        }
        (Format::Sarif, _) => to_sarif(items, tool),
        (Format::Csv, _) => {
            let rows: Vec<m13_report::ClassRow> = batch.iter().map(m13_report::ClassRow::of).collect();
            m13_report::class_table_csv(&rows)
        }
    }
}

/// Before a batch runs out of API calls, rather than after 30 failures.
fn quota_warning(quota: &RateLimit, left: usize, with_token: bool) -> String {
    let advice = if with_token {
        "The rest will fail until then."
    } else {
        "The rest will fail until then: set GITHUB_TOKEN or pass --token (5,000 calls an hour)."
    };
    format!(
        "milestone-check: GitHub allows {} more API calls until {}, and {left} release URLs are left to check (one call each). {advice}",
        quota.remaining,
        quota.resets_at()
    )
}

/// A report's JSON with `"comparison"` when `--compare-to` was given
/// (`null` when the earlier release could not be read).
fn with_comparison(mut value: serde_json::Value, since: Option<&Comparison>) -> serde_json::Value {
    if let Some(object) = value.as_object_mut() {
        object.insert("comparison".to_owned(), since.map_or(serde_json::Value::Null, m13_report::comparison_to_json));
    }
    value
}

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).map(|s| s + "\n").unwrap_or_default()
}

/// Checks sources on all cores; results come back in input order.
fn check_all(config: &Config) -> Vec<Result<Checked, String>> {
    let total = config.sources.len();
    let bar = if config.progress {
        let bar = ProgressBar::new(total as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
            bar.set_style(style);
        }
        Some(bar)
    } else {
        None
    };
    let next = AtomicUsize::new(0);
    // Said once, as soon as the quota cannot cover the URLs still to fetch.
    let urls_left = AtomicUsize::new(config.sources.iter().filter(|s| matches!(s, SourceSpec::Url(_))).count());
    let warned = AtomicBool::new(false);
    let on_quota = |quota: RateLimit| {
        // Counted before this URL's own count-down: it is done.
        let left = urls_left.load(Ordering::Relaxed).saturating_sub(1);
        if (quota.remaining as usize) < left && !warned.swap(true, Ordering::Relaxed) {
            let warning = quota_warning(&quota, left, config.token.is_some());
            match &bar {
                Some(bar) => bar.println(warning),
                None => eprintln!("{warning}"),
            }
        }
    };
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(total).max(1);
    let mut results: Vec<Option<Result<Checked, String>>> = (0..total).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(spec) = config.sources.get(index) else { break };
                        if let Some(bar) = &bar {
                            bar.set_message(config.labels.get(index).cloned().unwrap_or_else(|| spec.label()));
                        }
                        done.push((index, open::check_source(spec, config, &on_quota)));
                        if matches!(spec, SourceSpec::Url(_)) {
                            urls_left.fetch_sub(1, Ordering::Relaxed);
                        }
                        if let Some(bar) = &bar {
                            bar.inc(1);
                        }
                    }
                    done
                })
            })
            .collect();
        for handle in handles {
            if let Ok(done) = handle.join() {
                for (index, result) in done {
                    if let Some(slot) = results.get_mut(index) {
                        *slot = Some(result);
                    }
                }
            }
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results.into_iter().map(|r| r.unwrap_or_else(|| Err("the check stopped unexpectedly".to_owned()))).collect()
}

fn explain(id: &str) -> Result<Exit, Stop> {
    let Some(rule_id) = RuleId::from_id(id) else {
        return Err(Stop::Usage(anyhow!("{}", unknown_rule(id))));
    };
    let rule = rule_id.rule();
    print(&format!("# {} ({rule_id})\n\nRequirement: {}\n\n{}\n\n", rule.title, rule.source, rule.explanation()))?;
    Ok(Exit::Passed)
}

/// What `explain` says of an id that is no rule: the nearest id when it is
/// a near miss (a typo, `_` for `-`, capitals), else every id.
fn unknown_rule(id: &str) -> String {
    let wanted = id.trim().to_ascii_lowercase().replace('_', "-");
    let nearest = RuleId::ALL.iter().map(|rule| (strsim::levenshtein(&wanted, rule.as_str()), rule.as_str())).min();
    match nearest {
        // A quarter of the id's length (at least 2): `secret-match-values`
        // is a near miss, `no-such-rule` is not.
        Some((distance, near)) if distance <= (near.len() / 4).max(2) => {
            format!("no rule `{id}`; did you mean `{near}`? (`milestone-check rules` lists them all)")
        }
        _ => {
            let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
            format!("no rule `{id}`; the rules are: {}", ids.join(", "))
        }
    }
}

fn earlier_tags(current: &str) -> Result<Exit, Stop> {
    use std::io::Read;
    // Capped like any input: a repository's tags, not a disk's worth.
    let mut input = String::new();
    std::io::stdin()
        .lock()
        .take(4 * 1024 * 1024)
        .read_to_string(&mut input)
        .map_err(|e| Stop::Usage(anyhow!("cannot read the tags on stdin: {e}")))?;
    let tags: Vec<String> = input.lines().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect();
    let earlier = m13_rules::compare::earlier_milestone_tags(&tags, current);
    print(&earlier.iter().map(|t| format!("{t}\n")).collect::<String>())?;
    Ok(Exit::Passed)
}

fn list_rules() -> Result<Exit, Stop> {
    let mut out = String::new();
    for id in RuleId::ALL {
        let rule = id.rule();
        let kind = match rule.kind {
            m13_rules::Kind::Requirement => "requirement",
            m13_rules::Kind::Deeper => "deeper",
        };
        out.push_str(&format!("{:<28} {:<12} {}\n", id.as_str(), kind, rule.title));
    }
    print(&out)?;
    Ok(Exit::Passed)
}
