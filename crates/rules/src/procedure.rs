//! The test procedure of the course page (steps 5 to 10), with the names of
//! this release: the values file, the Deployment, the Service and its port.

pub use m13_types::Step;
use serde::Serialize;

use crate::model::{Release, VALUES_PATH, env};

/// The page's own names, used when the release has none to offer.
pub const PAGE_DEPLOYMENT: &str = "mysite-deployment";
pub const PAGE_SERVICE: &str = "mysite-svc";
pub const PAGE_SERVICE_PORT: u16 = 80;
/// The Helm release name the page installs; the chart names its Service
/// `<release>-postgresql`.
pub const HELM_RELEASE: &str = "postgres";

/// The host the chart's Service gets from the page's `helm install postgres`.
pub fn expected_host() -> String {
    format!("{HELM_RELEASE}-postgresql")
}
pub const CHART: &str = "oci://registry-1.docker.io/bitnamicharts/postgresql";
/// The local port the page forwards.
pub const LOCAL_PORT: u16 = 8000;

/// Names found in the release that the cluster steps use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClusterNames {
    /// The values file `helm install` should read.
    pub values_path: String,
    /// No values file for the Postgres chart anywhere in the release: step 6
    /// cannot succeed as released.
    pub values_missing: bool,
    pub manifest_dir: String,
    pub deployment: Option<String>,
    pub service: Option<String>,
    pub service_port: Option<u16>,
    pub student_name: Option<String>,
    pub site_name: Option<String>,
    /// Where the container runs `manage.py migrate` by itself when it
    /// starts (`start.sh:3`): step 8's `migrate` then finds nothing to do.
    pub migrates_on_start: Option<String>,
}

/// Whether a start command runs `manage.py migrate` (not `makemigrations`).
fn runs_migrate(command: &str) -> bool {
    let words: Vec<&str> = crate::model::command_words(command).collect();
    words.iter().any(|w| w.ends_with("manage.py")) && words.contains(&"migrate")
}

impl ClusterNames {
    pub fn discover(release: &Release<'_>) -> ClusterNames {
        let values_path = release.values.path.clone();
        let service = release.django_service();
        // Names go into commands and notes: a long one is clipped.
        let value_of = |name: &str| env::resolve(release, name).and_then(|b| b.value).map(crate::shown::clip_owned);
        ClusterNames {
            values_missing: release.values.state == crate::model::values::ValuesState::Missing,
            values_path,
            manifest_dir: release.manifest_dir.clone(),
            deployment: release.django_object().and_then(|o| o.name.clone()),
            service: service.and_then(|s| s.name.clone()),
            service_port: service.and_then(|s| crate::model::k8s::service_ports(s).first().and_then(|p| p.port)),
            student_name: value_of("STUDENT_NAME"),
            site_name: value_of("SITE_NAME"),
            migrates_on_start: release.start_lines.iter().find(|l| runs_migrate(&l.text)).map(|l| l.at.location()),
        }
    }

    pub fn deployment_or_page(&self) -> &str {
        self.deployment.as_deref().unwrap_or(PAGE_DEPLOYMENT)
    }

    pub fn service_or_page(&self) -> &str {
        self.service.as_deref().unwrap_or(PAGE_SERVICE)
    }

    pub fn port_or_page(&self) -> u16 {
        self.service_port.unwrap_or(PAGE_SERVICE_PORT)
    }

    /// The cluster steps with these names.
    pub fn steps(&self) -> Vec<Step> {
        let deployment = self.deployment_or_page();
        let service = self.service_or_page();
        let port = self.port_or_page();
        let mut install_notes = Vec::new();
        if self.values_missing {
            install_notes.push(format!(
                "This release has no `{VALUES_PATH}` (see values-postgres-present): the install fails until the student adds it."
            ));
        } else if self.values_path != VALUES_PATH {
            install_notes.push(format!(
                "The page runs `--values {VALUES_PATH}` from the root; this release keeps it at `{}`.",
                self.values_path
            ));
        }
        let mut apply_notes = Vec::new();
        if self.manifest_dir != crate::model::MANIFEST_DIR {
            apply_notes
                .push(format!("The manifests are in `{}/`, not `deployment/` as on the page.", self.manifest_dir));
        }
        let mut exec_notes = Vec::new();
        match &self.deployment {
            Some(name) if name != PAGE_DEPLOYMENT => exec_notes.push(format!(
                "The page says `deployment.apps/{PAGE_DEPLOYMENT}`; this release's Deployment is `{name}`."
            )),
            None => exec_notes.push("No Django Deployment was found; the page's name is shown.".to_owned()),
            Some(_) => {}
        }
        let migrate_look_for = match &self.migrates_on_start {
            Some(at) => {
                exec_notes.push(format!(
                    "This release migrates when the pod starts (`{at}`), so `migrate` here reports \"No migrations to apply\": expected, not a sign of an old database."
                ));
                "`migrate` has nothing left to do (the pod migrated when it started), and a new superuser is created."
            }
            None => {
                "Migrations apply to a fresh database (not \"No migrations to apply\"), and a new superuser is created."
            }
        };
        let mut forward_notes = Vec::new();
        match &self.service {
            Some(name) if name != PAGE_SERVICE || port != PAGE_SERVICE_PORT => forward_notes.push(format!(
                "The page says `svc/{PAGE_SERVICE} {LOCAL_PORT}:{PAGE_SERVICE_PORT}`; this release's Service is `{name}` on port {port}."
            )),
            None => forward_notes.push("No Service for Django was found; the page's name is shown.".to_owned()),
            Some(_) => {}
        }
        let names = match (&self.student_name, &self.site_name) {
            (Some(student), Some(site)) => format!("the student name \"{student}\" and the site name \"{site}\""),
            (Some(student), None) => format!("the student name \"{student}\" and the site name"),
            (None, Some(site)) => format!("the student name and the site name \"{site}\""),
            (None, None) => "the student and site names from the configuration".to_owned(),
        };
        vec![
            Step {
                id: "start-minikube".to_owned(),
                page_step: 5,
                title: "Start minikube".to_owned(),
                commands: vec!["minikube start".to_owned()],
                look_for: "minikube reports that kubectl is configured to use the \"minikube\" cluster.".to_owned(),
                notes: Vec::new(),
            },
            Step {
                id: "install-postgres".to_owned(),
                page_step: 6,
                title: "Install the Postgres chart".to_owned(),
                commands: vec![format!(
                    "helm install {HELM_RELEASE} {CHART} --values {}",
                    shell_word(&self.values_path)
                )],
                look_for: format!("STATUS: deployed, and the Service {HELM_RELEASE}-postgresql in `kubectl get svc`."),
                notes: install_notes,
            },
            Step {
                id: "apply-resources".to_owned(),
                page_step: 7,
                title: "Apply all resources".to_owned(),
                commands: vec![
                    format!("kubectl apply -f {}/", shell_word(&self.manifest_dir)),
                    "kubectl get all".to_owned(),
                ],
                look_for: format!(
                    "Every object created without errors, and deployment.apps/{deployment} READY after a minute."
                ),
                notes: apply_notes,
            },
            Step {
                id: "initialize-database".to_owned(),
                page_step: 8,
                title: "Initialize the database".to_owned(),
                commands: vec![
                    format!("kubectl exec --stdin --tty deployment.apps/{deployment} -- python manage.py migrate"),
                    format!(
                        "kubectl exec --stdin --tty deployment.apps/{deployment} -- python manage.py createsuperuser"
                    ),
                ],
                look_for: migrate_look_for.to_owned(),
                notes: exec_notes,
            },
            Step {
                id: "port-forward".to_owned(),
                page_step: 9,
                title: "Log in through a forwarded port".to_owned(),
                commands: vec![format!("kubectl port-forward svc/{service} {LOCAL_PORT}:{port}")],
                look_for: format!(
                    "http://localhost:{LOCAL_PORT}/admin/ logs in with the new account, and every page of the app works."
                ),
                notes: forward_notes,
            },
            Step {
                id: "screenshot".to_owned(),
                page_step: 10,
                title: "Take a screenshot of the index page".to_owned(),
                commands: Vec::new(),
                look_for: format!("The index page shows {names}."),
                notes: Vec::new(),
            },
        ]
    }
}

/// A path from the repository as one shell word: as is when it is plain,
/// else single-quoted, so a hostile file name cannot run commands on the
/// reviewer's machine. (Object names need no quoting: kubectl only accepts
/// DNS names, and the model rejects others.)
pub fn shell_word(text: &str) -> String {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn knows_a_migrate_from_other_commands() {
        assert!(super::runs_migrate("python manage.py migrate --noinput"));
        assert!(super::runs_migrate("[\"python\", \"/app/manage.py\", \"migrate\"]"));
        assert!(!super::runs_migrate("python manage.py makemigrations"));
        assert!(!super::runs_migrate("python manage.py runserver 0.0.0.0:8000"));
        assert!(!super::runs_migrate("alembic migrate"));
    }

    #[test]
    fn quotes_hostile_paths() {
        assert_eq!(super::shell_word("values-postgres.yaml"), "values-postgres.yaml");
        assert_eq!(super::shell_word("deployment/my values.yaml"), "'deployment/my values.yaml'");
        assert_eq!(super::shell_word("x';rm -rf ~;'"), r"'x'\'';rm -rf ~;'\'''");
    }
}
