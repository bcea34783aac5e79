//! The result of checking one release: a finding per rule, in registry order,
//! plus the names discovered in the release, the cluster steps built from
//! them, and the graph of how the release's pieces connect.

use serde::Serialize;

pub use m13_types::Counts;

use crate::finding::{Finding, Status};
use crate::graph::Graph;
use crate::origin::Origin;
use crate::procedure::{ClusterNames, Step};
use crate::rule_id::RuleId;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub origin: Origin,
    /// One finding per rule, in registry order.
    pub results: Vec<Finding>,
    /// Names the cluster steps use (Deployment, Service, values file...).
    pub names: ClusterNames,
    /// The test procedure's steps with this release's names.
    pub steps: Vec<Step>,
    /// How the Service, Deployment, configuration and Postgres connect, each
    /// link citing the finding that decides it.
    pub graph: Graph,
}

impl Report {
    pub fn finding(&self, id: RuleId) -> Option<&Finding> {
        self.results.iter().find(|f| f.id == id)
    }

    pub fn counts(&self) -> Counts {
        Counts::tally(&self.results)
    }

    /// True when no rule failed: the release meets the milestone as far as
    /// the files can tell (manual items still need a person).
    pub fn passed(&self) -> bool {
        self.results.iter().all(|f| f.status != Status::Fail)
    }

    /// Findings ordered for display: failures first, then warnings, manual
    /// items and passes, each group in registry order.
    pub fn by_severity(&self) -> Vec<&Finding> {
        by_severity(&self.results)
    }
}

/// `findings` ordered for display: failures first, then warnings, manual
/// items and passes, each group in the order given (registry order).
pub fn by_severity(findings: &[Finding]) -> Vec<&Finding> {
    let mut sorted: Vec<&Finding> = findings.iter().collect();
    crate::order::sort_by_key(&mut sorted, |f| f.status); // stable: keeps the given order within a status
    sorted
}
