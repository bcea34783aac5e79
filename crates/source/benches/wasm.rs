//! The check as the web app runs it, in wasm (node, through
//! wasm-bindgen-test's criterion): a dropped "Source code (zip)" of a
//! typical release, and of a 50 MB release carrying a committed virtualenv.
//! Only built for wasm32; `cargo xtask bench` runs it. Each case also
//! prints the peak heap of one check, counted by the allocator below.
//! Then the growth table of the rules' native benchmark, the same cases
//! timed in wasm: each part at size N and 10N, and the ratio.
#![cfg(target_arch = "wasm32")]

#[path = "../../rules/benches/growth_cases.rs"]
mod growth_cases;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use m13_rules::{Origin, SourceKind};
use m13_source::zip::ZipSource;
use wasm_bindgen_test::{Criterion, Instant, console_log, wasm_bindgen_bench};

macro_rules! fixture {
    ($($path:literal),* $(,)?) => {
        vec![$(($path, include_bytes!(concat!("../../rules/tests/fixtures/sp24-pass/release/", $path)).to_vec())),*]
    };
}

fn typical() -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fixture!(
        "deployment/deployment.yaml",
        "deployment/service.yaml",
        "deployment/config.yaml",
        "deployment/secret.yaml",
        "values-postgres.yaml",
        "Dockerfile",
        "requirements.txt",
        "mysite/mysite/settings.py",
    )
    .into_iter()
    .map(|(p, b)| (p.to_owned(), b))
    .collect();
    for i in 0..40 {
        files.push((
            format!("mysite/polls/templates/polls/page{i}.html"),
            format!("<h1>{i}</h1>\n").repeat(20).into_bytes(),
        ));
    }
    files
}

fn with_virtualenv(mut files: Vec<(String, Vec<u8>)>) -> Vec<(String, Vec<u8>)> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for i in 0..(50 * 1024 / 16) {
        let data: Vec<u8> = (0..2048)
            .flat_map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()
            })
            .collect();
        files.push((format!("venv/lib/python3.11/site-packages/pkg{}/m{i}.py", i % 97), data));
    }
    files
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    m13_testkit::zip_of(files, m13_testkit::TOP)
}

/// The system allocator, counting the bytes live now and at their peak:
/// wasm memory only grows, so its size would hide what a check frees.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is passed straight to `System`; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The web app's path for a dropped zip: it owns the bytes, reads, checks.
fn check(bytes: Vec<u8>) -> usize {
    let origin = Origin::new(SourceKind::Zip { name: "bench.zip".into() });
    let Ok(mut source) = ZipSource::from_bytes("bench.zip", bytes) else { return 0 };
    let snapshot = m13_source::load(&mut source);
    m13_rules::check(&snapshot, &origin).results.len()
}

/// Prints the peak heap of one check of `bytes`, the zip's own bytes
/// included (handed over as the page hands them to wasm).
fn report_peak(case: &str, bytes: &[u8]) {
    let before = LIVE.load(Ordering::Relaxed);
    let owned = bytes.to_vec();
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    check(owned);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    console_log!(
        "{case}: zip {:.1} MiB, peak heap of one check {:.1} MiB ({:.2} x the zip)",
        mib(bytes.len()),
        mib(peak),
        peak as f64 / bytes.len().max(1) as f64
    );
}

#[wasm_bindgen_bench]
fn typical_release_zip(c: &mut Criterion) {
    let bytes = zip_of(&typical());
    report_peak("wasm: typical release zip", &bytes);
    c.bench_function("wasm: check a typical release zip", |b| b.iter(|| check(bytes.clone())));
}

#[wasm_bindgen_bench]
fn fifty_megabyte_zip(c: &mut Criterion) {
    let bytes = zip_of(&with_virtualenv(typical()));
    report_peak("wasm: 50 MB zip with a committed virtualenv", &bytes);
    c.bench_function("wasm: check a 50 MB zip with a committed virtualenv", |b| b.iter(|| check(bytes.clone())));
}

/// Runs `work` until a third of a second has passed (3 to 50 runs) and
/// returns the median, as the native growth benchmark does.
fn median(work: &mut dyn FnMut()) -> std::time::Duration {
    let mut samples = Vec::new();
    let started = Instant::now();
    while samples.len() < 3 || (samples.len() < 50 && started.elapsed().as_millis() < 300) {
        let start = Instant::now();
        work();
        samples.push(start.elapsed());
    }
    samples.sort();
    samples.get(samples.len() / 2).copied().unwrap_or_default()
}

#[wasm_bindgen_bench]
fn growth(_: &mut Criterion) {
    console_log!("wasm: growth of each part of the check, N and 10N");
    for row in growth_cases::table(&mut median, &[]) {
        console_log!("{row}");
    }
}
