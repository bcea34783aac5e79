use super::resources::{Resource, judge_request};
use crate::finding::Verdict;
use crate::model::Release;
use crate::parse::quantity::Quantity;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The Django container's `resources.requests.cpu` is at least `250m`
    /// and at most `1000m` (`0.25` to `1` CPU).
    ///
    /// ## Why it matters
    /// Requirements 1.1.1: "Reasonable resource requests". The scheduler
    /// places pods by their requests; the autoscaler scales on them.
    ///
    /// ## Passes
    /// `cpu: 250m`, `cpu: "500m"`, `cpu: 0.5`, `cpu: 1`.
    ///
    /// ## Fails
    /// No request; `cpu: 100m`; `cpu: 2`; a value kubectl rejects. Only a
    /// limit in range warns: Kubernetes copies it into the request.
    ///
    /// ## How to fix
    /// Under the Django container: `resources: {requests: {cpu: 250m}}`.
    pub static RULE = Rule {
        title: "CPU request between 250m and 1000m",
        source: "Requirements 1.1.1",
        kind: Kind::Requirement,
        remediation: "Set `resources.requests.cpu` of the Django container between 250m and 1000m.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    judge_request(release, &Resource { name: "cpu", min: "250m", max: "1000m", format: Quantity::format_cpu })
}
