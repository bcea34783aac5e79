use super::resources::{Resource, judge_request};
use crate::finding::Verdict;
use crate::model::Release;
use crate::parse::quantity::Quantity;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The Django container's `resources.requests.memory` is at least
    /// `128Mi` and at most `1Gi`.
    ///
    /// ## Why it matters
    /// Requirements 1.1.2: "At least 128Mi of memory but not more than
    /// 1Gi". Too little and Django is killed; too much and the pod does not
    /// schedule on a small cluster.
    ///
    /// ## Passes
    /// `memory: 128Mi`, `memory: 512Mi`, `memory: 1024Mi`, `memory: 1Gi`.
    ///
    /// ## Fails
    /// No request; `64Mi`; `2Gi`; `1.5G`; `128mb` (kubectl rejects it);
    /// `128M`, decimal megabytes just below 128Mi (the message says that
    /// `128Mi` was surely meant). Only a limit in range warns.
    ///
    /// ## How to fix
    /// Under the Django container: `resources: {requests: {memory: 256Mi}}`.
    pub static RULE = Rule {
        title: "Memory request between 128Mi and 1Gi",
        source: "Requirements 1.1.2",
        kind: Kind::Requirement,
        remediation: "Set `resources.requests.memory` of the Django container between 128Mi and 1Gi.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    judge_request(release, &Resource { name: "memory", min: "128Mi", max: "1Gi", format: Quantity::format_memory })
}
