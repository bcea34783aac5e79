//! The Action's install step (`scripts/install-milestone-check.sh`) against
//! a local stand-in for GitHub's release downloads: archives made by
//! [`crate::package`] around a fake binary per platform, served with
//! GitHub's redirect to its storage host, and `SHA256SUMS`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use crate::package::{self, CHECKSUMS, TARGETS};
use crate::project_root;

const REPOSITORY: &str = "cis-92/milestone-check";

/// `uname -s` and `uname -m` as each platform's runner reports them, and
/// the release asset that platform must get.
const PLATFORMS: [(&str, &str, &str); 5] = [
    ("Linux", "x86_64", "milestone-check-x86_64-unknown-linux-musl.tar.gz"),
    ("Linux", "aarch64", "milestone-check-aarch64-unknown-linux-musl.tar.gz"),
    ("Darwin", "x86_64", "milestone-check-x86_64-apple-darwin.tar.gz"),
    ("Darwin", "arm64", "milestone-check-aarch64-apple-darwin.tar.gz"),
    ("MINGW64_NT-10.0-20348", "x86_64", "milestone-check-x86_64-pc-windows-msvc.zip"),
];

struct Releases {
    base: String,
    /// Every path asked for, in order.
    requests: Arc<Mutex<Vec<String>>>,
}

impl Releases {
    fn requested(&self) -> Vec<String> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

/// Serves `files` (path to bytes) as github.com does: a release download
/// answers with a redirect to a storage URL, which has the bytes; anything
/// else is a 404.
fn serve(files: BTreeMap<String, Vec<u8>>) -> Releases {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let requests = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&requests);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut request_line = String::new();
            let _ = reader.read_line(&mut request_line);
            let path = request_line.split_whitespace().nth(1).unwrap_or("").to_owned();
            loop {
                let mut header = String::new();
                if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
                    break;
                }
            }
            if let Ok(mut log) = log.lock() {
                log.push(path.clone());
            }
            let response = match (path.strip_prefix("/storage"), files.get(&path)) {
                (None, Some(_)) => format!(
                    "HTTP/1.1 302 Found\r\nlocation: /storage{path}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
                )
                .into_bytes(),
                (Some(stored), _) if files.contains_key(stored) => {
                    let body = files.get(stored).cloned().unwrap_or_default();
                    let mut response =
                        format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", body.len())
                            .into_bytes();
                    response.extend(body);
                    response
                }
                _ => b"HTTP/1.1 404 Not Found\r\ncontent-length: 9\r\nconnection: close\r\n\r\nNot Found".to_vec(),
            };
            let _ = stream.write_all(&response);
            let _ = stream.flush();
        }
    });
    Releases { base, requests }
}

fn scratch(name: &str) -> PathBuf {
    let dir = project_root().join("target/xtask-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// A release `tag` with the five archives, each around a fake binary that
/// says which platform it is for, and their `SHA256SUMS`.
fn release_files(tag: &str, work: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = work.join("archives");
    for target in TARGETS {
        let fake = work.join(format!("fake-{target}"));
        std::fs::write(&fake, format!("#!/bin/sh\necho \"milestone-check 0.2.0 (fake build for {target})\"\n"))
            .expect("fake binary");
        package::archive(&fake, target, &out).expect("archive");
    }
    package::write_checksums(&out).expect("checksums");
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(&out).expect("archives").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        files.insert(
            format!("/{REPOSITORY}/releases/download/{tag}/{name}"),
            std::fs::read(entry.path()).expect("archive bytes"),
        );
    }
    files
}

/// A fake `cargo` for the fallback: it records its arguments and installs
/// a binary that says it was built from source.
fn fake_cargo(work: &Path) -> PathBuf {
    let path = work.join("cargo");
    std::fs::write(
        &path,
        "#!/bin/sh\n\
         echo \"$@\" > \"$M13_ROOT/cargo-args\"\n\
         mkdir -p \"$M13_ROOT/bin\"\n\
         printf '#!/bin/sh\\necho \"milestone-check 0.2.0 (built from source)\"\\n' > \"$M13_ROOT/bin/milestone-check\"\n\
         chmod +x \"$M13_ROOT/bin/milestone-check\"\n",
    )
    .expect("fake cargo");
    chmod_x(&path);
    path
}

fn chmod_x(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Runs the script with `mode` for `git_ref` on the platform `uname`, as
/// the Action would.
fn script(mode: &str, releases: &Releases, git_ref: &str, uname: (&str, &str), root: &Path, work: &Path) -> Output {
    let outputs = root.with_extension("outputs");
    let _ = std::fs::remove_file(&outputs);
    Command::new("bash")
        .arg(project_root().join("scripts/install-milestone-check.sh"))
        .arg(mode)
        .env("M13_REF", git_ref)
        .env("M13_REPOSITORY", REPOSITORY)
        .env("M13_ROOT", root)
        .env("M13_SOURCE", project_root())
        .env("M13_DOWNLOAD_BASE", &releases.base)
        .env("M13_UNAME_S", uname.0)
        .env("M13_UNAME_M", uname.1)
        .env("M13_CARGO", fake_cargo(work))
        .env("GITHUB_OUTPUT", &outputs)
        .output()
        .expect("bash")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `key=value` lines the script left in `$GITHUB_OUTPUT`.
fn outputs(root: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(root.with_extension("outputs"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[test]
fn each_platform_gets_its_own_archive_checked_against_sha256sums() {
    let work = scratch("install-platforms");
    let releases = serve(release_files("v0.2.0", &work));
    for (system, machine, asset) in PLATFORMS {
        let root = work.join(format!("root-{system}-{machine}"));
        let output = script("install", &releases, "v0.2.0", (system, machine), &root, &work);
        let log = text(&output.stderr);
        assert!(output.status.success(), "{system} {machine}: {log}");
        let target = asset.trim_start_matches("milestone-check-").trim_end_matches(".tar.gz").trim_end_matches(".zip");
        assert!(log.contains(&format!("milestone-check: downloaded {asset} of v0.2.0 (checksum verified)")), "{log}");
        assert!(log.contains(&format!("installed milestone-check 0.2.0 (fake build for {target})")), "{log}");
        let exe = if system.starts_with("MINGW") { "milestone-check.exe" } else { "milestone-check" };
        let bin = root.join("bin").join(exe);
        let said = Command::new(&bin).output().expect("the installed binary runs");
        assert_eq!(text(&said.stdout), format!("milestone-check 0.2.0 (fake build for {target})\n"));
        let outputs = outputs(&root);
        assert_eq!(outputs.get("asset").map(String::as_str), Some(asset));
        assert_eq!(outputs.get("bin"), Some(&bin.display().to_string()));
        assert_eq!(outputs.get("cache-key"), Some(&format!("milestone-check-v0.2.0-{target}")));
        assert!(!root.join("cargo-args").exists(), "{system} {machine}: cargo must not run for a release");
    }
    // Each platform asked for the checksums and its own archive only.
    let downloads: Vec<String> = releases
        .requested()
        .into_iter()
        .filter(|p| !p.starts_with("/storage"))
        .filter_map(|p| p.rsplit('/').next().map(str::to_owned))
        .collect();
    let mut expected = Vec::new();
    for (_, _, asset) in PLATFORMS {
        expected.push(CHECKSUMS.to_owned());
        expected.push(asset.to_owned());
    }
    assert_eq!(downloads, expected);
}

#[test]
fn a_download_that_does_not_match_sha256sums_is_refused() {
    let work = scratch("install-tampered");
    let mut files = release_files("v0.2.0", &work);
    let asset = format!("/{REPOSITORY}/releases/download/v0.2.0/milestone-check-x86_64-unknown-linux-musl.tar.gz");
    let expected = package::sha256_file(&work.join("archives/milestone-check-x86_64-unknown-linux-musl.tar.gz"))
        .expect("checksum");
    let tampered = b"not the archive that was released";
    files.insert(asset, tampered.to_vec());
    let releases = serve(files);
    let root = work.join("root");
    let output = script("install", &releases, "v0.2.0", ("Linux", "x86_64"), &root, &work);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        text(&output.stderr),
        format!(
            "milestone-check: checksum mismatch for milestone-check-x86_64-unknown-linux-musl.tar.gz of v0.2.0: \
             SHA256SUMS says {expected}, the download is {}; not installing it\n",
            sha256_of(tampered)
        )
    );
    assert!(!root.join("bin/milestone-check").exists(), "nothing is installed");
}

fn sha256_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn a_ref_without_a_release_is_built_from_source_saying_so() {
    let work = scratch("install-fallback");
    let releases = serve(release_files("v0.2.0", &work));
    for (git_ref, why) in [
        ("main", "no release for main (a branch or a commit)"),
        ("0123456789abcdef0123456789abcdef01234567", "no release for 0123456789abcdef0123456789abcdef01234567"),
        ("", "the action runs from a local checkout (uses: ./), not a release"),
    ] {
        let root = work.join(format!("root-{}", if git_ref.is_empty() { "local" } else { git_ref }));
        let output = script("install", &releases, git_ref, ("Linux", "x86_64"), &root, &work);
        let log = text(&output.stderr);
        assert!(output.status.success(), "{git_ref}: {log}");
        assert!(
            log.contains(&format!("milestone-check: {why}"))
                && log.contains("building it from the action's source with cargo install"),
            "{git_ref}: {log}"
        );
        assert!(log.contains("installed milestone-check 0.2.0 (built from source)"), "{log}");
        let args = std::fs::read_to_string(root.join("cargo-args")).expect("cargo ran");
        assert_eq!(
            args.trim(),
            format!(
                "install --locked --quiet --root {} --path {}/crates/cli",
                root.display(),
                project_root().display()
            )
        );
        // A branch moves: its build is not cached. A commit is one build.
        let key = outputs(&root).get("cache-key").cloned().unwrap_or_default();
        assert_eq!(key.is_empty(), !git_ref.starts_with("0123"), "{git_ref}: {key}");
    }
    let asked: Vec<String> = releases.requested();
    assert_eq!(
        asked,
        [
            format!("/{REPOSITORY}/releases/download/main/SHA256SUMS"),
            format!("/{REPOSITORY}/releases/download/0123456789abcdef0123456789abcdef01234567/SHA256SUMS"),
        ]
    );
}

#[test]
fn a_platform_without_a_prebuilt_binary_is_built_from_source() {
    let work = scratch("install-platformless");
    let releases = serve(release_files("v0.2.0", &work));
    let root = work.join("root");
    let output = script("install", &releases, "v0.2.0", ("FreeBSD", "amd64"), &root, &work);
    let log = text(&output.stderr);
    assert!(output.status.success(), "{log}");
    assert!(
        log.contains("milestone-check: no prebuilt binary for FreeBSD amd64: building it from the action's source")
    );
    assert!(releases.requested().is_empty(), "nothing to download");
}

#[test]
fn plan_names_the_asset_without_downloading() {
    let work = scratch("install-plan");
    let releases = serve(BTreeMap::new());
    let root = work.join("root");
    let output = script("plan", &releases, "v0.2.0", ("Darwin", "arm64"), &root, &work);
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout),
        format!(
            "target=aarch64-apple-darwin\nasset=milestone-check-aarch64-apple-darwin.tar.gz\nroot={}\nbin={}/bin/milestone-check\ncache-key=milestone-check-v0.2.0-aarch64-apple-darwin\n",
            root.display(),
            root.display()
        )
    );
    assert!(releases.requested().is_empty());
}

/// The Action plans, restores its cache, installs through the script, and
/// runs the check once for both the review and the SARIF file.
#[test]
fn the_action_installs_through_the_script_and_checks_once() {
    let action = std::fs::read_to_string(project_root().join("action.yml")).expect("action.yml");
    for mode in ["plan", "install"] {
        assert!(action.contains(&format!("scripts/install-milestone-check.sh\" {mode}")), "{mode}");
    }
    assert!(action.contains("uses: actions/cache@v4") && action.contains("key: ${{ steps.plan.outputs.cache-key }}"));
    let runs: Vec<&str> = action.lines().filter(|line| line.contains("\"$BIN\" check")).collect();
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert!(action.contains("--format markdown \\\n          --sarif \"$RUNNER_TEMP/milestone-check.sarif\""));
    assert!(!action.contains("cargo install"), "the fallback lives in the script");
}
