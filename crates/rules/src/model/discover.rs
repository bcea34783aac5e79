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
    wanted.extend(settings_path(&snapshot));
    wanted.extend(dockerfile_paths(&snapshot));
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
/// else the shallowest `*/settings.py` outside vendored directories.
pub fn settings_path(snapshot: &Snapshot) -> Option<String> {
    const PAGE: &str = "mysite/mysite/settings.py";
    if snapshot.exists(PAGE) {
        return Some(PAGE.to_owned());
    }
    snapshot
        .entries()
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| file_name(p) == "settings.py" && !is_vendored(p))
        .min_by_key(|p| (!p.ends_with("mysite/settings.py"), p.matches('/').count(), p.to_string()))
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
