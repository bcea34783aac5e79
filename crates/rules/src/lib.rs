//! The milestone-13 rules: the one place that knows what the milestone asks.
//!
//! A reader (crate `m13-source`, or the web app) lists a release, asks
//! [`wanted_files`] which files to read, and fills a [`Snapshot`]. [`check`]
//! parses those files once into a [`model::Release`], runs every rule of the
//! [`registry`] and returns a [`Report`]. Nothing here does I/O, reads the
//! clock or the environment, or panics on input.

pub mod compare;
pub mod finding;
pub mod graph;
pub mod kube;
pub mod model;
pub mod order;
pub mod parse;
pub mod procedure;
pub mod registry;
pub mod report;
pub mod roster;
pub mod rules;
pub mod snapshot;
pub mod url;

// The data types live in the leaf crate `m13-types`; they keep their paths here.
pub use m13_types::{origin, rule_id, shown};

pub use finding::{Evidence, Finding, Status, Verdict};
pub use graph::Graph;
pub use model::wanted_files;
pub use origin::{Origin, ReleaseProof, SourceKind};
pub use registry::{Kind, Rule, RuleId, RuleOf};
pub use report::{Counts, Report, by_severity};
pub use snapshot::{Content, Entry, Snapshot};

/// Checks one release: every rule, in registry order.
pub fn check(snapshot: &Snapshot, origin: &Origin) -> Report {
    let release = model::Release::new(snapshot, origin);
    let results = RuleId::ALL
        .iter()
        .map(|&id| {
            let rule = id.rule();
            let verdict = (rule.check)(&release);
            let fix = match verdict.status {
                Status::Pass => None,
                _ => verdict.fix.map(shown::clip_message).or_else(|| Some(rule.remediation.to_owned())),
            };
            // One place bounds what every rule shows, whatever the release holds.
            let evidence = finding::cap_evidence(verdict.evidence, verdict.noun);
            Finding { id, status: verdict.status, message: shown::clip_message(verdict.message), evidence, fix }
        })
        .collect::<Vec<_>>();
    let results = fix_the_deployment_first(&release, results);
    let names = procedure::ClusterNames::discover(&release);
    let steps = names.steps();
    let graph = graph::build(&release, &results);
    Report { origin: origin.clone(), results, names, steps, graph }
}

/// One cause, one failure: while kubectl rejects the Django Deployment,
/// `deployment-present` fails for it and the rules that judge what the
/// Deployment holds say, beside their own verdict, that it must be fixed
/// first.
fn fix_the_deployment_first(release: &model::Release<'_>, mut results: Vec<Finding>) -> Vec<Finding> {
    if rules::django_blockers(release).is_empty() {
        return results;
    }
    for finding in results.iter_mut().filter(|f| rules::READ_THE_DJANGO_DEPLOYMENT.contains(&f.id)) {
        finding.message.push_str(" (As written: kubectl rejects the Deployment, see `deployment-present`.)");
    }
    results
}
