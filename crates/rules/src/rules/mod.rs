//! One module per rule, each declaring its `RULE` with [`declare_rule!`]
//! (the doc comment is the rule's explanation). The registry lists them.
//! Shared pieces live in small modules named for what they share.

pub(crate) mod candidates;
pub(crate) mod near_miss;
pub(crate) mod resources;

pub mod allowed_hosts_probe;
pub mod committed_artifacts;
pub mod config_postgres_hostname;
pub mod container_port;
pub mod cpu_request_range;
pub mod csrf_trusted_origins;
pub mod deployment_present;
pub mod env_refs_exist;
pub mod health_check;
pub mod image_milestone;
pub mod limits_not_below_requests;
pub mod manifests_apply;
pub mod memory_request_range;
pub mod pod_removed;
pub mod postgres_driver_installed;
pub mod probe_port;
pub mod procedure_names;
pub mod pvc_removed;
pub mod release_tag;
pub mod secret_matches_values;
pub mod service_loadbalancer;
pub mod service_target_port;
pub mod settings_env_set;
pub mod uses_postgres;
pub mod values_postgres_present;
pub mod volume_claims_exist;

use crate::finding::{Evidence, Verdict};
use crate::kube::Rejection;
use crate::model::Release;
use crate::model::k8s::DATABASE_IMAGES;
use crate::registry::RuleId;
use crate::shown;

/// Whether another rule judges this rejection of the Django Deployment in
/// its own terms, so `deployment-present` does not fail for it too: one
/// cause, one failure.
fn judged_elsewhere(rejection: &Rejection) -> bool {
    use crate::kube::RejectionKind;
    let field = rejection.field.as_str();
    // Requests above limits: `limits-not-below-requests`.
    let over_limit = field.contains(".resources.") && rejection.message.contains("must be less than or equal to");
    // A request that is no quantity (`256mi`): `cpu-request-range` and `memory-request-range`.
    let bad_request = rejection.kind == RejectionKind::Decode
        && (field.ends_with(".resources.requests[cpu]") || field.ends_with(".resources.requests[memory]"));
    // A misspelt probe (`livenesProbe`): `health-check`.
    let misspelt_probe = rejection.kind == RejectionKind::Strict && misspelt_probe(field).is_some();
    over_limit || bad_request || misspelt_probe
}

/// The probe a container field misspells: `livenessProbe` for
/// `spec.template.spec.containers[0].livenesProbe`.
fn misspelt_probe(field: &str) -> Option<&'static str> {
    let last = field.rsplit('.').next().unwrap_or(field);
    if !field.contains("containers[") { None } else { misspelt_probe_key(last) }
}

/// The probe a container key misspells (`livenesProbe`), if it is a near
/// miss of one and not the probe itself.
pub(crate) fn misspelt_probe_key(key: &str) -> Option<&'static str> {
    const PROBES: [&str; 3] = ["livenessProbe", "readinessProbe", "startupProbe"];
    if PROBES.contains(&key) {
        return None;
    }
    crate::kube::names::did_you_mean(key, PROBES)
}

/// What kubectl refuses in the Django Deployment that no other rule
/// judges: the reasons `deployment-present` fails, and the rules reading the
/// Deployment say it must be fixed first.
pub(crate) fn django_blockers<'r>(release: &'r Release<'_>) -> Vec<&'r Rejection> {
    release
        .django_object()
        .map(|object| object.rejections.iter().filter(|r| !judged_elsewhere(r)).collect())
        .unwrap_or_default()
}

/// The rules that read what the Django Deployment holds. While kubectl
/// rejects the Deployment they still judge what is written, and say that
/// nothing of it runs until `deployment-present` passes.
pub(crate) const READ_THE_DJANGO_DEPLOYMENT: [RuleId; 12] = [
    RuleId::CpuRequestRange,
    RuleId::MemoryRequestRange,
    RuleId::HealthCheck,
    RuleId::ServiceLoadbalancer,
    RuleId::ServiceTargetPort,
    RuleId::ProbePort,
    RuleId::ContainerPort,
    RuleId::EnvRefsExist,
    RuleId::VolumeClaimsExist,
    RuleId::LimitsNotBelowRequests,
    RuleId::SettingsEnvSet,
    RuleId::ImageMilestone,
];

/// The verdict of a rule about the Django container when there is none,
/// with the Deployments that were found and why none is it.
pub(crate) fn without_django(release: &Release<'_>, what: &str) -> Verdict {
    // Invalid files and rejected objects first: they are usually the reason.
    let mut evidence = release.rejected_evidence(None);
    evidence.extend(release.applied_of_kind("Deployment").map(|o| {
        Evidence::at(&o.path, Some(o.line))
            .found(format!("{} running {}", o.display(), o.images()))
            .expected("a Deployment running the Django image")
    }));
    Verdict::fail(format!("No Deployment runs the Django app, so {what} cannot be checked."))
        .with_all(evidence)
        .fix("Add a Deployment for the Django container (see `deployment-present`).")
}

/// What is left of a file the milestone removes (`deployment/pod.yaml`) and
/// of the objects of its kind wherever they are, judged for `pod-removed`
/// and `pvc-removed`: fail for the page's file or the app's own Pod or
/// claim; warn when all that is left runs (or stores) a database, which
/// the Postgres chart replaces; the fix names the files actually found.
pub(crate) fn leftovers(release: &Release<'_>, stem: &str, kind: &str, expected: &str) -> Verdict {
    let mut evidence = Vec::new();
    let mut files: Vec<String> = Vec::new();
    let mut listed = std::collections::HashSet::new();
    let mut only_database = true;
    for path in release.leftover_files(stem) {
        let empty =
            matches!(crate::model::text(release.snapshot, &path), crate::model::Text::Ok(t) if t.trim().is_empty());
        let found = if empty { "an empty file" } else { "the file exists" };
        evidence.push(Evidence::at(&path, None).found(found).expected("no such file"));
        only_database = false;
        listed.insert(path.clone());
        files.push(path);
    }
    let database_claims = database_claims(release);
    for object in release.objects.iter().filter(|o| o.kind == kind) {
        let database = runs_a_database(object, &database_claims);
        only_database &= database;
        let found = if database {
            format!("kind: {kind} ({}) for a database: the Postgres chart replaces it", object.display())
        } else {
            format!("kind: {kind} ({})", object.display())
        };
        evidence.push(Evidence::at(&object.path, Some(object.line)).found(found).expected(expected));
        if listed.insert(object.path.clone()) {
            files.push(object.path.clone());
        }
    }
    if evidence.is_empty() {
        let what = if kind == "Pod" { "Pod definition" } else { kind };
        return Verdict::pass(format!("No {what} is left in the release."));
    }
    let named: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
    let fix = format!(
        "Delete {} (git rm){}, commit, and make a new release.",
        shown::some_of(&named, ", "),
        if kind == "PersistentVolumeClaim" { " and any volume that claims it" } else { "" }
    );
    if only_database {
        let which = shown::some_of(&named, ", ");
        return Verdict::warn(format!(
            "{which} still defines a {kind} for a database: the Postgres Helm chart replaces it; applying it sets up a second database beside the chart's."
        ))
        .with_all(evidence)
        .fix(fix);
    }
    let file = release.manifest_path(&format!("{stem}.yaml"));
    let message = match evidence.first() {
        Some(first) if first.found.as_deref() == Some("an empty file") && files.len() == 1 => {
            format!("`{}` is still in the release, as an empty file.", first.path)
        }
        _ if files.iter().any(|f| f == &file) => format!("A {kind} definition is still in the release (`{file}`)."),
        _ => format!("A {kind} definition is still in the release ({}).", shown::some_of(&named, ", ")),
    };
    Verdict::fail(message).with_all(evidence).fix(fix)
}

/// Whether every container of a workload runs a database image
/// (`postgres:16`): an earlier milestone's database, not the app.
pub(crate) fn database_workload(object: &crate::model::Object) -> bool {
    let containers = object.containers();
    !containers.is_empty()
        && containers.iter().all(|c| {
            let image = c.image().unwrap_or("").to_ascii_lowercase();
            DATABASE_IMAGES.iter().any(|d| image.contains(d))
        })
}

/// The claim names that database workloads mount, found once for all the
/// leftovers (a release of 20,000 PVCs must not scan every object for each).
fn database_claims<'r>(release: &'r Release<'_>) -> std::collections::HashSet<&'r str> {
    release
        .objects
        .iter()
        .filter(|o| database_workload(o))
        .filter_map(|o| o.pod_spec().and_then(|s| s.get("volumes")))
        .flat_map(|volumes| volumes.items())
        .filter_map(|v| v.path(&["persistentVolumeClaim", "claimName"]).and_then(|n| n.as_str()))
        .collect()
}

/// Whether a leftover Pod runs a database image, or a leftover claim is
/// one a database workload mounts or is named for a database.
fn runs_a_database(object: &crate::model::Object, database_claims: &std::collections::HashSet<&str>) -> bool {
    if object.kind == "Pod" {
        return database_workload(object);
    }
    let name = object.name.as_deref().unwrap_or("");
    let named = name.to_ascii_lowercase();
    database_claims.contains(name) || DATABASE_IMAGES.iter().any(|d| named.contains(d))
}
