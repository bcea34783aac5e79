//! The one table of rules: each [`RuleId`] (spelled in `m13_types::rule_id`)
//! to its module's `RULE`. A rule is registered here and nowhere else.

use crate::finding::Verdict;
use crate::model::Release;
use crate::rules;
pub use m13_types::{Kind, RuleId};

/// A rule's metadata and its check. Each `rules/<id>.rs` declares one with
/// [`declare_rule!`], whose doc comment becomes [`Rule::doc`].
pub struct Rule {
    pub title: &'static str,
    /// Where the milestone asks for it (section of the course page).
    pub source: &'static str,
    pub kind: Kind,
    /// What to do when it fails: an imperative sentence ending with a period.
    pub remediation: &'static str,
    /// The doc comment: *What it checks*, *Why it matters*, *Passes*,
    /// *Fails*, *How to fix*.
    pub doc: &'static str,
    pub check: fn(&Release) -> Verdict,
}

impl Rule {
    /// The doc comment as Markdown, without the one space rustdoc keeps at
    /// the start of each line.
    pub fn explanation(&self) -> String {
        let mut text = String::new();
        for line in self.doc.lines() {
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
            text.push('\n');
        }
        text.trim().to_owned()
    }
}

/// Declares a rule: `declare_rule! { /// docs... pub static RULE = Rule { ... }; }`.
/// The doc comment lines are joined into the rule's `doc` field with
/// `concat!`, so the explanation has one source: the comment above the code.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])* pub static $name:ident = Rule { $($field:ident : $value:expr),* $(,)? };) => {
        $(#[doc = $doc])*
        pub static $name: $crate::registry::Rule = $crate::registry::Rule {
            doc: concat!($($doc, "\n"),*),
            $($field: $value),*
        };
    };
}
pub(crate) use declare_rule;

/// The rule an id names. A trait because [`RuleId`] is `m13-types`'s, which
/// knows no rule: `use m13_rules::RuleOf` and call `id.rule()`.
pub trait RuleOf {
    /// The rule this id names: its metadata and its check.
    fn rule(self) -> &'static Rule;
}

impl RuleOf for RuleId {
    fn rule(self) -> &'static Rule {
        match self {
            RuleId::ReleaseTag => &rules::release_tag::RULE,
            RuleId::PodRemoved => &rules::pod_removed::RULE,
            RuleId::PvcRemoved => &rules::pvc_removed::RULE,
            RuleId::DeploymentPresent => &rules::deployment_present::RULE,
            RuleId::CpuRequestRange => &rules::cpu_request_range::RULE,
            RuleId::MemoryRequestRange => &rules::memory_request_range::RULE,
            RuleId::HealthCheck => &rules::health_check::RULE,
            RuleId::ValuesPostgresPresent => &rules::values_postgres_present::RULE,
            RuleId::ServiceLoadbalancer => &rules::service_loadbalancer::RULE,
            RuleId::ConfigPostgresHostname => &rules::config_postgres_hostname::RULE,
            RuleId::SecretMatchesValues => &rules::secret_matches_values::RULE,
            RuleId::CsrfTrustedOrigins => &rules::csrf_trusted_origins::RULE,
            RuleId::UsesPostgres => &rules::uses_postgres::RULE,
            RuleId::ManifestsApply => &rules::manifests_apply::RULE,
            RuleId::ServiceTargetPort => &rules::service_target_port::RULE,
            RuleId::ProbePort => &rules::probe_port::RULE,
            RuleId::ContainerPort => &rules::container_port::RULE,
            RuleId::EnvRefsExist => &rules::env_refs_exist::RULE,
            RuleId::VolumeClaimsExist => &rules::volume_claims_exist::RULE,
            RuleId::LimitsNotBelowRequests => &rules::limits_not_below_requests::RULE,
            RuleId::AllowedHostsProbe => &rules::allowed_hosts_probe::RULE,
            RuleId::SettingsEnvSet => &rules::settings_env_set::RULE,
            RuleId::PostgresDriverInstalled => &rules::postgres_driver_installed::RULE,
            RuleId::ImageMilestone => &rules::image_milestone::RULE,
            RuleId::ProcedureNames => &rules::procedure_names::RULE,
            RuleId::CommittedArtifacts => &rules::committed_artifacts::RULE,
        }
    }
}
