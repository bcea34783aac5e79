use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::model::k8s::probe_host_header;
use crate::model::settings::PyValue;
use crate::registry::{Kind, declare_rule};
use crate::shown;

declare_rule! {
    /// ## What it checks
    /// Django's `ALLOWED_HOSTS` accepts the `Host` headers the review
    /// sends: `localhost` (the port forward of step 9) and each `httpGet`
    /// probe's `Host` header, or the pod's IP address when the probe sets
    /// none.
    ///
    /// ## Why it matters
    /// Django answers 400 Bad Request to a host it does not allow. A probe
    /// that gets 400 fails, so Kubernetes restarts the pod again and again;
    /// a port forward that gets 400 shows an error page.
    ///
    /// ## Passes
    /// `ALLOWED_HOSTS = ['*']`; or `['localhost']` with a probe sending
    /// `Host: localhost`.
    ///
    /// ## Fails
    /// `['localhost']` with a probe that sends no `Host` header (the pod IP
    /// is not allowed); `['mysite.example.com']` only.
    ///
    /// ## How to fix
    /// Add `httpHeaders: [{name: Host, value: localhost}]` to the probe, and
    /// `localhost` to `ALLOWED_HOSTS` (or allow `*` for the review).
    pub static RULE = Rule {
        title: "ALLOWED_HOSTS lets the probe and port forward in",
        source: "Requirements 1.2; step 9",
        kind: Kind::Deeper,
        remediation: "Send `Host: localhost` from the probe and include 'localhost' in ALLOWED_HOSTS.",
        check: check,
    };
}

/// Django's `validate_host` for one pattern.
fn allows(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    pattern == "*"
        || pattern == host
        || pattern.strip_prefix('.').is_some_and(|domain| host == domain || host.ends_with(&pattern))
}

fn check(release: &Release<'_>) -> Verdict {
    let Some(settings) = &release.settings else {
        return Verdict::manual("No settings module, so ALLOWED_HOSTS cannot be read.");
    };
    let Some(assignment) = settings.candidates("ALLOWED_HOSTS").last().copied() else {
        return Verdict::manual(
            "ALLOWED_HOSTS is not set; with DEBUG off Django then refuses every host: check the running app.",
        );
    };
    let found = shown::clip_owned(assignment.value.render());
    let mut evidence = vec![settings.evidence(assignment).found(format!("ALLOWED_HOSTS = {found}"))];
    evidence.extend(assignment.chain.iter().cloned());
    let patterns: Vec<String> = match &assignment.value {
        PyValue::List(items) if items.iter().all(|(v, _)| v.as_str().is_some()) => {
            items.iter().filter_map(|(v, _)| v.as_str().map(str::to_owned)).collect()
        }
        PyValue::Unknown(why) => {
            return Verdict::manual(format!("ALLOWED_HOSTS comes from {why}: check it by hand.")).with_all(evidence);
        }
        _ => {
            return Verdict::manual(format!("ALLOWED_HOSTS is {found}: check it by hand.")).with_all(evidence);
        }
    };
    let patterns = if patterns.is_empty() {
        match settings.get("DEBUG").map(|d| &d.value) {
            Some(PyValue::Bool(true)) => vec![".localhost".to_owned(), "127.0.0.1".to_owned(), "[::1]".to_owned()],
            Some(PyValue::Bool(false)) | None => Vec::new(),
            Some(_) => {
                return Verdict::manual("ALLOWED_HOSTS is empty and DEBUG cannot be decided from the files.")
                    .with_all(evidence);
            }
        }
    } else {
        patterns
    };
    let mut refused = Vec::new();
    if !patterns.iter().any(|p| allows(p, "localhost")) {
        refused.push("`localhost`, which the port forward of step 9 sends".to_owned());
    }
    if let (Some(object), Some(container)) = (release.django_object(), release.django_container()) {
        for (kind, probe) in container.probes() {
            if probe.get("httpGet").is_none() {
                continue;
            }
            let (host, line) = match probe_host_header(probe) {
                Some((host, line)) => (host.split(':').next().unwrap_or("").to_owned(), line),
                None => ("<pod IP>".to_owned(), probe.line),
            };
            let allowed = if host == "<pod IP>" {
                patterns.iter().any(|p| p == "*")
            } else {
                patterns.iter().any(|p| allows(p, &host))
            };
            evidence.push(
                Evidence::at(&object.path, Some(line))
                    .found(format!("{kind} sends Host: {host}"))
                    .expected(format!("a host allowed by {found}")),
            );
            if !allowed {
                refused.push(if host == "<pod IP>" {
                    format!("the pod's IP address, which the {kind} sends without a Host header")
                } else {
                    format!("`{host}`, which the {kind} sends")
                });
            }
        }
    }
    if refused.is_empty() {
        Verdict::pass(format!("ALLOWED_HOSTS {found} accepts the port forward and the probes.")).with_all(evidence)
    } else {
        Verdict::fail(format!(
            "ALLOWED_HOSTS {found} refuses {}: Django answers 400 Bad Request.",
            refused.join(" and ")
        ))
        .with_all(evidence)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn matches_like_django() {
        assert!(super::allows("*", "10.1.2.3"));
        assert!(super::allows(".localhost", "localhost"));
        assert!(super::allows(".example.com", "www.example.com"));
        assert!(super::allows("LOCALHOST", "localhost"));
        assert!(!super::allows("localhost", "10.1.2.3"));
    }
}
