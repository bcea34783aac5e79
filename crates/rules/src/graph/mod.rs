//! How the pieces of a release find each other, as data for a picture.
//!
//! Most failures at this milestone are broken connections: a Service whose
//! selector matches no pod template, a `targetPort` nobody listens on, an
//! `envFrom` naming a ConfigMap that does not exist, a `POSTGRES_HOSTNAME`
//! that is not the Service `helm install postgres` creates, a Secret
//! password that is not the one in the Helm values, a volume claiming a
//! deleted PVC. [`build`] reads the same [`Release`] the rules read, plus
//! their findings, and returns boxes ([`Node`]) and arrows ([`Edge`]), the
//! data types of `m13_types::graph`.
//! Every arrow says whether it holds and, through `rule` and `evidence`,
//! which finding decides it, so a picture can link each red arrow to the
//! finding that explains it.
//!
//! Arrows point from the piece that needs something to the piece it needs:
//! Service → Deployment, probe → Deployment, Deployment → ConfigMap,
//! ConfigMap → Postgres Service, Secret → Helm values, Postgres Service →
//! Helm values, HorizontalPodAutoscaler → Deployment, workload → PVC.
//!
//! The writers (`m13-report`'s Mermaid, the web app's SVG) only lay this out;
//! they decide nothing.

mod builder;
mod config;
mod workload;

pub use m13_types::graph::{Edge, EdgeKind, Graph, Node, NodeKind, NodeStatus};

use crate::finding::Finding;
use crate::model::Release;

use builder::Builder;

/// Builds the graph of `release`. `findings` are the rules' findings on the
/// same release (in any order); edges cite their evidence.
pub fn build(release: &Release<'_>, findings: &[Finding]) -> Graph {
    let mut builder = Builder::new(findings);
    let ids = workload::add_front(&mut builder, release);
    config::add(&mut builder, release, &ids);
    workload::add_rest(&mut builder, release, &ids);
    builder.finish()
}

/// The ids the two halves of the build share.
pub(crate) struct Ids {
    /// The Django Deployment's node (or the node standing in for it).
    pub deployment: String,
    /// True when `deployment` is the Django Deployment itself.
    pub django: bool,
}
