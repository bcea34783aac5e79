//! What a rule says about a release: a status, a message, evidence and a fix
//! (the types are `m13_types::finding`'s), and how `check` bounds it.

pub use m13_types::finding::{Evidence, Finding, Status, Verdict};

use crate::shown::{MAX_EVIDENCE, thousands};

/// Upper-cases an ASCII first letter of a sentence built from our own
/// messages or rule ids, which are ASCII: Unicode's case tables would add
/// 24 KB to the web app.
pub fn capitalise(text: &str) -> String {
    let mut text = text.to_owned();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// At most [`MAX_EVIDENCE`] entries, then one that counts the rest
/// (`and 19,990 more objects`) at the place they share: their file, or
/// the directory holding them all.
pub fn cap_evidence(mut evidence: Vec<Evidence>, noun: &str) -> Vec<Evidence> {
    if evidence.len() <= MAX_EVIDENCE + 1 {
        return evidence;
    }
    let rest = evidence.split_off(MAX_EVIDENCE);
    let shared = shared_place(&rest);
    evidence.push(Evidence::at(shared, None).found(format!("and {} more {noun}", thousands(rest.len()))));
    evidence
}

/// The path every entry has, else their common directory (`deployment/`),
/// else the first entry's path.
fn shared_place(evidence: &[Evidence]) -> String {
    let Some(first) = evidence.first() else { return String::new() };
    let mut common: &str = &first.path;
    for entry in evidence {
        while !(entry.path == common || (common.ends_with('/') && entry.path.starts_with(common))) {
            let trimmed = common.trim_end_matches('/');
            match trimmed.rfind('/') {
                Some(slash) => common = common.get(..=slash).unwrap_or_default(),
                None => return first.path.clone(),
            }
        }
    }
    common.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_beyond_the_cap_is_counted_where_it_is() {
        let pods = |n: usize| -> Vec<Evidence> {
            (0..n).map(|i| Evidence::at(format!("deployment/pods-{}.yaml", i % 4), Some(1)).found("Pod")).collect()
        };
        assert_eq!(cap_evidence(pods(21), "objects").len(), 21);
        let capped = cap_evidence(pods(20_010), "objects");
        assert_eq!(capped.len(), MAX_EVIDENCE + 1);
        assert_eq!(capped.last(), Some(&Evidence::at("deployment/", None).found("and 19,990 more objects")));
        let one_file: Vec<Evidence> = (0..30).map(|i| Evidence::at("deployment/pods.yaml", Some(i))).collect();
        assert_eq!(cap_evidence(one_file, "places").last().map(|e| e.path.as_str()), Some("deployment/pods.yaml"));
        let apart = [("x.yaml", 20), ("a.yaml", 5), ("b/c.yaml", 5)]
            .into_iter()
            .flat_map(|(path, n)| vec![Evidence::at(path, None); n])
            .collect();
        assert_eq!(cap_evidence(apart, "places").last().map(|e| e.path.as_str()), Some("a.yaml"));
    }
}
