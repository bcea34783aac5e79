//! Installing what the commands need, saying so each time: rustup
//! components, the wasm target, and (for the web app) Trunk and friends.

use std::path::PathBuf;
use std::process::Command;

use crate::run;

fn has(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
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
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output().map(|o| String::from_utf8_lossy(&o.stdout).into_owned()).unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        eprintln!("xtask: installing the wasm32-unknown-unknown target");
        run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// Where cargo installs binaries.
fn cargo_bin(name: &str) -> PathBuf {
    let home = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin").join(name)
}

pub fn trunk() -> PathBuf {
    cargo_bin("trunk")
}

pub fn ensure_web_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    if !has(&trunk().to_string_lossy(), &["--version"]) {
        eprintln!("xtask: installing Trunk 0.21.14 (about 7 minutes on 2 cores)");
        run(Command::new("cargo")
            .args(["install", "--locked", "trunk@0.21.14"])
            .env("CARGO_PROFILE_RELEASE_LTO", "false")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"))?;
    }
    Ok(())
}
