//! The growth benchmarks' cases: each part of the check on inputs of size
//! N and 10N, and the ratio of the two medians. Shared by the native
//! benchmark (`benches/growth.rs`) and the wasm one
//! (`crates/source/benches/wasm.rs` includes this file by path), each
//! timing with its own clock.

use std::time::Duration;

use m13_rules::model::Release;
use m13_rules::parse::yaml;
use m13_rules::{Origin, Snapshot, SourceKind};

/// A clock's median of repeated runs of a piece of work.
pub type Median<'a> = &'a mut dyn FnMut(&mut dyn FnMut()) -> Duration;

/// The table's header, then one row per part whose name contains one of
/// `chosen` (all when it is empty): the part, N, the medians, the ratio.
pub fn table(median: Median<'_>, chosen: &[String]) -> Vec<String> {
    let origin =
        Origin::new(SourceKind::Sample).posted_url("https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1");
    let mut rows =
        vec!["| part | input | median at N | median at 10N | ratio |".to_owned(), "|---|---|---|---|---|".to_owned()];
    let mut row = |part: &str, unit: &str, n: usize, at: &mut dyn FnMut(usize, Median<'_>) -> Duration| {
        if !chosen.is_empty() && !chosen.iter().any(|word| part.contains(word.as_str())) {
            return;
        }
        let small = at(n, median);
        let large = at(10 * n, median);
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        rows.push(format!(
            "| {part} | {n} → {} {unit} | {:.2} ms | {:.2} ms | {:.1} |",
            10 * n,
            ms(small),
            ms(large),
            large.as_secs_f64() / small.as_secs_f64().max(1e-9)
        ));
    };
    row("settings interpreter (parse and run)", "statements", 2_000, &mut |n, median| {
        let snapshot = Snapshot::from_files(with(release(), "mysite/mysite/settings.py", settings(n)));
        median(&mut || drop(std::hint::black_box(Release::new(&snapshot, &origin).settings)))
    });
    row("settings interpreter, growth idioms", "lines", 1_000, &mut |n, median| {
        let snapshot = Snapshot::from_files(with(release(), "mysite/mysite/settings.py", hostile_settings(n)));
        median(&mut || drop(std::hint::black_box(Release::new(&snapshot, &origin).settings)))
    });
    row("YAML reader", "Pods", 2_000, &mut |n, median| {
        let text = pods(n, 0);
        median(&mut || drop(std::hint::black_box(yaml::parse(&text))))
    });
    row("model (`Release::new`)", "Pods", 2_000, &mut |n, median| {
        let snapshot = Snapshot::from_files(release_with_pods(n));
        median(&mut || drop(std::hint::black_box(Release::new(&snapshot, &origin))))
    });
    row("graph (`graph::build`)", "Pods", 2_000, &mut |n, median| {
        let snapshot = Snapshot::from_files(release_with_pods(n));
        let release = Release::new(&snapshot, &origin);
        let findings = m13_rules::check(&snapshot, &origin).results;
        median(&mut || drop(std::hint::black_box(m13_rules::graph::build(&release, &findings))))
    });
    row("whole check (`m13_rules::check`)", "Pods", 2_000, &mut |n, median| {
        let snapshot = Snapshot::from_files(release_with_pods(n));
        median(&mut || drop(std::hint::black_box(m13_rules::check(&snapshot, &origin))))
    });
    rows
}

/// The passing release of the fixtures, as the zip or the web app gives it.
pub fn release() -> Vec<(String, Vec<u8>)> {
    macro_rules! fixture {
        ($($path:literal),* $(,)?) => {
            vec![$(($path.to_owned(), include_bytes!(concat!("../tests/fixtures/sp24-pass/release/", $path)).to_vec())),*]
        };
    }
    fixture!(
        "deployment/deployment.yaml",
        "deployment/service.yaml",
        "deployment/config.yaml",
        "deployment/secret.yaml",
        "values-postgres.yaml",
        "Dockerfile",
        "requirements.txt",
        "mysite/mysite/settings.py",
    )
}

/// `files` with `path` replaced by (or added as) `text`.
pub fn with(mut files: Vec<(String, Vec<u8>)>, path: &str, text: String) -> Vec<(String, Vec<u8>)> {
    files.retain(|(p, _)| p != path);
    files.push((path.to_owned(), text.into_bytes()));
    files
}

/// A settings module of about `n` statements of the kinds real ones have:
/// literals, lists, dicts, environment lookups, `+=`, `append`, `if`.
pub fn settings(n: usize) -> String {
    let mut text = String::from("import os\nfrom pathlib import Path\nBASE_DIR = Path(__file__).resolve().parent\n");
    for i in 0..n / 8 {
        text.push_str(&format!(
            "DEBUG_{i} = os.environ.get('DEBUG', 'False') == 'True'\n\
             HOSTS_{i} = ['localhost', '127.0.0.1', 'mysite-{i}.example.com']\n\
             HOSTS_{i} += os.environ.get('EXTRA_HOSTS', '').split(',')\n\
             HOSTS_{i}.append('[::1]')\n\
             DATABASES_{i} = {{'default': {{'ENGINE': 'django.db.backends.postgresql', 'NAME': os.environ['POSTGRES_DB'], 'PORT': 5432}}}}\n\
             DATABASES_{i}['default']['HOST'] = os.environ.get('POSTGRES_HOSTNAME', 'localhost')\n\
             if DEBUG_{i}:\n    LEVEL_{i} = 'DEBUG'\nelse:\n    LEVEL_{i} = 'INFO'\n\
             NAME_{i} = os.environ.get('STUDENT_NAME', 'Unknown').strip().lower()\n"
        ));
    }
    text
}

/// The growth idioms of a hostile settings module, `n` lines of each:
/// doubling strings, lists and dicts, `+=` of a string, `[A]` nesting.
pub fn hostile_settings(n: usize) -> String {
    let mut text = String::from("X = 'ab'\nO = ['https://*.github.dev']\nD = {}\nA = []\nS = ''\n");
    for _ in 0..n / 5 {
        text.push_str("X = X + X\nO = O + O\nD = {'x': D, 'y': D}\nA = [A]\nS += 'aaaaaaaaaa'\n");
    }
    text.push_str("CSRF_TRUSTED_ORIGINS = O\nALLOWED_HOSTS = [X, S]\nDATABASES = D\n");
    text
}

/// `n` small Pods, as a student's leftover manifests could hold them.
pub fn pods(n: usize, first: usize) -> String {
    (first..first + n).map(|i| format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-{i}\n---\n")).collect()
}

/// The passing release plus `n` small Pods over four files.
pub fn release_with_pods(n: usize) -> Vec<(String, Vec<u8>)> {
    let mut files = release();
    for file in 0..4 {
        files.push((format!("deployment/pods-{file}.yaml"), pods(n / 4, file * (n / 4)).into_bytes()));
    }
    files
}
