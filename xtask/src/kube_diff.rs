//! The differential test of `m13_rules::kube`: the independent validator
//! `kubernetes-validate --strict -k 1.34.0` (from PyPI, in
//! `target/tools/`) judges the same documents, and wherever the schema
//! decides, both must agree on accept or reject.
//!
//! The documents: the validator's corpus (`crates/rules/tests/kube_cases`),
//! every file kubectl reads in the fixtures' `deployment/` folders, and
//! variants of the corpus' valid manifests (a field added, a key dropped, a
//! value of another type, an enum value in the wrong case), written as JSON
//! so that both sides read the same types (YAML 1.1 details such as `y` or
//! `1e3` differ between PyYAML and kubectl's reader).
//!
//! Where the checker knows more than the schema (the API server's own
//! checks, the decoder's quantity, base64 and int32 range, removed
//! versions), it rejects what the schema accepts: those are counted by kind
//! and listed, never counted as disagreement.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use m13_rules::kube::{self, RejectionKind};
use m13_rules::parse::yaml::{self, Node, ScalarType, Value as YamlValue};
use serde_json::{Map, Value};

use crate::project_root;
use crate::schemas::ensure_kubernetes_validate;

/// One document both sides judge.
struct Case {
    /// The file handed to kubernetes-validate.
    file: PathBuf,
    /// What it is, for the report.
    label: String,
}

/// What a side says about one document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Said {
    Accepts,
    Rejects(String),
    /// The side cannot judge it (no schema, a list, an object without a name).
    Undecided(String),
}

pub fn run() -> anyhow::Result<()> {
    let venv = ensure_kubernetes_validate()?;
    let work = project_root().join("target/kube-diff");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).with_context(|| format!("cannot create {}", work.display()))?;
    let mut cases = Vec::new();
    let corpus = project_root().join("crates/rules/tests/kube_cases");
    for file in sorted_files(&corpus)? {
        if file.extension().is_some_and(|x| x == "yaml") {
            split_documents(&file, &work, &format!("corpus {}", name_of(&file)), &mut cases)?;
        }
    }
    let fixtures = project_root().join("crates/rules/tests/fixtures");
    for fixture in sorted_files(&fixtures)? {
        let dir = fixture.join("release/deployment");
        if !dir.is_dir() {
            continue;
        }
        for file in sorted_files(&dir)? {
            let relative = format!("deployment/{}", name_of(&file));
            if kube::reads_file("deployment", &relative) {
                split_documents(&file, &work, &format!("fixture {}/{relative}", name_of(&fixture)), &mut cases)?;
            }
        }
    }
    let mut variants = 0;
    for valid in ["valid-deployment", "valid-service", "valid-config", "valid-secret"] {
        let text = std::fs::read_to_string(corpus.join(format!("{valid}.yaml")))?;
        let parsed = yaml::parse(&text);
        let root = parsed.documents.first().map(|d| to_json(&d.root)).context("a valid manifest")?;
        for (label, value) in mutations(&root) {
            let file = work.join(format!("variant-{variants:04}.json"));
            std::fs::write(&file, serde_json::to_string_pretty(&value)?)?;
            cases.push(Case { file, label: format!("variant of {valid}: {label}") });
            variants += 1;
        }
    }
    eprintln!("xtask: {} documents ({variants} generated variants); running kubernetes-validate on them", cases.len());
    let theirs = kubernetes_validate(&venv, &cases)?;
    let judged = theirs.values().filter(|s| !matches!(s, Said::Undecided(_))).count();
    if judged * 2 < cases.len() {
        bail!("kubernetes-validate judged only {judged} of {} documents: is it working?", cases.len());
    }
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();
    let mut disagreements = Vec::new();
    let mut knows_more = Vec::new();
    let mut undecided = Vec::new();
    for case in &cases {
        let ours = our_verdict(&case.file)?;
        let their = theirs.get(&case.file).cloned().unwrap_or(Said::Undecided("no output".to_owned()));
        let outcome = match (&ours, &their) {
            (_, Said::Undecided(why)) | (Said::Undecided(why), _) => {
                undecided.push(format!("{}: {why}", case.label));
                "undecided by one side".to_owned()
            }
            (Said::Accepts, Said::Accepts) => "agree: both accept".to_owned(),
            (Said::Rejects(_), Said::Rejects(_)) => "agree: both reject".to_owned(),
            (Said::Rejects(why), Said::Accepts) if !why.starts_with("schema") => {
                knows_more.push(format!("{}: {why}", case.label));
                format!("checker knows more: {}", why.split(' ').next().unwrap_or_default())
            }
            _ => {
                disagreements.push(format!("{}: checker {ours:?}, kubernetes-validate {their:?}", case.label));
                "DISAGREE".to_owned()
            }
        };
        *tally.entry(outcome).or_default() += 1;
    }
    for line in &knows_more {
        eprintln!("  knows more: {line}");
    }
    for line in &undecided {
        eprintln!("  undecided: {line}");
    }
    for (outcome, count) in &tally {
        eprintln!("  {count:>5}  {outcome}");
    }
    if !disagreements.is_empty() {
        for line in &disagreements {
            eprintln!("  disagreement: {line}");
        }
        bail!("{} documents where the checker and kubernetes-validate disagree", disagreements.len());
    }
    eprintln!("xtask: the checker agrees with kubernetes-validate wherever the schema decides");
    Ok(())
}

fn sorted_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    Ok(files)
}

fn name_of(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Each document of a file becomes its own file (kubectl splits a stream on
/// `---` lines the same way), so that one line of output is one document.
/// A file that is not valid YAML is left out: kubernetes-validate stops the
/// whole run on one.
fn split_documents(file: &Path, work: &Path, label: &str, cases: &mut Vec<Case>) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(file).unwrap_or_default();
    let parsed = yaml::parse(&text);
    if parsed.error.is_some() {
        return Ok(());
    }
    let mut current = String::new();
    let mut documents = Vec::new();
    for line in text.lines() {
        if line.trim_end() == "---" {
            documents.push(std::mem::take(&mut current));
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    documents.push(current);
    for (index, document) in documents.into_iter().enumerate() {
        let doc = yaml::parse(&document);
        let Some(root) = doc.documents.first().map(|d| &d.root) else { continue };
        // PyYAML skips empty documents (and `{}`): nothing to compare.
        if root.is_null() || (root.is_map() && root.entries().is_empty()) || doc.error.is_some() {
            continue;
        }
        let out = work.join(format!("doc-{:04}.yaml", cases.len()));
        std::fs::write(&out, document)?;
        cases.push(Case { file: out, label: format!("{label} (document {index})") });
    }
    Ok(())
}

/// The checker's verdict on a one-document file.
fn our_verdict(file: &Path) -> anyhow::Result<Said> {
    let text = std::fs::read_to_string(file)?;
    let parsed = yaml::parse(&text);
    let name = name_of(file);
    let manifest = kube::read_manifest(&name, &parsed);
    if manifest.objects.iter().any(|o| !o.item.is_empty()) {
        return Ok(Said::Undecided("a list: kubectl flattens it, the schema has none".to_owned()));
    }
    if let Some(rejection) = manifest.rejections.first() {
        return Ok(Said::Undecided(format!("not an object: {}", rejection.message)));
    }
    let rejections: Vec<kube::Rejection> = manifest.objects.iter().flat_map(kube::validate).collect();
    if let Some(r) = rejections.iter().find(|r| r.kind == RejectionKind::UnknownKind) {
        return Ok(Said::Undecided(r.message.clone()));
    }
    if let Some(r) = rejections.iter().find(|r| r.kind.schema_decides()) {
        return Ok(Said::Rejects(format!("schema {:?} {}", r.kind, r.field)));
    }
    Ok(match rejections.first() {
        None => Said::Accepts,
        Some(r) => Said::Rejects(format!("{:?} {}", r.kind, r.message)),
    })
}

/// Runs kubernetes-validate on every file and reads its verdicts. It
/// crashes on a few objects (a `metadata` that is not a mapping, when
/// naming the object in its error): that file is undecided, and the run
/// goes on from the next.
fn kubernetes_validate(venv: &Path, cases: &[Case]) -> anyhow::Result<BTreeMap<PathBuf, Said>> {
    let mut verdicts = BTreeMap::new();
    let mut rest: Vec<&PathBuf> = cases.iter().map(|c| &c.file).collect();
    while !rest.is_empty() {
        verdicts.extend(kubernetes_validate_run(venv, &rest)?);
        let Some(first_missing) = rest.iter().position(|f| !verdicts.contains_key(*f)) else { break };
        if let Some(file) = rest.get(first_missing) {
            verdicts.insert((*file).clone(), Said::Undecided("kubernetes-validate crashed on it".to_owned()));
        }
        rest = rest.split_off(first_missing + 1);
    }
    Ok(verdicts)
}

fn kubernetes_validate_run(venv: &Path, files: &[&PathBuf]) -> anyhow::Result<BTreeMap<PathBuf, Said>> {
    let mut command = Command::new(venv.join("bin/kubernetes-validate"));
    // Unbuffered, so the verdicts before a crash are not lost with it.
    command.env("PYTHONUNBUFFERED", "1").args(["--strict", "-k", "1.34.0"]).args(files);
    let output = command.output().context("cannot run kubernetes-validate")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut verdicts = BTreeMap::new();
    for line in stdout.lines() {
        let mut words = line.splitn(3, ' ');
        let (Some(level), Some(file), rest) = (words.next(), words.next(), words.next().unwrap_or_default()) else {
            continue;
        };
        let said = match level {
            "INFO" if rest.starts_with("passed") => Said::Accepts,
            "ERROR" if rest.starts_with("did not validate") => Said::Rejects(rest.to_owned()),
            _ => Said::Undecided(format!("{level} {rest}")),
        };
        verdicts.insert(PathBuf::from(file), said);
    }
    if verdicts.is_empty() && !String::from_utf8_lossy(&output.stderr).contains("Traceback") {
        bail!(
            "kubernetes-validate printed no verdicts (exit {}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(verdicts)
}

/// A YAML tree as the JSON kubectl's converter makes of it.
fn to_json(node: &Node) -> Value {
    match &node.value {
        YamlValue::Map(entries) => {
            let mut map = Map::new();
            for (k, v) in entries.iter() {
                let key = k.scalar().map(|s| s.text.clone()).unwrap_or_default();
                map.insert(key, to_json(v));
            }
            Value::Object(map)
        }
        YamlValue::Seq(items) => Value::Array(items.iter().map(to_json).collect()),
        YamlValue::Scalar(s) => match s.resolved_type() {
            ScalarType::Null => Value::Null,
            ScalarType::Bool => Value::Bool(matches!(
                s.text.as_str(),
                "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "y" | "Y"
            )),
            ScalarType::Int => s.text.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::String(s.text.clone())),
            ScalarType::Float => {
                s.text.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map_or(Value::Null, Value::Number)
            }
            ScalarType::Str => Value::String(s.text.clone()),
        },
    }
}

/// Fields whose values the API server holds to a set (the schema does not).
const ENUM_FIELDS: [&str; 5] = ["imagePullPolicy", "protocol", "type", "restartPolicy", "sessionAffinity"];

/// Variants of a valid object, each with what was changed.
fn mutations(root: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut paths = Vec::new();
    collect_paths(root, &mut Vec::new(), &mut paths);
    for path in &paths {
        let shown = show(path);
        let Some(target) = get(root, path) else { continue };
        if target.is_object() {
            let mut changed = root.clone();
            if let Some(Value::Object(map)) = get_mut(&mut changed, path) {
                map.insert("bogusField".to_owned(), Value::String("x".to_owned()));
            }
            out.push((format!("unknown field under {shown}"), changed));
        }
        if let Some((Step::Key(key), parent)) = path.split_last() {
            let mut changed = root.clone();
            if let Some(Value::Object(map)) = get_mut(&mut changed, parent) {
                map.remove(key);
            }
            out.push((format!("{shown} removed"), changed));
            if let Some(text) = target.as_str().filter(|_| ENUM_FIELDS.contains(&key.as_str())) {
                let mut changed = root.clone();
                if let Some(slot) = get_mut(&mut changed, path) {
                    *slot = Value::String(text.to_ascii_lowercase());
                }
                out.push((format!("{shown} in lowercase"), changed));
            }
        }
        let replacements: Vec<(&str, Value)> = match target {
            Value::String(_) => vec![
                ("a number", Value::from(42)),
                ("a boolean", Value::Bool(true)),
                ("a list", Value::Array(Vec::new())),
            ],
            Value::Number(n) => vec![
                ("a string", Value::String(n.to_string())),
                ("a boolean", Value::Bool(false)),
                ("a fraction", serde_json::json!(2.5)),
            ],
            Value::Bool(_) => vec![("a string", Value::String("true".to_owned()))],
            Value::Array(_) => {
                vec![("a mapping", Value::Object(Map::new())), ("a string", Value::String("x".to_owned()))]
            }
            Value::Object(_) if !path.is_empty() => {
                vec![("a list", Value::Array(Vec::new())), ("a string", Value::String("x".to_owned()))]
            }
            _ => Vec::new(),
        };
        for (what, replacement) in replacements {
            // apiVersion and kind choose the schema: changing them tests the lookup, not the schema.
            if matches!(path.as_slice(), [Step::Key(k)] if k == "apiVersion" || k == "kind") {
                continue;
            }
            let mut changed = root.clone();
            if let Some(slot) = get_mut(&mut changed, path) {
                *slot = replacement;
            }
            out.push((format!("{shown} as {what}"), changed));
        }
    }
    out
}

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn collect_paths(value: &Value, prefix: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                collect_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn show(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) if out.is_empty() => out.push_str(key),
            Step::Key(key) => out.push_str(&format!(".{key}")),
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    if out.is_empty() { "the object".to_owned() } else { out }
}

fn get<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(key) => v.get(key),
        Step::Index(i) => v.get(i),
    })
}

fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match step {
        Step::Key(key) => v.get_mut(key),
        Step::Index(i) => v.get_mut(i),
    })
}
