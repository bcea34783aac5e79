//! Inputs of a chosen size for the growth benchmarks: the same files at
//! size N and 10N, natively (`benches/growth.rs`) and in wasm
//! (`crates/source/benches/wasm.rs` includes this file by path).

#![allow(dead_code)]

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
