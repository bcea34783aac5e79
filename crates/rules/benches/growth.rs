//! `cargo xtask bench`: how the work grows with the input. Each part of the
//! check runs on an input of size N and of size 10N; the ratio of the two
//! medians is about 10 when the work is linear (it was 100 and more for a
//! graph that looked nodes up by scanning). A plain harness, as
//! `crates/cli/benches/check.rs`: medians of repeated runs, printed as the
//! README's table. No assertion: tests never time anything. Words after
//! `--` choose the parts (`cargo bench -p m13-rules --bench growth -- YAML`).

use std::time::{Duration, Instant};

mod growth_cases;

/// Runs `work` until a third of a second has passed (3 to 50 runs) and
/// returns the median.
fn median(work: &mut dyn FnMut()) -> Duration {
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
