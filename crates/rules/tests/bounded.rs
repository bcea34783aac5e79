#![cfg(not(target_arch = "wasm32"))]
//! Bounded work on hostile input: the passing release with one file made
//! to grow (a settings value that doubles, 20,000 Pods, a 40,000-character
//! host name). Each case asserts the verdict and the exact message, and
//! that what the report holds stays small: at most 21 evidence entries per
//! finding, short texts, a graph of a few dozen nodes. Nothing is timed
//! (`cargo xtask bench` measures the growth).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers stop loudly, like the tests they serve (clippy.toml covers the tests themselves)"
)]

#[allow(dead_code, reason = "shared with the fixture tests, which use all of it")]
mod common;

use m13_rules::graph::NodeKind;
use m13_rules::shown::{MAX_EVIDENCE, MAX_MESSAGE_CHARS, MAX_SHOWN_CHARS};
use m13_rules::{Finding, Origin, Report, Snapshot, SourceKind, Status, check};

const SETTINGS: &str = "mysite/mysite/settings.py";

fn release() -> Vec<(String, Vec<u8>)> {
    common::read_files(&common::fixtures_dir().join("sp24-pass/release"))
}

fn with(mut files: Vec<(String, Vec<u8>)>, path: &str, text: String) -> Vec<(String, Vec<u8>)> {
    files.retain(|(p, _)| p != path);
    files.push((path.to_owned(), text.into_bytes()));
    files
}

/// The passing settings with `tail` after them.
fn settings_with(tail: &str) -> Vec<(String, Vec<u8>)> {
    let files = release();
    let settings = files.iter().find(|(p, _)| p == SETTINGS).map(|(_, b)| String::from_utf8_lossy(b).into_owned());
    let text = format!("{}\n{tail}", settings.unwrap_or_default());
    assert!(text.len() < 1024 * 1024, "the case must stay under the 1 MiB a file may have");
    with(files, SETTINGS, text)
}

fn run(files: Vec<(String, Vec<u8>)>) -> Report {
    let origin =
        Origin::new(SourceKind::Sample).posted_url("https://github.com/ana/cis-92/releases/tag/milestone-13.1");
    let report = check(&Snapshot::from_files(files), &origin);
    assert_small(&report);
    report
}

fn finding<'a>(report: &'a Report, id: &str) -> &'a Finding {
    report.results.iter().find(|f| f.id.as_str() == id).unwrap_or_else(|| panic!("no {id}"))
}

fn assert_finding(report: &Report, id: &str, status: Status, message: &str) {
    let f = finding(report, id);
    assert_eq!((f.status, f.message.as_str()), (status, message), "{id}: {:?}", f.evidence);
}

/// What every report holds stays small, whatever the release.
fn assert_small(report: &Report) {
    let chars = |s: &str| s.chars().count();
    for f in &report.results {
        assert!(f.evidence.len() <= MAX_EVIDENCE + 1, "{}: {} entries", f.id, f.evidence.len());
        assert!(chars(&f.message) <= MAX_MESSAGE_CHARS + 30, "{}: message of {}", f.id, chars(&f.message));
        for e in &f.evidence {
            for text in [&e.found, &e.expected].into_iter().flatten() {
                assert!(chars(text) <= MAX_SHOWN_CHARS, "{}: {} characters", f.id, chars(text));
            }
        }
    }
    assert!(report.graph.nodes.len() <= 60, "{} nodes", report.graph.nodes.len());
    assert!(report.graph.edges.len() <= 120, "{} edges", report.graph.edges.len());
    for node in &report.graph.nodes {
        assert!(node.id.len() <= 200 && chars(&node.label) <= MAX_SHOWN_CHARS, "{}", node.id);
        assert!(node.details.iter().chain(&node.problem).all(|d| chars(d) <= MAX_SHOWN_CHARS), "{}", node.id);
    }
    for edge in &report.graph.edges {
        assert!(chars(&edge.label) <= MAX_SHOWN_CHARS && edge.evidence.len() <= MAX_EVIDENCE + 1, "{}", edge.label);
    }
}

#[test]
fn a_doubling_string_stops_at_64_kib() {
    let tail = format!("X = 'ab'\n{}CSRF_TRUSTED_ORIGINS = X\n", "X = X + X\n".repeat(40));
    let report = run(settings_with(&tail));
    assert_finding(
        &report,
        "csrf-trusted-origins",
        Status::Manual,
        "CSRF_TRUSTED_ORIGINS is computed from a value over 64 KiB: check its value by hand.",
    );
    assert_eq!(finding(&report, "uses-postgres").status, Status::Pass);
}

#[test]
fn a_string_grown_55000_times_runs_out_of_steps() {
    let tail = format!("X = ''\n{}ALLOWED_HOSTS = [X]\n", "X += 'aaaaaaaaaa'\n".repeat(55_000));
    let report = run(settings_with(&tail));
    assert_finding(
        &report,
        "allowed-hosts-probe",
        Status::Manual,
        "ALLOWED_HOSTS comes from settings that take more than 1,000,000 steps to evaluate: check it by hand.",
    );
    // What was assigned before the steps ran out is still known.
    assert_eq!(finding(&report, "csrf-trusted-origins").status, Status::Pass);
    assert_finding(
        &report,
        "settings-env-set",
        Status::Manual,
        "`mysite/mysite/settings.py` could not be read to the end (settings that take more than 1,000,000 steps to evaluate), so the variables it reads are not all known: check them by hand.",
    );
}

#[test]
fn a_list_nested_6000_times_stops_at_32_levels() {
    let tail = format!("A = []\n{}CSRF_TRUSTED_ORIGINS = [A]\n", "A = [A]\n".repeat(6_000));
    let report = run(settings_with(&tail));
    let f = finding(&report, "csrf-trusted-origins");
    // A list of lists holds no origin, however deep: Django trusts none.
    assert_eq!(f.status, Status::Fail);
    let found = f.evidence.first().and_then(|e| e.found.as_deref()).unwrap_or("");
    assert!(found.contains("<unknown: a value nested more than 32 levels deep>"), "{found}");
}

#[test]
fn doubling_lists_and_dicts_stop_at_10000_items() {
    // Short items reach the item cap; longer ones would reach 64 KiB first.
    let tail = format!("O = [0]\n{}CSRF_TRUSTED_ORIGINS = O\n", "O = O + O\n".repeat(60));
    assert_finding(
        &run(settings_with(&tail)),
        "csrf-trusted-origins",
        Status::Manual,
        "CSRF_TRUSTED_ORIGINS is computed from a value of more than 10,000 items: check its value by hand.",
    );
    let doubling = "D = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n";
    let tail =
        format!("{doubling}{}DATABASES = D['x']\n", "D = {'default': D['default'], 'x': D, 'y': D}\n".repeat(60));
    assert_finding(
        &run(settings_with(&tail)),
        "uses-postgres",
        Status::Manual,
        "The database engine comes from a value of more than 10,000 items: check which engine the running app uses.",
    );
}

#[test]
fn other_growth_idioms_stay_bounded() {
    // A literal over the cap, a huge list literal, f-strings, calls the
    // reader does not follow, a split of a long variable.
    let cases = [
        (
            format!("CSRF_TRUSTED_ORIGINS = ['{}']\n", "a".repeat(70_000)),
            "An item of CSRF_TRUSTED_ORIGINS is computed from a value over 64 KiB: check it by hand.",
        ),
        (
            format!("CSRF_TRUSTED_ORIGINS = [{}]\n", "'x',".repeat(20_000)),
            "CSRF_TRUSTED_ORIGINS is computed from a value of more than 10,000 items: check its value by hand.",
        ),
        (
            "X = 'ab'\nX = X * 1000000\nCSRF_TRUSTED_ORIGINS = [X]\n".to_owned(),
            "An item of CSRF_TRUSTED_ORIGINS is computed from `*`: check it by hand.",
        ),
        (
            "D = {'a': 1}\nD = dict(**D)\nCSRF_TRUSTED_ORIGINS = ', '.join(D).format(D)\n".to_owned(),
            "CSRF_TRUSTED_ORIGINS is computed from the call `?(...)`: check its value by hand.",
        ),
        (
            "CSRF_TRUSTED_ORIGINS = os.environ.get('POSTGRES_DB', '').split('l')\n".to_owned(),
            "CSRF_TRUSTED_ORIGINS lacks `https://*.cloudshell.dev`, `https://*.github.dev`, `https://localhost:8000`.",
        ),
    ];
    for (tail, message) in cases {
        let report = run(settings_with(&tail));
        assert_eq!(finding(&report, "csrf-trusted-origins").message, message, "{}", &tail[..tail.len().min(80)]);
    }
    let fstring = format!("CSRF_TRUSTED_ORIGINS = [f'{}']\n", "{x}".repeat(100_000));
    let message = finding(&run(settings_with(&fstring)), "csrf-trusted-origins").message.clone();
    assert!(message.starts_with("An item of CSRF_TRUSTED_ORIGINS is computed from the f-string f'{x}{x}"), "{message}");
    assert!(message.ends_with("…: check it by hand.") && message.len() < 300, "{message}");
}

#[test]
fn an_environment_list_of_30000_items_is_refused_before_it_is_built() {
    let config = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mysite-config\ndata:\n  POSTGRES_HOSTNAME: postgres-postgresql\n  HOSTS: \"{}\"\n",
        "h,".repeat(30_000)
    );
    let files = with(settings_with("ALLOWED_HOSTS = env.list('HOSTS')\n"), "deployment/config.yaml", config);
    assert_finding(
        &run(files),
        "allowed-hosts-probe",
        Status::Manual,
        "ALLOWED_HOSTS comes from a value of more than 10,000 items: check it by hand.",
    );
}

#[test]
fn a_growing_value_in_an_imported_module_is_bounded_too() {
    let files = with(
        settings_with("from .base import *\nCSRF_TRUSTED_ORIGINS = O\n"),
        "mysite/mysite/base.py",
        format!("O = ['https://*.github.dev']\n{}", "O = O + O\n".repeat(60)),
    );
    assert_finding(
        &run(files),
        "csrf-trusted-origins",
        Status::Manual,
        "CSRF_TRUSTED_ORIGINS is computed from a value over 64 KiB: check its value by hand.",
    );
}

#[test]
fn thousands_of_conditional_assignments_ask_a_person() {
    let tail: String =
        (0..5_000).map(|i| format!("if flag_{i}():\n    CSRF_TRUSTED_ORIGINS = ['https://a{i}.dev']\n")).collect();
    let report = run(settings_with(&tail));
    let f = finding(&report, "csrf-trusted-origins");
    assert_eq!(f.status, Status::Manual);
    assert!(
        f.message.starts_with(
            "CSRF_TRUSTED_ORIGINS is assigned 5,001 times under conditions the files cannot decide (lines 16, "
        ),
        "{}",
        f.message
    );
    assert!(f.message.ends_with(", and 4,991 more): check which value is in force by hand."), "{}", f.message);
    assert_eq!(f.evidence.last().and_then(|e| e.found.as_deref()), Some("and 4,981 more assignments"));
}

#[test]
fn thirty_thousand_unset_variables_are_counted_not_listed() {
    let tail: String = (0..30_000).map(|i| format!("V{i} = os.environ['UNSET_{i}']\n")).collect();
    let report = run(settings_with(&tail));
    let f = finding(&report, "settings-env-set");
    assert_eq!(f.status, Status::Fail);
    assert_eq!(
        f.message,
        "`mysite/mysite/settings.py` reads `UNSET_0`, `UNSET_1`, `UNSET_2`, `UNSET_3`, `UNSET_4`, `UNSET_5`, `UNSET_6`, `UNSET_7`, `UNSET_8`, `UNSET_9`, and 29,990 more with os.environ[...], but nothing in the release sets them: Django stops with a KeyError at start."
    );
    assert_eq!(f.evidence.last().and_then(|e| e.found.as_deref()), Some("and 29,980 more variables"));
}

/// `n` small Pods over four files.
fn with_pods(n: usize) -> Vec<(String, Vec<u8>)> {
    let mut files = release();
    for file in 0..4 {
        let pods: String = (0..n / 4)
            .map(|i| format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p-{}\n---\n", file * n / 4 + i))
            .collect();
        files.push((format!("deployment/pods-{file}.yaml"), pods.into_bytes()));
    }
    files
}

#[test]
fn twenty_thousand_pods_are_counted_in_the_findings_and_the_graph() {
    let report = run(with_pods(20_000));
    let removed = finding(&report, "pod-removed");
    assert_eq!(removed.status, Status::Fail);
    assert_eq!(
        removed.evidence.last().map(|e| (e.path.as_str(), e.found.as_deref())),
        Some(("deployment/", Some("and 19,980 more places")))
    );
    let applied = finding(&report, "manifests-apply");
    assert_eq!(applied.message, "All 20004 objects in `deployment/` would apply.");
    assert_eq!(applied.evidence.last().and_then(|e| e.found.as_deref()), Some("and 19,984 more objects"));
    let pods: Vec<&str> =
        report.graph.nodes.iter().filter(|n| n.kind == NodeKind::Pod).map(|n| n.label.as_str()).collect();
    assert_eq!(pods.len(), 11);
    assert_eq!(pods.last(), Some(&"and 19,990 more Pods"));
    let (service, deployment) = (finding(&report, "service-loadbalancer"), finding(&report, "deployment-present"));
    assert_eq!((service.status, deployment.status), (Status::Pass, Status::Pass));
}

#[test]
fn a_40000_character_host_name_is_clipped_everywhere() {
    let host = "h".repeat(40_000);
    let config = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: mysite-config\ndata:\n  POSTGRES_HOSTNAME: {host}\n  STUDENT_NAME: {host}\n"
    );
    let report = run(with(release(), "deployment/config.yaml", config));
    let f = finding(&report, "config-postgres-hostname");
    assert_eq!(f.status, Status::Fail);
    let clipped = format!("{}… (40,000 characters)", "h".repeat(200));
    assert_eq!(
        f.message,
        format!(
            "ConfigMap/mysite-config sets POSTGRES_HOSTNAME to `{clipped}`; the reviewer's `helm install postgres` creates the Service `postgres-postgresql`."
        )
    );
    let found = f.evidence.first().and_then(|e| e.found.clone());
    assert_eq!(found, Some(format!("POSTGRES_HOSTNAME: {}… (40,019 characters)", "h".repeat(181))));
    let host_node = report.graph.nodes.iter().find(|n| n.kind == NodeKind::Host).map(|n| n.label.clone());
    assert_eq!(host_node, Some(clipped.clone()));
    assert_eq!(report.names.student_name, Some(clipped));
}

#[test]
fn ten_thousand_ports_and_references_are_matched_by_key() {
    let files = release();
    let text = |path: &str| {
        files.iter().find(|(p, _)| p == path).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap_or_default()
    };
    let ports: String = (9_000..19_000).map(|n| format!("            - containerPort: {n}\n")).collect();
    let refs: String = (0..5_000)
        .map(|i| {
            format!("            - name: V{i}\n              valueFrom:\n                configMapKeyRef:\n                  name: gone-{i}\n                  key: k\n")
        })
        .collect();
    let deployment = text("deployment/deployment.yaml")
        .replace("            - containerPort: 8000\n", &format!("            - containerPort: 8000\n{ports}"))
        .replace("          envFrom:\n", &format!("          env:\n{refs}          envFrom:\n"));
    // A Service of several ports must name each one, or the API server refuses it.
    let targets: String =
        (9_000..19_000).map(|n| format!("    - name: p{n}\n      port: {n}\n      targetPort: {}\n", n + 1)).collect();
    let service = format!(
        "{}{targets}",
        text("deployment/service.yaml").replace("    - port: 80\n", "    - name: web\n      port: 80\n")
    );
    let files = with(with(files, "deployment/deployment.yaml", deployment), "deployment/service.yaml", service);
    let report = run(files);
    let refs = finding(&report, "env-refs-exist");
    assert_eq!(refs.status, Status::Fail);
    assert!(
        refs.message.ends_with("which the release does not define; and 4,997 more: the container will not start."),
        "{}",
        refs.message
    );
    let target = finding(&report, "service-target-port");
    // 18,999 + 1 reaches nothing; every other targetPort is a declared port.
    assert_eq!(
        target.message,
        "Service/mysite-svc forwards to port 19000, where the Django container does not listen."
    );
    let expected = target.evidence.first().and_then(|e| e.expected.as_deref()).unwrap_or("");
    assert_eq!(expected, "one of 8000, 9000, 9001, 9002, 9003, 9004, 9005, 9006, 9007, 9008 and 9,991 more");
    let port_edges: Vec<_> =
        report.graph.edges.iter().filter(|e| e.kind == m13_rules::graph::EdgeKind::TargetPort).collect();
    assert_eq!(port_edges.len(), 4);
    assert!(port_edges.iter().any(|e| !e.holds), "the broken targetPort stays in the picture");
    assert!(port_edges.last().is_some_and(|e| e.label.ends_with("(and 9,997 more)")), "{:?}", port_edges.last());
}
