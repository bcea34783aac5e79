//! The Action's comparison step (`scripts/earlier-release.sh`) on real git
//! repositories: a shallow checkout with no tags, as actions/checkout makes,
//! finds the milestone-13 tag before the pushed one and extracts it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, reason = "tests stop loudly")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn git(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Ana", "-c", "user.email=ana@example.com", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git");
    assert!(output.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in m13_testkit::read_files(from) {
        let target = to.join(&path);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(target, bytes).expect("write");
    }
}

fn fixture(name: &str) -> PathBuf {
    root().join("crates/rules/tests/fixtures").join(name).join("release")
}

/// The step's `dir=` output, with `CURRENT` pushed in `checkout`.
fn earlier_dir(checkout: &Path, current: &str, scratch: &Path) -> String {
    let output = Command::new("bash")
        .arg(root().join("scripts/earlier-release.sh"))
        .env("BIN", env!("CARGO_BIN_EXE_milestone-check"))
        .env("CHECK_PATH", checkout)
        .env("CURRENT", current)
        .env("EARLIER_DIR", scratch.join("earlier"))
        .env_remove("GITHUB_OUTPUT")
        .output()
        .expect("bash");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.lines().find_map(|l| l.strip_prefix("dir=")).unwrap_or_default().to_owned()
}

#[test]
fn the_action_compares_with_the_tag_before_the_pushed_one() {
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("action-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let origin = scratch.join("origin");
    std::fs::create_dir_all(&origin).expect("mkdir");
    git(&origin, &["init", "-q"]);
    copy_tree(&fixture("service-selects-nothing"), &origin);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "first try"]);
    git(&origin, &["tag", "milestone-13.1"]);
    // The fixtures' trees hold the same files: the second replaces the first.
    for (path, _) in m13_testkit::read_files(&fixture("service-selects-nothing")) {
        let _ = std::fs::remove_file(origin.join(path));
    }
    copy_tree(&fixture("sp24-pass"), &origin);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "fixed"]);
    git(&origin, &["tag", "milestone-13.2"]);

    // As actions/checkout leaves it: one commit, no tags.
    let checkout = scratch.join("checkout");
    let url = format!("file://{}", origin.display());
    git(&scratch, &["clone", "-q", "--depth", "1", "--no-tags", &url, "checkout"]);

    let dir = earlier_dir(&checkout, "milestone-13.2", &scratch);
    assert!(dir.ends_with("/milestone-13.1"), "{dir}");
    let output = Command::new(env!("CARGO_BIN_EXE_milestone-check"))
        .args(["check", "--format", "markdown", "--compare-to", &dir])
        .arg(&checkout)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    let review = String::from_utf8_lossy(&output.stdout);
    assert!(review.contains("**Fixed since `milestone-13.1`:**\n\n- `service-loadbalancer`"), "{review}");

    // The first release has nothing before it: no comparison, no error.
    assert_eq!(earlier_dir(&checkout, "milestone-13.1", &scratch), "");
}
