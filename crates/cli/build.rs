//! Names the commit the binary is built from, for `--version` and every
//! report: `M13_BUILD_COMMIT` when set (the release workflow), else
//! `git rev-parse` of this checkout, else `unknown` (a source archive, a
//! registry download). Also passes on the target triple, for `--version`,
//! and the build date (`SOURCE_DATE_EPOCH` when set, for reproducible
//! builds, else today), which the web app's footer shows: the web app uses
//! this same script (`build` in its Cargo.toml).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

/// Enough to tell commits apart; what `--version` and the review show.
const SHORT: usize = 12;

fn main() {
    println!("cargo:rerun-if-env-changed=M13_BUILD_COMMIT");
    let commit = match std::env::var("M13_BUILD_COMMIT") {
        Ok(given) if !given.trim().is_empty() => shorten(given.trim()),
        _ => git_commit().unwrap_or_else(|| "unknown".to_owned()),
    };
    println!("cargo:rustc-env=M13_COMMIT={commit}");
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown".to_owned());
    println!("cargo:rustc-env=M13_TARGET={target}");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let seconds = match std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<u64>().ok()) {
        Some(given) => given,
        None => SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
    };
    println!("cargo:rustc-env=M13_BUILD_DATE={}", civil_date(seconds / 86_400));
}

/// `YYYY-MM-DD` of a day counted from 1970-01-01 (the proleptic Gregorian
/// calendar, by Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A full hex hash is cut to [`SHORT`] characters; anything else is kept.
fn shorten(commit: &str) -> String {
    if commit.len() > SHORT && commit.chars().all(|c| c.is_ascii_hexdigit()) {
        commit.chars().take(SHORT).collect()
    } else {
        commit.to_owned()
    }
}

fn git(args: &[&str]) -> Option<String> {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
    let output = Command::new("git").current_dir(manifest_dir).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// HEAD's short hash, and what to watch so a new commit rebuilds: HEAD
/// itself, the branch it points to, and `packed-refs` (where `git gc` moves
/// branches). Files that do not exist are not watched: cargo would rerun
/// the script on every build.
fn git_commit() -> Option<String> {
    let commit = git(&["rev-parse", &format!("--short={SHORT}"), "HEAD"])?;
    let git_dir = git(&["rev-parse", "--absolute-git-dir"]).map(PathBuf::from);
    let common_dir = git(&["rev-parse", "--path-format=absolute", "--git-common-dir"]).map(PathBuf::from);
    let branch = git(&["symbolic-ref", "-q", "HEAD"]);
    let mut watched: Vec<PathBuf> = Vec::new();
    if let Some(dir) = &git_dir {
        watched.push(dir.join("HEAD"));
    }
    if let Some(dir) = common_dir.as_ref().or(git_dir.as_ref()) {
        if let Some(branch) = &branch {
            watched.push(dir.join(branch));
        }
        watched.push(dir.join("packed-refs"));
    }
    for path in watched.iter().filter(|p| Path::exists(p)) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Some(commit)
}
