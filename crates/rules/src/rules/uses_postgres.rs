use super::candidates;
use super::csrf_trusted_origins::settings_unavailable;
use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::settings::{Assignment, PyValue};
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Django's `DATABASES['default']['ENGINE']` is PostgreSQL
    /// (`django.db.backends.postgresql`, `postgresql_psycopg2` or PostGIS),
    /// following environment variables to where the release sets them, and
    /// that `HOST` is not hard-wired to this machine.
    ///
    /// ## Why it matters
    /// Requirements 5: "Your application uses the Postgres database". With
    /// SQLite each replica has its own database and data is lost on restart.
    ///
    /// ## Passes
    /// `'ENGINE': 'django.db.backends.postgresql'`, or
    /// `os.environ['DB_ENGINE']` where the ConfigMap sets that engine.
    ///
    /// ## Fails
    /// `sqlite3` or `mysql`; no `DATABASES`; `HOST: 'localhost'`. An engine
    /// from a variable the release does not set, or chosen by a condition
    /// the files cannot decide, is manual.
    ///
    /// ## How to fix
    /// Set the engine to `django.db.backends.postgresql` and read `HOST`,
    /// `NAME`, `USER` and `PASSWORD` from the `POSTGRES_*` variables.
    pub static RULE = Rule {
        title: "Django uses PostgreSQL",
        source: "Requirements 5",
        kind: Kind::Requirement,
        remediation: "Set DATABASES['default']['ENGINE'] to 'django.db.backends.postgresql' with HOST, NAME, USER and PASSWORD from the POSTGRES_* variables.",
        check: check,
    };
}

enum Engine {
    Postgres(String),
    Other(String),
    Unknown(String),
}

fn engine_of(value: &PyValue) -> Engine {
    let Some((default, _)) = value.get("default") else {
        return match value {
            PyValue::Unknown(why) => Engine::Unknown(why.clone()),
            _ => Engine::Other("no 'default' database".to_owned()),
        };
    };
    match default.get("ENGINE").map(|(e, _)| e) {
        Some(PyValue::Str(engine)) if engine.contains("postgresql") || engine.contains("postgis") => {
            Engine::Postgres(engine.to_string())
        }
        Some(PyValue::Str(engine)) => Engine::Other(engine.to_string()),
        Some(PyValue::Unknown(why)) => Engine::Unknown(why.clone()),
        Some(other) => Engine::Other(other.render()),
        None => match default {
            PyValue::Unknown(why) => Engine::Unknown(why.clone()),
            _ => Engine::Other("no ENGINE".to_owned()),
        },
    }
}

fn check(release: &Release<'_>) -> Verdict {
    if let Some(verdict) = settings_unavailable(release, "the database engine") {
        return verdict;
    }
    let Some(settings) = &release.settings else { return Verdict::manual("No settings module.") };
    let candidates = settings.candidates("DATABASES");
    let Some(last) = candidates.last() else {
        return Verdict::fail(format!("DATABASES is not set in {}.", settings.described())).with(
            Evidence::at(&settings.path, None).found("no DATABASES").expected("a PostgreSQL 'default' database"),
        );
    };
    if let Some(verdict) = candidates::too_many(settings, "DATABASES", &candidates) {
        return verdict;
    }
    let evidence = |a: &Assignment| -> Vec<Evidence> {
        let engine = match engine_of(&a.value) {
            Engine::Postgres(e) | Engine::Other(e) => e,
            Engine::Unknown(why) => format!("<{why}>"),
        };
        std::iter::once(
            settings
                .evidence(a)
                .found(format!("ENGINE: {engine}"))
                .expected("a PostgreSQL engine (django.db.backends.postgresql)"),
        )
        .chain(settings.chosen_by.iter().cloned())
        .chain(a.chain.iter().cloned())
        .collect()
    };
    let engines: Vec<Engine> = candidates.iter().map(|a| engine_of(&a.value)).collect();
    let all_evidence: Vec<Evidence> = candidates.iter().flat_map(|a| evidence(a)).collect();
    if engines.iter().all(|e| matches!(e, Engine::Postgres(_))) {
        if let Some(verdict) = local_host(last) {
            return verdict;
        }
        let engine = match engines.last() {
            Some(Engine::Postgres(e)) => e.clone(),
            _ => String::new(),
        };
        return Verdict::pass(format!("The default database engine is {}.", shown::clip(&engine)))
            .with_all(all_evidence);
    }
    if let Some(Engine::Unknown(why)) = engines.iter().find(|e| matches!(e, Engine::Unknown(_))) {
        return Verdict::manual(format!(
            "The database engine comes from {why}: check which engine the running app uses."
        ))
        .with_all(all_evidence);
    }
    if candidates.len() > 1 {
        return Verdict::manual(format!(
            "DATABASES is set differently depending on a condition the files cannot decide (lines {}); one choice is not PostgreSQL.",
            candidates::lines(&candidates)
        ))
        .with_all(all_evidence);
    }
    let found = match engines.last() {
        Some(Engine::Other(e)) => e.clone(),
        _ => "?".to_owned(),
    };
    Verdict::fail(format!("The default database is `{}`, not PostgreSQL.", shown::clip(&found))).with_all(all_evidence)
}

/// `HOST: 'localhost'` in the cluster points Django at its own pod.
fn local_host(assignment: &Assignment) -> Option<Verdict> {
    let (default, _) = assignment.value.get("default")?;
    let (host, line) = default.get("HOST")?;
    let host = host.as_str()?;
    matches!(host, "localhost" | "127.0.0.1").then(|| {
        Verdict::fail(format!("The engine is PostgreSQL, but HOST is `{host}`: in the cluster Postgres is the Service `postgres-postgresql`, not the Django pod."))
            .with(Evidence::at(&assignment.path, Some(line)).found(format!("HOST: '{host}'")).expected("os.environ['POSTGRES_HOSTNAME']"))
            .fix("Read HOST from the POSTGRES_HOSTNAME variable of the ConfigMap.")
    })
}
