use std::collections::HashSet;

use super::csrf_trusted_origins::settings_unavailable;
use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::settings::EnvRead;
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Every `os.environ['NAME']` that the settings module surely reads
    /// (without a default, outside a `try`, not under an `if` the files
    /// cannot decide) names a variable the release sets for the Django
    /// container: in its `env`, a ConfigMap or Secret it loads, or the
    /// Dockerfile's `ENV`.
    ///
    /// ## Why it matters
    /// `os.environ['NAME']` raises `KeyError` when the variable is not set:
    /// Django stops while loading its settings, the pod restarts forever
    /// (CrashLoopBackOff) and step 8's `migrate` never runs.
    ///
    /// ## Passes
    /// `os.environ['POSTGRES_DB']` with `POSTGRES_DB` in the Secret the
    /// Deployment loads; `os.environ.get('DEBUG', 'False')` (it has a
    /// default).
    ///
    /// ## Fails
    /// `os.environ['SECRET_KEY']` when no ConfigMap, Secret, `env` entry or
    /// Dockerfile `ENV` sets `SECRET_KEY`.
    ///
    /// ## How to fix
    /// Add the variable to the ConfigMap or Secret the Deployment loads, or
    /// read it with `os.environ.get('NAME', default)`.
    pub static RULE = Rule {
        title: "Settings read only variables the release sets",
        source: "Requirements 5; step 8",
        kind: Kind::Deeper,
        remediation: "Set each variable that settings.py reads with os.environ['NAME'] in the ConfigMap or Secret the Deployment loads.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    if let Some(mut verdict) = settings_unavailable(release, "the variables it reads") {
        verdict.status = crate::Status::Manual;
        return verdict;
    }
    let Some(settings) = &release.settings else { return Verdict::manual("No settings module.") };
    if release.django_container().is_none() {
        return Verdict::manual("No Django Deployment, so the variables its container gets cannot be known.");
    }
    // The first read of each variable (the settings keep one per name).
    let mut seen = HashSet::new();
    let unset: Vec<&EnvRead> = settings.unset_required.iter().filter(|read| seen.insert(&read.name)).collect();
    if unset.is_empty() {
        if let Some(why) = &settings.cut_short {
            return Verdict::manual(format!(
                "{} could not be read to the end ({why}), so the variables it reads are not all known: check them by hand.",
                settings.described()
            ));
        }
        return Verdict::pass("Every variable the settings read with os.environ[...] is set by the release.");
    }
    let names: Vec<String> = unset.iter().map(|read| format!("`{}`", shown::clip(&read.name))).collect();
    Verdict::fail(format!(
        "{} reads {} with os.environ[...], but nothing in the release sets {}: Django stops with a KeyError at start.",
        settings.described(),
        shown::some_of(&names, ", "),
        if unset.len() == 1 { "it" } else { "them" }
    ))
    .counting("variables")
    .with_all(unset.iter().map(|read| {
        Evidence::at(&read.path, Some(read.line))
            .found(format!("os.environ['{}']", read.name))
            .expected(format!("{} in the ConfigMap or Secret the Deployment loads", read.name))
    }))
}
