//! Installing what the commands need, saying so each time: rustup
//! components, the wasm target, and for the web app Trunk, the
//! wasm-bindgen CLI Cargo.lock pins, and wasm-opt from npm's `binaryen`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

use crate::{project_root, run};

/// Trunk's version: 0.22 needs a newer rustc than the project's.
pub const TRUNK_VERSION: &str = "0.21.14";
/// wasm-opt from the npm package `binaryen` (Debian's is too old; npm's
/// `wasm-opt` package downloads a binary at install time, which fails here).
/// Trunk.toml's `[tools] wasm_opt` names the same version.
pub const BINARYEN_VERSION: &str = "132";

fn has(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

fn output(program: &PathBuf, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub fn ensure_rust_components() -> anyhow::Result<()> {
    for (component, probe) in [("rustfmt", ["fmt", "--version"]), ("clippy", ["clippy", "--version"])] {
        if !has("cargo", &probe) {
            eprintln!("xtask: installing the {component} component");
            run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

pub fn ensure_wasm_target() -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        eprintln!("xtask: installing the wasm32-unknown-unknown target");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// Where cargo installs binaries.
fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"))
        .join("bin")
}

pub fn trunk() -> PathBuf {
    cargo_bin_dir().join("trunk")
}

fn wasm_bindgen() -> PathBuf {
    cargo_bin_dir().join("wasm-bindgen")
}

/// Project-local tools (npm packages) live here, out of the way of git.
fn tools_dir() -> PathBuf {
    project_root().join("target/tools")
}

fn wasm_opt() -> PathBuf {
    tools_dir().join("node_modules/.bin/wasm-opt")
}

/// The `wasm-bindgen` version Cargo.lock pins; the CLI must match it.
pub fn locked_wasm_bindgen() -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock")).context("cannot read Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            let version =
                lines.next().and_then(|l| l.trim().strip_prefix("version = \"")).and_then(|v| v.strip_suffix('"'));
            if let Some(version) = version {
                return Ok(version.to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen package: build the app once (`cargo check -p m13-app`)")
}

/// PATH with the project's wasm-opt and cargo's bin first, for Trunk (which
/// finds wasm-bindgen and wasm-opt on PATH; Trunk.toml says `offline`).
pub fn web_path() -> OsString {
    let mut dirs = vec![tools_dir().join("node_modules/.bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}

/// Installs what is missing for the web build, saying what and why.
pub fn ensure_web_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    let trunk_ok = output(&trunk(), &["--version"]).is_some_and(|v| v.contains(TRUNK_VERSION));
    if !trunk_ok {
        eprintln!("xtask: installing Trunk {TRUNK_VERSION} (about 7 minutes on 2 cores)");
        run(Command::new("cargo")
            .args(["install", "--locked", &format!("trunk@{TRUNK_VERSION}")])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))?;
    }
    let wanted = locked_wasm_bindgen()?;
    let bindgen_ok =
        output(&wasm_bindgen(), &["--version"]).is_some_and(|v| v.split_whitespace().nth(1) == Some(wanted.as_str()));
    if !bindgen_ok {
        eprintln!("xtask: installing wasm-bindgen-cli {wanted}, the version Cargo.lock pins (about 6 minutes)");
        run(Command::new("cargo")
            .args(["install", "wasm-bindgen-cli", "--version", &wanted])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))?;
    }
    let opt_ok =
        output(&wasm_opt(), &["--version"]).is_some_and(|v| v.split_whitespace().nth(2) == Some(BINARYEN_VERSION));
    if !opt_ok {
        if !has("npm", &["--version"]) {
            bail!(
                "wasm-opt comes from npm's `binaryen` package, and npm is missing: install Node.js and npm (`apt-get install -y nodejs npm`), then run this again"
            );
        }
        eprintln!("xtask: installing wasm-opt from npm's binaryen@{BINARYEN_VERSION} into target/tools");
        std::fs::create_dir_all(tools_dir())?;
        run(Command::new("npm").args(["install", "--prefix"]).arg(tools_dir()).args([
            "--no-audit",
            "--no-fund",
            "--no-save",
            &format!("binaryen@{BINARYEN_VERSION}"),
        ]))?;
    }
    Ok(())
}
