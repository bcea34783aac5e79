//! The hostile-input catalogue: each case is what a student repository (or
//! a mistaken download) can really hand us, run through the real binary.
//! Each asserts the exact message the user sees, and that rules the damage
//! does not touch keep their verdicts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zip::write::SimpleFileOptions;

const URL: &str = "https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1";
const TOP: &str = "ana-lopez-cis-92-1a2b3c4";

fn release_files() -> Vec<(String, Vec<u8>)> {
    m13_testkit::fixture(m13_testkit::PASSING)
}

fn with(files: Vec<(String, Vec<u8>)>, path: &str, bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    m13_testkit::with(files, path, bytes)
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    m13_testkit::zip_of(files, TOP)
}

fn temp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

fn check(path: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_milestone-check"))
        .args(["check", "--format", "json", "--release-url", URL])
        .arg(path)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the binary")
}

fn results(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)))
}

fn finding<'a>(json: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    json["results"].as_array().and_then(|r| r.iter().find(|f| f["id"] == id)).unwrap_or_else(|| panic!("no {id}"))
}

/// Checks `files` as a zip; asserts each `(rule, status, message)` exactly
/// and that every rule in `untouched` still passes.
fn assert_case(name: &str, files: &[(String, Vec<u8>)], expected: &[(&str, &str, &str)], untouched: &[&str]) {
    let output = check(&temp(&format!("{name}.zip"), &zip_of(files)));
    let json = results(&output);
    for (id, status, message) in expected {
        let f = finding(&json, id);
        assert_eq!((f["status"].as_str(), f["message"].as_str()), (Some(*status), Some(*message)), "{name}: {id}: {f}");
    }
    for id in untouched {
        assert_eq!(finding(&json, id)["status"], "pass", "{name}: {id} should be unaffected");
    }
}

const SETTINGS_RULES: [&str; 3] = ["csrf-trusted-origins", "uses-postgres", "allowed-hosts-probe"];

#[test]
fn a_zip_bomb_is_not_inflated() {
    // 200 MB of zeros compress to about 200 KB; the listing's size keeps the
    // rules from asking for it, so it is never inflated.
    let files = with(release_files(), "deployment/service.yaml", vec![0u8; 200 * 1024 * 1024]);
    assert_case(
        "bomb",
        &files,
        &[(
            "manifests-apply",
            "fail",
            "`kubectl apply -f deployment/` would fail: `deployment/service.yaml` could not be read.",
        )],
        &["deployment-present", "cpu-request-range", "secret-matches-values", "csrf-trusted-origins"],
    );
    let output = check(&temp("bomb-evidence.zip", &zip_of(&files)));
    let json = results(&output);
    assert_eq!(
        finding(&json, "manifests-apply")["evidence"][0]["found"],
        "larger than the 1024 KiB limit for one file (204800 KiB)"
    );
}

#[test]
fn a_zip_with_too_many_entries_is_refused() {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for i in 0..200_001 {
        writer.start_file(format!("{TOP}/f/{i}"), options).expect("entry");
    }
    let bytes = writer.finish().expect("finish").into_inner();
    let output = check(&temp("many.zip", &bytes));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(
            "has more than 200000 entries, far more than a release of this milestone; is it the right archive?"
        ),
        "{stderr}"
    );
}

#[test]
fn entries_escaping_the_release_are_skipped_and_named() {
    let mut files = release_files();
    files.push(("../evil/deployment/pod.yaml".to_owned(), b"kind: Pod\n".to_vec()));
    files.push(("/etc/cron.d/evil".to_owned(), b"* * * * * root true\n".to_vec()));
    let output = check(&temp("escape.zip", &zip_of(&files)));
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("skipped `../evil/deployment/pod.yaml`"), "{stderr}");
    assert!(stderr.contains("skipped `/etc/cron.d/evil`"), "{stderr}");
}

#[test]
fn not_a_zip_and_a_truncated_zip_have_their_own_messages() {
    let output = check(&temp("page.zip", b"<!DOCTYPE html><html><body>Not Found</body></html>"));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("page.zip` is not a zip file: it is a web page (HTML), not the download itself"),
        "{stderr}"
    );

    let whole = zip_of(&release_files());
    let output = check(&temp("cut.zip", whole.get(..whole.len() / 2).unwrap_or_default()));
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("cut.zip` is damaged: its table of contents, at the end, is missing: it was probably cut short while downloading; download it again"),
        "{stderr}"
    );
}

#[test]
fn an_encrypted_entry_is_reported_where_it_matters() {
    let mut bytes = zip_of(&release_files());
    // Set the "encrypted" flag of secret.yaml in its local and central headers.
    let name = format!("{TOP}/deployment/secret.yaml");
    for (signature, flag_offset, name_offset) in
        [([0x50u8, 0x4b, 0x03, 0x04], 6usize, 30usize), ([0x50, 0x4b, 0x01, 0x02], 8, 46)]
    {
        let starts: Vec<usize> =
            bytes.windows(4).enumerate().filter(|(_, w)| *w == signature).map(|(i, _)| i).collect();
        for start in starts {
            let named = bytes.get(start + name_offset..start + name_offset + name.len()) == Some(name.as_bytes());
            if let (true, Some(flag)) = (named, bytes.get_mut(start + flag_offset)) {
                *flag |= 1;
            }
        }
    }
    let output = check(&temp("encrypted.zip", &bytes));
    let json = results(&output);
    assert_eq!(
        finding(&json, "secret-matches-values")["message"],
        "`deployment/secret.yaml` could not be read (encrypted), so its Secret is not created and cannot match the values."
    );
    for id in ["deployment-present", "cpu-request-range", "csrf-trusted-origins", "config-postgres-hostname"] {
        assert_eq!(finding(&json, id)["status"], "pass", "{id}");
    }
}

#[test]
fn yaml_bombs_and_deep_nesting_stop_with_a_line() {
    let mut bomb = String::from(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: mysite-secret\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"));
    }
    assert_case(
        "laughs",
        &with(release_files(), "deployment/secret.yaml", bomb.into_bytes()),
        &[(
            "secret-matches-values",
            "fail",
            "`deployment/secret.yaml` is not valid YAML (line 10: expands to more than 250000 values (an alias bomb?)), so its Secret is not created and cannot match the values.",
        )],
        &["deployment-present", "config-postgres-hostname", "csrf-trusted-origins"],
    );
    let deep = format!("apiVersion: v1\nkind: ConfigMap\ndata: {}\n", "[".repeat(5000));
    let output = check(&temp("deep.zip", &zip_of(&with(release_files(), "deployment/config.yaml", deep.into_bytes()))));
    let json = results(&output);
    let message = finding(&json, "config-postgres-hostname")["message"].as_str().unwrap_or("").to_owned();
    assert!(message.starts_with("`deployment/config.yaml` is not valid YAML (line 3: "), "{message}");
    assert_eq!(finding(&json, "secret-matches-values")["status"], "pass");
}

#[test]
fn binary_and_empty_files_where_yaml_is_expected() {
    let mut binary = b"apiVersion: v1\nkind: ConfigMap\n".to_vec();
    binary.extend([0xff, 0xfe, 0x00, 0x81]);
    assert_case(
        "binary",
        &with(release_files(), "deployment/config.yaml", binary),
        &[(
            "config-postgres-hostname",
            "fail",
            "`deployment/config.yaml` could not be read (not UTF-8 text (invalid byte at offset 31)), so its ConfigMap is not created.",
        )],
        &["deployment-present", "secret-matches-values"],
    );
    assert_case(
        "empty",
        &with(release_files(), "deployment/extra.yaml", Vec::new()),
        &[("manifests-apply", "pass", "All 4 objects in `deployment/` would apply.")],
        &["deployment-present", "secret-matches-values", "service-loadbalancer"],
    );
}

#[test]
fn a_settings_file_with_an_unterminated_string_keeps_what_came_before() {
    let mut settings = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../rules/tests/fixtures/sp24-pass/release/mysite/mysite/settings.py"),
    )
    .expect("settings");
    settings.push_str("\nSTATIC_ROOT = 'static\n");
    assert_case(
        "unterminated",
        &with(release_files(), "mysite/mysite/settings.py", settings.into_bytes()),
        &[("csrf-trusted-origins", "pass", "CSRF_TRUSTED_ORIGINS trusts the three origins the page asks for.")],
        &SETTINGS_RULES,
    );
}

#[test]
fn duplicate_keys_and_tabs_are_named_with_their_line() {
    let deployment = String::from_utf8(
        release_files()
            .into_iter()
            .find(|(p, _)| p == "deployment/deployment.yaml")
            .map(|(_, b)| b)
            .unwrap_or_default(),
    )
    .unwrap_or_default();
    let duplicated = deployment.replacen("  replicas: 1\n", "  replicas: 1\n  replicas: 2\n", 1);
    assert_case(
        "duplicate",
        &with(release_files(), "deployment/deployment.yaml", duplicated.into_bytes()),
        &[(
            "deployment-present",
            "fail",
            "`deployment/deployment.yaml` is not valid YAML (line 7: duplicate key `replicas` (first at line 6)), so no Deployment is created.",
        )],
        &["secret-matches-values", "config-postgres-hostname", "csrf-trusted-origins", "values-postgres-present"],
    );
    let tabbed = "apiVersion: v1\nkind: Secret\nmetadata:\n\tname: mysite-secret\n";
    let output =
        check(&temp("tabs.zip", &zip_of(&with(release_files(), "deployment/secret.yaml", tabbed.as_bytes().to_vec()))));
    let json = results(&output);
    let message = finding(&json, "secret-matches-values")["message"].as_str().unwrap_or("").to_owned();
    assert!(message.starts_with("`deployment/secret.yaml` is not valid YAML (line 4: "), "{message}");
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_change_nothing() {
    let files: Vec<(String, Vec<u8>)> = release_files()
        .into_iter()
        .map(|(path, bytes)| {
            let text = String::from_utf8(bytes).unwrap_or_default().replace('\n', "\r\n");
            (path, [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat())
        })
        .collect();
    let output = check(&temp("crlf.zip", &zip_of(&files)));
    let json = results(&output);
    for result in json["results"].as_array().into_iter().flatten() {
        assert_eq!(result["status"], "pass", "{result}");
    }
}

/// The passing settings with `tail` after them.
fn settings_with(tail: &str) -> Vec<(String, Vec<u8>)> {
    let files = release_files();
    let settings = files.iter().find(|(p, _)| p == "mysite/mysite/settings.py").map(|(_, b)| b.clone());
    let mut text = settings.unwrap_or_default();
    text.extend_from_slice(format!("\n{tail}").as_bytes());
    with(files, "mysite/mysite/settings.py", text)
}

/// Runs `files` as a zip; asserts the exit status and each `(rule, status,
/// message)`, and that the output stays small (evidence is capped, long
/// texts are clipped) however large the input. Returns the JSON.
fn assert_bounded(
    name: &str,
    files: &[(String, Vec<u8>)],
    exit: i32,
    expected: &[(&str, &str, &str)],
) -> serde_json::Value {
    let output = check(&temp(&format!("{name}.zip"), &zip_of(files)));
    assert_eq!(output.status.code(), Some(exit), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stdout.len() < 120_000, "{name}: {} bytes of JSON", output.stdout.len());
    let json = results(&output);
    for (id, status, message) in expected {
        let f = finding(&json, id);
        assert_eq!((f["status"].as_str(), f["message"].as_str()), (Some(*status), Some(*message)), "{name}: {id}");
    }
    for f in json["results"].as_array().into_iter().flatten() {
        assert!(f["message"].as_str().is_some_and(|m| m.chars().count() <= 1_030), "{name}: {f}");
        assert!(f["evidence"].as_array().is_some_and(|e| e.len() <= 21), "{name}: {}", f["id"]);
    }
    json
}

#[test]
fn settings_values_that_grow_stop_at_their_caps() {
    assert_bounded(
        "doubling-string",
        &settings_with(&format!("X = 'ab'\n{}CSRF_TRUSTED_ORIGINS = X\n", "X = X + X\n".repeat(40))),
        0,
        &[(
            "csrf-trusted-origins",
            "manual",
            "CSRF_TRUSTED_ORIGINS is computed from a value over 64 KiB: check its value by hand.",
        )],
    );
    assert_bounded(
        "growing-string",
        &settings_with(&format!("X = ''\n{}ALLOWED_HOSTS = [X]\n", "X += 'aaaaaaaaaa'\n".repeat(55_000))),
        0,
        &[
            (
                "allowed-hosts-probe",
                "manual",
                "ALLOWED_HOSTS comes from settings that take more than 1,000,000 steps to evaluate: check it by hand.",
            ),
            ("csrf-trusted-origins", "pass", "CSRF_TRUSTED_ORIGINS trusts the three origins the page asks for."),
        ],
    );
    let nested = assert_bounded(
        "nested-list",
        &settings_with(&format!("A = []\n{}CSRF_TRUSTED_ORIGINS = A\n", "A = [A]\n".repeat(6_000))),
        1,
        &[],
    );
    let found = finding(&nested, "csrf-trusted-origins")["evidence"][0]["found"].as_str().unwrap_or("").to_owned();
    assert!(found.contains("<unknown: a value nested more than 32 levels deep>"), "{found}");
    assert_bounded(
        "doubling-dict",
        &settings_with(&format!("D = {{}}\n{}DATABASES = D\n", "D = {'x': D, 'y': D}\n".repeat(60))),
        1,
        // The dict has no 'default', whatever it nests: Django finds no database.
        &[("uses-postgres", "fail", "The default database is `no 'default' database`, not PostgreSQL.")],
    );
    assert_bounded(
        "doubling-list",
        &settings_with(&format!(
            "O = ['https://*.github.dev']\n{}CSRF_TRUSTED_ORIGINS = O\n",
            "O = O + O\n".repeat(60)
        )),
        0,
        &[(
            "csrf-trusted-origins",
            "manual",
            "CSRF_TRUSTED_ORIGINS is computed from a value over 64 KiB: check its value by hand.",
        )],
    );
}

/// The passing release plus `n` small Pods over four files.
fn with_pods(n: usize) -> Vec<(String, Vec<u8>)> {
    let mut files = release_files();
    for file in 0..4 {
        let pods: String = (0..n / 4)
            .map(|i| format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-{}\n---\n", file * n / 4 + i))
            .collect();
        files.push((format!("deployment/pods-{file}.yaml"), pods.into_bytes()));
    }
    files
}

#[test]
fn thousands_of_pods_are_counted_not_listed() {
    for (n, more, more_nodes) in [(20_000, "19,980", "19,990"), (48_000, "47,980", "47,990")] {
        let json = assert_bounded(
            &format!("pods-{n}"),
            &with_pods(n),
            1,
            &[(
                "pod-removed",
                "fail",
                "A Pod definition is still in the release (`deployment/pods-0.yaml`, `deployment/pods-1.yaml`, `deployment/pods-2.yaml`, `deployment/pods-3.yaml`).",
            )],
        );
        let evidence = finding(&json, "pod-removed")["evidence"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            evidence.last().map(|e| (e["path"].as_str(), e["found"].as_str())),
            Some((Some("deployment/"), Some(format!("and {more} more places").as_str())))
        );
        let pods: Vec<&str> = json["graph"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|n| n["kind"] == "Pod")
            .filter_map(|n| n["label"].as_str())
            .collect();
        assert_eq!(pods.len(), 11, "{n}");
        assert_eq!(pods.last().copied(), Some(format!("and {more_nodes} more Pods")).as_deref());
        assert_eq!(finding(&json, "deployment-present")["status"], "pass");
    }
}

#[test]
fn a_40000_character_host_name_is_clipped_with_its_length() {
    let config = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mysite-config\ndata:\n  POSTGRES_HOSTNAME: {}\n",
        "h".repeat(40_000)
    );
    let clipped = format!("{}… (40,000 characters)", "h".repeat(200));
    let json = assert_bounded(
        "long-host",
        &with(release_files(), "deployment/config.yaml", config.into_bytes()),
        1,
        &[(
            "config-postgres-hostname",
            "fail",
            &format!(
                "ConfigMap/mysite-config sets POSTGRES_HOSTNAME to `{clipped}`; the reviewer's `helm install postgres` creates the Service `postgres-postgresql`."
            ),
        )],
    );
    let host = json["graph"]["nodes"].as_array().into_iter().flatten().find(|n| n["kind"] == "Host").cloned();
    assert_eq!(host.map(|n| n["label"].clone()), Some(serde_json::Value::String(clipped)));
}
