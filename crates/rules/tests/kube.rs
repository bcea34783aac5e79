//! The Kubernetes validator on a corpus of small manifests, one per case
//! students hit (`kube_cases/<case>.yaml`): each `<case>.expected` pins every
//! rejection (position, kind, field, kubectl's words, expected, fix), or
//! `accepted`. Set `UPDATE_EXPECT=1` to rewrite them, then read the diff.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

use std::fmt::Write;
use std::path::{Path, PathBuf};

use m13_rules::kube::{self, RejectionKind};
use m13_rules::parse::yaml;

fn cases() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kube_cases")
}

/// What the validator says about one file, as the `.expected` files hold it.
fn render(name: &str, text: &str) -> String {
    let path = format!("deployment/{name}");
    let file = yaml::parse(text);
    let manifest = kube::read_manifest(&path, &file);
    let mut out = String::new();
    let mut rejections = manifest.rejections.clone();
    for object in &manifest.objects {
        let found = kube::validate(object);
        let _ = writeln!(
            out,
            "object {}:{}:{} {} {} {}",
            path,
            object.line(),
            object.column(),
            object.api_version().unwrap_or("-"),
            object.kind().unwrap_or("-"),
            if found.iter().any(|r| r.kind.rejects()) {
                "rejected"
            } else if found.is_empty() {
                "accepted"
            } else {
                "not checked"
            }
        );
        rejections.extend(found);
    }
    for r in &rejections {
        let _ = writeln!(out, "\n{}:{}:{} {:?} {}", r.path, r.line, r.column, r.kind, r.field);
        let _ = writeln!(out, "  kubectl:  {}", r.message);
        let _ = writeln!(out, "  expected: {}", r.expected);
        let _ = writeln!(out, "  fix:      {}", r.fix);
    }
    out
}

#[test]
fn every_case_gives_exactly_its_expected_rejections() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<PathBuf> = std::fs::read_dir(cases())
        .expect("kube_cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 30, "the corpus is there");
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let text = std::fs::read_to_string(&path).expect("case");
        let got = render(&name, &text);
        let expected_path = path.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("== {name}\n-- expected\n{expected}\n-- got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn valid_cases_are_accepted_and_every_rejection_has_a_position_and_fix() {
    for entry in std::fs::read_dir(cases()).expect("kube_cases").flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "yaml") {
            continue;
        }
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let file = yaml::parse(&std::fs::read_to_string(&path).expect("case"));
        let manifest = kube::read_manifest(&name, &file);
        let all: Vec<kube::Rejection> = manifest.objects.iter().flat_map(kube::validate).collect();
        let accepted = ["valid-", "kind-list", "multi-document", "empty-documents"].iter().any(|p| name.starts_with(p));
        if accepted {
            assert!(all.is_empty(), "{name}: {all:?}");
            assert!(!manifest.objects.is_empty(), "{name} has objects");
        } else {
            assert!(!all.is_empty(), "{name} says something");
        }
        for r in &all {
            assert!(r.line >= 1 && r.column >= 1, "{name}: {r:?}");
            assert!(!r.message.is_empty() && !r.expected.is_empty() && !r.fix.is_empty(), "{name}: {r:?}");
        }
    }
}

#[test]
fn a_list_and_separate_documents_are_the_same_objects() {
    let read = |name: &str| -> Vec<(String, String, String)> {
        let text = std::fs::read_to_string(cases().join(name)).expect("case");
        let file = yaml::parse(&text);
        let manifest = kube::read_manifest(name, &file);
        manifest
            .objects
            .iter()
            .map(|o| {
                (
                    o.api_version().unwrap_or_default().to_owned(),
                    o.kind().unwrap_or_default().to_owned(),
                    o.name().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(read("kind-list.yaml"), read("multi-document.yaml"));
    assert_eq!(read("multi-document.yaml").len(), 4);
}

#[test]
fn unknown_kinds_are_undecided_not_rejected() {
    for name in ["custom-resource.yaml", "not-checked-kind.yaml"] {
        let file = yaml::parse(&std::fs::read_to_string(cases().join(name)).expect("case"));
        let manifest = kube::read_manifest(name, &file);
        let kinds: Vec<RejectionKind> = manifest.objects.iter().flat_map(kube::validate).map(|r| r.kind).collect();
        assert_eq!(kinds, [RejectionKind::UnknownKind], "{name}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod never_panics {
    use m13_rules::kube;
    use m13_rules::parse::yaml;
    use proptest::prelude::*;

    /// The corpus' Deployment, cut and spliced at random: whatever is left
    /// is read and validated without a panic, and every rejection has a
    /// position.
    fn damaged() -> impl Strategy<Value = String> {
        let text = include_str!("kube_cases/valid-deployment.yaml");
        (
            0..text.len(),
            0..text.len(),
            prop::sample::select(vec![
                "", "\"", " ", "- ", ": ", "x:", "\n  ", "[", "{a: 1}", "&a", "*a", "'8000'", "true", "~",
            ]),
        )
            .prop_map(move |(a, b, insert)| {
                let (start, end) = (a.min(b), a.max(b));
                let cut = |i: usize| (0..=i).rev().find(|&j| text.is_char_boundary(j)).unwrap_or(0);
                format!("{}{insert}{}", &text[..cut(start)], &text[cut(end)..])
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn reading_and_validating_never_panics(text in damaged()) {
            let file = yaml::parse(&text);
            let manifest = kube::read_manifest("deployment/deployment.yaml", &file);
            for object in &manifest.objects {
                for rejection in kube::validate(object) {
                    prop_assert!(rejection.line >= 1 && rejection.column >= 1);
                }
            }
        }
    }
}
