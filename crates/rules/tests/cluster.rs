#![cfg(not(target_arch = "wasm32"))]
//! What the cluster would say: the passing release with one edit at a time,
//! each one kubectl (Kubernetes 1.34, strict field validation) rejects or
//! accepts. A rejection fails `manifests-apply` at the `path:line:column`
//! of the offending key or value; an accepted edit changes nothing; a
//! rejected Django Deployment fails `deployment-present` alone among the
//! requirements (one cause, one failure).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

#[allow(dead_code, reason = "shared with the fixture tests, which use all of it")]
mod common;

use m13_rules::registry::Kind;
use m13_rules::{Finding, Origin, Report, RuleOf, Snapshot, SourceKind, Status, check};

fn release() -> Vec<(String, Vec<u8>)> {
    common::read_files(&common::fixtures_dir().join("sp24-pass/release"))
}

fn text(files: &[(String, Vec<u8>)], path: &str) -> String {
    files.iter().find(|(p, _)| p == path).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
}

/// The passing release with `from` replaced by `to` in `path` (which must
/// contain it).
fn edited(path: &str, from: &str, to: &str) -> Vec<(String, Vec<u8>)> {
    let mut files = release();
    let before = text(&files, path);
    assert!(before.contains(from), "{path} has no {from:?}");
    let after = before.replacen(from, to, 1);
    files.retain(|(p, _)| p != path);
    files.push((path.to_owned(), after.into_bytes()));
    files
}

fn run(files: Vec<(String, Vec<u8>)>) -> Report {
    let origin =
        Origin::new(SourceKind::Sample).posted_url("https://github.com/ana-lopez/cis-92/releases/tag/milestone-13.1");
    check(&Snapshot::from_files(files), &origin)
}

fn finding<'a>(report: &'a Report, id: &str) -> &'a Finding {
    report.results.iter().find(|f| f.id.as_str() == id).unwrap_or_else(|| panic!("no {id}"))
}

/// The requirements that do not pass, by id.
fn failing_requirements(report: &Report) -> Vec<&'static str> {
    report
        .results
        .iter()
        .filter(|f| f.id.rule().kind == Kind::Requirement && f.status != Status::Pass)
        .map(|f| f.id.as_str())
        .collect()
}

const DEPLOYMENT: &str = "deployment/deployment.yaml";
const SERVICE: &str = "deployment/service.yaml";
const CONFIG: &str = "deployment/config.yaml";
const SECRET: &str = "deployment/secret.yaml";

/// Every rule that does not pass for each edit of [`REJECTED`], in order,
/// with its status: all the others pass. One cause: at most one
/// requirement among them, plus `manifests-apply` and the deeper checks
/// that follow from the same object missing.
const NOT_PASSING: &[&[&str]] = &[
    &["deployment-present=fail", "manifests-apply=fail"],
    &["health-check=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["memory-request-range=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["service-loadbalancer=fail", "manifests-apply=fail", "service-target-port=manual", "procedure-names=manual"],
    &["service-loadbalancer=fail", "manifests-apply=fail", "service-target-port=manual", "procedure-names=manual"],
    &["service-loadbalancer=fail", "manifests-apply=fail", "service-target-port=manual", "procedure-names=manual"],
    &["service-loadbalancer=fail", "manifests-apply=fail", "service-target-port=manual", "procedure-names=manual"],
    &["config-postgres-hostname=fail", "manifests-apply=fail", "env-refs-exist=fail", "settings-env-set=fail"],
    &["secret-matches-values=fail", "manifests-apply=fail", "env-refs-exist=fail", "settings-env-set=fail"],
    &["config-postgres-hostname=fail", "manifests-apply=fail", "env-refs-exist=fail", "settings-env-set=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
    &["deployment-present=fail", "manifests-apply=fail"],
];

#[test]
fn every_rule_has_its_exact_status_for_each_edit() {
    assert_eq!(NOT_PASSING.len(), REJECTED.len());
    let mut wrong = Vec::new();
    for (&(path, from, to, _, _), expected) in REJECTED.iter().zip(NOT_PASSING) {
        let report = run(edited(path, from, to));
        let found: Vec<String> = report
            .results
            .iter()
            .filter(|f| f.status != Status::Pass)
            .map(|f| format!("{}={}", f.id.as_str(), f.status))
            .collect();
        if found != *expected {
            wrong.push(format!("{to:?} in {path}: {}", found.join(" ")));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

/// (file, text, replacement, the `line:column` kubectl points at, words of its message)
const REJECTED: &[(&str, &str, &str, &str, &str)] = &[
    (DEPLOYMENT, "containerPort: 8000", "containerPort: \"8000\"", "19:30", "cannot unmarshal string"),
    (DEPLOYMENT, "livenessProbe:", "livenesProbe:", "32:11", "unknown field"),
    (DEPLOYMENT, "replicas: 1", "replicas: \"3\"", "6:13", "cannot unmarshal string"),
    (DEPLOYMENT, "- containerPort: 8000", "- containerPort: 8000\n              protocol: HTTP", "20:25", "HTTP"),
    (
        DEPLOYMENT,
        "image: ghcr.io/ana-lopez/cis-92:milestone-13.1",
        "image: ghcr.io/ana-lopez/cis-92:milestone-13.1\n          imagePullPolicy: always",
        "18:28",
        "always",
    ),
    (
        DEPLOYMENT,
        "envFrom:",
        "env:\n            - name: PORT\n              value: 8000\n          envFrom:",
        "22:22",
        "cannot unmarshal number",
    ),
    (DEPLOYMENT, "memory: 256Mi", "memory: 256mi", "28:23", "unable to parse quantity's suffix"),
    (
        DEPLOYMENT,
        "- containerPort: 8000",
        "- containerPort: 8000\n              name: Django-Port",
        "20:21",
        "Django-Port",
    ),
    (DEPLOYMENT, "app: mysite\n  template", "app: my site\n  template", "9:12", "my site"),
    (SERVICE, "- port: 80", "- prt: 80", "10:7", "unknown field"),
    (SERVICE, "type: LoadBalancer", "type: Loadbalancer", "6:9", "Loadbalancer"),
    (SERVICE, "targetPort: 8000", "targetPort: \"8000\"", "11:19", "8000"),
    (SERVICE, "- port: 80", "- port: 80000", "10:13", "80000"),
    (CONFIG, "DEBUG: \"False\"", "DEBUG: true", "9:10", "cannot unmarshal bool"),
    (SECRET, "stringData:", "shared: true\nstringData:", "6:1", "unknown field"),
    (CONFIG, "name: mysite-config", "name: Mysite-Config", "4:9", "Mysite-Config"),
    (DEPLOYMENT, "apiVersion: apps/v1", "apiVersion: apps/v1beta1", "1:13", "no matches for kind"),
    (DEPLOYMENT, "apiVersion: apps/v1", "apiVersion: extensions/v1beta1", "1:13", "no matches for kind"),
];

#[test]
fn every_edit_kubectl_rejects_fails_manifests_apply_at_its_line_and_column() {
    let mut wrong = Vec::new();
    for &(path, from, to, at, words) in REJECTED {
        let report = run(edited(path, from, to));
        let f = finding(&report, "manifests-apply");
        let cited = f.evidence.iter().find(|e| e.path == path && e.location() == format!("{path}:{at}"));
        let says = cited.and_then(|e| e.found.as_deref()).is_some_and(|found| found.contains(words));
        if f.status != Status::Fail || !says {
            wrong.push(format!(
                "{to:?} in {path}: manifests-apply {} {:?} at {:?}",
                f.status,
                f.message,
                f.evidence.iter().map(|e| (e.location(), e.found.clone())).collect::<Vec<_>>()
            ));
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn a_secret_data_value_that_is_not_base64_is_rejected() {
    let report = run(edited(SECRET, "stringData:", "data:\n  EXTRA: not base64!\nstringData:"));
    let f = finding(&report, "manifests-apply");
    assert_eq!(f.status, Status::Fail, "{}", f.message);
    assert!(f.evidence.iter().any(|e| e.location().starts_with("deployment/secret.yaml:7:")), "{:?}", f.evidence);
}

#[test]
fn removed_api_versions_of_other_kinds_name_their_replacement() {
    let hpa = "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: mysite-hpa\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: mysite-deployment\n  minReplicas: 1\n  maxReplicas: 3\n";
    let ingress = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: mysite-ingress\nspec:\n  backend:\n    serviceName: mysite-svc\n    servicePort: 80\n";
    for (file, text, replacement) in
        [("deployment/hpa.yaml", hpa, "autoscaling/v2"), ("deployment/ingress.yaml", ingress, "networking.k8s.io/v1")]
    {
        let mut files = release();
        files.push((file.to_owned(), text.as_bytes().to_vec()));
        let report = run(files);
        let f = finding(&report, "manifests-apply");
        assert_eq!(f.status, Status::Fail, "{file}: {}", f.message);
        let e = f.evidence.iter().find(|e| e.path == file).unwrap_or_else(|| panic!("{file}: {:?}", f.evidence));
        assert_eq!(e.location(), format!("{file}:1:13"));
        assert!(e.expected.as_deref().unwrap_or("").contains(replacement), "{file}: {:?}", e.expected);
    }
}

#[test]
fn what_kubectl_accepts_still_passes() {
    // Every object in one `kind: List`: kubectl applies the items.
    let files = release();
    let items: String = [DEPLOYMENT, SERVICE, CONFIG, SECRET]
        .iter()
        .map(|path| {
            let body: String = text(&files, path).lines().map(|l| format!("    {l}\n")).collect();
            format!("  - {}", body.trim_start())
        })
        .collect();
    let list = format!("apiVersion: v1\nkind: List\nitems:\n{items}");
    let mut listed: Vec<(String, Vec<u8>)> = files.into_iter().filter(|(p, _)| !p.starts_with("deployment/")).collect();
    listed.push(("deployment/all.yaml".to_owned(), list.into_bytes()));
    // And a README beside them, which kubectl does not read.
    listed.push(("deployment/README.md".to_owned(), b"# Manifests\n\nkubectl apply -f deployment/\n".to_vec()));
    let report = run(listed);
    let not_passing: Vec<String> = report
        .results
        .iter()
        .filter(|f| f.status != Status::Pass)
        .map(|f| format!("{} {}: {}", f.id.as_str(), f.status, f.message))
        .collect();
    assert!(not_passing.is_empty(), "\n{}", not_passing.join("\n"));
}

#[test]
fn a_kind_without_a_schema_is_manual_with_the_reason() {
    let mut files = release();
    files.push((
        "deployment/cert.yaml".to_owned(),
        b"apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: mysite-cert\nspec:\n  secretName: mysite-tls\n"
            .to_vec(),
    ));
    let report = run(files);
    let f = finding(&report, "manifests-apply");
    assert_eq!(f.status, Status::Manual, "{}", f.message);
    assert!(f.evidence.iter().any(|e| e.path == "deployment/cert.yaml"), "{:?}", f.evidence);
}

#[test]
fn a_selector_that_misses_the_template_labels_is_one_failing_requirement() {
    let report = run(edited(DEPLOYMENT, "app: mysite\n  template", "app: mysite-web\n  template"));
    assert_eq!(failing_requirements(&report), ["deployment-present"]);
    let f = finding(&report, "deployment-present");
    assert!(f.message.starts_with("kubectl rejects Deployment/mysite-deployment, so it never runs:"), "{}", f.message);
    assert!(f.evidence.iter().any(|e| e.location().starts_with("deployment/deployment.yaml:")), "{:?}", f.evidence);
    // The rules reading the Deployment judge what is written, and say so.
    let cpu = finding(&report, "cpu-request-range");
    assert_eq!(cpu.status, Status::Pass);
    assert!(cpu.message.ends_with("(As written: kubectl rejects the Deployment, see `deployment-present`.)"));
    // The database is still judged by its engine, not by a fallback value.
    assert_eq!(finding(&report, "uses-postgres").status, Status::Pass, "{}", finding(&report, "uses-postgres").message);
}

#[test]
fn requests_above_limits_fail_their_own_rule_not_the_deployment() {
    let report = run(edited(DEPLOYMENT, "memory: 256Mi", "memory: 1Gi"));
    assert_eq!(failing_requirements(&report), Vec::<&str>::new());
    assert_eq!(finding(&report, "limits-not-below-requests").status, Status::Fail);
    assert_eq!(finding(&report, "deployment-present").status, Status::Pass);
}

#[test]
fn one_mistake_fails_at_most_one_requirement() {
    let mut cascades = Vec::new();
    for &(path, from, to, _, _) in REJECTED {
        let report = run(edited(path, from, to));
        let failing = failing_requirements(&report);
        if failing.len() > 1 {
            cascades.push(format!("{to:?} in {path}: {}", failing.join(", ")));
        }
    }
    assert!(cascades.is_empty(), "\n{}", cascades.join("\n"));
}

#[test]
fn a_misspelt_probe_is_the_health_checks_failure_alone() {
    let report = run(edited(DEPLOYMENT, "livenessProbe:", "livenesProbe:"));
    assert_eq!(failing_requirements(&report), ["health-check"]);
    let f = finding(&report, "health-check");
    assert!(f.message.starts_with("The Django container's `livenesProbe` is not a probe"), "{}", f.message);
    assert_eq!(f.evidence.first().map(|e| e.location()), Some("deployment/deployment.yaml:32:11".to_owned()));
    assert_eq!(finding(&report, "manifests-apply").status, Status::Fail);
}

#[test]
fn a_request_that_is_no_quantity_is_the_range_rules_failure_alone() {
    let report = run(edited(DEPLOYMENT, "memory: 256Mi", "memory: 256mi"));
    assert_eq!(failing_requirements(&report), ["memory-request-range"]);
}
