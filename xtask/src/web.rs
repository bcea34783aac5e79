//! The web app: `serve` (Trunk's dev server on 127.0.0.1:8080) and `dist`
//! (the release site in `dist/`, relative paths, with the gzipped size of
//! a first visit), plus `test`, the web part of `cargo xtask test`.

use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};

use crate::{project_root, run, tools};

fn trunk() -> Command {
    let mut command = Command::new(tools::trunk());
    command.current_dir(project_root()).env("PATH", tools::web_path());
    command
}

/// `cargo xtask serve`: installs what is missing, then serves the app.
pub fn serve() -> anyhow::Result<()> {
    tools::ensure_web_tools()?;
    eprintln!("xtask: serving the web app on http://127.0.0.1:8080/ (Ctrl-C stops); \"Try a sample\" needs no network");
    run(trunk().args(["serve", "--open=false"]))
}

/// `cargo xtask dist`: the release site in `dist/`.
pub fn dist() -> anyhow::Result<()> {
    tools::ensure_web_tools()?;
    run(trunk().args(["build", "--release"]))?;
    let dist = project_root().join("dist");
    check_relative(&dist)?;
    report_size(&dist)
}

/// `cargo clippy -p m13-app` for wasm32, warnings denied.
pub fn clippy_wasm() -> anyhow::Result<()> {
    tools::ensure_wasm_target()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo).current_dir(project_root()).args([
        "clippy",
        "-p",
        "m13-app",
        "--all-targets",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))
}

/// The browser checks of `web/e2e` against `dist/` (build it first): headless
/// Chromium driven by playwright-core, GitHub answered by fixtures;
/// `web/e2e/run.mjs` runs every `tests/*.test.mjs` with node's test runner
/// and ends with "e2e: N passed, M failed".
pub fn e2e() -> anyhow::Result<()> {
    let chromium = ensure_chromium()?;
    let dir = project_root().join("web/e2e");
    if !dir.join("node_modules/playwright-core").exists() {
        eprintln!(
            "xtask: installing playwright-core from npm into web/e2e/node_modules (it drives the system's Chromium)"
        );
        run(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    }
    run(Command::new("node").current_dir(&dir).arg("run.mjs").env("CHROMIUM", chromium))
}

/// Debian's colour emoji font: without it headless Chromium draws the
/// review's status emoji as empty boxes in the screenshots.
const EMOJI_FONT: &str = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

/// The system's Chromium (Playwright's own browser download does not work
/// on these machines) and the emoji font; installed with apt-get when
/// missing and root. Without root, a missing font is only a warning.
fn ensure_chromium() -> anyhow::Result<std::path::PathBuf> {
    let path = std::env::var_os("CHROMIUM").map_or_else(|| std::path::PathBuf::from("/usr/bin/chromium"), Into::into);
    let font = Path::new(EMOJI_FONT).exists();
    if path.exists() && font {
        return Ok(path);
    }
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root {
        if !path.exists() {
            bail!(
                "the browser checks need Chromium at {}: `sudo apt-get install chromium fonts-noto-color-emoji`, or set CHROMIUM",
                path.display()
            );
        }
        eprintln!(
            "xtask: warning: no emoji font ({EMOJI_FONT}), so screenshots show boxes for emoji: `sudo apt-get install fonts-noto-color-emoji`"
        );
        return Ok(path);
    }
    let mut packages = Vec::new();
    if !path.exists() {
        packages.push("chromium");
    }
    if !font {
        packages.push("fonts-noto-color-emoji");
    }
    eprintln!("xtask: installing {} with apt-get for the browser checks", packages.join(" and "));
    run(Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "--no-install-recommends"])
        .args(&packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    if !path.exists() {
        bail!("apt-get installed chromium, but {} is still missing: set CHROMIUM", path.display());
    }
    Ok(path)
}

/// A site served from a sub-path (GitHub Pages) needs relative asset paths.
fn check_relative(dist: &Path) -> anyhow::Result<()> {
    let html = std::fs::read_to_string(dist.join("index.html")).context("dist/index.html is missing")?;
    for absolute in ["href=\"/", "src=\"/"] {
        if html.contains(absolute) {
            bail!(
                "dist/index.html has an absolute path ({absolute}…): it would break under a sub-path; keep Trunk.toml's public_url = \"./\""
            );
        }
    }
    if html.contains("<script type=\"module\">") || html.contains("<script>") {
        bail!("dist/index.html has an inline script, which the Content-Security-Policy refuses");
    }
    Ok(())
}

/// Issue 6's target for a first visit, gzipped: said, not enforced, while
/// the site is over it (the README's Size paragraph says why).
const FIRST_LOAD_BUDGET: u64 = 150 * 1024;

/// What a first visit downloads (html, js, wasm, css), raw and gzipped.
fn report_size(dist: &Path) -> anyhow::Result<()> {
    let mut files: Vec<_> = std::fs::read_dir(dist)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| ["html", "js", "wasm", "css"].iter().any(|x| e == *x)))
        .collect();
    files.sort();
    let (mut raw_total, mut gzip_total) = (0u64, Some(0u64));
    eprintln!("\nxtask dist: what a first visit downloads");
    for file in &files {
        let raw = std::fs::metadata(file)?.len();
        let gzipped = gzip_size(file);
        raw_total += raw;
        gzip_total = gzip_total.zip(gzipped).map(|(a, b)| a + b);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("  {name:<40} {:>9} {:>12}", kb(raw), gzipped.map(|g| format!("{} gz", kb(g))).unwrap_or_default());
    }
    match gzip_total {
        Some(gz) => {
            println!("xtask dist: dist/ is ready; a first visit downloads {} ({} gzipped)", kb(raw_total), kb(gz));
            if gz > FIRST_LOAD_BUDGET {
                println!(
                    "xtask dist: that is {} over the first-load budget of {} gzipped (issue 6; see README, Size)",
                    kb(gz - FIRST_LOAD_BUDGET),
                    kb(FIRST_LOAD_BUDGET)
                );
            }
        }
        None => println!(
            "xtask dist: dist/ is ready; a first visit downloads {} (gzip not found, so no gzipped size)",
            kb(raw_total)
        ),
    }
    Ok(())
}

fn gzip_size(file: &Path) -> Option<u64> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(file).output().ok().filter(|o| o.status.success())?;
    Some(out.stdout.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
