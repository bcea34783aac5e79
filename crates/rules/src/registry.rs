//! The one table of rules. A rule is registered here and nowhere else; its id
//! is a public contract (reports, SARIF, tools) and never changes once
//! released. Order here is report order.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::finding::Verdict;
use crate::model::Release;

/// Whether a rule is one of the milestone's stated requirements or a deeper
/// check that explains why the test procedure would fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Requirement,
    Deeper,
}

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

macro_rules! registry {
    ($($variant:ident => $module:ident, $id:literal;)*) => {
        /// A rule's stable identifier. Serialised as its kebab-case id.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant),*
        }

        impl RuleId {
            /// Every rule, in report order.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant),*];

            /// The stable kebab-case id, e.g. `cpu-request-range`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id),*
                }
            }

            pub fn rule(self) -> &'static Rule {
                match self {
                    $(RuleId::$variant => &crate::rules::$module::RULE),*
                }
            }
        }
    };
}

registry! {
    // The thirteen requirements of the course page's milestone 13, in its order.
    ReleaseTag => release_tag, "release-tag";
    PodRemoved => pod_removed, "pod-removed";
    PvcRemoved => pvc_removed, "pvc-removed";
    DeploymentPresent => deployment_present, "deployment-present";
    CpuRequestRange => cpu_request_range, "cpu-request-range";
    MemoryRequestRange => memory_request_range, "memory-request-range";
    HealthCheck => health_check, "health-check";
    ValuesPostgresPresent => values_postgres_present, "values-postgres-present";
    ServiceLoadbalancer => service_loadbalancer, "service-loadbalancer";
    ConfigPostgresHostname => config_postgres_hostname, "config-postgres-hostname";
    SecretMatchesValues => secret_matches_values, "secret-matches-values";
    CsrfTrustedOrigins => csrf_trusted_origins, "csrf-trusted-origins";
    UsesPostgres => uses_postgres, "uses-postgres";
    // Deeper checks: why a step of the test procedure would fail.
    ManifestsApply => manifests_apply, "manifests-apply";
    ServiceTargetPort => service_target_port, "service-target-port";
    ProbePort => probe_port, "probe-port";
    ContainerPort => container_port, "container-port";
    EnvRefsExist => env_refs_exist, "env-refs-exist";
    VolumeClaimsExist => volume_claims_exist, "volume-claims-exist";
    LimitsNotBelowRequests => limits_not_below_requests, "limits-not-below-requests";
    AllowedHostsProbe => allowed_hosts_probe, "allowed-hosts-probe";
    SettingsEnvSet => settings_env_set, "settings-env-set";
    PostgresDriverInstalled => postgres_driver_installed, "postgres-driver-installed";
    ImageMilestone => image_milestone, "image-milestone";
    ProcedureNames => procedure_names, "procedure-names";
    CommittedArtifacts => committed_artifacts, "committed-artifacts";
}

impl RuleId {
    /// Looks a rule up by its id.
    pub fn from_id(id: &str) -> Option<RuleId> {
        RuleId::ALL.iter().copied().find(|r| r.as_str() == id)
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for RuleId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read back from its kebab-case id (the web app's checker sends findings to
/// the page as JSON); an unknown id is an error, not a guess.
impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RuleId, D::Error> {
        let id = String::deserialize(deserializer)?;
        RuleId::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule id `{id}`")))
    }
}
