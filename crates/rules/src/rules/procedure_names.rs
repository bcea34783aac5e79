use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::procedure::{ClusterNames, PAGE_DEPLOYMENT, PAGE_SERVICE, PAGE_SERVICE_PORT};
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// Whether the names the test procedure types (`deployment.apps/mysite-deployment`,
    /// `svc/mysite-svc` port 80, `values-postgres.yaml`, `deployment/`)
    /// are this release's names. Different names are not a failure: the
    /// cluster steps are printed with the release's own names.
    ///
    /// ## Why it matters
    /// Steps 6 to 9 copy-pasted from the page fail with "not found" when the
    /// Deployment is `django` and the Service `django-svc`.
    ///
    /// ## Passes
    /// The page's names.
    ///
    /// ## Fails
    /// Never; other names warn and the adapted commands are shown.
    ///
    /// ## How to fix
    /// Nothing to fix: use the adapted commands (or rename to the page's).
    pub static RULE = Rule {
        title: "Names match the page's test procedure",
        source: "Test Procedure, steps 6-9",
        kind: Kind::Deeper,
        remediation: "Use the adapted commands shown in the cluster steps.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let names = ClusterNames::discover(release);
    let mut differences = Vec::new();
    let mut evidence = Vec::new();
    if let (Some(name), Some(object)) = (&names.deployment, release.django_object())
        && name != PAGE_DEPLOYMENT
    {
        differences.push(format!("the Deployment is `{name}`"));
        evidence.push(
            Evidence::at(&object.path, Some(object.line))
                .found(format!("Deployment {name}"))
                .expected(format!("the page's {PAGE_DEPLOYMENT}")),
        );
    }
    let port = names.port_or_page();
    if let (Some(name), Some(service)) = (&names.service, release.django_service())
        && (name != PAGE_SERVICE || port != PAGE_SERVICE_PORT)
    {
        differences.push(format!("the Service is `{name}` on port {port}"));
        evidence.push(
            Evidence::at(&service.path, Some(service.line))
                .found(format!("Service {name} port {port}"))
                .expected(format!("the page's {PAGE_SERVICE} port {PAGE_SERVICE_PORT}")),
        );
    }
    if names.manifest_dir != crate::model::MANIFEST_DIR {
        differences.push(format!("the manifests are in `{}/`", names.manifest_dir));
        evidence.push(
            Evidence::at(format!("{}/", names.manifest_dir), None).found("the manifests").expected("deployment/"),
        );
    }
    if names.values_path != crate::model::VALUES_PATH {
        differences.push(format!("the values file is `{}`", names.values_path));
        evidence.push(
            Evidence::at(&names.values_path, None).found("the Postgres values").expected(crate::model::VALUES_PATH),
        );
    }
    if differences.is_empty() {
        if names.deployment.is_none() || names.service.is_none() {
            return Verdict::manual(
                "The Django Deployment or Service was not found, so the page's names are shown in the cluster steps.",
            );
        }
        return Verdict::pass("The page's commands work as written.");
    }
    Verdict::warn(format!(
        "The page's commands need this release's names: {}. The cluster steps below use them.",
        differences.join(", ")
    ))
    .with_all(evidence)
}
