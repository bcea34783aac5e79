//! The parsed release: every file the rules read, parsed once, plus the
//! discoveries every rule shares (which Deployment runs Django, where the
//! settings are). Rules read this and never the raw snapshot bytes.

mod discover;
pub mod env;
mod index;
pub mod k8s;
pub mod ports;
pub mod settings;
pub mod values;

use crate::finding::Evidence;
use crate::kube;
use crate::origin::Origin;
use crate::parse::dockerfile::Dockerfile;
use crate::parse::requirements::{self, Requirement};
use crate::parse::yaml::{self, YamlError};
use crate::snapshot::{Content, Snapshot};

pub use discover::wanted_files;
pub use k8s::{Container, Defect, Object, Workload};
pub use settings::Settings;
pub use values::Values;

/// The directory the test procedure applies (`kubectl apply -f deployment/`).
pub const MANIFEST_DIR: &str = "deployment";
/// Where the test procedure's `helm install` reads its values.
pub const VALUES_PATH: &str = "values-postgres.yaml";

/// A text file of the release, decoded, or why it could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Text {
    Ok(String),
    /// Not read: the reader's reason, or "not UTF-8 text".
    Unreadable(String),
}

/// A file directly in the manifest directory and what kubectl would make of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifestFile {
    pub path: String,
    pub state: ManifestState,
    /// What kubectl refuses in the file outside any object: a document
    /// that is not a mapping, `items:` that is not a list.
    pub rejections: Vec<crate::kube::Rejection>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ManifestState {
    /// Parsed: its documents are in [`Release::objects`], and may still be
    /// defective objects (see [`Object::defect`]).
    Parsed,
    /// Not valid YAML: kubectl rejects the whole file.
    Invalid(YamlError),
    Unreadable(String),
    /// Not a `.yaml`, `.yml` or `.json` file: `kubectl apply -f dir/` skips it.
    Ignored,
}

/// A parsed Dockerfile with its path.
#[derive(Debug, Clone, PartialEq)]
pub struct DockerfileAt {
    pub path: String,
    pub file: Dockerfile,
}

/// A parsed requirements file with its path.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementsAt {
    pub path: String,
    pub requirements: Vec<Requirement>,
}

/// Everything the rules know about one release.
pub struct Release<'s> {
    pub snapshot: &'s Snapshot,
    pub origin: &'s Origin,
    /// The directory holding the manifests: `deployment`, or another one
    /// found when the release has none (see `procedure-names`).
    pub manifest_dir: String,
    pub manifests: Vec<ManifestFile>,
    /// Every document with a `kind`, from files that parsed.
    pub objects: Vec<Object>,
    pub values: Values,
    pub settings: Option<Settings>,
    pub dockerfiles: Vec<DockerfileAt>,
    pub requirements: Vec<RequirementsAt>,
    /// The Deployment (and container) that runs Django, if one does.
    pub django: Option<Workload>,
    /// What the Django container runs when it starts, most authoritative
    /// first: its own `command`/`args`, the image's `CMD`/`ENTRYPOINT`, then
    /// each line of the release's start script that one of them runs (the
    /// container's when it has a command, else the image's; matched by file
    /// name, as `COPY start.sh /app/` then `CMD ["/app/start.sh"]`), without
    /// comments.
    pub start_lines: Vec<StartLine>,
    /// The objects by kind and name.
    index: index::ObjectIndex,
    /// The variables resolved so far for the Django container.
    env_cache: env::Cache,
    django_labels: std::cell::OnceCell<k8s::LabelSet>,
}

/// The words of a command in either form a Dockerfile or a manifest writes
/// it: `python manage.py migrate` or `["python", "manage.py", "migrate"]`.
pub fn command_words(command: &str) -> impl Iterator<Item = &str> {
    command.split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']')).filter(|w| !w.is_empty())
}

/// One command the Django container runs when it starts, and where it is
/// written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartLine {
    pub text: String,
    pub at: Evidence,
}

impl<'s> Release<'s> {
    pub fn new(snapshot: &'s Snapshot, origin: &'s Origin) -> Release<'s> {
        let manifest_dir = discover::manifest_dir(snapshot);
        let mut objects = Vec::new();
        let manifests = discover::manifest_paths(snapshot, &manifest_dir)
            .into_iter()
            .map(|path| {
                let mut rejections = Vec::new();
                let state = if !discover::is_applied_extension(&path) {
                    ManifestState::Ignored
                } else {
                    match text(snapshot, &path) {
                        Text::Unreadable(reason) => ManifestState::Unreadable(reason),
                        Text::Ok(source) => {
                            let file = yaml::parse(&source);
                            match file.error {
                                Some(error) => ManifestState::Invalid(error),
                                None => {
                                    // As kubectl reads it: documents, list items.
                                    let manifest = kube::read_manifest(&path, &file);
                                    objects.extend(manifest.objects.iter().map(Object::from_kube));
                                    rejections = manifest.rejections;
                                    ManifestState::Parsed
                                }
                            }
                        }
                    }
                };
                ManifestFile { path, state, rejections }
            })
            .collect::<Vec<_>>();
        let index = index::ObjectIndex::new(&objects);
        let values = Values::read(snapshot);
        let dockerfiles = discover::dockerfile_paths(snapshot)
            .into_iter()
            .filter_map(|path| match text(snapshot, &path) {
                Text::Ok(source) => Some(DockerfileAt { file: Dockerfile::parse(&source), path }),
                Text::Unreadable(_) => None,
            })
            .collect();
        let requirements = discover::requirements_paths(snapshot)
            .into_iter()
            .filter_map(|path| match text(snapshot, &path) {
                Text::Ok(source) => Some(RequirementsAt { requirements: requirements::parse(&source), path }),
                Text::Unreadable(_) => None,
            })
            .collect();
        let mut release = Release {
            snapshot,
            origin,
            manifest_dir,
            manifests,
            objects,
            values,
            settings: None,
            dockerfiles,
            requirements,
            django: None,
            start_lines: Vec::new(),
            index,
            env_cache: env::Cache::default(),
            django_labels: std::cell::OnceCell::new(),
        };
        release.django = k8s::find_django(&release.objects);
        release.start_lines = release.find_start_lines();
        // DJANGO_SETTINGS_MODULE, when the release sets it to one of its
        // files (`mysite.settings.production`), names the module in force;
        // else manage.py's default for it does (what step 8 runs), cited
        // only when it is not the module found by name anyway.
        let read_module = |spec: &str| {
            let path = discover::module_file(snapshot, "", spec)?;
            snapshot.content(&path).is_some().then_some(path)
        };
        let found_by_name = discover::settings_path(snapshot);
        let named = env::resolve(&release, "DJANGO_SETTINGS_MODULE")
            .and_then(|binding| Some((read_module(binding.value.as_deref()?)?, binding.chain)))
            .or_else(|| {
                let manage = discover::manage_py_path(snapshot)?;
                let Text::Ok(source) = text(snapshot, &manage) else { return None };
                let (line, module) = settings::settings_module_default(&source)?;
                let path = read_module(&module).filter(|p| Some(p) != found_by_name.as_ref())?;
                let found = format!("DJANGO_SETTINGS_MODULE defaults to {module}");
                Some((path, vec![Evidence::at(manage, Some(line)).found(found)]))
            });
        release.settings = match named {
            Some((path, chain)) => Some(Settings { chosen_by: chain, ..Settings::read(&release, path) }),
            None => found_by_name.map(|path| Settings::read(&release, path)),
        };
        release
    }

    /// [`Release::start_lines`], read once the Django container is known.
    fn find_start_lines(&self) -> Vec<StartLine> {
        let mut lines = Vec::new();
        if let (Some(object), Some(container)) = (self.django_object(), self.django_container()) {
            let command = container.command_line();
            if !command.trim().is_empty() {
                let line = container.node.get("command").or_else(|| container.node.get("args")).map(|n| n.line);
                lines.push(StartLine { text: command, at: Evidence::at(&object.path, line) });
            }
        }
        let container_commands = lines.len();
        if let Some(dockerfile) = self.dockerfiles.first() {
            for instruction in dockerfile.file.final_stage() {
                if instruction.keyword == "CMD" || instruction.keyword == "ENTRYPOINT" {
                    let at = Evidence::at(&dockerfile.path, Some(instruction.line));
                    lines.push(StartLine { text: instruction.args.clone(), at });
                }
            }
        }
        let runners = match lines.get(..container_commands) {
            Some(commands) if !commands.is_empty() => commands,
            _ => lines.as_slice(),
        };
        let script = runners.iter().find_map(|runner| {
            command_words(&runner.text)
                .filter(|word| word.ends_with(".sh"))
                .find_map(|word| self.script(word.rsplit('/').next().unwrap_or(word)))
        });
        if let Some((path, source)) = script {
            for (line, number) in source.lines().zip(1u32..) {
                let code = line.split('#').next().unwrap_or_default().trim();
                if !code.is_empty() {
                    lines.push(StartLine { text: code.to_owned(), at: Evidence::at(&path, Some(number)) });
                }
            }
        }
        lines
    }

    /// The text of the release's shell script named `file_name` (`start.sh`),
    /// among those read for start commands, with its path.
    fn script(&self, file_name: &str) -> Option<(String, String)> {
        let path =
            discover::script_paths(self.snapshot).into_iter().find(|p| p.rsplit('/').next() == Some(file_name))?;
        match text(self.snapshot, &path) {
            Text::Ok(source) => Some((path, source)),
            Text::Unreadable(_) => None,
        }
    }
    /// Objects kubectl would create: no defect, from files that parsed.
    pub fn applied(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter().filter(|o| o.defect.is_none())
    }

    /// The applied objects of `kind`, in file order.
    pub fn applied_of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.index.applied_of_kind(kind).iter().filter_map(|&i| self.objects.get(i))
    }

    /// The objects of `kind`, applied or rejected, in file order.
    pub fn of_kind<'a>(&'a self, kind: &str) -> impl Iterator<Item = &'a Object> + 'a {
        self.index.of_kind(kind).iter().filter_map(|&i| self.objects.get(i))
    }

    /// The applied object of `kind` named `name` (the first, as kubectl
    /// would apply a second one over it).
    pub fn find(&self, kind: &str, name: &str) -> Option<&Object> {
        self.index.applied(kind, name).and_then(|i| self.objects.get(i))
    }

    /// The object of `kind` named `name`, applied or rejected.
    pub fn find_any(&self, kind: &str, name: &str) -> Option<&Object> {
        self.index.any(kind, name).and_then(|i| self.objects.get(i))
    }

    /// The manifest file at `path`, if it is one.
    pub fn manifest(&self, path: &str) -> Option<&ManifestFile> {
        self.manifests.iter().find(|m| m.path == path)
    }

    /// The path of a manifest file in the manifest directory: `deployment/config.yaml`.
    pub fn manifest_path(&self, file: &str) -> String {
        format!("{}/{file}", self.manifest_dir)
    }

    /// The files the milestone removes (`deployment/pod.yaml`, `.yml`, or
    /// the same name in another manifest directory) that are still present.
    pub fn leftover_files(&self, stem: &str) -> Vec<String> {
        let mut paths: Vec<String> = ["yaml", "yml"]
            .iter()
            .flat_map(|ext| [format!("deployment/{stem}.{ext}"), self.manifest_path(&format!("{stem}.{ext}"))])
            .filter(|p| self.snapshot.exists(p))
            .collect();
        crate::order::sort(&mut paths);
        paths.dedup();
        paths
    }

    /// The Django workload's object.
    pub fn django_object(&self) -> Option<&Object> {
        self.django.as_ref().and_then(|w| self.objects.get(w.object))
    }

    /// The labels of the Django pods, as a set (none without a Django
    /// Deployment), for matching every Service's selector against them.
    pub fn django_labels(&self) -> &k8s::LabelSet {
        self.django_labels
            .get_or_init(|| k8s::LabelSet::new(&self.django_object().map(Object::template_labels).unwrap_or_default()))
    }

    /// The Django container.
    pub fn django_container(&self) -> Option<Container<'_>> {
        let workload = self.django.as_ref()?;
        self.objects.get(workload.object)?.container(workload.container)
    }

    /// Why a manifest file yields no objects, for messages, with the line
    /// when there is one: ("is not valid YAML (line 4: ...)", Some(4)).
    /// `None` when it parsed.
    pub fn manifest_problem(&self, path: &str) -> Option<(String, Option<u32>)> {
        match &self.manifest(path)?.state {
            ManifestState::Parsed => None,
            ManifestState::Invalid(error) => {
                Some((format!("is not valid YAML (line {}: {})", error.line, error.message), Some(error.line)))
            }
            ManifestState::Unreadable(reason) => Some((format!("could not be read ({reason})"), None)),
            ManifestState::Ignored => {
                Some(("is not a .yaml, .yml or .json file, so kubectl skips it".to_owned(), None))
            }
        }
    }

    /// Evidence for every manifest kubectl rejects: invalid files and
    /// rejected objects, each at its line. Rules that find nothing to check
    /// show these so the student sees why.
    pub fn rejected_evidence(&self, kind: Option<&str>) -> Vec<Evidence> {
        use crate::finding::Evidence;
        let mut evidence: Vec<Evidence> = self
            .manifests
            .iter()
            .filter_map(|m| match &m.state {
                ManifestState::Invalid(error) => Some(
                    Evidence::at(&m.path, Some(error.line))
                        .found(format!("not valid YAML: {}", error.message))
                        .expected("valid YAML"),
                ),
                _ => None,
            })
            .collect();
        if kind.is_none() {
            for rejection in self.manifests.iter().flat_map(|m| &m.rejections) {
                let found = format!("rejected: {}", rejection.message);
                evidence.push(rejection_evidence(rejection, found, rejection.expected.clone()));
            }
        }
        for object in self.objects.iter().filter(|o| kind.is_none_or(|k| o.kind == k)) {
            if let Some(defect) = &object.defect {
                evidence.push(
                    Evidence::at(&object.path, Some(defect.line))
                        .column(defect.column)
                        .found(format!("{} rejected: {}", object.display(), defect.message))
                        .expected(defect.expected.clone()),
                );
            }
        }
        evidence
    }
}

/// Evidence for one rejection, at its `path:line:column`: the one builder
/// the model's and the rules' messages about kubectl's refusals share.
pub fn rejection_evidence(rejection: &crate::kube::Rejection, found: String, expected: String) -> Evidence {
    Evidence::at(&rejection.path, Some(rejection.line)).column(rejection.column).found(found).expected(expected)
}

/// The text of `path`: UTF-8 (a BOM removed), or why not.
pub fn text(snapshot: &Snapshot, path: &str) -> Text {
    match snapshot.content(path) {
        None => match snapshot.entry(path) {
            Some(entry) if entry.size > crate::snapshot::limits::MAX_FILE_BYTES => Text::Unreadable(format!(
                "larger than the {} KiB limit for one file ({} KiB)",
                crate::snapshot::limits::MAX_FILE_BYTES / 1024,
                entry.size.div_ceil(1024)
            )),
            _ => Text::Unreadable("not read".to_owned()),
        },
        Some(Content::Unreadable(reason)) => Text::Unreadable(reason.clone()),
        Some(Content::Bytes(bytes)) => match std::str::from_utf8(bytes) {
            Ok(text) => Text::Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_owned()),
            Err(error) => Text::Unreadable(format!("not UTF-8 text (invalid byte at offset {})", error.valid_up_to())),
        },
    }
}

impl Release<'_> {
    /// The Service that fronts Django: a LoadBalancer selecting the Django
    /// pods if there is one, else any Service selecting them, else the only
    /// LoadBalancer.
    pub fn django_service(&self) -> Option<&Object> {
        let labels = self.django_labels();
        let services: Vec<&Object> = self.applied_of_kind("Service").collect();
        let is_lb = |s: &&Object| k8s::service_type(s).0 == "LoadBalancer";
        let selecting = |s: &&Object| labels.selected_by(&k8s::service_selector(s));
        services
            .iter()
            .find(|s| is_lb(s) && selecting(s))
            .or_else(|| services.iter().find(|s| selecting(s)))
            .or_else(|| services.iter().find(|s| is_lb(s)))
            .copied()
    }
}
