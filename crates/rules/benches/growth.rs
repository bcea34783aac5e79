//! `cargo xtask bench`: how the work grows with the input. Each part of the
//! check runs on an input of size N and of size 10N; the ratio of the two
//! medians is about 10 when the work is linear (it was 100 and more for a
//! graph that looked nodes up by scanning). A plain harness, as
//! `crates/cli/benches/check.rs`: medians of repeated runs, printed as the
//! README's table. No assertion: tests never time anything. Words after
//! `--` choose the parts (`cargo bench -p m13-rules --bench growth -- YAML`).

use std::time::{Duration, Instant};

mod growth_cases;

/// Runs `work` until a second has passed (7 to 100 runs) and returns the
/// median: the 10N input runs a few dozen times, so one slow run (another
/// process, a page fault storm) does not make the ratio.
fn median(work: &mut dyn FnMut()) -> Duration {
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 7 || (samples.len() < 100 && started.elapsed() < Duration::from_secs(1)) {
        let start = Instant::now();
        work();
        samples.push(start.elapsed());
    }
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

fn main() {
    // `cargo test --benches` runs this too; keep that quick.
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        return;
    }
    let chosen: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    for row in growth_cases::table(&mut median, &chosen) {
        println!("{row}");
    }
}
