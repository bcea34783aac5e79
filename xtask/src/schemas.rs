//! `cargo xtask schemas [--check]`: the Kubernetes 1.34 object schemas the
//! rules crate embeds (`crates/rules/src/kube/schema-1.34.txt`), generated
//! from the strict JSON schemas of the PyPI package `kubernetes-validate`.
//!
//! The package is installed into a virtualenv under `target/tools/`, which
//! also gives the differential test (`kube_diff.rs`) its independent
//! validator. The generated form keeps what the API server's decoder and the
//! schema decide (fields, required, types, enums) and drops the descriptions,
//! so it costs the web checker a few kilobytes instead of 1.5 MB.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use serde_json::Value;

use crate::{project_root, run};

/// The package and the schema set: Kubernetes 1.34 is what minikube runs.
pub const KUBERNETES_VALIDATE: &str = "1.37.0";
pub const SCHEMA_SET: &str = "v1.34.0-local-strict";
/// Where the generated table lives, relative to the project root.
pub const GENERATED: &str = "crates/rules/src/kube/schema-1.34.txt";

/// The kinds students put in `deployment/`, as (apiVersion, kind).
const KINDS: [(&str, &str); 13] = [
    ("apps/v1", "Deployment"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "Secret"),
    ("v1", "Pod"),
    ("v1", "PersistentVolumeClaim"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1", "Ingress"),
    ("apps/v1", "StatefulSet"),
    ("batch/v1", "Job"),
    ("batch/v1", "CronJob"),
    ("v1", "Namespace"),
    ("v1", "ServiceAccount"),
];

/// The virtualenv holding `kubernetes-validate`.
pub fn venv() -> PathBuf {
    project_root().join("target/tools/kubernetes-validate")
}

/// Installs `kubernetes-validate` into `target/tools/` when it is missing
/// (pip keeps its download in its own cache, so a second machine state
/// costs no new download), and returns the virtualenv.
pub fn ensure_kubernetes_validate() -> anyhow::Result<PathBuf> {
    let venv = venv();
    let marker = venv.join(format!(".installed-{KUBERNETES_VALIDATE}"));
    if marker.exists() && venv.join("bin/kubernetes-validate").exists() {
        return Ok(venv);
    }
    eprintln!(
        "xtask: installing kubernetes-validate {KUBERNETES_VALIDATE} from PyPI into target/tools/kubernetes-validate \
         (the Kubernetes JSON schemas, and the independent validator of the differential test)"
    );
    // A half-made virtualenv (an interrupted install) is started afresh.
    let _ = std::fs::remove_dir_all(&venv);
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("kubernetes-validate=={KUBERNETES_VALIDATE}"),
    ]))?;
    std::fs::write(&marker, "").with_context(|| format!("cannot write {}", marker.display()))?;
    Ok(venv)
}

/// The schema directory inside the installed package.
pub fn schema_dir(venv: &Path) -> anyhow::Result<PathBuf> {
    let lib = venv.join("lib");
    let entries = std::fs::read_dir(&lib).with_context(|| format!("cannot list {}", lib.display()))?;
    for entry in entries.flatten() {
        let dir = entry.path().join("site-packages/kubernetes_validate/kubernetes-json-schema").join(SCHEMA_SET);
        if dir.join("_definitions.json").exists() {
            return Ok(dir);
        }
    }
    bail!("kubernetes-validate in {} has no {SCHEMA_SET} schemas", venv.display())
}

pub fn generate(check: bool) -> anyhow::Result<()> {
    let venv = ensure_kubernetes_validate()?;
    let path = schema_dir(&venv)?.join("_definitions.json");
    eprintln!("xtask: reading {}", path.display());
    let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let json: Value = serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    let defs = json.get("$defs").and_then(Value::as_object).context("_definitions.json has no $defs")?;
    let table = Table::build(defs)?.render();
    let target = project_root().join(GENERATED);
    let current = std::fs::read_to_string(&target).unwrap_or_default();
    if check {
        if current != table {
            bail!("{GENERATED} is stale: run `cargo xtask schemas`");
        }
        eprintln!("xtask: {GENERATED} is up to date");
        return Ok(());
    }
    std::fs::write(&target, &table).with_context(|| format!("cannot write {}", target.display()))?;
    eprintln!("xtask: wrote {GENERATED} ({} bytes)", table.len());
    Ok(())
}

/// What the generator writes: the object definitions reachable from the
/// embedded kinds, the kinds themselves, and every built-in kind of 1.34.
struct Table<'a> {
    defs: &'a serde_json::Map<String, Value>,
    /// Object definitions in the order written; a `@N` is an index here.
    order: Vec<&'a str>,
    index: BTreeMap<&'a str, usize>,
    roots: Vec<(&'static str, &'static str, usize)>,
    builtin: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Table<'a> {
    fn build(defs: &'a serde_json::Map<String, Value>) -> anyhow::Result<Table<'a>> {
        let mut by_gvk = BTreeMap::new();
        let mut builtin: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, def) in defs {
            let gvks = def.get("x-kubernetes-group-version-kind").and_then(Value::as_array);
            for gvk in gvks.into_iter().flatten() {
                let group = gvk.get("group").and_then(Value::as_str).unwrap_or_default();
                let version = gvk.get("version").and_then(Value::as_str).unwrap_or_default();
                let kind = gvk.get("kind").and_then(Value::as_str).unwrap_or_default();
                let api_version = if group.is_empty() { version.to_owned() } else { format!("{group}/{version}") };
                by_gvk.insert((api_version.clone(), kind.to_owned()), name.as_str());
                // Objects one can apply have metadata; options and events do not.
                if def.pointer("/properties/metadata").is_some() && gvks.is_some_and(|g| g.len() == 1) {
                    builtin.entry(api_version).or_default().insert(kind.to_owned());
                }
            }
        }
        let mut table = Table { defs, order: Vec::new(), index: BTreeMap::new(), roots: Vec::new(), builtin };
        let mut queue = VecDeque::new();
        for (api_version, kind) in KINDS {
            let name = by_gvk
                .get(&(api_version.to_owned(), kind.to_owned()))
                .with_context(|| format!("no schema for {api_version} {kind}"))?;
            let index = table.visit(name, &mut queue);
            table.roots.push((api_version, kind, index));
        }
        // Breadth first, fields in name order: a stable numbering.
        while let Some(name) = queue.pop_front() {
            let def = defs.get(name).with_context(|| format!("no definition {name}"))?;
            for (_, field) in properties(def) {
                for reference in references(field) {
                    if is_object(defs, reference) {
                        table.visit(reference, &mut queue);
                    }
                }
            }
        }
        Ok(table)
    }

    fn visit(&mut self, name: &'a str, queue: &mut VecDeque<&'a str>) -> usize {
        if let Some(&index) = self.index.get(name) {
            return index;
        }
        let index = self.order.len();
        self.order.push(name);
        self.index.insert(name, index);
        queue.push_back(name);
        index
    }

    fn render(&self) -> String {
        let mut out = String::new();
        out.push_str(&format!(
            "# Kubernetes 1.34 object schemas, strict: from the PyPI package kubernetes-validate {KUBERNETES_VALIDATE} ({SCHEMA_SET}).\n\
             # Generated by `cargo xtask schemas`; do not edit (`cargo xtask schemas --check` fails when stale).\n\
             # K apiVersion kind definition: the kinds checked. G apiVersion kinds...: every built-in kind of 1.34.\n\
             # D go-type field...: `name:type`, `name!:type` when required. Types: s string, b bool, i int32,\n\
             # l int64, n number, y base64 bytes, t time, o int-or-string, q quantity, x any object,\n\
             # [T list of T, {{T map of T, @N definition N (0-based, in file order), s=A|B a string enum.\n"
        ));
        for (api_version, kind, index) in &self.roots {
            out.push_str(&format!("K {api_version} {kind} {index}\n"));
        }
        for (api_version, kinds) in &self.builtin {
            let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
            out.push_str(&format!("G {api_version} {}\n", kinds.join(" ")));
        }
        for name in &self.order {
            let def = self.defs.get(*name).cloned().unwrap_or(Value::Null);
            let required: BTreeSet<&str> =
                def.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect();
            let mut line = format!("D {}", go_name(name));
            for (field, schema) in properties(&def) {
                let mark = if required.contains(field.as_str()) { "!" } else { "" };
                line.push_str(&format!(" {field}{mark}:{}", self.ty(schema)));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// The compact type of one property schema.
    fn ty(&self, schema: &Value) -> String {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let name = reference.rsplit('/').next().unwrap_or(reference);
            return match self.index.get(name) {
                Some(index) => format!("@{index}"),
                None => self.defs.get(name).map_or_else(|| "x".to_owned(), |def| self.scalar_def(name, def)),
            };
        }
        let types = type_names(schema);
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            return format!("s={}", values.join("|"));
        }
        let format = schema.get("format").and_then(Value::as_str).unwrap_or_default();
        if types.contains(&"array") {
            return format!("[{}", schema.get("items").map_or_else(|| "x".to_owned(), |items| self.ty(items)));
        }
        if types.contains(&"object") {
            return match schema.get("additionalProperties") {
                Some(values) if values.is_object() => format!("{{{}", self.ty(values)),
                _ => "x".to_owned(),
            };
        }
        match (types.first().copied().unwrap_or_default(), format) {
            ("string", "byte") => "y",
            ("string", "date-time") => "t",
            ("string", _) => "s",
            ("boolean", _) => "b",
            ("integer", "int32") => "i",
            ("integer", _) => "l",
            ("number", _) => "n",
            _ => "x",
        }
        .to_owned()
    }

    /// A definition without properties: Quantity, IntOrString, Time...
    fn scalar_def(&self, name: &str, def: &Value) -> String {
        if name.ends_with(".Quantity") {
            return "q".to_owned();
        }
        if name.ends_with(".IntOrString") {
            return "o".to_owned();
        }
        self.ty(def)
    }
}

fn go_name(definition: &str) -> String {
    let mut parts = definition.rsplit('.');
    let name = parts.next().unwrap_or(definition);
    let package = parts.next().unwrap_or_default();
    format!("{package}.{name}")
}

fn properties(def: &Value) -> impl Iterator<Item = (&String, &Value)> {
    def.get("properties").and_then(Value::as_object).into_iter().flatten()
}

fn is_object(defs: &serde_json::Map<String, Value>, name: &str) -> bool {
    defs.get(name).is_some_and(|def| def.get("properties").is_some())
}

/// The definitions a property schema names, at any depth of lists and maps.
fn references(schema: &Value) -> Vec<&str> {
    let mut found = Vec::new();
    let mut pending = vec![schema];
    while let Some(schema) = pending.pop() {
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            found.push(reference.rsplit('/').next().unwrap_or(reference));
        }
        pending.extend(schema.get("items"));
        pending.extend(schema.get("additionalProperties").filter(|v| v.is_object()));
    }
    found
}

fn type_names(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
        _ => Vec::new(),
    }
}
