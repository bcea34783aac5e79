use crate::finding::{Evidence, Verdict};
use crate::model::env::{self, Via};
use crate::model::{Object, Release};
use crate::procedure::{HELM_RELEASE, expected_host};
use crate::registry::{Kind, declare_rule};
use crate::shown;

const KEY: &str = "POSTGRES_HOSTNAME";

declare_rule! {
    /// ## What it checks
    /// The ConfigMap in `deployment/config.yaml` sets
    /// `POSTGRES_HOSTNAME: postgres-postgresql`.
    ///
    /// ## Why it matters
    /// Step 3 of the test procedure. `helm install postgres …` creates a
    /// Service named `postgres-postgresql` (`<release>-postgresql`); Django
    /// reaches the database by that name. `postgres1-postgresql` may work on
    /// the student's cluster but not in the reviewer's.
    ///
    /// ## Passes
    /// `data: {POSTGRES_HOSTNAME: postgres-postgresql}` in the ConfigMap.
    ///
    /// ## Fails
    /// Another host (`localhost`, `postgres1-postgresql`, a Cloud SQL
    /// address); the key missing or misspelled (a `DB_HOST` in a ConfigMap
    /// or the Deployment's `env` is shown, a `/cloudsql/` one named as an
    /// earlier milestone's); only a Dockerfile `ENV`;
    /// `config.yaml` that is not valid YAML. Set in the Deployment's `env`
    /// instead of the ConfigMap warns.
    ///
    /// ## How to fix
    /// In `deployment/config.yaml`, under `data:`, set
    /// `POSTGRES_HOSTNAME: postgres-postgresql`.
    pub static RULE = Rule {
        title: "POSTGRES_HOSTNAME is postgres-postgresql",
        source: "Test Procedure, step 3",
        kind: Kind::Requirement,
        remediation: "Set `POSTGRES_HOSTNAME: postgres-postgresql` under `data:` in the ConfigMap of `deployment/config.yaml`.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let expected = expected_host();
    let config_file = release.manifest_path("config.yaml");
    if let Some((problem, line)) = release.manifest_problem(&config_file) {
        return Verdict::fail(format!("`{config_file}` {problem}, so its ConfigMap is not created."))
            .with(
                Evidence::at(&config_file, line).found(problem).expected(format!("a ConfigMap with {KEY}: {expected}")),
            )
            .fix(format!("Fix `{config_file}` so that it is valid YAML, with {KEY}: {expected} under `data:`."));
    }
    // A ConfigMap kubectl rejects sets nothing, whatever it says.
    if let Some(rejected) = release
        .objects
        .iter()
        .find(|o| o.kind == "ConfigMap" && o.defect.is_some() && o.root.path(&["data", KEY]).is_some())
    {
        let defect = rejected.defect.clone().map(|d| (d.message, d.line, d.expected, d.column)).unwrap_or_default();
        let line = rejected.root.path(&["data", KEY]).map(|n| n.line);
        return Verdict::fail(format!(
            "{} sets {KEY}, but kubectl rejects that ConfigMap ({}, line {}), so the variable is never set.",
            rejected.display(),
            defect.0,
            defect.1
        ))
        .with(Evidence::at(&rejected.path, Some(defect.1)).column(defect.3).found(defect.0.clone()).expected(defect.2))
        .with(Evidence::at(&rejected.path, line).found(format!("{KEY} in the rejected ConfigMap")))
        .fix(format!("Fix line {} of `{}` so kubectl accepts the ConfigMap.", defect.1, rejected.path));
    }
    let mut config_maps: Vec<&Object> =
        release.applied_of_kind("ConfigMap").filter(|o| o.root.path(&["data", KEY]).is_some()).collect();
    crate::order::sort_by_key(&mut config_maps, |o| o.path != config_file);
    if let Some(config_map) = config_maps.first() {
        let Some((value, evidence)) = env::config_map_value(config_map, KEY) else {
            return Verdict::fail(format!("{KEY} in {} has no value.", config_map.display()));
        };
        let evidence = evidence.expected(format!("{KEY}: {expected}"));
        if value == expected {
            let elsewhere = if config_map.path == config_file {
                String::new()
            } else {
                format!(" (in `{}`, not `{config_file}`)", config_map.path)
            };
            return Verdict::pass(format!("{} sets {KEY}: {expected}{elsewhere}.", config_map.display()))
                .with(evidence);
        }
        return Verdict::fail(format!(
            "{} sets {KEY} to `{}`; {}",
            config_map.display(),
            shown::clip(&value),
            why_wrong(&value, &expected)
        ))
        .with(evidence);
    }
    match env::resolve(release, KEY) {
        Some(binding) if binding.via == Via::Dockerfile => Verdict::fail(format!(
            "{KEY} is only set by the Dockerfile's ENV; the page checks the ConfigMap, and the image's default does not count."
        ))
        .with_all(binding.chain.into_iter().map(|e| e.expected(format!("{KEY}: {expected} in {config_file}")))),
        Some(binding) if binding.value.as_deref() == Some(expected.as_str()) => Verdict::warn(format!(
            "{KEY} is {expected}, but set {}, not in the ConfigMap the page checks.",
            describe_via(&binding.via)
        ))
        .with_all(binding.chain)
        .fix(format!("Move {KEY} into the ConfigMap of `{config_file}`.")),
        Some(binding) => Verdict::fail(format!(
            "{KEY} is set {} to `{}`, and in no ConfigMap; {}",
            describe_via(&binding.via),
            shown::clip(binding.value.as_deref().unwrap_or("?")),
            why_wrong(binding.value.as_deref().unwrap_or(""), &expected)
        ))
        .with_all(binding.chain),
        None => {
            let near = similar_hosts(release);
            let cloud_sql = near.iter().find(|(_, value, _)| value.contains("/cloudsql/"));
            let message = match (cloud_sql, near.is_empty()) {
                (Some((name, value, _)), _) => format!(
                    "No ConfigMap sets {KEY}; {} is `{}`, a Cloud SQL instance from an earlier milestone. In this one Postgres runs in the cluster: the Service `{expected}`.",
                    shown::clip(name),
                    shown::clip(value)
                ),
                (None, true) => format!("No ConfigMap sets {KEY}."),
                (None, false) => {
                    format!("No ConfigMap sets {KEY}; a similar key is set instead (the page checks this exact name).")
                }
            };
            let near: Vec<Evidence> = near.into_iter().map(|(_, _, evidence)| evidence).collect();
            let verdict = Verdict::fail(message).with_all(near);
            if verdict.evidence.is_empty() {
                verdict.with(Evidence::at(&config_file, None).found(format!("no {KEY}")).expected(format!("{KEY}: {expected}")))
            } else {
                verdict
            }
        }
    }
}

/// Database host settings under another name (`DB_HOST`, `DATABASE_HOST`),
/// in a ConfigMap or inline in the Django container's `env`: name, value,
/// and where.
fn similar_hosts(release: &Release<'_>) -> Vec<(String, String, Evidence)> {
    let similar = |key: &str| {
        let upper = key.to_ascii_uppercase();
        upper.contains("HOST") && (upper.contains("POSTGRES") || upper.contains("DB") || upper.contains("DATABASE"))
    };
    let found = |path: &str, line: u32, key: &str, value: &str| {
        let evidence = Evidence::at(path, Some(line))
            .found(format!("{key}: {value}"))
            .expected(format!("{KEY}: {}", expected_host()));
        (key.to_owned(), value.to_owned(), evidence)
    };
    let mut near: Vec<(String, String, Evidence)> = release
        .applied_of_kind("ConfigMap")
        .flat_map(|o| {
            o.root.get("data").into_iter().flat_map(|d| d.entries()).filter_map(move |(k, v)| {
                let key = k.as_str().filter(|key| similar(key))?;
                Some(found(&o.path, k.line, key, v.as_str().unwrap_or("")))
            })
        })
        .collect();
    if let (Some(object), Some(container)) = (release.django_object(), release.django_container()) {
        near.extend(
            container
                .literal_env()
                .into_iter()
                .filter(|(key, _, _)| similar(key))
                .map(|(key, value, line)| found(&object.path, line, key, value.as_str().unwrap_or(""))),
        );
    }
    near
}

fn describe_via(via: &Via) -> String {
    match via {
        Via::Container => "in the Deployment's env".to_owned(),
        Via::ConfigMap(name) => format!("in the ConfigMap {name}"),
        Via::Secret(name) => format!("in the Secret {name}"),
        Via::Dockerfile => "by the Dockerfile's ENV".to_owned(),
        Via::Cluster => "from the cluster".to_owned(),
    }
}

fn why_wrong(value: &str, expected: &str) -> String {
    if value.trim() == expected {
        format!(
            "the spaces around it are part of the value, so Django looks up a host named `{value}`, which does not exist."
        )
    } else if let Some(release_name) = value.strip_suffix("-postgresql") {
        format!(
            "that is the Service of `helm install {}`, but the test procedure runs `helm install {HELM_RELEASE}`, which creates `{expected}`.",
            shown::clip(release_name)
        )
    } else if matches!(value, "localhost" | "127.0.0.1" | "0.0.0.0" | "") {
        format!("in the cluster Postgres is not inside the Django pod: it is the Service `{expected}`.")
    } else {
        format!("the reviewer's `helm install {HELM_RELEASE}` creates the Service `{expected}`.")
    }
}

#[cfg(test)]
mod tests {
    use super::why_wrong;

    #[test]
    fn each_wrong_host_is_explained() {
        let expected = "postgres-postgresql";
        assert!(why_wrong("postgres-postgresql ", expected).starts_with("the spaces around it"));
        assert!(why_wrong("postgres1-postgresql", expected).contains("`helm install postgres1`"));
        assert!(why_wrong("localhost", expected).contains("not inside the Django pod"));
        assert!(why_wrong("db.example.com", expected).contains("creates the Service `postgres-postgresql`"));
    }
}
