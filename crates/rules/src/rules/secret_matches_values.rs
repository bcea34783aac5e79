use crate::finding::{Evidence, Verdict};
use crate::model::env::{self, Via, config_map_value, secret_value};
use crate::model::values::CREDENTIALS;
use crate::model::{Object, Release, VALUES_PATH};
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The Secret in `deployment/secret.yaml` agrees with the chart's values:
    /// `POSTGRES_USER` = `auth.username`, `POSTGRES_PASSWORD` =
    /// `auth.password`, `POSTGRES_DB` = `auth.database` (`POSTGRES_DB` may be
    /// in the ConfigMap instead). `stringData` and base64 `data` are both
    /// read.
    ///
    /// ## Why it matters
    /// Step 4 of the test procedure. The chart creates that user, password
    /// and database; Django logs in with the Secret's values. The page's
    /// table pairs user with password by mistake: user goes with username.
    ///
    /// ## Passes
    /// All three equal, wherever the chart reads them
    /// (`global.postgresql.auth` wins over `auth`).
    ///
    /// ## Fails
    /// Any one differs or is missing; `POSTGRES_PASSWORD` set to
    /// `auth.postgresPassword` (the admin password, not the app user's);
    /// `secret.yaml` that is not valid YAML, or a Secret kubectl rejects;
    /// no values file. Base64 made with `echo VALUE | base64` carries echo's
    /// newline: the message says so and how to encode. A password
    /// written in plain text in the Deployment's `env` (`DB_PASSWORD`) is
    /// named too: it belongs in the Secret.
    ///
    /// ## How to fix
    /// Make the Secret's three values equal the values file's
    /// `auth.username`, `auth.password` and `auth.database`.
    pub static RULE = Rule {
        title: "The Secret matches the Postgres values",
        source: "Test Procedure, step 4",
        kind: Kind::Requirement,
        remediation: "Make POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB equal auth.username, auth.password and auth.database of values-postgres.yaml.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let secret_file = release.manifest_path("secret.yaml");
    if let Some((problem, line)) = release.manifest_problem(&secret_file) {
        return Verdict::fail(format!(
            "`{secret_file}` {problem}, so its Secret is not created and cannot match the values."
        ))
        .with(Evidence::at(&secret_file, line).found(problem).expected("a valid Secret"))
        .fix(format!(
            "Fix `{secret_file}` so that it is valid YAML (spaces, not tabs), then compare it with {VALUES_PATH}."
        ));
    }
    if let Some(problem) = release.values.problem() {
        let verdict = Verdict::fail(format!("Nothing to compare the Secret with: {problem}.")).with(
            Evidence::at(&release.values.path, release.values.error_line())
                .found(problem)
                .expected("auth.username, auth.password, auth.database"),
        );
        return with_inline_passwords(verdict, release);
    }
    let mut secrets: Vec<&Object> = release.applied_of_kind("Secret").collect();
    // A Secret kubectl rejects sets nothing, whatever it says.
    let rejected = release.objects.iter().find(|o| o.kind == "Secret").and_then(|o| o.defect.as_ref().map(|d| (o, d)));
    if let (true, Some((secret, defect))) = (secrets.is_empty(), rejected) {
        let verdict = Verdict::fail(format!(
            "{} is rejected by kubectl ({}, line {}), so no Secret is created and Django gets none of POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB.",
            secret.display(),
            defect.message,
            defect.line
        ))
        .with(
            Evidence::at(&secret.path, Some(defect.line))
                .column(defect.column)
                .found(defect.message.clone())
                .expected(defect.expected.clone()),
        )
        .fix(format!(
            "Fix line {} of `{}` so kubectl accepts the Secret, then compare it with {}.",
            defect.line, secret.path, release.values.path
        ));
        return with_inline_passwords(verdict, release);
    }
    crate::order::sort_by_key(&mut secrets, |o| o.path != secret_file);
    let config_maps: Vec<&Object> = release.applied_of_kind("ConfigMap").collect();
    let admin = release.values.auth("postgresPassword");

    let mut evidence = Vec::new();
    let mut wrong = Vec::new();
    // `echo mysite | base64` encodes "mysite\n": the commonest wrong value.
    let mut echo_newline = false;
    // A `|` block under `stringData` keeps its last newline too.
    let mut block_newline = false;
    let mut outside_secret = Vec::new();
    for (var, key) in CREDENTIALS {
        let expected = release.values.auth(key);
        let in_secret = secrets.iter().find_map(|s| secret_value(s, var));
        let in_config = config_maps.iter().find_map(|c| config_map_value(c, var));
        let found = match (in_secret, in_config) {
            (Some(found), _) => Some(found),
            (None, Some(found)) => {
                if var != "POSTGRES_DB" {
                    outside_secret.push(var);
                }
                Some(found)
            }
            (None, None) => None,
        };
        let Some(expected) = expected else {
            wrong.push(format!("{} sets no auth.{key}", release.values.path));
            if let Some((_, found_evidence)) = found {
                evidence.push(found_evidence.expected(format!("auth.{key} in {}", release.values.path)));
            }
            continue;
        };
        match found {
            None => {
                // The image's ENV is a default baked into the Dockerfile, not the Secret the page checks.
                let in_image = env::resolve(release, var).filter(|b| b.via == Via::Dockerfile);
                wrong.push(match &in_image {
                    Some(_) => format!("{var} is only in the Dockerfile's ENV, which does not count"),
                    None => format!("{var} is not set in any Secret"),
                });
                evidence.push(
                    Evidence::at(&secret_file, None)
                        .found(format!("no {var}"))
                        .expected(format!("{var}: {} (auth.{key})", expected.value)),
                );
                evidence.extend(in_image.into_iter().flat_map(|b| b.chain));
                evidence.push(expected.evidence);
            }
            Some((value, found_evidence)) if value != expected.value => {
                let admin_mixup = var == "POSTGRES_PASSWORD" && admin.as_ref().is_some_and(|a| a.value == value);
                let newline = value.trim_end_matches(['\n', '\r']) == expected.value;
                let spaced = !newline && value.trim() == expected.value;
                let from_block = found_evidence.found.as_deref().is_some_and(|f| f.starts_with("stringData."));
                echo_newline |= newline && !from_block;
                block_newline |= newline && from_block;
                wrong.push(if admin_mixup {
                    format!("{var} is auth.postgresPassword, the admin password; the app logs in as auth.username, whose password is auth.password")
                } else if newline {
                    format!("{var} is `{}` plus a newline", expected.value)
                } else if spaced {
                    format!("{var} is `{}` with spaces around it, which are part of the value", expected.value)
                } else {
                    format!("{var} is `{value}` but auth.{key} is `{}`", expected.value)
                });
                evidence.push(found_evidence.expected(format!("{var}: {} (auth.{key})", expected.value)));
                evidence.push(expected.evidence);
                if let (true, Some(admin)) = (admin_mixup, &admin) {
                    evidence.push(admin.evidence.clone());
                }
            }
            Some((_, found_evidence)) => {
                evidence.push(found_evidence.expected(format!("auth.{key}")));
                evidence.push(expected.evidence);
            }
        }
    }
    if !wrong.is_empty() {
        let cause = match (echo_newline, block_newline) {
            (true, _) => " (`echo VALUE | base64` encodes echo's newline too)",
            (false, true) => " (a `|` block keeps its last newline: write `|-`, or the value on the key's own line)",
            (false, false) => "",
        };
        let mut verdict =
            Verdict::fail(format!("The Secret does not match {}: {}{cause}.", release.values.path, wrong.join("; ")))
                .with_all(evidence);
        if secrets.is_empty() {
            verdict.message = format!("No Secret is defined. {}", verdict.message);
        }
        if echo_newline {
            verdict = verdict.fix(
                "Encode each value with `echo -n VALUE | base64` (without -n, echo adds a newline that becomes part of the password), or put the plain values under `stringData:`.",
            );
        }
        return with_inline_passwords(verdict, release);
    }
    if !outside_secret.is_empty() {
        return Verdict::warn(format!(
            "The values match, but {} is in a ConfigMap rather than the Secret the page checks.",
            outside_secret.join(" and ")
        ))
        .with_all(evidence)
        .fix(format!("Move {} into the Secret of `{secret_file}`.", outside_secret.join(" and ")));
    }
    Verdict::pass(format!("POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB match {}.", release.values.path))
        .with_all(evidence)
}

/// Adds the passwords the Django container's `env` writes in plain text
/// (`DB_PASSWORD: hunter2` from an earlier milestone): the page keeps them
/// in a Secret, which is where this rule looks.
fn with_inline_passwords(mut verdict: Verdict, release: &Release<'_>) -> Verdict {
    let (Some(object), Some(container)) = (release.django_object(), release.django_container()) else {
        return verdict;
    };
    let inline: Vec<(&str, u32)> = container
        .literal_env()
        .into_iter()
        .filter(|(name, _, _)| name.to_ascii_uppercase().contains("PASSWORD"))
        .map(|(name, _, line)| (name, line))
        .collect();
    if inline.is_empty() {
        return verdict;
    }
    let names: Vec<String> = inline.iter().map(|(name, _)| format!("`{name}`")).collect();
    verdict.message.push_str(&format!(
        " The Deployment writes {} in plain text in its env: a password belongs in the Secret.",
        names.join(", ")
    ));
    verdict.with_all(inline.into_iter().map(|(name, line)| {
        Evidence::at(&object.path, Some(line))
            .found(format!("env {name} with a value"))
            .expected("the password in the Secret, loaded with envFrom")
    }))
}
