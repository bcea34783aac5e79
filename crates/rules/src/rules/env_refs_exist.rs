use std::collections::HashMap;

use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Every `envFrom` (`configMapRef`, `secretRef`) and `valueFrom`
    /// (`configMapKeyRef`, `secretKeyRef`) of every workload names a
    /// ConfigMap or Secret the release defines, and for key references a key
    /// it has, unless marked `optional: true`.
    ///
    /// ## Why it matters
    /// A missing reference stops the container from starting
    /// (`CreateContainerConfigError`): step 7 shows pods that never get ready.
    ///
    /// ## Passes
    /// `envFrom: [{configMapRef: {name: mysite-config}}]` with a ConfigMap
    /// named `mysite-config` in `deployment/`.
    ///
    /// ## Fails
    /// A name that differs by one character; a key that is not in the
    /// Secret; a reference to an object in a file kubectl rejects.
    ///
    /// ## How to fix
    /// Make the reference's `name` (and `key`) equal the object's.
    pub static RULE = Rule {
        title: "envFrom and valueFrom references exist",
        source: "Test Procedure, step 7",
        kind: Kind::Deeper,
        remediation: "Make each envFrom/valueFrom `name` (and `key`) match a ConfigMap or Secret defined in the manifests.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let mut evidence = Vec::new();
    let mut broken = Vec::new();
    let mut count = 0;
    // Per kind, the names defined (worked out once, not per reference).
    let mut defined: HashMap<&str, String> = HashMap::new();
    for object in release.applied() {
        for container in object.containers() {
            for reference in container.env_references() {
                count += 1;
                let what = match &reference.key {
                    Some((key, _)) => format!("{} {} key {key}", reference.kind, reference.name),
                    None => format!("{} {}", reference.kind, reference.name),
                };
                let what = shown::clip_owned(what);
                let at = Evidence::at(&object.path, Some(reference.line)).found(what.clone());
                let target = release.find(reference.kind, &reference.name);
                let missing_key = match (&reference.key, target) {
                    (Some((key, _)), Some(t)) => {
                        t.root.path(&["data", key]).is_none() && t.root.path(&["stringData", key]).is_none()
                    }
                    _ => false,
                };
                if reference.optional || (target.is_some() && !missing_key) {
                    evidence.push(at);
                    continue;
                }
                let defined =
                    defined.entry(reference.kind).or_insert_with(|| defined_names(release, reference.kind)).as_str();
                let rejected = release.find_any(reference.kind, &reference.name).filter(|o| o.defect.is_some());
                let expected = if missing_key {
                    format!("the key in {} {}", reference.kind, shown::clip(&reference.name))
                } else if let Some(rejected) = rejected {
                    format!(
                        "{} {} accepted by kubectl, but it is rejected: {}",
                        reference.kind,
                        reference.name,
                        rejected.defect.as_ref().map(ToString::to_string).unwrap_or_default()
                    )
                } else if defined.is_empty() {
                    format!("a {} named {} (none is defined)", reference.kind, shown::clip(&reference.name))
                } else {
                    format!("a {} named {} (defined: {defined})", reference.kind, shown::clip(&reference.name))
                };
                broken.push(if rejected.is_some() {
                    format!("{} refers to {what}, which kubectl rejects", object.display())
                } else if missing_key {
                    format!("{} refers to {what}, a key the object does not have", object.display())
                } else {
                    format!("{} refers to {what}, which the release does not define", object.display())
                });
                evidence.push(at.expected(expected));
            }
        }
    }
    if broken.is_empty() {
        let message = if count == 0 {
            "No envFrom or valueFrom references to check.".to_owned()
        } else {
            match count {
                1 => "The one ConfigMap or Secret reference exists.".to_owned(),
                2 => "Both ConfigMap and Secret references exist.".to_owned(),
                n => format!("All {n} ConfigMap and Secret references exist."),
            }
        };
        Verdict::pass(message).with_all(evidence)
    } else {
        Verdict::fail(format!("{}: the container will not start.", shown::some_sentences(&broken)))
            .with_all(evidence)
            .counting("references")
    }
}

/// The names of the accepted objects of `kind`, for messages (the first
/// few, then how many more); empty when there are none.
fn defined_names(release: &Release<'_>, kind: &str) -> String {
    let names: Vec<String> = release.applied_of_kind(kind).filter_map(|o| o.name.clone()).collect();
    shown::some_of(&names, ", ")
}
