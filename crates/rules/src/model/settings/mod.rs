//! The Django settings module, read as a reviewer would: top-level
//! assignments evaluated when their value is a literal or an environment
//! lookup the release answers (`os.environ.get('X', default)` followed to
//! the ConfigMap, Secret, Deployment `env` or Dockerfile `ENV`). What cannot
//! be known from the files stays `Unknown` with the reason, so rules can say
//! `manual` instead of guessing. `from .base import *` runs the imported
//! module in place, as Python does, so a settings package is read whole and
//! each assignment points at its own file.
//!
//! The files are untrusted: values are shared rather than copied and
//! capped ([`PyValue`], [`MAX_TEXT_BYTES`]), and the whole run has a budget
//! of [`MAX_STEPS`], so `X = X + X` forty times, or `X += 'a'` 55,000 times,
//! ends in milliseconds with an unknown value that says why.

mod budget;
mod interpreter;
mod value;

use std::collections::BTreeMap;

use crate::finding::Evidence;
use crate::parse::python::Issue;

use super::Release;
use interpreter::Interpreter;

pub use budget::MAX_STEPS;
pub use value::{MAX_ITEMS, MAX_NESTING, MAX_TEXT_BYTES, PyDict, PyList, PyValue, Size};

/// How many files a settings module and its `from x import *` may span.
const MAX_SETTINGS_FILES: usize = 8;

/// One assignment to a top-level name.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The file it is in: the settings module or one it imports.
    pub path: String,
    pub line: u32,
    pub value: PyValue,
    /// Inside an `if` whose condition the files cannot decide.
    pub conditional: bool,
    /// Where environment values came from, hop by hop (at most 16).
    pub chain: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SettingsState {
    Unreadable(String),
    Parsed,
}

/// The settings module of the release.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub path: String,
    pub state: SettingsState,
    /// The files read: the module, then each one it imports with `*`.
    pub files: Vec<String>,
    /// Where `DJANGO_SETTINGS_MODULE` names this module, when it does.
    pub chosen_by: Vec<Evidence>,
    /// What the reader could not parse (an unterminated string...), by file.
    pub issues: Vec<(String, Issue)>,
    /// Every assignment to each top-level name, in execution order.
    pub names: BTreeMap<String, Vec<Assignment>>,
    /// `os.environ['X']` read where it surely runs (not in a `try`, not
    /// under an undecided `if`) while nothing in the release sets `X`:
    /// Django stops with a KeyError. The first read of each variable.
    pub unset_required: Vec<EnvRead>,
    /// Why the evaluation stopped before the end of the module (its steps
    /// ran out): the values assigned after that point are unknown.
    pub cut_short: Option<String>,
}

/// The default `manage.py` gives `DJANGO_SETTINGS_MODULE`:
/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")`, as
/// `django-admin startproject` writes it. The line number and the module.
pub fn settings_module_default(manage_py: &str) -> Option<(u32, String)> {
    manage_py.lines().zip(1u32..).find_map(|(line, number)| {
        let code = line.split('#').next().unwrap_or_default();
        let after = code.split_once("setdefault(")?.1.trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let rest = after[1..].strip_prefix("DJANGO_SETTINGS_MODULE")?.strip_prefix(quote)?;
        let rest = rest.trim_start().strip_prefix(',')?.trim_start();
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let (module, _) = rest[1..].split_once(quote)?;
        (!module.trim().is_empty()).then(|| (number, module.trim().to_owned()))
    })
}

/// An environment variable read by the settings, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvRead {
    pub name: String,
    pub path: String,
    pub line: u32,
}

impl Settings {
    pub fn read(release: &Release<'_>, path: String) -> Settings {
        let mut interpreter = Interpreter::new(release, &path);
        let state = match interpreter.run_file(&path, false) {
            Ok(()) => SettingsState::Parsed,
            Err(reason) => SettingsState::Unreadable(reason),
        };
        Settings {
            path,
            state,
            cut_short: interpreter.cut_short(),
            files: interpreter.files,
            chosen_by: Vec::new(),
            issues: interpreter.issues,
            names: interpreter.names,
            unset_required: interpreter.unset_required,
        }
    }

    /// The settings module for messages: its path, and the modules it
    /// imports when there are any.
    pub fn described(&self) -> String {
        match self.files.get(1..) {
            Some(imported) if !imported.is_empty() => {
                let names: Vec<String> = imported.iter().map(|p| format!("`{p}`")).collect();
                format!("`{}` (and {}, which it imports)", self.path, names.join(", "))
            }
            _ => format!("`{}`", self.path),
        }
    }

    /// The last assignment to `name`.
    pub fn get(&self, name: &str) -> Option<&Assignment> {
        self.names.get(name).and_then(|history| history.last())
    }

    /// Every assignment that may be in force at the end: the last
    /// unconditional one and any conditional ones after it.
    pub fn candidates(&self, name: &str) -> Vec<&Assignment> {
        let Some(history) = self.names.get(name) else { return Vec::new() };
        let start = history.iter().rposition(|a| !a.conditional).unwrap_or(0);
        history.get(start..).map(|tail| tail.iter().collect()).unwrap_or_default()
    }

    /// Evidence pointing at an assignment.
    pub fn evidence(&self, assignment: &Assignment) -> Evidence {
        Evidence::at(&assignment.path, Some(assignment.line))
    }
}

#[cfg(test)]
mod tests {
    use super::settings_module_default;
    use crate::model::Release;
    use crate::origin::{Origin, SourceKind};
    use crate::snapshot::Snapshot;

    fn unset(settings: &str) -> Vec<(String, u32)> {
        let snapshot = Snapshot::from_files([("mysite/mysite/settings.py", settings)]);
        let origin = Origin::new(SourceKind::Sample);
        let release = Release::new(&snapshot, &origin);
        let reads = release.settings.map(|s| s.unset_required).unwrap_or_default();
        reads.into_iter().map(|read| (read.name, read.line)).collect()
    }

    fn read(files: &[(&str, &str)]) -> crate::model::Settings {
        let snapshot = Snapshot::from_files(files.iter().copied());
        let origin = Origin::new(SourceKind::Sample);
        let release = Release::new(&snapshot, &origin);
        release.settings.expect("a settings module")
    }

    #[test]
    fn star_imports_run_in_place_and_keep_their_files() {
        let settings = read(&[
            (
                "mysite/mysite/settings/__init__.py",
                "from .base import *\nDEBUG = False\ntry:\n    from .local import *\nexcept ImportError:\n    pass\n",
            ),
            (
                "mysite/mysite/settings/base.py",
                "import os\nDEBUG = True\nSECRET = os.environ['SECRET_KEY']\nfrom .__init__ import *\n",
            ),
        ]);
        assert_eq!(settings.files, ["mysite/mysite/settings/__init__.py", "mysite/mysite/settings/base.py"]);
        let debug: Vec<(&str, u32)> = settings.names["DEBUG"].iter().map(|a| (a.path.as_str(), a.line)).collect();
        assert_eq!(debug, [("mysite/mysite/settings/base.py", 2), ("mysite/mysite/settings/__init__.py", 2)]);
        assert_eq!(
            settings.unset_required,
            [super::EnvRead { name: "SECRET_KEY".into(), path: "mysite/mysite/settings/base.py".into(), line: 3 }]
        );
        assert!(settings.described().contains("`mysite/mysite/settings/base.py`, which it imports"));
    }

    #[test]
    fn a_module_that_imports_itself_ends() {
        let settings = read(&[("mysite/mysite/settings.py", "from mysite.settings import *\nA = 1\n")]);
        assert_eq!(settings.files, ["mysite/mysite/settings.py"]);
        assert_eq!(settings.names["A"].len(), 1);
    }

    #[test]
    fn manage_py_gives_the_default_module() {
        let startproject = "import os\nimport sys\n\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\n";
        assert_eq!(settings_module_default(startproject), Some((5, "mysite.settings".to_owned())));
        let double = "os.environ.setdefault( \"DJANGO_SETTINGS_MODULE\" , \"mysite.settings.prod\")";
        assert_eq!(settings_module_default(double), Some((1, "mysite.settings.prod".to_owned())));
        assert_eq!(settings_module_default("# os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'x')\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('OTHER', 'x')\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('DJANGO_SETTINGS_MODULE', os.getenv('X'))\n"), None);
        assert_eq!(settings_module_default("os.environ.setdefault('DJANGO_SETTINGS_MODULE', '\n"), None);
    }

    #[test]
    fn django_settings_module_names_the_module_in_force() {
        let files = [
            ("mysite/mysite/settings/__init__.py", "from .dev import *\n"),
            ("mysite/mysite/settings/dev.py", "DATABASES = 'sqlite'\n"),
            ("mysite/mysite/settings/prod.py", "DATABASES = 'postgres'\n"),
            ("Dockerfile", "FROM python:3.11\nENV DJANGO_SETTINGS_MODULE=mysite.settings.prod\n"),
        ];
        let settings = read(&files);
        assert_eq!(settings.path, "mysite/mysite/settings/prod.py");
        assert_eq!(settings.get("DATABASES").map(|a| a.value.render()).as_deref(), Some("'postgres'"));
        assert_eq!(settings.chosen_by.len(), 1);
        // Without it, the package's own choice (dev) is in force.
        let settings = read(&files[..3]);
        assert_eq!(settings.path, "mysite/mysite/settings/__init__.py");
        assert_eq!(settings.get("DATABASES").map(|a| a.value.render()).as_deref(), Some("'sqlite'"));
    }

    #[test]
    fn a_required_variable_counts_only_where_it_surely_runs() {
        assert_eq!(unset("import os\nSECRET_KEY = os.environ['SECRET_KEY']\n"), [("SECRET_KEY".to_owned(), 2)]);
        assert_eq!(unset("import os\nSECRET_KEY = os.environ.get('SECRET_KEY', 'x')\n"), []);
        assert_eq!(
            unset(
                "import os\ntry:\n    SECRET_KEY = os.environ['SECRET_KEY']\nexcept KeyError:\n    SECRET_KEY = 'x'\n"
            ),
            []
        );
        // The condition is decided (nothing sets USE_PG), so the branch never runs.
        assert_eq!(unset("import os\nif os.environ.get('USE_PG'):\n    NAME = os.environ['POSTGRES_DB']\n"), []);
        // An undecided condition: it may not run, so it is not counted.
        assert_eq!(unset("import os\nif some_flag():\n    NAME = os.environ['POSTGRES_DB']\n"), []);
    }
}
