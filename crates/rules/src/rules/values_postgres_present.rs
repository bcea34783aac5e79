use crate::finding::{Evidence, Verdict};
use crate::model::{Release, VALUES_PATH};
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// `values-postgres.yaml` is at the root of the release, is valid YAML
    /// and sets the chart's `auth` block (username, password, database).
    ///
    /// ## Why it matters
    /// Requirements 2 and step 6: the reviewer runs `helm install postgres
    /// … --values values-postgres.yaml` from the repository root.
    ///
    /// ## Passes
    /// `values-postgres.yaml` at the root with `auth: {username, password,
    /// database}`.
    ///
    /// ## Fails
    /// No such file; the file only inside `deployment/` (where it also
    /// breaks `kubectl apply -f deployment/`); invalid YAML; no `auth`, or
    /// one of its three keys missing (`auth.user` for `auth.username` is
    /// named: the chart ignores it); only another database's values
    /// (`values-mariadb.yaml`, or a file with MariaDB's `auth.rootPassword`),
    /// which the message names as such.
    ///
    /// ## How to fix
    /// `git mv` the values file to the root, or create it there with the
    /// `auth` settings your Secret uses.
    pub static RULE = Rule {
        title: "values-postgres.yaml is at the root",
        source: "Requirements 2; step 6",
        kind: Kind::Requirement,
        remediation: "Put `values-postgres.yaml`, with the chart's `auth` settings, at the root of the repository.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let values = &release.values;
    if !values.at_root() {
        let mut verdict = Verdict::fail(format!("There is no `{VALUES_PATH}` at the root of the release.")).with(
            Evidence::at(VALUES_PATH, None).found("no such file").expected("the values file for the Postgres chart"),
        );
        if let Some((other, database)) = values.other_charts.first() {
            verdict.message.push_str(&format!(
                " `{other}` is for the {database} chart, from an earlier milestone: this one installs Bitnami's PostgreSQL chart, which reads `auth.username`, `auth.password` and `auth.database`."
            ));
            verdict = verdict
                .with(Evidence::at(other, None).found(format!("values for the {database} chart")).expected(format!("{VALUES_PATH} for the PostgreSQL chart")))
                .fix(format!("Write `{VALUES_PATH}` at the root with `auth.username`, `auth.password` and `auth.database` (the page shows it), commit, and make a new release."));
        } else if let Some(other) = values.elsewhere.first() {
            verdict.message.push_str(&format!(
                " A values file is at `{other}` instead: `helm install` in step 6 runs from the root."
            ));
            verdict = verdict
                .with(Evidence::at(other, None).found("a values file here").expected(VALUES_PATH))
                .fix(format!("Move it: `git mv {other} {VALUES_PATH}`, commit, and make a new release."));
        }
        return verdict;
    }
    if let Some(problem) = values.problem() {
        return Verdict::fail(format!("{}.", crate::finding::capitalise(&problem)))
            .with(Evidence::at(&values.path, values.error_line()).found(problem).expected("valid YAML"));
    }
    let keys: Vec<_> = ["username", "password", "database"].iter().filter_map(|k| values.auth(k)).collect();
    if keys.is_empty() {
        let nested = values.root().and_then(|r| r.path(&["postgresql", "auth"])).map(|n| n.line);
        let mut verdict =
            Verdict::fail(format!("`{VALUES_PATH}` sets none of auth.username, auth.password, auth.database.")).with(
                Evidence::at(VALUES_PATH, None)
                    .found("no auth settings")
                    .expected("auth.username, auth.password, auth.database"),
            );
        if let Some(line) = nested {
            verdict
                .message
                .push_str(" They are under `postgresql:`, which the chart ignores when installed on its own.");
            verdict = verdict
                .with(Evidence::at(VALUES_PATH, Some(line)).found("postgresql.auth").expected("auth at the top level"));
        }
        return verdict
            .fix("Set `auth.username`, `auth.password` and `auth.database` at the top level of the values file.");
    }
    let missing: Vec<&str> =
        ["username", "password", "database"].into_iter().filter(|k| values.auth(k).is_none()).collect();
    if !missing.is_empty() {
        // A misspelled key (`auth.user`) is ignored by the chart, like a missing one.
        let auth_keys: Vec<String> = values
            .root()
            .and_then(|r| r.get("auth"))
            .map(|auth| auth.entries().iter().filter_map(|(k, _)| k.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let named: Vec<String> = missing
            .iter()
            .map(|key| match stand_in(key, &auth_keys) {
                Some(near) => format!("`auth.{key}` (`auth.{near}` is not a setting of the chart)"),
                None => format!("`auth.{key}`"),
            })
            .collect();
        return Verdict::fail(format!("`{VALUES_PATH}` does not set {}.", named.join(", ")))
            .with_all(keys.into_iter().map(|k| k.evidence))
            .with(Evidence::at(VALUES_PATH, None).found(format!("no auth.{}", missing.join(", no auth."))).expected("auth.username, auth.password, auth.database"))
            .fix("Set `auth.username`, `auth.password` and `auth.database`: the chart creates that user and database, and the Secret must match them.");
    }
    Verdict::pass(format!("`{VALUES_PATH}` is at the root and sets the chart's auth settings."))
        .with_all(keys.into_iter().map(|k| k.evidence))
}

/// A key of `auth` written for `key`: a misspelling, or a name other charts
/// and guides use (`user`, `db`, `pass`).
fn stand_in<'a>(key: &str, auth_keys: &'a [String]) -> Option<&'a String> {
    const OTHER_NAMES: [(&str, &[&str]); 3] = [
        ("username", &["user", "login", "userName"]),
        ("password", &["pass", "pwd", "userPassword"]),
        ("database", &["db", "dbName", "name", "databaseName"]),
    ];
    let other = OTHER_NAMES.iter().find(|(k, _)| *k == key).map_or(&[][..], |(_, names)| *names);
    auth_keys
        .iter()
        .find(|k| other.iter().any(|o| o.eq_ignore_ascii_case(k)))
        .or_else(|| super::near_miss::near(key, auth_keys).into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::stand_in;

    #[test]
    fn other_names_for_the_chart_keys_are_recognised() {
        let keys: Vec<String> = ["user", "passwrd", "postgresPassword"].map(str::to_owned).to_vec();
        assert_eq!(stand_in("username", &keys).map(String::as_str), Some("user"));
        assert_eq!(stand_in("password", &keys).map(String::as_str), Some("passwrd"));
        assert_eq!(stand_in("database", &keys), None);
    }
}
