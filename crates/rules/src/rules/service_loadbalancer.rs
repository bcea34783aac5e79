use crate::finding::{Evidence, Verdict};
use crate::model::k8s::{service_selector, service_type};
use crate::model::{Object, Release, Text, text};
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// A Service of `type: LoadBalancer` whose selector matches the labels
    /// of the Django Deployment's pod template.
    ///
    /// ## Why it matters
    /// Requirements 4: "A Service definition for Django with type
    /// LoadBalancer". A Service whose selector matches no pod has no
    /// endpoints, so the port forward of step 9 fails.
    ///
    /// ## Passes
    /// `type: LoadBalancer`, `selector: {app: mysite}` and pods labelled
    /// `app: mysite`.
    ///
    /// ## Fails
    /// No Service; `type` unset (ClusterIP) or commented out; `NodePort`; a
    /// selector that matches no Django pod.
    ///
    /// ## How to fix
    /// Set `spec.type: LoadBalancer` and copy the pod template's labels
    /// into `spec.selector`.
    pub static RULE = Rule {
        title: "A LoadBalancer Service selects the Django pods",
        source: "Requirements 4; step 9",
        kind: Kind::Requirement,
        remediation: "Give the Django Service `type: LoadBalancer` and a selector equal to the Django pod template's labels.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let services: Vec<&Object> = release.applied_of_kind("Service").collect();
    let django = release.django_object();
    let labels = django.map(Object::template_labels).unwrap_or_default();
    let labels_text = render(&labels);
    let load_balancers: Vec<&&Object> = services.iter().filter(|s| service_type(s).0 == "LoadBalancer").collect();
    let django_labels = release.django_labels();
    if let Some(service) = load_balancers.iter().find(|s| django_labels.selected_by(&service_selector(s))) {
        return Verdict::pass(format!(
            "{} is a LoadBalancer selecting the Django pods ({}).",
            service.display(),
            render(&service_selector(service))
        ))
        .with(type_evidence(service));
    }
    if services.is_empty() {
        let mut verdict = Verdict::fail("No Service is defined in the manifests.");
        let file = release.manifest_path("service.yaml");
        if let Some((problem, line)) = release.manifest_problem(&file) {
            verdict.message = format!("No Service kubectl would accept: `{file}` {problem}.");
            verdict = verdict.with(Evidence::at(&file, line).found(problem).expected("a Service of type LoadBalancer"));
        }
        verdict = verdict.with_all(release.rejected_evidence(Some("Service")));
        return verdict;
    }
    if let Some(service) = load_balancers.first() {
        let selector = service_selector(service);
        let line = service.root.path(&["spec", "selector"]).map_or(service.line, |n| n.line);
        let mut verdict = Verdict::fail(match django {
            Some(_) => format!(
                "{} is a LoadBalancer, but its selector {} matches no Django pod (labels {labels_text}): it has no endpoints.",
                service.display(),
                render(&selector)
            ),
            None => format!("{} is a LoadBalancer, but no Django Deployment exists for it to select.", service.display()),
        })
        .with(Evidence::at(&service.path, Some(line)).found(format!("selector {}", render(&selector))).expected(if labels.is_empty() {
            "a selector matching the Django pod template's labels".to_owned()
        } else {
            format!("selector matching {labels_text}")
        }));
        if let Some(object) = django {
            let labels_line =
                object.root.path(&["spec", "template", "metadata", "labels"]).map_or(object.line, |n| n.line);
            verdict =
                verdict.with(Evidence::at(&object.path, Some(labels_line)).found(format!("pod labels {labels_text}")));
        }
        return verdict.fix("Make the Service's `spec.selector` equal to the Django pod template's labels.");
    }
    // Services exist but none is a LoadBalancer: show the one for Django.
    let service =
        services.iter().find(|s| django_labels.selected_by(&service_selector(s))).or(services.first()).copied();
    let Some(service) = service else { return Verdict::fail("No Service is defined in the manifests.") };
    let (kind, line) = service_type(service);
    let mut verdict = Verdict::fail(match line {
        Some(_) => format!("{} has `type: {kind}`, not LoadBalancer.", service.display()),
        None => format!("{} sets no `type`, so it is a ClusterIP Service, not a LoadBalancer.", service.display()),
    })
    .with(
        Evidence::at(&service.path, line.or_else(|| spec_line(service)))
            .found(format!("type: {kind}"))
            .expected("type: LoadBalancer"),
    );
    if let Some(commented) = commented_type(release, service) {
        verdict.message.push_str(&format!(" The `type:` line at line {commented} is commented out."));
        verdict = verdict.with(
            Evidence::at(&service.path, Some(commented))
                .found("a commented-out type line")
                .expected("type: LoadBalancer"),
        );
    }
    verdict.fix(format!("In {}, set `spec.type: LoadBalancer`.", service.path))
}

/// The line of `spec:`, where a missing `type:` belongs.
fn spec_line(service: &Object) -> Option<u32> {
    Some(service.root.key_node("spec").map_or(service.line, |k| k.line))
}

fn type_evidence(service: &Object) -> Evidence {
    let (kind, line) = service_type(service);
    Evidence::at(&service.path, line.or(Some(service.line)))
        .found(format!("type: {kind}, selector {}", render(&service_selector(service))))
}

/// The line of a `# type: LoadBalancer` comment in the Service's file.
fn commented_type(release: &Release<'_>, service: &Object) -> Option<u32> {
    let Text::Ok(source) = text(release.snapshot, &service.path) else { return None };
    source.lines().enumerate().find_map(|(index, line)| {
        let code = line.trim_start().strip_prefix('#')?.trim();
        (code.starts_with("type:") && code.contains("LoadBalancer"))
            .then(|| u32::try_from(index + 1).unwrap_or(u32::MAX))
    })
}

fn render(pairs: &[(String, String)]) -> String {
    if pairs.is_empty() {
        return "{}".to_owned();
    }
    format!("{{{}}}", pairs.iter().map(|(k, v)| format!("{k}: {v}")).collect::<Vec<_>>().join(", "))
}
