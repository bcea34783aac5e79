//! One module per rule, each declaring its `RULE` with [`declare_rule!`]
//! (the doc comment is the rule's explanation). The registry lists them.
//! Shared pieces live in small modules named for what they share.

pub(crate) mod candidates;
pub(crate) mod near_miss;
pub(crate) mod ports;
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
use crate::registry::RuleId;

/// Whether another rule judges this rejection of the Django Deployment in
/// its own terms, so `deployment-present` does not fail for it too: one
/// cause, one failure.
fn judged_elsewhere(rejection: &Rejection) -> bool {
    // requests above limits: `limits-not-below-requests`.
    rejection.field.contains(".resources.") && rejection.message.contains("must be less than or equal to")
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
            .found(format!("{} running {}", o.display(), images(o)))
            .expected("a Deployment running the Django image")
    }));
    Verdict::fail(format!("No Deployment runs the Django app, so {what} cannot be checked."))
        .with_all(evidence)
        .fix("Add a Deployment for the Django container (see `deployment-present`).")
}

/// The images of an object's containers, for messages.
pub(crate) fn images(object: &crate::model::Object) -> String {
    let images: Vec<&str> = object.containers().iter().map(|c| c.image().unwrap_or("no image")).collect();
    if images.is_empty() { "no containers".to_owned() } else { images.join(", ") }
}

/// What is left of a file the milestone removes (`deployment/pod.yaml`) and
/// of the objects of its kind wherever they are: the evidence of
/// `pod-removed` and `pvc-removed`.
pub(crate) fn leftovers(release: &Release<'_>, stem: &str, kind: &str, expected: &str) -> Vec<Evidence> {
    let files = release
        .leftover_files(stem)
        .into_iter()
        .map(|p| Evidence::at(p, None).found("the file exists").expected("no such file"));
    let objects = release.objects.iter().filter(|o| o.kind == kind).map(|o| {
        Evidence::at(&o.path, Some(o.line)).found(format!("kind: {kind} ({})", o.display())).expected(expected)
    });
    files.chain(objects).collect()
}
