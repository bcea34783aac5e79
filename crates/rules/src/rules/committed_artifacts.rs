use crate::finding::{Evidence, Verdict};
use crate::model::Release;
use crate::registry::{Kind, declare_rule};

declare_rule! {
    /// ## What it checks
    /// The release does not carry files that belong to one machine: a SQLite
    /// database (`db.sqlite3`), a virtualenv (`pyvenv.cfg`,
    /// `site-packages/`), `__pycache__`, or a `.env` file.
    ///
    /// ## Why it matters
    /// With Postgres the SQLite file is stale data; a committed virtualenv
    /// makes the release huge and may be copied into the image; a `.env`
    /// file publishes passwords.
    ///
    /// ## Passes
    /// None of them.
    ///
    /// ## Fails
    /// Never; each one found warns.
    ///
    /// ## How to fix
    /// `git rm -r --cached` them and add them to `.gitignore`.
    pub static RULE = Rule {
        title: "No local artifacts are committed",
        source: "Requirements 3; 5",
        kind: Kind::Deeper,
        remediation: "Remove them with `git rm -r --cached` and list them in .gitignore.",
        check: check,
    };
}

fn check(release: &Release<'_>) -> Verdict {
    let mut found: Vec<(String, &'static str)> = Vec::new();
    for entry in release.snapshot.entries() {
        let path = entry.path.as_str();
        let name = path.rsplit('/').next().unwrap_or(path);
        let what = if name == "db.sqlite3" {
            Some("a SQLite database")
        } else if name == "pyvenv.cfg" {
            Some("a virtualenv")
        } else if name == ".env" {
            Some("an environment file with secrets")
        } else {
            None
        };
        if let Some(what) = what {
            found.push((path.to_owned(), what));
        }
    }
    let site_packages = release.snapshot.entries().iter().find(|e| e.path.contains("/site-packages/"));
    if let (false, Some(entry)) = (found.iter().any(|(_, w)| *w == "a virtualenv"), site_packages) {
        let root = entry.path.split("/site-packages/").next().unwrap_or("").to_owned() + "/site-packages/";
        found.push((root, "installed packages"));
    }
    if let Some(entry) = release.snapshot.entries().iter().find(|e| e.path.contains("__pycache__/")) {
        let dir = entry.path.split("__pycache__/").next().unwrap_or("").to_owned() + "__pycache__/";
        found.push((dir, "Python bytecode"));
    }
    if found.is_empty() {
        return Verdict::pass("No database, virtualenv or cache files are committed.");
    }
    let total: u64 = release.snapshot.entries().iter().map(|e| e.size).sum();
    Verdict::warn(format!(
        "The release carries local files: {} (the whole release is {}).",
        found.iter().map(|(p, w)| format!("{w} at `{p}`")).collect::<Vec<_>>().join(", "),
        human_size(total)
    ))
    .with_all(found.into_iter().map(|(p, w)| Evidence::at(p, None).found(w).expected("not committed")))
}

fn human_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
