//! One step of the test procedure's cluster review, with this release's
//! names (`m13_rules::procedure` builds them).

use serde::{Deserialize, Serialize};

/// One step of the cluster review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable id, e.g. `install-postgres`, for checklists.
    pub id: String,
    /// The step's number on the course page.
    pub page_step: u8,
    pub title: String,
    pub commands: Vec<String>,
    /// What the reviewer should see.
    pub look_for: String,
    /// Where this release differs from the page.
    pub notes: Vec<String>,
}
