//! `milestone-check`: the CLI is glue. Parse, check each source (in
//! parallel, with a progress bar on a terminal), write one report in the
//! chosen format, exit 0 / 1 / 2.

mod args;
mod config;
mod open;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use clap::Parser;
use indicatif::{ProgressBar, ProgressStyle};
use m13_report::BatchItem;
use m13_rules::{Report, RuleId};
use m13_source::github::RateLimit;

use crate::args::{Args, Command, Format};
use crate::config::{Config, SourceSpec};

fn main() -> ExitCode {
    let args = Args::parse();
    let result = match args.command {
        Command::Check(check) => Config::from_args(check).and_then(|config| run(&config)),
        Command::Explain { rule } => explain(&rule),
        Command::Rules => list_rules(),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::SUCCESS;
            }
            eprintln!("milestone-check: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Checks every source, writes the output, and picks the exit code.
fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let results = check_all(config);
    let mut unreadable = false;
    let mut failed = false;
    let items: Vec<(String, Result<Report, String>)> = config.labels.iter().cloned().zip(results).collect();
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
    let output = render(config, &items);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(output.as_bytes())?;
    stdout.flush()?;
    if let ([(_, Err(error))], Format::Text) = (items.as_slice(), config.format) {
        eprintln!("milestone-check: {error}");
    }
    Ok(ExitCode::from(if unreadable {
        2
    } else if failed {
        1
    } else {
        0
    }))
}

fn render(config: &Config, items: &[(String, Result<Report, String>)]) -> String {
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
        (Format::Json, Some((label, report))) => pretty(&m13_report::to_json(report, label)),
        (Format::Json, None) => pretty(&m13_report::batch_to_json(&batch)),
        (Format::Text, Some((label, report))) => m13_report::to_text(report, label, config.color),
        (Format::Text, None) if items.len() == 1 => String::new(),
        (Format::Text, None) => m13_report::batch_table(&batch, config.color),
        (Format::Markdown, Some((label, report))) => m13_report::to_markdown(report, label),
        (Format::Markdown, None) if items.len() == 1 => String::new(),
        (Format::Markdown, None) => m13_report::batch_to_markdown(&batch),
        (Format::Mermaid, Some((_, report))) => m13_report::to_mermaid(&report.graph),
        // One Mermaid text holds one diagram: several sources become a
        // Markdown heading and a mermaid block each.
        (Format::Mermaid, None) => items
            .iter()
            .filter_map(|(label, r)| {
                let report = r.as_ref().ok()?;
                let diagram = m13_report::to_mermaid(&report.graph);
                Some(format!("## {}\n\n```mermaid\n{diagram}```\n", m13_report::escape(label)))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        (Format::Sarif, _) => {
            let checked: Vec<(&str, &Report)> =
                items.iter().filter_map(|(label, r)| r.as_ref().ok().map(|report| (label.as_str(), report))).collect();
            pretty(&m13_report::to_sarif(&checked))
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

fn pretty(value: &serde_json::Value) -> String {
    serde_json::to_string_pretty(value).map(|s| s + "\n").unwrap_or_default()
}

/// Checks sources on all cores; results come back in input order.
fn check_all(config: &Config) -> Vec<Result<Report, String>> {
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
    let mut results: Vec<Option<Result<Report, String>>> = (0..total).map(|_| None).collect();
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

fn explain(id: &str) -> anyhow::Result<ExitCode> {
    let Some(rule_id) = RuleId::from_id(id) else {
        let ids: Vec<&str> = RuleId::ALL.iter().map(|r| r.as_str()).collect();
        anyhow::bail!("no rule `{id}`; the rules are: {}", ids.join(", "));
    };
    let rule = rule_id.rule();
    println!("# {} ({rule_id})\n\nRequirement: {}\n\n{}\n", rule.title, rule.source, rule.explanation());
    Ok(ExitCode::SUCCESS)
}

fn list_rules() -> anyhow::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    for id in RuleId::ALL {
        let rule = id.rule();
        let kind = match rule.kind {
            m13_rules::Kind::Requirement => "requirement",
            m13_rules::Kind::Deeper => "deeper",
        };
        writeln!(stdout, "{:<28} {:<12} {}", id.as_str(), kind, rule.title)?;
    }
    Ok(ExitCode::SUCCESS)
}
