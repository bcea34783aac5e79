//! `cargo xtask package`: the release archives, made the same way by the
//! release workflow (.github/workflows/release.yml) and by `cargo xtask
//! test` (for the Linux x86_64 musl target this machine can build).
//!
//! * `build --target T`: the release CLI for `T`, archived as
//!   `milestone-check-T.tar.gz` (`.zip` for Windows) with the binary, the
//!   README and the CHANGELOG at the top, then `SHA256SUMS` rewritten over
//!   every archive of the folder. The names carry no version, so
//!   `releases/latest/download/<name>` always works for the README's
//!   one-line installs and the Action.
//! * `checksums DIR`: `SHA256SUMS` over the archives of `DIR` (the
//!   workflow's last job, once every build is in one folder).
//! * `notes TAG`: the CHANGELOG's section for `TAG`, as release notes.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use clap::Subcommand;
use sha2::{Digest, Sha256};

use crate::{project_root, run};

/// The program's name, on its own and in every archive's name.
pub const BIN: &str = "milestone-check";

/// The targets a release ships (the release workflow's matrix).
pub const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];

/// The target `cargo xtask test` builds and checks here.
pub const TESTED_TARGET: &str = "x86_64-unknown-linux-musl";

pub const CHECKSUMS: &str = "SHA256SUMS";

#[derive(Subcommand)]
pub enum Step {
    /// Build the release CLI for TARGET, archive it into OUT, rewrite OUT/SHA256SUMS.
    Build {
        #[arg(long)]
        target: String,
        #[arg(long, default_value = "target/package")]
        out: PathBuf,
    },
    /// Rewrite DIR/SHA256SUMS over every archive in DIR.
    Checksums { dir: PathBuf },
    /// Print CHANGELOG.md's section for TAG (`vX.Y.Z`, this workspace's
    /// version): the release notes. Fails when the section is missing or
    /// still says "unreleased".
    Notes { tag: String },
    /// What `cargo xtask test` checks: build and archive the x86_64 musl
    /// CLI, then compare its verdicts with the native build's on every fixture.
    Check,
}

pub fn main(step: Step) -> anyhow::Result<()> {
    match step {
        Step::Build { target, out } => {
            let out = project_root().join(out);
            let archive = build(&target, &out)?;
            println!("{}", archive.display());
            Ok(())
        }
        Step::Checksums { dir } => write_checksums(&project_root().join(dir)).map(|_| ()),
        Step::Notes { tag } => {
            let changelog =
                std::fs::read_to_string(project_root().join("CHANGELOG.md")).context("cannot read CHANGELOG.md")?;
            print!("{}", release_notes(&changelog, &tag, env!("CARGO_PKG_VERSION"))?);
            Ok(())
        }
        Step::Check => check_tested_target(),
    }
}

/// `milestone-check-<target>.tar.gz`, or `.zip` for Windows.
pub fn archive_name(target: &str) -> String {
    if is_windows(target) { format!("{BIN}-{target}.zip") } else { format!("{BIN}-{target}.tar.gz") }
}

fn is_windows(target: &str) -> bool {
    target.contains("windows")
}

fn binary_name(target: &str) -> String {
    if is_windows(target) { format!("{BIN}.exe") } else { BIN.to_owned() }
}

/// Builds the release CLI for `target` and archives it into `out`; returns
/// the archive's path.
pub fn build(target: &str, out: &Path) -> anyhow::Result<PathBuf> {
    if !TARGETS.contains(&target) {
        eprintln!("xtask: {target} is not one of the released targets ({}); building it anyway", TARGETS.join(", "));
    }
    ensure_target(target)?;
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()));
    cargo.current_dir(project_root()).args([
        "build",
        "--release",
        "--locked",
        "-p",
        "m13-cli",
        "--bin",
        BIN,
        "--target",
        target,
    ]);
    // Windows: the C runtime linked in, so the .exe needs no Visual C++
    // redistributable (the other targets are static or have libSystem).
    if target.ends_with("windows-msvc") {
        cargo.env(
            format!("CARGO_TARGET_{}_RUSTFLAGS", target.to_ascii_uppercase().replace('-', "_")),
            "-C target-feature=+crt-static",
        );
    }
    // The commit the binary names, given outright, as the workflow does
    // (build.rs would ask git otherwise).
    if std::env::var_os("M13_BUILD_COMMIT").is_none()
        && let Some(commit) = head_commit()
    {
        cargo.env("M13_BUILD_COMMIT", commit);
    }
    run(&mut cargo)?;
    let binary = project_root().join("target").join(target).join("release").join(binary_name(target));
    let archive = archive(&binary, target, out)?;
    write_checksums(out)?;
    Ok(archive)
}

fn head_commit() -> Option<String> {
    let output = Command::new("git").current_dir(project_root()).args(["rev-parse", "HEAD"]).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// The rustup target and, for musl, the C compiler `ring` is built with:
/// installed when missing, saying so.
fn ensure_target(target: &str) -> anyhow::Result<()> {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if !installed.lines().any(|l| l.trim() == target) {
        eprintln!("xtask: installing the {target} target (rustup target add)");
        run(Command::new("rustup").args(["target", "add", target]))?;
    }
    if target.ends_with("linux-musl") && !has_musl_compiler(target) {
        if !is_root() {
            bail!(
                "building for {target} needs a C compiler for musl (ring compiles C): install Debian's musl-tools (`sudo apt-get install -y musl-tools`), then run this again"
            );
        }
        eprintln!("xtask: installing Debian's musl-tools (musl-gcc, for ring's C code) with apt-get");
        let installed = run(Command::new("apt-get").args(["install", "-y", "--no-install-recommends", "musl-tools"]));
        if installed.is_err() {
            run(Command::new("apt-get").arg("update"))?;
            run(Command::new("apt-get").args(["install", "-y", "--no-install-recommends", "musl-tools"]))?;
        }
    }
    Ok(())
}

/// What cc-rs looks for: `CC_<target>`, the target-prefixed gcc, or `musl-gcc`.
fn has_musl_compiler(target: &str) -> bool {
    let variable = format!("CC_{}", target.replace('-', "_"));
    if std::env::var_os(variable).is_some() {
        return true;
    }
    let arch = target.split('-').next().unwrap_or_default();
    [format!("{arch}-linux-musl-gcc"), "musl-gcc".to_owned()]
        .iter()
        .any(|cc| Command::new(cc).arg("--version").output().is_ok_and(|o| o.status.success()))
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Archives `binary` (as `milestone-check`, or `.exe`) with the README, the
/// CHANGELOG and the LICENSE (MIT asks for its notice in every copy) into `out/<archive_name(target)>`.
pub fn archive(binary: &Path, target: &str, out: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join(archive_name(target));
    let mut files: Vec<(String, PathBuf, u32)> = vec![(binary_name(target), binary.to_path_buf(), 0o755)];
    for doc in ["README.md", "CHANGELOG.md", "LICENSE"] {
        files.push((doc.to_owned(), project_root().join(doc), 0o644));
    }
    let file = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    if is_windows(target) {
        let mut zip = zip::ZipWriter::new(BufWriter::new(file));
        for (name, source, mode) in &files {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .unix_permissions(*mode);
            zip.start_file(name.as_str(), options)?;
            zip.write_all(&read(source)?)?;
        }
        zip.finish()?.flush()?;
    } else {
        let gzip = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::best());
        let mut tar = tar::Builder::new(gzip);
        for (name, source, mode) in &files {
            let bytes = read(source)?;
            let mut header = tar::Header::new_gnu();
            header.set_size(bytes.len() as u64);
            header.set_mode(*mode);
            header.set_mtime(modified(source));
            tar.append_data(&mut header, name, bytes.as_slice())?;
        }
        tar.into_inner()?.finish()?.flush()?;
    }
    eprintln!("xtask: wrote {}", path.display());
    Ok(path)
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Seconds since the epoch a file was last changed, so an archive's files
/// keep their own times.
fn modified(path: &Path) -> u64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs())
}

/// Rewrites `dir/SHA256SUMS` over every release archive in `dir`, in the
/// form `sha256sum -c` reads (`<hex>  <name>`); returns its text.
pub fn write_checksums(dir: &Path) -> anyhow::Result<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(&format!("{BIN}-")) && (name.ends_with(".tar.gz") || name.ends_with(".zip")))
        .collect();
    names.sort();
    if names.is_empty() {
        bail!("no {BIN}-*.tar.gz or .zip in {}", dir.display());
    }
    let mut text = String::new();
    for name in &names {
        text.push_str(&format!("{}  {name}\n", sha256_file(&dir.join(name))?));
    }
    let path = dir.join(CHECKSUMS);
    std::fs::write(&path, &text).with_context(|| format!("cannot write {}", path.display()))?;
    eprintln!("xtask: wrote {} ({} archives)", path.display(), names.len());
    Ok(text)
}

pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// The CHANGELOG's section for `tag`: the lines under its `## X.Y.Z`
/// heading (or `## [X.Y.Z]`), up to the next `## `. `tag` must be `v` and
/// the workspace's `version`, so a tag and the binaries it ships agree, and
/// the section must be dated, not "unreleased".
pub fn release_notes(changelog: &str, tag: &str, version: &str) -> anyhow::Result<String> {
    if tag.strip_prefix('v') != Some(version) {
        bail!("the tag {tag} is not v{version}, the version in Cargo.toml: set [workspace.package] version first");
    }
    let (heading, body) = section(changelog, version)
        .with_context(|| format!("CHANGELOG.md has no `## {version}` section: add one before tagging {tag}"))?;
    if heading.to_ascii_lowercase().contains("unreleased") {
        bail!(
            "CHANGELOG.md's `{heading}` is not dated: replace \"unreleased\" with the release date before tagging {tag}"
        );
    }
    if body.trim().is_empty() {
        bail!("CHANGELOG.md's `{heading}` section is empty");
    }
    Ok(format!("{}\n", body.trim()))
}

/// The heading line and the body of `## <version>`.
pub fn section<'a>(changelog: &'a str, version: &str) -> Option<(&'a str, String)> {
    let mut lines = changelog.lines();
    let heading = lines.by_ref().find(|line| {
        line.strip_prefix("## ")
            .and_then(|rest| rest.split_whitespace().next())
            .is_some_and(|first| first.trim_matches(|c| c == '[' || c == ']') == version)
    })?;
    let body: Vec<&str> = lines.take_while(|line| !line.starts_with("## ")).collect();
    Some((heading, body.join("\n")))
}

/// A step of `cargo xtask test`: the archive for [`TESTED_TARGET`], made
/// as the release workflow makes it, is listed in `SHA256SUMS` and holds a
/// static binary that prints the same JSON as the normal build on every
/// fixture (each with its `url` line as `--release-url`).
pub fn check_tested_target() -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let out = project_root().join("target/package");
    let archive = build(TESTED_TARGET, &out)?;
    eprintln!("xtask: {TESTED_TARGET} built and archived in {:.0?}", started.elapsed());

    let name = archive_name(TESTED_TARGET);
    let sums = std::fs::read_to_string(out.join(CHECKSUMS)).context("cannot read SHA256SUMS")?;
    let listed = format!("{}  {name}", sha256_file(&archive)?);
    if !sums.lines().any(|line| line == listed) {
        bail!("SHA256SUMS does not list `{listed}`:\n{sums}");
    }

    let unpacked = out.join("unpacked");
    let _ = std::fs::remove_dir_all(&unpacked);
    std::fs::create_dir_all(&unpacked)?;
    let mut entries = Vec::new();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(File::open(&archive)?));
    for entry in tar.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.display().to_string();
        entries.push((path.clone(), entry.header().mode()?));
        entry.unpack(unpacked.join(&path))?;
    }
    let expected = [
        (BIN.to_owned(), 0o755),
        ("README.md".to_owned(), 0o644),
        ("CHANGELOG.md".to_owned(), 0o644),
        ("LICENSE".to_owned(), 0o644),
    ];
    if entries != expected {
        bail!("{name} holds {entries:?}, not {expected:?}");
    }
    let musl = unpacked.join(BIN);
    if let Some(interpreter) = interpreter(&read(&musl)?) {
        bail!("the {TESTED_TARGET} binary is not static: it asks for {interpreter}");
    }
    let version = stdout(Command::new(&musl).arg("--version"))?;
    if !version.contains(&format!("target: {TESTED_TARGET}")) {
        bail!("the unpacked binary says `{version}`, not target {TESTED_TARGET}");
    }

    // The native binary the tests step ran: `cargo test --workspace`
    // unifies features with the dev-dependencies', so `cargo build` would
    // compile much of the tree again (five minutes here) for another one.
    run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .current_dir(project_root())
        .args(["test", "--workspace", "--no-run", "--quiet"]))?;
    let native = project_root().join("target/debug").join(BIN);
    let cases: Vec<PathBuf> = m13_testkit::fixture_names()
        .into_iter()
        .map(|name| m13_testkit::fixtures_dir().join(name))
        .filter(|p| p.join("release").is_dir())
        .collect();
    for case in &cases {
        let expected_txt = case.join("expected.txt");
        let text = std::fs::read_to_string(&expected_txt)
            .with_context(|| format!("cannot read {}", expected_txt.display()))?;
        let expected =
            m13_testkit::parse_expected(&text).map_err(|e| anyhow::anyhow!("{}: {e}", expected_txt.display()))?;
        let url = expected.url.as_deref();
        let verdicts = |binary: &Path| -> anyhow::Result<(Option<i32>, Vec<u8>)> {
            let mut command = Command::new(binary);
            command.current_dir(project_root()).env_remove("GITHUB_TOKEN").args(["check", "--format", "json"]);
            if let Some(url) = url {
                command.args(["--release-url", url]);
            }
            let output = command.arg(case.join("release")).output()?;
            Ok((output.status.code(), output.stdout))
        };
        let (musl_code, musl_json) = verdicts(&musl)?;
        let (native_code, native_json) = verdicts(&native)?;
        if musl_code != native_code || musl_json != native_json || musl_json.is_empty() {
            bail!(
                "{}: the {TESTED_TARGET} build exits {musl_code:?} with {} bytes of JSON, the native build {native_code:?} with {}",
                case.display(),
                musl_json.len(),
                native_json.len()
            );
        }
    }
    eprintln!(
        "xtask: the {TESTED_TARGET} binary in {name} is static and gives the native build's JSON and exit status on all {} fixtures ({:.0?} in all)",
        cases.len(),
        started.elapsed()
    );
    Ok(())
}

fn stdout(command: &mut Command) -> anyhow::Result<String> {
    let output = command.output().context("cannot run the unpacked binary")?;
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The program interpreter (dynamic loader) a 64-bit little-endian ELF
/// file names in its `PT_INTERP` header; `None` for a static binary.
fn interpreter(elf: &[u8]) -> Option<String> {
    const PT_INTERP: u32 = 3;
    let u16_at = |at: usize| elf.get(at..at + 2).and_then(|b| b.try_into().ok()).map(u16::from_le_bytes);
    let u32_at = |at: usize| elf.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_le_bytes);
    let u64_at = |at: usize| {
        elf.get(at..at + 8)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .and_then(|v| usize::try_from(v).ok())
    };
    if elf.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return Some("something that is not a 64-bit little-endian ELF file".to_owned());
    }
    let (table, size, count) = (u64_at(0x20)?, usize::from(u16_at(0x36)?), usize::from(u16_at(0x38)?));
    (0..count).map(|i| table + i * size).find(|&header| u32_at(header) == Some(PT_INTERP)).map(|header| {
        let (offset, length) = (u64_at(header + 8).unwrap_or(0), u64_at(header + 32).unwrap_or(0));
        let name = elf.get(offset..offset + length).unwrap_or_default();
        String::from_utf8_lossy(name).trim_end_matches('\0').to_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str = "\
# Changelog

## 0.2.0 - 2026-12-01

### Verdicts
* A change.

## 0.1.0 - 2026-11-26

* First.
";

    #[test]
    fn archives_are_named_by_target_alone() {
        assert_eq!(archive_name("x86_64-unknown-linux-musl"), "milestone-check-x86_64-unknown-linux-musl.tar.gz");
        assert_eq!(archive_name("x86_64-pc-windows-msvc"), "milestone-check-x86_64-pc-windows-msvc.zip");
        assert_eq!(binary_name("x86_64-pc-windows-msvc"), "milestone-check.exe");
        assert!(TARGETS.contains(&TESTED_TARGET));
    }

    #[test]
    fn notes_are_the_section_of_the_tag() {
        assert_eq!(release_notes(CHANGELOG, "v0.2.0", "0.2.0").ok().as_deref(), Some("### Verdicts\n* A change.\n"));
        assert_eq!(release_notes(CHANGELOG, "v0.1.0", "0.1.0").ok().as_deref(), Some("* First.\n"));
        let message = |changelog: &str, tag: &str, version: &str| {
            release_notes(changelog, tag, version).err().map(|e| e.to_string()).unwrap_or_default()
        };
        assert!(message(CHANGELOG, "v0.2.1", "0.2.0").contains("is not v0.2.0"));
        assert!(message(CHANGELOG, "v0.3.0", "0.3.0").contains("no `## 0.3.0` section"));
        let undated = CHANGELOG.replace("0.2.0 - 2026-12-01", "[0.2.0] (unreleased)");
        assert!(message(&undated, "v0.2.0", "0.2.0").contains("is not dated"));
    }

    /// The CHANGELOG has a section for the version the workspace builds.
    #[test]
    fn the_changelog_covers_this_version() {
        let changelog = std::fs::read_to_string(project_root().join("CHANGELOG.md")).expect("CHANGELOG.md");
        let (_, body) = section(&changelog, env!("CARGO_PKG_VERSION")).expect("a section for this version");
        assert!(body.contains("### "), "{body}");
        assert!(section(&changelog, "0.1.0").is_some());
    }

    #[test]
    fn a_dynamic_binary_names_its_loader() {
        // This test binary itself is linked for the host, dynamically on a
        // glibc system.
        let me = std::fs::read(std::env::current_exe().expect("exe")).expect("read");
        if cfg!(all(target_os = "linux", target_env = "gnu", target_arch = "x86_64")) {
            assert_eq!(interpreter(&me).as_deref(), Some("/lib64/ld-linux-x86-64.so.2"));
        }
        assert!(interpreter(b"#!/bin/sh").is_some_and(|s| s.contains("not a 64-bit")));
    }

    #[test]
    fn checksums_cover_every_archive() {
        let dir = project_root().join("target/xtask-tests/checksums");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join("milestone-check-a.tar.gz"), b"abc").expect("write");
        std::fs::write(dir.join("milestone-check-b.zip"), b"").expect("write");
        std::fs::write(dir.join("notes.md"), b"not an archive").expect("write");
        let text = write_checksums(&dir).expect("checksums");
        assert_eq!(
            text,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  milestone-check-a.tar.gz\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  milestone-check-b.zip\n"
        );
        assert_eq!(std::fs::read_to_string(dir.join(CHECKSUMS)).expect("SHA256SUMS"), text);
    }
}
