//! The real `milestone-check` binary on fixture trees, zips built here, and a
//! local stand-in for GitHub's API (no network).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const URL: &str = "https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1";

fn fixture(name: &str) -> PathBuf {
    m13_testkit::fixtures_dir().join(name).join("release")
}

fn bin() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_milestone-check"));
    command.env_remove("GITHUB_TOKEN").env("NO_COLOR", "1");
    command
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Zips a fixture tree the way GitHub does: under one top folder.
fn zip_tree(root: &Path, top: &str) -> Vec<u8> {
    m13_testkit::zip_of(&m13_testkit::read_files(root), top)
}

fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("temp file");
    path
}

#[test]
fn a_passing_zip_gives_every_rule_in_json_and_exit_0() {
    let zip = temp_file("pass.zip", &zip_tree(&fixture("sp24-pass"), "ana-lopez-cis-92-1a2b3c4"));
    let output = bin().args(["check", "--format", "json", "--release-url", URL]).arg(&zip).output().expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    let results = json["results"].as_array().expect("results");
    let ids: Vec<&str> = results.iter().filter_map(|r| r["id"].as_str()).collect();
    let all: Vec<&str> = m13_rules::RuleId::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(ids, all);
    for result in results {
        assert_eq!(result["status"], "pass", "{result}");
        for key in ["id", "status", "message", "evidence", "fix"] {
            assert!(result.get(key).is_some(), "missing {key} in {result}");
        }
    }
    let secret = results.iter().find(|r| r["id"] == "secret-matches-values").expect("secret rule");
    assert_eq!(secret["evidence"][0]["path"], "deployment/secret.yaml");
    assert_eq!(secret["evidence"][0]["line"], 7);
}

#[test]
fn a_directory_and_its_zip_give_the_same_statuses() {
    let zip = temp_file("same.zip", &zip_tree(&fixture("sp24-pass"), "top"));
    let statuses = |source: &Path| -> Vec<(String, String)> {
        let output = bin().args(["check", "--format", "json", "--release-url", URL]).arg(source).output().expect("run");
        let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        json["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| (r["id"].as_str().unwrap_or("").to_owned(), r["status"].as_str().unwrap_or("").to_owned()))
            .collect()
    };
    assert_eq!(statuses(&fixture("sp24-pass")), statuses(&zip));
}

#[test]
fn without_a_release_url_the_tag_is_manual() {
    let output = bin().args(["check", "--format", "json"]).arg(fixture("sp24-pass")).output().expect("run");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["results"][0]["id"], "release-tag");
    assert_eq!(json["results"][0]["status"], "manual");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn a_failing_release_exits_1_and_says_why() {
    let bad = temp_file("settings.py", b"");
    let dir = bad.parent().expect("dir").join("failing");
    std::fs::create_dir_all(dir.join("deployment")).expect("mkdir");
    std::fs::write(
        dir.join("deployment/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: mysite\nspec:\n  containers:\n  - name: web\n    image: nginx\n",
    )
    .expect("write");
    let output = bin().args(["check", "--release-url", URL]).arg(&dir).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("pod-removed"), "{text}");
    assert!(text.contains("deployment/pod.yaml"), "{text}");
}

#[test]
fn a_file_that_is_not_a_zip_exits_2_with_a_clear_message() {
    let path = temp_file("notes.zip", b"these are my notes, not a zip");
    let output = bin().arg("check").arg(&path).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("not a zip"), "{}", stderr(&output));
}

#[test]
fn a_batch_goes_on_past_a_bad_source_and_prints_a_table() {
    let zip = temp_file("batch.zip", &zip_tree(&fixture("sp24-pass"), "top"));
    let output = bin().args(["check", "--format", "text"]).arg(&zip).arg("/no/such/file.zip").output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("milestone-check: could not read `/no/such/file.zip`: No such file"),
        "{}",
        stderr(&output)
    );
    assert!(stdout(&output).contains("batch.zip"), "{}", stdout(&output));
    let json = bin().args(["check", "--format", "json"]).arg(&zip).arg("/no/such/file.zip").output().expect("run");
    let array: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON array");
    assert_eq!(array.as_array().map(Vec::len), Some(2));
    assert!(array[1]["error"].is_string());
    // Markdown: one class table, the unreadable source in it with why, then each review.
    let markdown =
        bin().args(["check", "--format", "markdown"]).arg(&zip).arg("/no/such/file.zip").output().expect("run");
    let text = stdout(&markdown);
    assert!(text.starts_with("## Milestone 13: 2 releases\n"), "{text}");
    assert!(text.contains("| ✅ ready | 25 | 0 |"), "{text}");
    assert!(text.contains("| ⚠️ not checked |") && text.contains("No such file"), "{text}");
    assert_eq!(text.matches("## Milestone 13 review:").count(), 1, "{text}");
}

#[test]
fn csv_is_the_class_table_for_a_spreadsheet() {
    let zip = temp_file("csv.zip", &zip_tree(&fixture("sp24-pass"), "top"));
    let output = bin()
        .args(["check", "--format", "csv"])
        .arg(&zip)
        .arg(fixture("bare-pod-left-behind"))
        .arg("/no/such/file.zip")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    let csv = stdout(&output);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], "Release,Result,Pass,Fail,Warn,Manual,Failed rules");
    assert!(lines[1].ends_with("csv.zip,ready,25,0,0,1,"), "{csv}");
    assert!(lines[2].contains(",changes needed,") && lines[2].ends_with(",pod-removed pvc-removed"), "{csv}");
    assert!(lines[3].starts_with("/no/such/file.zip,not checked,,,,,"), "{csv}");
    assert_eq!(lines.len(), 5, "one line per source and a last CRLF: {csv}");
}

#[test]
fn conflicting_flags_are_refused_before_any_work() {
    let output = bin().args(["check", "--release-url", URL, URL]).output().expect("run");
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("--release-url is for a zip or directory"), "{}", stderr(&output));
}

#[test]
fn explain_prints_the_rule_doc_and_rejects_unknown_ids() {
    let output = bin().args(["explain", "secret-matches-values"]).output().expect("run");
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("## Why it matters"));
    let output = bin().args(["explain", "no-such-rule"]).output().expect("run");
    assert_eq!(output.status.code(), Some(64));
    assert!(stderr(&output).contains("no rule `no-such-rule`; the rules are: release-tag, pod-removed"));
}

#[test]
fn explain_of_a_near_miss_names_the_nearest_rule() {
    for (typed, meant) in [
        ("secret-match-values", "secret-matches-values"),
        ("Secret_Matches_Values", "secret-matches-values"),
        ("pod-remove", "pod-removed"),
        ("csrf-trusted-origin", "csrf-trusted-origins"),
    ] {
        let output = bin().args(["explain", typed]).output().expect("run");
        assert_eq!(output.status.code(), Some(64), "{typed}");
        assert_eq!(
            stderr(&output),
            format!(
                "milestone-check: no rule `{typed}`; did you mean `{meant}`? (`milestone-check rules` lists them all)\n"
            )
        );
        assert_eq!(stdout(&output), "", "{typed}");
    }
}

/// A CI can tell a mistake in its own command (64) from a student's
/// release that could not be read (2): clap's usage errors included, which
/// clap itself would exit 2 on.
#[test]
fn usage_and_configuration_errors_exit_64() {
    let roster = Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-such-roster.txt");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["check".into(), "--format".into(), "yaml".into(), URL.into()], "invalid value 'yaml' for '--format"),
        (vec!["check".into(), "--no-such-flag".into(), URL.into()], "unexpected argument '--no-such-flag'"),
        (vec!["check".into()], "nothing to check: give a release URL, a zip or a directory"),
        (vec!["check".into(), "--from".into(), roster.display().to_string()], "cannot read the source list"),
        (vec!["frobnicate".into()], "unrecognized subcommand 'frobnicate'"),
        (vec![], "Usage: milestone-check <COMMAND>"),
        (vec!["explain".into()], "the following required arguments were not provided"),
    ];
    for (args, message) in cases {
        let output = bin().args(&args).output().expect("run");
        assert_eq!(output.status.code(), Some(64), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(message), "{args:?}: {}", stderr(&output));
    }
    // Help and version are answers, not errors.
    for flag in ["--help", "--version", "-V"] {
        let output = bin().arg(flag).output().expect("run");
        assert_eq!(output.status.code(), Some(0), "{flag}");
    }
    let help = stdout(&bin().args(["check", "--help"]).output().expect("run"));
    assert!(help.contains("64  usage or configuration error") && help.contains("--sarif <FILE>"), "{help}");
}

/// `--version` names the version and the commit built from, as the JSON,
/// the SARIF and the review do.
#[test]
fn every_output_names_the_version_and_commit() {
    let version = stdout(&bin().arg("--version").output().expect("run"));
    let first = version.lines().next().unwrap_or_default();
    let rest = first.strip_prefix(&format!("milestone-check {} (", env!("CARGO_PKG_VERSION"))).expect(first);
    let commit = rest.strip_suffix(')').expect(first);
    // This test runs in a git checkout: the commit is known.
    assert!(commit.len() == 12 && commit.chars().all(|c| c.is_ascii_hexdigit()), "{first}");
    assert!(version.contains("\ntarget: x86_64") || version.contains("\ntarget: aarch64"), "{version}");

    let json = bin().args(["check", "--format", "json"]).arg(fixture("sp24-pass")).output().expect("run");
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(
        json["tool"],
        serde_json::json!({ "name": "milestone-check", "version": env!("CARGO_PKG_VERSION"), "commit": commit })
    );
    let sarif = bin().args(["check", "--format", "sarif"]).arg(fixture("sp24-pass")).output().expect("run");
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(sarif["runs"][0]["tool"]["driver"]["properties"]["commit"], commit);
    let review =
        stdout(&bin().args(["check", "--format", "markdown"]).arg(fixture("sp24-pass")).output().expect("run"));
    let footer = format!("*Checked by milestone-check {} ({commit}).*\n", env!("CARGO_PKG_VERSION"));
    assert!(review.ends_with(&footer), "{review}");
}

/// One run, two outputs: the review on stdout, SARIF in the file, the
/// same SARIF `--format sarif` prints.
#[test]
fn sarif_is_a_side_output_of_any_format() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sarif-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("findings.sarif");
    let release = fixture("service-selects-nothing");
    let output = bin()
        .args(["check", "--format", "markdown", "--release-url", URL, "--sarif"])
        .arg(&file)
        .arg(&release)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("## Milestone 13 review:"), "{}", stdout(&output));
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("the SARIF file")).expect("SARIF");
    let printed = bin().args(["check", "--format", "sarif", "--release-url", URL]).arg(&release).output().expect("run");
    let printed: serde_json::Value = serde_json::from_slice(&printed.stdout).expect("SARIF");
    assert_eq!(side, printed);
    let failed: Vec<&str> =
        side["runs"][0]["results"].as_array().into_iter().flatten().filter_map(|r| r["ruleId"].as_str()).collect();
    assert!(failed.contains(&"service-loadbalancer"), "{failed:?}");

    // With JSON, and a batch: the file holds every checked source.
    let output = bin()
        .args(["check", "--quiet", "--format", "json", "--sarif"])
        .arg(&file)
        .arg(&release)
        .arg(fixture("sp24-pass"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let side: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("the SARIF file")).expect("SARIF");
    let sources: std::collections::BTreeSet<&str> = side["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["properties"]["source"].as_str())
        .collect();
    assert_eq!(sources.len(), 2, "{sources:?}");
}

#[test]
fn a_sarif_file_that_cannot_be_written_stops_before_any_check() {
    let output = bin()
        .args(["check", "--sarif", "/no/such/dir/findings.sarif", "https://github.com/ana/cis-92/releases/tag/x"])
        .env("M13_GITHUB_API", "http://127.0.0.1:9")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(74));
    assert_eq!(
        stderr(&output),
        "milestone-check: cannot write /no/such/dir/findings.sarif: No such file or directory (os error 2)\n"
    );
}

/// stdout already closed (`| head` that has read enough): the exit status
/// is still the verdicts', and nothing panics.
fn with_closed_stdout(args: &[&std::ffi::OsStr]) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    bin().args(args).stdout(writer).stderr(std::process::Stdio::piped()).output().expect("run")
}

#[test]
fn a_closed_pipe_keeps_the_verdicts_exit_status() {
    let failing = fixture("service-selects-nothing");
    let passing = fixture("sp24-pass");
    let cases: [(Vec<&std::ffi::OsStr>, i32); 5] = [
        (vec!["check".as_ref(), "--format".as_ref(), "json".as_ref(), failing.as_os_str(), failing.as_os_str()], 1),
        (vec!["check".as_ref(), "--format".as_ref(), "text".as_ref(), passing.as_os_str()], 0),
        (vec!["check".as_ref(), "--format".as_ref(), "text".as_ref(), "/no/such.zip".as_ref()], 2),
        (vec!["rules".as_ref()], 0),
        (vec!["explain".as_ref(), "pod-removed".as_ref()], 0),
    ];
    for (args, code) in cases {
        let output = with_closed_stdout(&args);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {}", stderr(&output));
        assert!(!stderr(&output).contains("panicked") && !stderr(&output).contains("Broken pipe"), "{args:?}");
    }
    // Reading part of a long output, then closing, as `head` does.
    let mut child = bin()
        .args(["check", "--quiet", "--format", "json"])
        .args(std::iter::repeat_n(&failing, 8))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut first = [0u8; 64];
    if let Some(mut out) = child.stdout.take() {
        std::io::Read::read_exact(&mut out, &mut first).expect("the start of the output");
    }
    assert_eq!(child.wait().expect("wait").code(), Some(1));
}

#[test]
fn sarif_and_markdown_are_written() {
    let output = bin()
        .args(["check", "--format", "sarif", "--release-url", URL])
        .arg(fixture("sp24-pass"))
        .output()
        .expect("run");
    let sarif: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("SARIF JSON");
    assert_eq!(sarif["version"], "2.1.0");
    let output = bin()
        .args(["check", "--format", "markdown", "--release-url", URL])
        .arg(fixture("sp24-pass"))
        .output()
        .expect("run");
    assert!(stdout(&output).contains("kubectl port-forward svc/mysite-svc 8000:80"), "{}", stdout(&output));
}

/// One canned answer: path prefix, status, headers, body.
type Route = (&'static str, u16, Vec<(&'static str, String)>, Vec<u8>);

/// A one-thread HTTP server answering GitHub's API from a table; each
/// request's path and whether it carried a token are recorded.
fn fake_github(routes: Vec<Route>) -> (String, std::sync::mpsc::Receiver<(String, bool)>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let mut authorized = false;
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
                authorized |= header.to_ascii_lowercase().starts_with("authorization:");
            }
            let _ = sender.send((path.clone(), authorized));
            let (status, headers, body) = routes
                .iter()
                .find(|(p, ..)| path.starts_with(p))
                .map(|(_, s, h, b)| (*s, h.clone(), b.clone()))
                .unwrap_or((404, Vec::new(), b"{\"message\":\"Not Found\"}".to_vec()));
            let mut response =
                format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
            for (name, value) in headers {
                response.push_str(&format!("{name}: {value}\r\n"));
            }
            response.push_str("\r\n");
            let _ = stream.write_all(response.as_bytes());
            let _ = stream.write_all(&body);
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
        }
    });
    (base, receiver)
}

/// GitHub serving `URL` as a published release of `sp24-pass`: the
/// releases API's answer (with `api_headers`) and its "Source code (zip)".
fn published_release(api_headers: Vec<(&'static str, String)>) -> (String, std::sync::mpsc::Receiver<(String, bool)>) {
    let zip = zip_tree(&fixture("sp24-pass"), "ana-lopez-cis-92-1a2b3c4");
    let release = br#"{"tag_name":"milestone-13.1","name":"Milestone 13","draft":false,"prerelease":false}"#.to_vec();
    fake_github(vec![
        ("/repos/ana-lopez/cis-92/releases/tags/milestone-13.1", 200, api_headers, release),
        (
            "/ana-lopez/cis-92/archive/refs/tags/milestone-13.1.zip",
            200,
            vec![("content-type", "application/zip".to_owned())],
            zip,
        ),
    ])
}

#[test]
fn a_release_url_is_checked_against_the_releases_api_and_downloaded() {
    let (base, requests) = published_release(Vec::new());
    let output = bin().env("M13_GITHUB_API", &base).args(["check", "--format", "json", URL]).output().expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["results"][0]["status"], "pass");
    assert!(json["results"][0]["message"].as_str().unwrap_or("").contains("published release"));
    // One API call, then the release's own "Source code (zip)" link.
    let paths: Vec<(String, bool)> = requests.try_iter().collect();
    let called: Vec<&str> = paths.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        called,
        [
            "/repos/ana-lopez/cis-92/releases/tags/milestone-13.1",
            "/ana-lopez/cis-92/archive/refs/tags/milestone-13.1.zip"
        ]
    );
    assert!(paths.iter().all(|(_, authorized)| !authorized), "no token was given");
}

#[test]
fn a_tag_without_a_release_fails_release_tag() {
    let zip = zip_tree(&fixture("sp24-pass"), "top");
    let (base, _) = fake_github(vec![
        (
            "/repos/ana-lopez/cis-92/git/ref/tags/milestone-13.1",
            200,
            Vec::new(),
            br#"{"ref":"refs/tags/milestone-13.1"}"#.to_vec(),
        ),
        ("/repos/ana-lopez/cis-92/zipball/milestone-13.1", 200, Vec::new(), zip),
    ]);
    let output = bin().env("M13_GITHUB_API", &base).args(["check", "--format", "json", URL]).output().expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert_eq!(json["results"][0]["status"], "fail");
    assert!(
        json["results"][0]["message"].as_str().unwrap_or("").contains("no release was made"),
        "{}",
        json["results"][0]
    );
}

#[test]
fn a_roster_names_each_release() {
    let (base, _) = published_release(Vec::new());
    let roster = temp_file(
        "roster.csv",
        format!("# exported from the gradebook\nAna Lopez, {URL}\n\"Lopez, Ana\"\t{URL}\n").as_bytes(),
    );
    let output = bin()
        .env("M13_GITHUB_API", &base)
        .args(["check", "--quiet", "--format", "json", "--from"])
        .arg(&roster)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let named: Vec<(&str, &str)> = json
        .as_array()
        .map(|all| all.iter().map(|r| (r["source"].as_str().unwrap_or(""), r["url"].as_str().unwrap_or(""))).collect())
        .unwrap_or_default();
    assert_eq!(named, [("Ana Lopez", URL), ("Lopez, Ana", URL)]);
}

#[test]
fn a_batch_is_warned_before_it_runs_out_of_api_calls() {
    let quota = vec![("x-ratelimit-remaining", "0".to_owned()), ("x-ratelimit-reset", "1700000000".to_owned())];
    let (base, _) = published_release(quota);
    let output = bin()
        .env("M13_GITHUB_API", &base)
        .env_remove("GITHUB_TOKEN")
        .args(["check", "--format", "json", URL, URL, URL])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let message = stderr(&output);
    let warnings: Vec<&str> = message.lines().filter(|l| l.contains("more API calls")).collect();
    assert_eq!(warnings.len(), 1, "{message}");
    assert!(warnings[0].contains("GitHub allows 0 more API calls until 22:13 UTC"), "{message}");
    assert!(warnings[0].contains("GITHUB_TOKEN"), "{message}");
}

#[test]
fn a_rate_limit_says_when_it_resets() {
    let reset =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() + 1800).unwrap_or(0);
    let (base, _) = fake_github(vec![(
        "/repos/",
        403,
        vec![("x-ratelimit-remaining", "0".to_owned()), ("x-ratelimit-reset", reset.to_string())],
        br#"{"message":"API rate limit exceeded"}"#.to_vec(),
    )]);
    let output = bin().env("M13_GITHUB_API", &base).args(["check", URL]).output().expect("run");
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("rate limit") && message.contains("UTC"), "{message}");
}

#[test]
fn mermaid_draws_the_broken_selector_in_red() {
    let output =
        bin().args(["check", "--format", "mermaid"]).arg(fixture("service-selects-nothing")).output().expect("run");
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.starts_with("flowchart TD"), "{text}");
    assert!(text.contains("-.->") && text.contains("matches"), "{text}");
    assert!(text.contains("linkStyle 0 stroke:#d1242f"), "{text}");
}

/// Every fixture, zipped as GitHub would, through the binary: every rule id
/// appears with the status its `expected.txt` names, with evidence objects
/// of the documented shape.
#[test]
fn every_fixture_zip_gives_its_expected_statuses_in_json() {
    let names = m13_testkit::fixture_names();
    assert!(names.len() > 30, "expected the fixture trees");
    for name in names {
        let expected = m13_testkit::expected(&name);
        let mut command = bin();
        command.args(["check", "--format", "json"]);
        if let Some(url) = &expected.url {
            command.args(["--release-url", url]);
        }
        let statuses: Vec<(String, String)> =
            expected.statuses.iter().map(|(id, status)| (id.as_str().to_owned(), status.as_str().to_owned())).collect();
        let zip = temp_file(&format!("{name}.zip"), &zip_tree(&fixture(&name), &format!("student-{name}-abc1234")));
        let output = command.arg(&zip).output().expect("run");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{name}: {e}"));
        let got: Vec<(String, String)> = json["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| (r["id"].as_str().unwrap_or("").to_owned(), r["status"].as_str().unwrap_or("").to_owned()))
            .collect();
        assert_eq!(got, statuses, "{name}");
        for result in json["results"].as_array().into_iter().flatten() {
            for evidence in result["evidence"].as_array().into_iter().flatten() {
                assert!(
                    evidence["path"].is_string()
                        && evidence.get("line").is_some()
                        && evidence.get("found").is_some()
                        && evidence.get("expected").is_some(),
                    "{name}: {evidence}"
                );
            }
            if result["status"] != "pass" {
                assert!(result["fix"].is_string(), "{name}: a {} finding without a fix: {result}", result["status"]);
            }
        }
        let code = output.status.code();
        let failed = statuses.iter().any(|(_, s)| s == "fail");
        assert_eq!(code, Some(if failed { 1 } else { 0 }), "{name}");
    }
}

#[test]
fn compare_to_an_earlier_directory_lists_what_was_fixed_and_the_files_changed() {
    let earlier = fixture("service-selects-nothing");
    let output = bin()
        .args(["check", "--format", "json", "--compare-to"])
        .arg(&earlier)
        .arg(fixture("sp24-pass"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let comparison = &json["comparison"];
    assert_eq!(comparison["earlier"], "release", "the directory's name: {comparison}");
    let fixed: Vec<&str> = comparison["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter(|r| r["change"] == "fixed")
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(fixed.contains(&"service-loadbalancer"), "{comparison}");
    assert!(comparison["files"].as_array().expect("files").iter().any(|f| f["change"] == "modified"), "{comparison}");

    // The other way round: what broke, in the review and the terminal report.
    let output = bin()
        .args(["check", "--format", "markdown", "--compare-to"])
        .arg(fixture("sp24-pass"))
        .arg(&earlier)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let review = stdout(&output);
    assert!(review.contains("### Since `release`"), "{review}");
    assert!(review.contains("**Broken since `release`:**\n\n- `service-loadbalancer`"), "{review}");
    let output = bin().args(["check", "--compare-to"]).arg(fixture("sp24-pass")).arg(&earlier).output().expect("run");
    let text = stdout(&output);
    assert!(text.contains("Since release: 1 broken"), "{text}");
    // Without --compare-to the key is there, and null.
    let output = bin().args(["check", "--format", "json"]).arg(fixture("sp24-pass")).output().expect("run");
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    assert!(json["comparison"].is_null() && json.get("comparison").is_some());
}

#[test]
fn compare_to_a_tag_fetches_the_same_repository_s_earlier_release() {
    let broken = zip_tree(&fixture("service-selects-nothing"), "ana-lopez-cis-92-0a0a0a0");
    let fixed = zip_tree(&fixture("sp24-pass"), "ana-lopez-cis-92-1a2b3c4");
    let release = |tag: &str| format!(r#"{{"tag_name":"{tag}","draft":false,"prerelease":false}}"#).into_bytes();
    let zip = vec![("content-type", "application/zip".to_owned())];
    let (base, requests) = fake_github(vec![
        ("/repos/ana-lopez/cis-92/releases/tags/milestone-13.1", 200, Vec::new(), release("milestone-13.1")),
        ("/repos/ana-lopez/cis-92/releases/tags/milestone-13.2", 200, Vec::new(), release("milestone-13.2")),
        ("/ana-lopez/cis-92/archive/refs/tags/milestone-13.1.zip", 200, zip.clone(), broken),
        ("/ana-lopez/cis-92/archive/refs/tags/milestone-13.2.zip", 200, zip, fixed),
    ]);
    let url = "https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.2";
    let output = bin()
        .env("M13_GITHUB_API", &base)
        .args(["check", "--format", "markdown", "--compare-to", "milestone-13.1", url])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let review = stdout(&output);
    assert!(review.contains("### Since `milestone-13.1`"), "{review}");
    assert!(review.contains("**Fixed since `milestone-13.1`:**\n\n- `service-loadbalancer`"), "{review}");
    let called: Vec<String> = requests.try_iter().map(|(path, _)| path).collect();
    assert!(called.iter().any(|p| p.ends_with("/releases/tags/milestone-13.1")), "{called:?}");

    // An earlier tag that does not exist: the report still prints, exit 2.
    let output = bin()
        .env("M13_GITHUB_API", &base)
        .args(["check", "--compare-to", "milestone-13.0", url])
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("cannot read the earlier release milestone-13.0"), "{}", stderr(&output));
    assert!(stdout(&output).contains("service-loadbalancer"));
}

#[test]
fn compare_to_is_refused_where_it_cannot_apply() {
    let zip = fixture("sp24-pass");
    let cases: Vec<(Vec<std::ffi::OsString>, &str)> = vec![
        (
            vec!["--compare-to".into(), "milestone-13.1".into(), zip.clone().into()],
            "is a tag, found through a release URL",
        ),
        (vec!["--compare-to".into(), "./old.zip".into(), zip.clone().into()], "no such file or directory"),
        (vec!["--compare-to".into(), zip.clone().into(), URL.into(), zip.clone().into()], "compares one source"),
    ];
    for (args, expected) in cases {
        let output = bin().arg("check").args(&args).output().expect("run");
        assert_eq!(output.status.code(), Some(64), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains(expected), "{args:?}: {}", stderr(&output));
    }
}

#[test]
fn earlier_tags_lists_the_milestone_13_tags_before_the_release() {
    let mut child = bin()
        .args(["earlier-tags", "milestone-13.3"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"v1.0\nmilestone-13.1\nmilestone-13.3\nmilestone-13.2\nmilestone-12.1\n")
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(stdout(&output), "milestone-13.2\nmilestone-13.1\n");
}
