//! Two small releases checked by the real rules: one that meets the
//! milestone and one that trips several rules, with hostile text (`<script>`,
//! a backtick, a `|`) in values that end up in messages and evidence.

#![allow(dead_code)] // each test binary uses a different part

use m13_rules::{Origin, Report, Snapshot, SourceKind, check};

pub const POSTED_URL: &str = "https://github.com/ana/cis-92/releases/tag/milestone-13.1";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: mysite-deployment
spec:
  replicas: 1
  selector:
    matchLabels:
      app: mysite
  template:
    metadata:
      labels:
        app: mysite
    spec:
      containers:
        - name: mysite
          image: ghcr.io/ana/cis-92:milestone-13.1
          ports:
            - containerPort: 8000
          envFrom:
            - configMapRef:
                name: mysite-config
            - secretRef:
                name: mysite-secret
          resources:
            requests:
              cpu: 250m
              memory: 256Mi
          livenessProbe:
            httpGet:
              path: /
              port: 8000
              httpHeaders:
                - name: Host
                  value: localhost
";

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: mysite-svc
spec:
  type: LoadBalancer
  selector:
    app: mysite
  ports:
    - port: 80
      targetPort: 8000
";

const CONFIG: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: mysite-config
data:
  POSTGRES_HOSTNAME: postgres-postgresql
  STUDENT_NAME: Ana Lima
  SITE_NAME: Ana's polls
";

const SECRET: &str = "\
apiVersion: v1
kind: Secret
metadata:
  name: mysite-secret
type: Opaque
stringData:
  POSTGRES_USER: ana
  POSTGRES_PASSWORD: s3cret-app
  POSTGRES_DB: mysite
";

const VALUES: &str = "\
auth:
  postgresPassword: s3cret-admin
  username: ana
  password: s3cret-app
  database: mysite
";

const SETTINGS: &str = "\
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get('SECRET_KEY', 'dev-only')
DEBUG = False
ALLOWED_HOSTS = ['*']
CSRF_TRUSTED_ORIGINS = ['https://*.cloudshell.dev', 'https://*.github.dev', 'https://localhost:8000']

DATABASES = {
    'default': {
        'ENGINE': 'django.db.backends.postgresql',
        'NAME': os.environ.get('POSTGRES_DB'),
        'USER': os.environ.get('POSTGRES_USER'),
        'PASSWORD': os.environ.get('POSTGRES_PASSWORD'),
        'HOST': os.environ.get('POSTGRES_HOSTNAME'),
        'PORT': 5432,
    }
}
";

const REQUIREMENTS: &str = "Django==5.0.6\npsycopg2-binary==2.9.9\n";

const DOCKERFILE: &str = "\
FROM docker.io/python:3.12
WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY mysite .
EXPOSE 8000
CMD [\"python\", \"manage.py\", \"runserver\", \"0.0.0.0:8000\"]
";

/// A release as the page asks for it (the Spring 2024 layout).
pub fn passing() -> Report {
    run(vec![
        ("deployment/deployment.yaml", DEPLOYMENT.to_owned()),
        ("deployment/service.yaml", SERVICE.to_owned()),
        ("deployment/config.yaml", CONFIG.to_owned()),
        ("deployment/secret.yaml", SECRET.to_owned()),
        ("values-postgres.yaml", VALUES.to_owned()),
        ("mysite/mysite/settings.py", SETTINGS.to_owned()),
        ("requirements.txt", REQUIREMENTS.to_owned()),
        ("Dockerfile", DOCKERFILE.to_owned()),
    ])
}

/// A release with the usual mistakes: a Service without `type`, a CPU
/// request of 2, the admin password in the Secret, a misspelled CSRF
/// setting, and hostile text in the ConfigMap's hostname; plus a committed
/// database (a warning) and ALLOWED_HOSTS read from the environment (a
/// manual check).
pub fn failing() -> Report {
    let deployment = DEPLOYMENT.replace("cpu: 250m", "cpu: 2");
    let service = SERVICE.replace("  type: LoadBalancer\n", "");
    let config = CONFIG.replace(
        "POSTGRES_HOSTNAME: postgres-postgresql",
        "POSTGRES_HOSTNAME: \"<script>alert(1)</script> `db` | ![x](http://evil)\"",
    );
    let secret = SECRET.replace("POSTGRES_PASSWORD: s3cret-app", "POSTGRES_PASSWORD: s3cret-admin");
    let settings = SETTINGS
        .replace("CSRF_TRUSTED_ORIGINS", "CSRF_TRISTED_ORIGINS")
        .replace("ALLOWED_HOSTS = ['*']", "ALLOWED_HOSTS = os.environ['ALLOWED_HOSTS'].split(',')");
    run(vec![
        ("deployment/deployment.yaml", deployment),
        ("deployment/service.yaml", service),
        ("deployment/config.yaml", config),
        ("deployment/secret.yaml", secret),
        ("values-postgres.yaml", VALUES.to_owned()),
        ("mysite/mysite/settings.py", settings),
        ("requirements.txt", REQUIREMENTS.to_owned()),
        ("Dockerfile", DOCKERFILE.to_owned()),
        ("mysite/db.sqlite3", "SQLite format 3\0".to_owned()),
    ])
}

/// A fixture release of the rules crate (`crates/rules/tests/fixtures/<name>/release`),
/// read from disk as the rules' own fixture tests read it.
pub fn fixture(name: &str) -> Report {
    check(
        &m13_testkit::read_tree(&m13_testkit::fixtures_dir().join(name).join("release")),
        &Origin::new(SourceKind::Directory { path: name.to_owned() }),
    )
}

fn run(files: Vec<(&str, String)>) -> Report {
    let snapshot = Snapshot::from_files(files);
    let origin = Origin::new(SourceKind::Zip { name: "sample.zip".into() }).posted_url(POSTED_URL);
    check(&snapshot, &origin)
}

/// The tool named in every output, fixed so the snapshots do not change
/// with each commit.
pub fn tool() -> m13_report::Tool {
    m13_report::Tool::new("milestone-check", "0.2.0").with_commit("1a2b3c4d5e6f")
}
