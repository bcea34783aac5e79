//! The layers of the rules crate, read from its own source files, so that no
//! import cycle between its files comes back. From the bottom up:
//!
//! 1. `m13-types` (re-exported here as `finding`, `rule_id`, `shown`,
//!    `origin`), `order.rs`, `snapshot.rs`: data and small helpers.
//! 2. `parse/`: the readers; they know no Kubernetes and no release.
//! 3. `kube/`: what Kubernetes accepts, on top of the readers.
//! 4. `model/`: the parsed release, on top of `kube/` and `parse/`.
//! 5. `procedure.rs`: the test procedure's names and steps, from the model.
//! 6. `graph/`: how the pieces connect, from the model, the procedure and
//!    the findings.
//! 7. `rules/` and `registry.rs`: the rules, reading everything below.
//! 8. `lib.rs`, `report.rs`, `compare.rs`: `check` and what it returns.
//!
//! A file names only layers below its own; `crate::{...}` lists are not
//! used below the top, so each name stays visible to this test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

/// The modules a layer must not name, each as written after `crate::`.
const LAYERS: &[(&str, &[&str])] = &[
    ("parse/", &["kube", "model", "procedure", "graph", "rules", "registry", "report", "compare"]),
    ("kube/", &["model", "procedure", "graph", "rules", "registry", "report", "compare"]),
    ("model/", &["procedure", "graph", "rules", "registry", "report", "compare"]),
    ("procedure.rs", &["graph", "rules", "registry", "report", "compare"]),
    ("graph/", &["rules", "registry", "report", "compare"]),
    ("order.rs", &["parse", "kube", "model", "procedure", "graph", "rules", "registry", "report", "compare"]),
    ("snapshot.rs", &["parse", "kube", "model", "procedure", "graph", "rules", "registry", "report", "compare"]),
    ("finding.rs", &["parse", "kube", "model", "procedure", "graph", "rules", "registry", "report", "compare"]),
];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Whether `text` names `crate::module` (followed by `::`, `;`, `,`, `}` or a space).
fn names(text: &str, module: &str) -> bool {
    let needle = format!("crate::{module}");
    text.match_indices(&needle)
        .any(|(at, _)| text[at + needle.len()..].chars().next().is_none_or(|c| !(c.is_alphanumeric() || c == '_')))
}

#[test]
fn each_file_names_only_the_layers_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root, &mut files);
    assert!(files.len() > 50, "read {} files from {}", files.len(), root.display());
    let mut wrong = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        let top = ["lib.rs", "report.rs", "compare.rs", "registry.rs"].contains(&relative.as_str())
            || relative.starts_with("rules/");
        if !top && text.contains("crate::{") {
            wrong.push(format!("{relative} uses a `crate::{{...}}` list"));
        }
        if !top && names(&text, "rules") {
            wrong.push(format!("{relative} names crate::rules"));
        }
        for (layer, forbidden) in LAYERS {
            if relative == *layer || (layer.ends_with('/') && relative.starts_with(layer)) {
                wrong.extend(
                    forbidden.iter().filter(|m| names(&text, m)).map(|m| format!("{relative} names crate::{m}")),
                );
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}
