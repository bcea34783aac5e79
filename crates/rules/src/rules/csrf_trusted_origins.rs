use super::{candidates, near_miss};
use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::settings::{Assignment, PyValue, Settings, SettingsState};
use crate::registry::{Kind, declare_rule};
use crate::shown;

const NAME: &str = "CSRF_TRUSTED_ORIGINS";
pub(crate) const REQUIRED: [&str; 3] = ["https://*.cloudshell.dev", "https://*.github.dev", "https://localhost:8000"];

declare_rule! {
    /// ## What it checks
    /// `mysite/mysite/settings.py` (or the release's settings module) sets
    /// `CSRF_TRUSTED_ORIGINS` to a list containing
    /// `https://*.cloudshell.dev`, `https://*.github.dev` and
    /// `https://localhost:8000`.
    ///
    /// ## Why it matters
    /// "Fix the CSRF Setting": without these origins reviewers cannot log
    /// in through Cloud Shell or Codespaces port forwarding.
    ///
    /// ## Passes
    /// The three origins, in any order, with or without others, read as
    /// Django reads them: a wildcard origin by its scheme and host (so
    /// `https://*.github.dev/` counts), any other origin exactly.
    ///
    /// ## Fails
    /// A missing origin; `https://localhost:8000/` (Django compares exact
    /// origins character for character, and browsers send no `/`); a
    /// misspelled name such as `CSRF_TRISTED_ORIGINS` (Django silently
    /// ignores it); no settings file. The starter's `http://localhost:8000`
    /// in place of `https://localhost:8000` warns.
    ///
    /// ## How to fix
    /// Overwrite the existing setting with the page's three origins and
    /// rebuild the container image.
    pub static RULE = Rule {
        title: "CSRF_TRUSTED_ORIGINS has the three origins",
        source: "Fix the CSRF Setting; step 2",
        kind: Kind::Requirement,
        remediation: "Set CSRF_TRUSTED_ORIGINS = ['https://*.cloudshell.dev', 'https://*.github.dev', 'https://localhost:8000'] in settings.py and rebuild the image.",
        check: check,
    };
}

fn expected() -> String {
    format!("[{}]", REQUIRED.iter().map(|o| format!("'{o}'")).collect::<Vec<_>>().join(", "))
}

/// The verdict when the settings module is missing or unreadable.
pub(crate) fn settings_unavailable(release: &Release<'_>, what: &str) -> Option<Verdict> {
    let Some(settings) = &release.settings else {
        return Some(
            Verdict::fail(format!("No Django settings.py was found, so {what} cannot be checked.")).with(
                Evidence::at("mysite/mysite/settings.py", None)
                    .found("no such file")
                    .expected("the Django settings module"),
            ),
        );
    };
    match &settings.state {
        SettingsState::Unreadable(reason) => Some(
            Verdict::fail(format!("`{}` could not be read ({reason}).", settings.path))
                .with(Evidence::at(&settings.path, None).found(reason.clone())),
        ),
        SettingsState::Parsed => None,
    }
}

fn check(release: &Release<'_>) -> Verdict {
    if let Some(verdict) = settings_unavailable(release, NAME) {
        return verdict;
    }
    let Some(settings) = &release.settings else { return Verdict::manual("No settings module.") };
    let candidates = settings.candidates(NAME);
    if candidates.is_empty() {
        return not_set(settings);
    }
    if let Some(verdict) = candidates::too_many(settings, NAME, &candidates) {
        return verdict;
    }
    let verdicts: Vec<Verdict> = candidates.iter().map(|a| judge(settings, a)).collect();
    if candidates.len() > 1 && verdicts.iter().any(|v| v.status != verdicts.first().map_or(v.status, |f| f.status)) {
        return Verdict::manual(format!(
            "{NAME} is set differently depending on a condition the files cannot decide (lines {}).",
            candidates::lines(&candidates)
        ))
        .with_all(verdicts.into_iter().flat_map(|v| v.evidence));
    }
    verdicts.into_iter().last().unwrap_or_else(|| not_set(settings))
}

fn not_set(settings: &Settings) -> Verdict {
    let near = near_miss::near(NAME, settings.names.keys());
    if let Some(misspelled) = near.first() {
        let at = settings.get(misspelled).map_or_else(|| Evidence::at(&settings.path, None), |a| settings.evidence(a));
        return Verdict::fail(format!(
            "`{misspelled}` is a misspelling of {NAME}: Django ignores it, so no origin is trusted."
        ))
        .with(at.found(format!("{misspelled} = ...")).expected(format!("{NAME} = {}", expected())))
        .fix(format!("Rename `{misspelled}` to `{NAME}` and give it the page's three origins."));
    }
    Verdict::fail(format!("{NAME} is not set in {}.", settings.described())).with(
        Evidence::at(&settings.path, None).found(format!("no {NAME}")).expected(format!("{NAME} = {}", expected())),
    )
}

fn judge(settings: &Settings, assignment: &Assignment) -> Verdict {
    let found = assignment.value.render();
    let evidence: Vec<Evidence> =
        std::iter::once(settings.evidence(assignment).found(format!("{NAME} = {found}")).expected(expected()))
            .chain(assignment.chain.iter().cloned())
            .collect();
    let items = match &assignment.value {
        PyValue::List(items) => items,
        PyValue::Unknown(why) => {
            return Verdict::manual(format!("{NAME} is computed from {why}: check its value by hand."))
                .with_all(evidence);
        }
        other => {
            return Verdict::fail(format!("{NAME} must be a list, but it is {}.", shown::clip(&other.render())))
                .with_all(evidence);
        }
    };
    if let Some((PyValue::Unknown(why), _)) = items.iter().find(|(v, _)| matches!(v, PyValue::Unknown(_))) {
        return Verdict::manual(format!("An item of {NAME} is computed from {why}: check it by hand."))
            .with_all(evidence);
    }
    let origins: Vec<&str> = items.iter().filter_map(|(v, _)| v.as_str()).collect();
    let missing: Vec<&str> =
        REQUIRED.iter().copied().filter(|r| !origins.iter().any(|origin| trusts(origin, r))).collect();
    let conditional = if assignment.conditional { " (inside a condition)" } else { "" };
    match missing.as_slice() {
        [] => Verdict::pass(format!("{NAME} trusts the three origins the page asks for{conditional}.")).with_all(evidence),
        ["https://localhost:8000"] if origins.contains(&"http://localhost:8000") => Verdict::warn(
            "CSRF_TRUSTED_ORIGINS has `http://localhost:8000` (the starter's) where the page asks for `https://localhost:8000`. Port forwarding serves plain http, so login works locally, but the setting differs from the page.",
        )
        .with_all(evidence)
        .fix("Use the page's `https://localhost:8000`, or keep both."),
        _ => {
            let lacks: Vec<String> = missing
                .iter()
                .map(|m| match origins.iter().find(|o| o.trim_end_matches('/') == *m) {
                    Some(near) => format!("`{m}` (`{near}` has a trailing `/`: Django compares such an origin exactly, and browsers send none)"),
                    None => format!("`{m}`"),
                })
                .collect();
            Verdict::fail(format!("{NAME} lacks {}.", lacks.join(", "))).with_all(evidence)
        }
    }
}

/// Whether Django trusts `required` because of the listed `origin`. Its
/// CSRF middleware splits an origin with `*` into scheme and host (the path
/// is dropped) and compares any other origin as written.
fn trusts(origin: &str, required: &str) -> bool {
    if required.contains('*') {
        origin.contains('*')
            && scheme_and_host(origin).is_some()
            && scheme_and_host(origin) == scheme_and_host(required)
    } else {
        origin == required
    }
}

/// `("https", "*.github.dev")` of `https://*.github.dev/`, lowercase.
fn scheme_and_host(url: &str) -> Option<(String, String)> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    Some((scheme.to_ascii_lowercase(), host.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::trusts;

    #[test]
    fn origins_are_read_as_django_reads_them() {
        assert!(trusts("https://*.github.dev", "https://*.github.dev"));
        assert!(trusts("https://*.github.dev/", "https://*.github.dev"));
        assert!(trusts("HTTPS://*.GitHub.dev", "https://*.github.dev"));
        assert!(!trusts("http://*.github.dev", "https://*.github.dev"));
        assert!(!trusts("https://x.github.dev", "https://*.github.dev"));
        assert!(trusts("https://localhost:8000", "https://localhost:8000"));
        assert!(!trusts("https://localhost:8000/", "https://localhost:8000"));
        assert!(!trusts("localhost:8000", "https://localhost:8000"));
    }
}
