//! Every rule's stable identifier, spelled once: the one part of the
//! registry the findings need, so the findings depend on no rule. Which
//! module checks each id is `m13_rules::registry`'s table. An id is a public
//! contract (reports, SARIF, tools) and never changes once released. Order
//! here is report order.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! rule_ids {
    ($($variant:ident => $id:literal;)*) => {
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
        }
    };
}

rule_ids! {
    // The thirteen requirements of the course page's milestone 13, in its order.
    ReleaseTag => "release-tag";
    PodRemoved => "pod-removed";
    PvcRemoved => "pvc-removed";
    DeploymentPresent => "deployment-present";
    CpuRequestRange => "cpu-request-range";
    MemoryRequestRange => "memory-request-range";
    HealthCheck => "health-check";
    ValuesPostgresPresent => "values-postgres-present";
    ServiceLoadbalancer => "service-loadbalancer";
    ConfigPostgresHostname => "config-postgres-hostname";
    SecretMatchesValues => "secret-matches-values";
    CsrfTrustedOrigins => "csrf-trusted-origins";
    UsesPostgres => "uses-postgres";
    // Deeper checks: why a step of the test procedure would fail.
    ManifestsApply => "manifests-apply";
    ServiceTargetPort => "service-target-port";
    ProbePort => "probe-port";
    ContainerPort => "container-port";
    EnvRefsExist => "env-refs-exist";
    VolumeClaimsExist => "volume-claims-exist";
    LimitsNotBelowRequests => "limits-not-below-requests";
    AllowedHostsProbe => "allowed-hosts-probe";
    SettingsEnvSet => "settings-env-set";
    PostgresDriverInstalled => "postgres-driver-installed";
    ImageMilestone => "image-milestone";
    ProcedureNames => "procedure-names";
    CommittedArtifacts => "committed-artifacts";
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
/// the page, and the page stores them); an unknown id is an error, not a
/// guess.
impl<'de> Deserialize<'de> for RuleId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RuleId, D::Error> {
        let id = String::deserialize(deserializer)?;
        RuleId::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown rule id `{id}`")))
    }
}

/// Whether a rule is one of the milestone's stated requirements or a deeper
/// check that explains why the test procedure would fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Requirement,
    Deeper,
}
