//! `cargo xtask bench`: how the work grows with the input. Each part of the
//! check runs on an input of size N and of size 10N; the ratio of the two
//! medians is about 10 when the work is linear (it was 100 and more for a
//! graph that looked nodes up by scanning). A plain harness, as
//! `crates/cli/benches/check.rs`: medians of repeated runs, printed as the
//! README's table. No assertion: tests never time anything.

use std::time::{Duration, Instant};

use m13_rules::model::Release;
use m13_rules::parse::yaml;
use m13_rules::{Graph, Origin, Snapshot, SourceKind};

mod inputs;

/// Runs `work` until a third of a second has passed (3 to 50 runs) and
/// returns the median.
fn median(mut work: impl FnMut()) -> Duration {
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || (samples.len() < 50 && started.elapsed() < Duration::from_millis(300)) {
        let start = Instant::now();
        work();
        samples.push(start.elapsed());
    }
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn origin() -> Origin {
    Origin::new(SourceKind::Sample).posted_url("https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1")
}

/// One row: the part, what N counts, the medians at N and 10N, the ratio.
/// Words given after `--` choose the rows whose part contains one.
fn row(part: &str, unit: &str, n: usize, mut at: impl FnMut(usize) -> Duration) {
    let chosen: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if !chosen.is_empty() && !chosen.iter().any(|word| part.contains(word.as_str())) {
        return;
    }
    let small = at(n);
    let large = at(10 * n);
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "| {part} | {n} → {} {unit} | {:.2} ms | {:.2} ms | {:.1} |",
        10 * n,
        ms(small),
        ms(large),
        large.as_secs_f64() / small.as_secs_f64().max(1e-9)
    );
}

fn main() {
    // `cargo test --benches` runs this too; keep that quick.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let origin = origin();
    println!("| part | input | median at N | median at 10N | ratio |");
    println!("|---|---|---|---|---|");
    row("settings interpreter (parse and run)", "statements", 2_000, |n| {
        let files = inputs::with(inputs::release(), "mysite/mysite/settings.py", inputs::settings(n));
        let snapshot = Snapshot::from_files(files);
        median(|| drop(std::hint::black_box(Release::new(&snapshot, &origin).settings)))
    });
    row("settings interpreter, growth idioms", "lines", 1_000, |n| {
        let files = inputs::with(inputs::release(), "mysite/mysite/settings.py", inputs::hostile_settings(n));
        let snapshot = Snapshot::from_files(files);
        median(|| drop(std::hint::black_box(Release::new(&snapshot, &origin).settings)))
    });
    row("YAML reader", "Pods", 2_000, |n| {
        let text = inputs::pods(n, 0);
        median(|| drop(std::hint::black_box(yaml::parse(&text))))
    });
    row("model (`Release::new`)", "Pods", 2_000, |n| {
        let snapshot = Snapshot::from_files(inputs::release_with_pods(n));
        median(|| drop(std::hint::black_box(Release::new(&snapshot, &origin))))
    });
    row("graph (`Graph::build`)", "Pods", 2_000, |n| {
        let snapshot = Snapshot::from_files(inputs::release_with_pods(n));
        let release = Release::new(&snapshot, &origin);
        let findings = m13_rules::check(&snapshot, &origin).results;
        median(|| drop(std::hint::black_box(Graph::build(&release, &findings))))
    });
    row("whole check (`m13_rules::check`)", "Pods", 2_000, |n| {
        let snapshot = Snapshot::from_files(inputs::release_with_pods(n));
        median(|| drop(std::hint::black_box(m13_rules::check(&snapshot, &origin))))
    });
    println!(
        "\nThe web app's layout of the graph has its own growth benchmark in `crates/app` (`cargo xtask bench` runs it)."
    );
}
