//! Finding things in the listing of a release: which files the rules read,
//! where the manifests and settings are. Layouts vary between semesters, so
//! nothing here assumes one.

use crate::snapshot::{Entry, Snapshot, limits};

use super::{MANIFEST_DIR, VALUES_PATH};

/// Directories tried, in order, when the release has no `deployment/`.
const OTHER_MANIFEST_DIRS: [&str; 5] = ["deployments", "k8s", "kubernetes", "manifests", "kube"];

/// Parts of a path that mean "not the student's code": committed
/// virtualenvs, caches, dependencies.
const VENDORED: [&str; 9] =
    ["site-packages", "node_modules", ".git", "__pycache__", "venv", ".venv", "env", ".tox", "dist-packages"];

/// The paths of the release whose contents the rules need. Readers fetch
/// these (and only these) into the [`Snapshot`].
pub fn wanted_files(entries: &[Entry]) -> Vec<String> {
    let snapshot = Snapshot::new(entries.to_vec());
    let mut wanted = Vec::new();
    let dir = manifest_dir(&snapshot);
    wanted.extend(manifest_paths(&snapshot, &dir).into_iter().filter(|p| is_applied_extension(p)));
    wanted.extend(values_candidates(&snapshot));
    if let Some(settings) = settings_path(&snapshot) {
        wanted.extend(settings_companions(&snapshot, &settings));
        wanted.push(settings);
    }
    wanted.extend(manage_py_path(&snapshot));
    wanted.extend(dockerfile_paths(&snapshot));
    wanted.extend(script_paths(&snapshot));
    wanted.extend(requirements_paths(&snapshot));
    crate::order::sort(&mut wanted);
    wanted.dedup();
    wanted.retain(|p| snapshot.entry(p).is_some_and(|e| e.size <= limits::MAX_FILE_BYTES));
    wanted.truncate(limits::MAX_WANTED_FILES);
    wanted
}

fn is_vendored(path: &str) -> bool {
    path.split('/').any(|part| VENDORED.contains(&part))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `deployment` when the release has it, else the first other directory
/// holding YAML files, else `deployment` (so messages name the expected one).
pub fn manifest_dir(snapshot: &Snapshot) -> String {
    let has_yaml_in = |dir: &str| {
        snapshot.entries().iter().any(|e| {
            e.path
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| !r.contains('/') && is_applied_extension(r))
        })
    };
    if has_yaml_in(MANIFEST_DIR) {
        return MANIFEST_DIR.to_owned();
    }
    OTHER_MANIFEST_DIRS.iter().find(|d| has_yaml_in(d)).map_or_else(|| MANIFEST_DIR.to_owned(), |d| (*d).to_owned())
}

/// Files directly in `dir` (kubectl's `-f dir/` does not recurse).
pub fn manifest_paths(snapshot: &Snapshot, dir: &str) -> Vec<String> {
    snapshot
        .entries()
        .iter()
        .filter(|e| {
            e.path
                .strip_prefix(dir)
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|r| !r.is_empty() && !r.contains('/'))
        })
        .map(|e| e.path.clone())
        .collect()
}

/// The extensions `kubectl apply -f DIR` reads; it skips other files.
pub fn is_applied_extension(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json")
}

/// Files that may be the Postgres chart's values: the expected path and any
/// `*values*.y*ml` elsewhere (to say "it is in deployment/, move it").
pub fn values_candidates(snapshot: &Snapshot) -> Vec<String> {
    let mut found: Vec<String> = snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p))
        .filter(|p| {
            let name = file_name(p).to_ascii_lowercase();
            name.contains("values") && (name.ends_with(".yaml") || name.ends_with(".yml"))
        })
        .map(str::to_owned)
        .collect();
    crate::order::sort_by_key(&mut found, |p| (p != VALUES_PATH, p.matches('/').count(), p.clone()));
    found.truncate(10);
    found
}

/// The Django settings module: `mysite/mysite/settings.py` as on the page,
/// else the shallowest `*/settings.py` outside vendored directories, else
/// the shallowest settings package (`*/settings/__init__.py`).
pub fn settings_path(snapshot: &Snapshot) -> Option<String> {
    const PAGE: &str = "mysite/mysite/settings.py";
    if snapshot.exists(PAGE) {
        return Some(PAGE.to_owned());
    }
    snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p) && (file_name(p) == "settings.py" || p.ends_with("settings/__init__.py")))
        .min_by_key(|p| {
            let package = p.ends_with("__init__.py");
            (package, !p.ends_with("mysite/settings.py"), p.matches('/').count(), p.to_string())
        })
        .map(str::to_owned)
}

/// The project's `manage.py` (the shallowest outside vendored directories):
/// the test procedure runs it (step 8), and its default for
/// `DJANGO_SETTINGS_MODULE` is the settings module in force when nothing
/// else sets the variable.
pub fn manage_py_path(snapshot: &Snapshot) -> Option<String> {
    snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p) && file_name(p) == "manage.py")
        .min_by_key(|p| (p.matches('/').count(), p.to_string()))
        .map(str::to_owned)
}

/// Modules of Django's own layout that never hold settings.
const NOT_SETTINGS: [&str; 10] = [
    "__init__.py",
    "urls.py",
    "wsgi.py",
    "asgi.py",
    "manage.py",
    "apps.py",
    "models.py",
    "views.py",
    "admin.py",
    "tests.py",
];

/// Python files next to the settings module that it may import from
/// (`from .base import *`, `from .local_settings import *`), or that
/// `DJANGO_SETTINGS_MODULE` may name instead (`mysite.settings.production`).
/// At most eight, so a crowded directory costs few downloads.
pub fn settings_companions(snapshot: &Snapshot, settings: &str) -> Vec<String> {
    let dir = settings.rsplit_once('/').map_or("", |(dir, _)| dir);
    let mut found: Vec<String> = snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| p.rsplit_once('/').map_or("", |(d, _)| d) == dir && p.ends_with(".py") && *p != settings)
        .filter(|p| !NOT_SETTINGS.contains(&file_name(p)))
        .map(str::to_owned)
        .collect();
    crate::order::sort(&mut found);
    found.truncate(8);
    found
}

/// The file of the module `spec` as imported by the file `importer`:
/// relative (`.base`, `..settings.base`) or absolute (`mysite.settings.base`,
/// looked for anywhere in the release, the shallowest first).
pub fn module_file(snapshot: &Snapshot, importer: &str, spec: &str) -> Option<String> {
    let spec = spec.trim();
    let dots = spec.len() - spec.trim_start_matches('.').len();
    let dotted = &spec[dots..];
    if !dotted.split('.').all(|part| part.is_empty() || part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')) {
        return None;
    }
    let relative = dotted.replace('.', "/");
    // `x.py` or the package `x/__init__.py`; `from . import *` is the package itself.
    let tails = if relative.is_empty() {
        vec!["__init__.py".to_owned()]
    } else {
        vec![format!("{relative}.py"), format!("{relative}/__init__.py")]
    };
    if dots > 0 {
        let mut base = importer.rsplit_once('/').map_or("", |(dir, _)| dir);
        for _ in 1..dots {
            base = base.rsplit_once('/').map_or("", |(dir, _)| dir);
        }
        let join = |tail: &String| if base.is_empty() { tail.clone() } else { format!("{base}/{tail}") };
        return tails.iter().map(join).find(|p| snapshot.exists(p));
    }
    if relative.is_empty() {
        return None;
    }
    snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p))
        .filter(|p| tails.iter().any(|t| p == t || p.strip_suffix(t.as_str()).is_some_and(|h| h.ends_with('/'))))
        .min_by_key(|p| (p.matches('/').count(), p.to_string()))
        .map(str::to_owned)
}

/// Dockerfiles outside vendored directories, the root one first.
pub fn dockerfile_paths(snapshot: &Snapshot) -> Vec<String> {
    let mut found: Vec<String> = snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p) && (file_name(p) == "Dockerfile" || file_name(p).starts_with("Dockerfile.")))
        .map(str::to_owned)
        .collect();
    crate::order::sort_by_key(&mut found, |p| (p.matches('/').count(), p.clone()));
    found.truncate(5);
    found
}

/// Shell scripts an image may start (`CMD ["./start.sh"]`): `*.sh` files
/// outside vendored directories, at most two directories deep, the
/// shallowest four. Which one the image runs is only known from the
/// Dockerfile's text, so these are read on the chance.
pub fn script_paths(snapshot: &Snapshot) -> Vec<String> {
    let mut found: Vec<String> = snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| !is_vendored(p) && p.ends_with(".sh") && p.matches('/').count() <= 2)
        .map(str::to_owned)
        .collect();
    crate::order::sort_by_key(&mut found, |p| (p.matches('/').count(), p.clone()));
    found.truncate(4);
    found
}

/// `requirements*.txt` files outside vendored directories.
pub fn requirements_paths(snapshot: &Snapshot) -> Vec<String> {
    let mut found: Vec<String> = snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| {
            let name = file_name(p);
            !is_vendored(p) && name.starts_with("requirements") && name.ends_with(".txt")
        })
        .map(str::to_owned)
        .collect();
    crate::order::sort_by_key(&mut found, |p| (p.matches('/').count(), p.clone()));
    found.truncate(5);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(paths: &[&str]) -> Vec<Entry> {
        paths.iter().map(|p| Entry { path: (*p).to_owned(), size: 10 }).collect()
    }

    #[test]
    fn a_settings_package_and_its_modules_are_wanted() {
        let listing = entries(&[
            "mysite/mysite/settings/__init__.py",
            "mysite/mysite/settings/base.py",
            "mysite/mysite/settings/prod.py",
            "mysite/mysite/urls.py",
            "mysite/polls/views.py",
            "venv/lib/site-packages/x/settings/__init__.py",
        ]);
        let snapshot = Snapshot::new(listing.clone());
        assert_eq!(settings_path(&snapshot).as_deref(), Some("mysite/mysite/settings/__init__.py"));
        let wanted = wanted_files(&listing);
        for path in
            ["mysite/mysite/settings/__init__.py", "mysite/mysite/settings/base.py", "mysite/mysite/settings/prod.py"]
        {
            assert!(wanted.contains(&path.to_owned()), "{path} not in {wanted:?}");
        }
        assert!(!wanted.iter().any(|p| p.ends_with("urls.py") || p.starts_with("venv/")), "{wanted:?}");
    }

    #[test]
    fn a_settings_module_wins_over_a_package() {
        let snapshot = Snapshot::new(entries(&["app/conf/settings/__init__.py", "app/mysite/settings.py"]));
        assert_eq!(settings_path(&snapshot).as_deref(), Some("app/mysite/settings.py"));
    }

    #[test]
    fn imported_modules_are_found_relative_and_absolute() {
        let snapshot = Snapshot::new(entries(&[
            "mysite/mysite/settings/__init__.py",
            "mysite/mysite/settings/base.py",
            "mysite/mysite/common/__init__.py",
            "venv/lib/mysite/settings/prod.py",
            "mysite/mysite/settings/prod.py",
        ]));
        let init = "mysite/mysite/settings/__init__.py";
        let found = |spec: &str| module_file(&snapshot, init, spec);
        assert_eq!(found(".base").as_deref(), Some("mysite/mysite/settings/base.py"));
        assert_eq!(found("..common").as_deref(), Some("mysite/mysite/common/__init__.py"));
        assert_eq!(found(".").as_deref(), Some(init));
        assert_eq!(found(".local"), None);
        assert_eq!(found("mysite.settings.prod").as_deref(), Some("mysite/mysite/settings/prod.py"));
        assert_eq!(found("settings.base").as_deref(), Some("mysite/mysite/settings/base.py"));
        assert_eq!(found("mysite.settings").as_deref(), Some(init));
        assert_eq!(found("../../etc/passwd"), None);
        assert_eq!(found("os.path"), None);
    }

    #[test]
    fn wants_only_what_rules_read() {
        let wanted = wanted_files(&entries(&[
            "README.md",
            "Dockerfile",
            "values-postgres.yaml",
            "deployment/deployment.yaml",
            "deployment/notes.md",
            "deployment/old/pod.yaml",
            "mysite/mysite/settings.py",
            "mysite/polls/views.py",
            "venv/lib/python3.11/site-packages/foo/settings.py",
            "requirements.txt",
        ]));
        assert_eq!(
            wanted,
            [
                "Dockerfile",
                "deployment/deployment.yaml",
                "mysite/mysite/settings.py",
                "requirements.txt",
                "values-postgres.yaml"
            ]
        );
    }

    #[test]
    fn finds_the_sp26_settings_and_other_manifest_dirs() {
        let snapshot =
            Snapshot::new(entries(&["djangotutorial/mysite/settings.py", "k8s/app.yaml", "venv/x/settings.py"]));
        assert_eq!(settings_path(&snapshot).as_deref(), Some("djangotutorial/mysite/settings.py"));
        assert_eq!(manifest_dir(&snapshot), "k8s");
    }
}
