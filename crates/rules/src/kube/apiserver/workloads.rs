//! Deployments, StatefulSets, Jobs and CronJobs: the selector (valid, not
//! empty, matching the template's labels), replicas, the strategy, and the
//! pod template.

use crate::parse::yaml::Node;

use super::metadata::labels_of;
use super::pod::{Owner, pod_spec};
use super::{Check, CheckedKind, FieldPath, Shown, as_text, go_quote, int, list, map, text};

pub(super) fn replicated(check: &mut Check<'_>, spec: &Node, path: &FieldPath, kind: CheckedKind) {
    let noun = if kind == CheckedKind::StatefulSet { "statefulset" } else { "deployment" };
    if let Some((replicas, at)) = int(spec, "replicas").filter(|(r, _)| *r < 0) {
        check.invalid(
            at,
            &path.field("replicas"),
            Shown::Int(replicas),
            "must be greater than or equal to 0",
            "0 or more replicas",
            "use a replica count of 1 or more",
        );
    }
    if kind == CheckedKind::Deployment
        && let Some((strategy, at)) = map(spec, "strategy").and_then(|s| text(s, "type")).filter(|(t, _)| !t.is_empty())
        && strategy != "Recreate"
        && strategy != "RollingUpdate"
    {
        check.not_supported(at, &path.field("strategy").field("type"), strategy, &["Recreate", "RollingUpdate"]);
    }
    let template = map(spec, "template");
    let selector = map(spec, "selector");
    if let Some(selector) = selector {
        let selector_path = path.field("selector");
        label_selector(check, selector, &selector_path);
        let empty = selector.get("matchLabels").is_none_or(|m| m.entries().is_empty())
            && list(selector, "matchExpressions").is_empty();
        if empty {
            check.invalid(
                selector,
                &selector_path,
                Shown::Raw(
                    "&LabelSelector{MatchLabels:map[string]string{},MatchExpressions:[]LabelSelectorRequirement{},}"
                        .to_owned(),
                ),
                &format!("empty selector is invalid for {noun}"),
                "`matchLabels:` with the template's labels",
                "add `matchLabels:` under `selector:` with the label of the pod template (`app: mysite`)",
            );
        } else if let Some(template) = template {
            selector_matches(check, selector, template, &path.field("template"));
        }
    }
    if let Some(template) = template {
        pod_template(check, template, &path.field("template"), Owner::Replicated);
    }
}

pub(super) fn job(check: &mut Check<'_>, spec: &Node, path: &FieldPath) {
    for field in ["parallelism", "completions", "backoffLimit", "activeDeadlineSeconds"] {
        if let Some((value, at)) = int(spec, field).filter(|(v, _)| *v < 0) {
            check.invalid(
                at,
                &path.field(field),
                Shown::Int(value),
                "must be greater than or equal to 0",
                "0 or more",
                "use 0 or more",
            );
        }
    }
    if let Some(template) = map(spec, "template") {
        pod_template(check, template, &path.field("template"), Owner::Job);
    }
}

pub(super) fn cron_job(check: &mut Check<'_>, spec: &Node, path: &FieldPath) {
    if let Some((policy, at)) = text(spec, "concurrencyPolicy").filter(|(p, _)| !p.is_empty())
        && !["Allow", "Forbid", "Replace"].contains(&policy)
    {
        check.not_supported(at, &path.field("concurrencyPolicy"), policy, &["Allow", "Forbid", "Replace"]);
    }
    if let Some(job_spec) = map(spec, "jobTemplate").and_then(|t| map(t, "spec")) {
        job(check, job_spec, &path.field("jobTemplate").field("spec"));
    }
}

fn pod_template(check: &mut Check<'_>, template: &Node, path: &FieldPath, owner: Owner) {
    if let Some(labels) = map(template, "metadata").and_then(|m| map(m, "labels")) {
        labels_of(check, labels, &path.field("metadata").field("labels"));
    }
    if let Some(spec) = map(template, "spec") {
        pod_spec(check, spec, &path.field("spec"), owner);
    }
}

/// `ValidateLabelSelector`: valid matchLabels, and expressions whose
/// operator and values agree.
fn label_selector(check: &mut Check<'_>, selector: &Node, path: &FieldPath) {
    if let Some(labels) = map(selector, "matchLabels") {
        labels_of(check, labels, &path.field("matchLabels"));
    }
    for (i, expression) in list(selector, "matchExpressions").iter().enumerate() {
        let field = path.field("matchExpressions").index(i);
        let values = list(expression, "values");
        match text(expression, "operator") {
            Some(("In" | "NotIn", _)) if values.is_empty() => check.required(
                expression,
                &field.field("values"),
                "must be specified when `operator` is 'In' or 'NotIn'",
                "`values:` with at least one value",
                "add `values: [...]`",
            ),
            Some(("Exists" | "DoesNotExist", at)) if !values.is_empty() => check.forbidden(
                at,
                &field.field("values"),
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                "no `values:`",
                "remove `values:`",
            ),
            Some(("In" | "NotIn" | "Exists" | "DoesNotExist", _)) => {}
            Some((operator, at)) => {
                check.not_supported(at, &field.field("operator"), operator, &["In", "NotIn", "Exists", "DoesNotExist"])
            }
            None => {}
        }
    }
}

/// "`selector` does not match template `labels`": the ReplicaSet could
/// never own its own pods.
fn selector_matches(check: &mut Check<'_>, selector: &Node, template: &Node, path: &FieldPath) {
    let labels_node = map(template, "metadata").and_then(|m| map(m, "labels"));
    let labels: Vec<(&str, &str)> = labels_node
        .map(Node::entries)
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, v)| Some((k.scalar()?.text.as_str(), as_text(v).unwrap_or_default())))
        .collect();
    let label = |key: &str| labels.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let mut unmatched = Vec::new();
    for (key, value) in map(selector, "matchLabels").map(Node::entries).unwrap_or_default() {
        let (Some(key), Some(value)) = (key.scalar().map(|s| s.text.as_str()), as_text(value).or(value.as_str()))
        else {
            continue;
        };
        if label(key) != Some(value) {
            unmatched.push(format!("{key}: {value}"));
        }
    }
    for expression in list(selector, "matchExpressions") {
        let Some((key, _)) = text(expression, "key") else { continue };
        let values: Vec<&str> = list(expression, "values").iter().filter_map(|v| v.as_str()).collect();
        let holds = match text(expression, "operator").map(|(o, _)| o) {
            Some("In") => label(key).is_some_and(|v| values.contains(&v)),
            Some("NotIn") => label(key).is_none_or(|v| !values.contains(&v)),
            Some("Exists") => label(key).is_some(),
            Some("DoesNotExist") => label(key).is_none(),
            _ => true,
        };
        if !holds {
            unmatched.push(format!("the expression on `{key}`"));
        }
    }
    if unmatched.is_empty() {
        return;
    }
    let shown = if labels.is_empty() {
        "map[string]string(nil)".to_owned()
    } else {
        let mut sorted = labels.clone();
        crate::order::sort(&mut sorted);
        let pairs: Vec<String> = sorted.iter().map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v))).collect();
        format!("map[string]string{{{}}}", pairs.join(", "))
    };
    let at = labels_node.or_else(|| map(template, "metadata")).unwrap_or(template);
    check.invalid(
        at,
        &path.field("metadata").field("labels"),
        Shown::Raw(shown),
        "`selector` does not match template `labels`",
        &format!("template labels that include {}", unmatched.join(", ")),
        "make `spec.selector.matchLabels` and `spec.template.metadata.labels` the same (`app: mysite` in both)",
    );
}
