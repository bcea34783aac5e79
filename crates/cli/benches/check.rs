//! `cargo xtask bench`: check time and peak memory for a typical release zip
//! and for a 50 MB zip carrying a committed virtualenv, and the CLI's time
//! for a class of 40 zips. A plain harness (no criterion): medians of many
//! runs, printed as a table the README copies.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use m13_rules::{Origin, SourceKind};
use m13_source::load;
use m13_source::zip::ZipSource;

const TOP: &str = m13_testkit::TOP;

/// The passing fixture plus the rest of a typical student repository.
fn typical_files() -> Vec<(String, Vec<u8>)> {
    let mut files = m13_testkit::fixture(m13_testkit::PASSING);
    for i in 0..40 {
        files.push((
            format!("mysite/polls/templates/polls/page{i}.html"),
            format!("<h1>{{{{ question }}}} {i}</h1>\n").repeat(20).into_bytes(),
        ));
        files.push((
            format!("mysite/polls/migrations/{i:04}_auto.py"),
            b"from django.db import migrations\n".repeat(30),
        ));
    }
    files
}

/// A committed virtualenv: incompressible files adding up to `bytes`.
fn venv_files(bytes: usize) -> Vec<(String, Vec<u8>)> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let size = 16 * 1024;
    (0..bytes / size)
        .map(|i| {
            let data: Vec<u8> = (0..size / 8).flat_map(|_| next().to_le_bytes()).collect();
            (format!("venv/lib/python3.11/site-packages/pkg{}/module{i}.py", i % 97), data)
        })
        .chain(std::iter::once(("venv/pyvenv.cfg".to_owned(), b"home = /usr/bin\n".to_vec())))
        .collect()
}

fn zip_bytes(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    m13_testkit::zip_of(files, TOP)
}

fn check_zip(bytes: &[u8]) -> usize {
    let origin = Origin::new(SourceKind::Zip { name: "bench.zip".into() })
        .posted_url("https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1");
    let Ok(mut source) = ZipSource::from_bytes("bench.zip", bytes.to_vec()) else { return 0 };
    let snapshot = load(&mut source);
    m13_rules::check(&snapshot, &origin).results.len()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

/// Times the in-process check, then runs the CLI on the same zip file in a
/// child process and reads that process's peak memory from /proc (polled:
/// VmHWM only grows, so the last reading before exit is the peak).
fn measure(name: &str, bytes: &[u8], runs: usize, dir: &Path) {
    let samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(check_zip(bytes));
            start.elapsed()
        })
        .collect();
    let path = dir.join(format!("{}.zip", name.replace(' ', "-")));
    let _ = std::fs::write(&path, bytes);
    let peak = child_peak_kib(
        Command::new(env!("CARGO_BIN_EXE_milestone-check")).args(["check", "--quiet", "--format", "json"]).arg(&path),
    );
    let size = if bytes.len() >= 1_000_000 {
        format!("{:.1} MB", bytes.len() as f64 / 1e6)
    } else {
        format!("{} KB", bytes.len() / 1000)
    };
    println!(
        "| {name} | {size} | {:.2} ms | {:.2} ms | {:.1} MiB |",
        median(samples.clone()).as_secs_f64() * 1e3,
        samples.iter().min().copied().unwrap_or_default().as_secs_f64() * 1e3,
        peak as f64 / 1024.0
    );
}

fn child_peak_kib(command: &mut Command) -> u64 {
    let Ok(mut child) = command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn() else {
        return 0;
    };
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(&status_path) {
            let hwm = status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok());
            peak = peak.max(hwm.unwrap_or(0));
        }
        if !matches!(child.try_wait(), Ok(None)) {
            break;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    peak
}

fn class_of_zips(dir: &Path, count: usize) -> Vec<PathBuf> {
    let _ = std::fs::create_dir_all(dir);
    let bytes = zip_bytes(&typical_files());
    (0..count)
        .filter_map(|i| {
            let path = dir.join(format!("student-{i:02}.zip"));
            std::fs::write(&path, &bytes).ok().map(|()| path)
        })
        .collect()
}

fn main() {
    // `cargo test --benches` runs this too; keep that quick.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    if quick {
        return;
    }
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("class");
    let _ = std::fs::create_dir_all(&dir);
    println!("| case | zip size | median check (in process) | fastest | peak memory of `milestone-check` on it |");
    println!("|---|---|---|---|---|");
    let typical = zip_bytes(&typical_files());
    measure("typical release", &typical, 200, &dir);
    let big = {
        let mut files = typical_files();
        files.extend(venv_files(50 * 1024 * 1024));
        zip_bytes(&files)
    };
    measure("50 MB zip with a committed virtualenv", &big, 20, &dir);

    let zips = class_of_zips(&dir, 40);
    let binary = env!("CARGO_BIN_EXE_milestone-check");
    let runs: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let _ = Command::new(binary).args(["check", "--quiet", "--format", "json"]).args(&zips).output();
            start.elapsed()
        })
        .collect();
    println!(
        "\nCLI, 40 release zips in one run (`milestone-check check --format json z1 … z40`): median {:.0} ms",
        median(runs).as_secs_f64() * 1e3
    );
    peer_comparison(binary);
}

/// The same manifests through Checkov (what a student would otherwise run),
/// if `cargo xtask bench` installed it (or `CHECKOV` names it): medians of
/// whole-process runs, and the ratio.
fn peer_comparison(binary: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let checkov =
        std::env::var_os("CHECKOV").map(PathBuf::from).unwrap_or_else(|| root.join("target/tools/checkov/bin/checkov"));
    let release = root.join("crates/rules/tests/fixtures/sp24-pass/release");
    if !checkov.exists() {
        println!("\nPeer comparison skipped: no Checkov at {} (`cargo xtask bench` installs it).", checkov.display());
        return;
    }
    let time = |command: &mut Command, runs: usize| -> Duration {
        median(
            (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    let _ = command.output();
                    start.elapsed()
                })
                .collect(),
        )
    };
    let ours = time(Command::new(binary).args(["check", "--quiet", "--format", "json"]).arg(&release), 20);
    let theirs = time(
        Command::new(&checkov)
            .args(["--framework", "kubernetes", "--quiet", "--compact", "-o", "json", "-d"])
            .arg(release.join("deployment")),
        5,
    );
    println!(
        "\nSame release, whole process: milestone-check {:.0} ms (every file, {} rules), Checkov {:.0} ms (the 4 manifests only, kubernetes checks): {:.0}x faster.",
        ours.as_secs_f64() * 1e3,
        m13_rules::RuleId::ALL.len(),
        theirs.as_secs_f64() * 1e3,
        theirs.as_secs_f64() / ours.as_secs_f64().max(1e-9)
    );
}
