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
    strip_loader_comments(&dist.join("boot.js"))?;
    report_size(&dist)
}

/// Trunk copies `web/boot.js` as it is (a copy-file asset), and it is part
/// of the first load: its whole-line comments and indentation go, which is
/// a third of it gzipped, so the source keeps its explanations. Only lines
/// that are nothing but a comment are dropped (the file writes no
/// multi-line string).
fn strip_loader_comments(path: &Path) -> anyhow::Result<()> {
    let source = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let mut in_block = false;
    let mut kept = Vec::new();
    for line in source.lines().map(str::trim) {
        if in_block {
            in_block = !line.ends_with("*/");
            continue;
        }
        if line.starts_with("/*") {
            in_block = !line.ends_with("*/");
            continue;
        }
        if !line.is_empty() && !line.starts_with("//") {
            kept.push(line);
        }
    }
    std::fs::write(path, kept.join("\n") + "\n").with_context(|| format!("writing {}", path.display()))
}

/// `cargo clippy` of the web app's crates for wasm32, warnings denied.
pub fn clippy_wasm() -> anyhow::Result<()> {
    tools::ensure_wasm_target()?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo).current_dir(project_root()).args([
        "clippy",
        "-p",
        "m13-app",
        "-p",
        "m13-views",
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
    run(&mut browser_node("run.mjs")?)
}

/// How the web app's graph layout grows: `graph_layout::pictures` at N and
/// 10N nodes, natively, medians and their ratio (`crates/app/benches/layout.rs`;
/// part of `cargo xtask bench`).
pub fn bench_layout() -> anyhow::Result<()> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(Command::new(cargo).current_dir(project_root()).args(["bench", "-p", "m13-app", "--bench", "layout"]))
}

/// `web/e2e/bench.mjs` against a fresh `dist/`: the web app's own time from
/// a chosen zip to its results drawn, in headless Chromium; then
/// `web/e2e/phone-bench.mjs`: a `?url=` link to its verdict, cold and warm,
/// on an emulated slow phone (Slow 4G, the CPU 4x slower), the site served
/// gzipped (part of `cargo xtask bench`).
pub fn bench() -> anyhow::Result<()> {
    dist()?;
    run(&mut browser_node("bench.mjs")?)?;
    run(&mut browser_node("phone-bench.mjs")?)
}

/// `node SCRIPT` in `web/e2e`, with Chromium and playwright-core installed.
fn browser_node(script: &str) -> anyhow::Result<Command> {
    let chromium = ensure_chromium()?;
    let dir = project_root().join("web/e2e");
    if !dir.join("node_modules/playwright-core").exists() {
        eprintln!(
            "xtask: installing playwright-core from npm into web/e2e/node_modules (it drives the system's Chromium)"
        );
        run(Command::new("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    }
    let mut command = Command::new("node");
    command.current_dir(&dir).arg(script).env("CHROMIUM", chromium);
    Ok(command)
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

/// Issue 6's target for a first visit, gzipped: everything the page needs
/// before it is shown and takes input. Enforced: `dist` (and so `cargo
/// xtask test`) fails over it.
const FIRST_LOAD_BUDGET: u64 = 150 * 1024;

/// The checker's Web Worker (Trunk names its files after the binary): it is
/// started once the page is shown, so it is not part of the first load.
const CHECKER_PREFIX: &str = "m13-checker";
/// The service worker (web/sw.js), registered once the checker has loaded:
/// not part of the first load either.
const SERVICE_WORKER: &str = "sw.js";
/// The views loaded on demand (crates/views: the class view, the
/// comparison), their stylesheet and loader beside them: not part of the
/// first load.
const VIEWS_PREFIX: &str = "m13-views";
const VIEWS_FILES: [&str; 2] = ["views.css", "views.js"];

/// What a first visit downloads (html, js, wasm, css, icon), then the
/// checker, raw and gzipped; fails when the first load is over budget.
fn report_size(dist: &Path) -> anyhow::Result<()> {
    let mut files: Vec<_> = std::fs::read_dir(dist)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| ["html", "js", "wasm", "css", "svg"].iter().any(|x| e == *x)))
        .collect();
    files.sort();
    let name_of = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let is_view = |p: &Path| name_of(p).starts_with(VIEWS_PREFIX) || VIEWS_FILES.contains(&name_of(p).as_str());
    let is_checker = |p: &Path| name_of(p).starts_with(CHECKER_PREFIX) || name_of(p) == SERVICE_WORKER;
    let (views, files): (Vec<_>, Vec<_>) = files.into_iter().partition(|p| is_view(p));
    let (checker, page): (Vec<_>, Vec<_>) = files.into_iter().partition(|p| is_checker(p));
    eprintln!("\nxtask dist: what a first visit downloads before the page is shown");
    let first = list_sizes(&page)?;
    eprintln!("xtask dist: then the checker, in a Web Worker started once the page is shown, and the service worker");
    let worker = list_sizes(&checker)?;
    eprintln!("xtask dist: the views loaded when asked for (class, comparison)");
    let on_demand = list_sizes(&views)?;
    for needed in [format!("{VIEWS_PREFIX}.js"), format!("{VIEWS_PREFIX}_bg.wasm")] {
        if !views.iter().any(|p| name_of(p) == needed) {
            bail!("dist/ has no {needed}: index.html must build crates/views");
        }
    }
    let (Some(first_gz), Some(worker_gz)) = (first.1, worker.1) else {
        println!(
            "xtask dist: dist/ is ready; first load {}, checker {} (gzip not found: the budget is not checked)",
            kb(first.0),
            kb(worker.0)
        );
        return Ok(());
    };
    println!(
        "xtask dist: dist/ is ready; first load {} ({} gzipped, budget {}), then the checker {} ({} gzipped); the views on demand {}",
        kb(first.0),
        kb(first_gz),
        kb(FIRST_LOAD_BUDGET),
        kb(worker.0),
        kb(worker_gz),
        on_demand.1.map_or_else(|| kb(on_demand.0), |gz| format!("{} ({} gzipped)", kb(on_demand.0), kb(gz)))
    );
    if first_gz > FIRST_LOAD_BUDGET {
        bail!(
            "the first load is {} over its budget of {} gzipped (issue 6): look for what the page links that the checker should (README, Size)",
            kb(first_gz - FIRST_LOAD_BUDGET),
            kb(FIRST_LOAD_BUDGET)
        );
    }
    Ok(())
}

/// Prints each file's size; returns the raw total and, if gzip ran on
/// every file, the gzipped total.
fn list_sizes(files: &[std::path::PathBuf]) -> anyhow::Result<(u64, Option<u64>)> {
    let (mut raw_total, mut gzip_total) = (0u64, Some(0u64));
    for file in files {
        let raw = std::fs::metadata(file)?.len();
        let gzipped = gzip_size(file);
        raw_total += raw;
        gzip_total = gzip_total.zip(gzipped).map(|(a, b)| a + b);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        eprintln!("  {name:<40} {:>9} {:>12}", kb(raw), gzipped.map(|g| format!("{} gz", kb(g))).unwrap_or_default());
    }
    Ok((raw_total, gzip_total))
}

fn gzip_size(file: &Path) -> Option<u64> {
    let out = Command::new("gzip").args(["-9", "-c"]).arg(file).output().ok().filter(|o| o.status.success())?;
    Some(out.stdout.len() as u64)
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}
