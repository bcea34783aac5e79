//! The data a milestone-13 report is made of, and nothing else: rule ids
//! ([`RuleId`], [`Kind`]), findings ([`Status`], [`Evidence`], [`Finding`],
//! [`Verdict`], [`Counts`]), the graph of how a release's pieces connect
//! ([`Graph`]), the cluster steps ([`Step`]) and where a snapshot came from
//! ([`Origin`]), plus how much of a text a report shows ([`shown`]).
//!
//! A leaf: it depends on serde only and holds no logic beyond constructors
//! and small accessors, and no I/O. What a rule is and what it checks, how
//! the graph and the steps are built, live in `m13-rules`, which re-exports
//! every item here at its old path.

pub mod finding;
pub mod graph;
pub mod origin;
pub mod rule_id;
pub mod shown;
pub mod step;

pub use finding::{Counts, Evidence, Finding, Status, Verdict};
pub use graph::{Edge, EdgeKind, Graph, Node, NodeKind, NodeStatus};
pub use origin::{Origin, ReleaseProof, SourceKind};
pub use rule_id::{Kind, RuleId};
pub use step::Step;
