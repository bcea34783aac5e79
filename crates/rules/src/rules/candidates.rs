//! The assignments of a setting that may be in force, for the rules that
//! judge one (`CSRF_TRUSTED_ORIGINS`, `DATABASES`). A setting assigned
//! under many conditions the files cannot decide is not judged value by
//! value: a person picks the one in force.

use crate::finding::Verdict;
use crate::model::settings::{Assignment, Settings};
use crate::shown;

/// Most assignments judged one by one; real settings have one or two.
pub(crate) const MAX_CANDIDATES: usize = 16;

/// The lines of `candidates` for a message: `12, 15 and 40 more`.
pub(crate) fn lines(candidates: &[&Assignment]) -> String {
    let lines: Vec<String> = candidates.iter().map(|a| a.line.to_string()).collect();
    shown::some_of(&lines, ", ")
}

/// `manual` when `name` has more than [`MAX_CANDIDATES`] assignments that
/// may be in force.
pub(crate) fn too_many(settings: &Settings, name: &str, candidates: &[&Assignment]) -> Option<Verdict> {
    (candidates.len() > MAX_CANDIDATES).then(|| {
        Verdict::manual(format!(
            "{name} is assigned {} times under conditions the files cannot decide (lines {}): check which value is in force by hand.",
            shown::thousands(candidates.len()),
            lines(candidates)
        ))
        // Only the entries shown have their value written out: a value may
        // be long, and thousands of assignments may share it.
        .with_all(candidates.iter().enumerate().map(|(i, a)| {
            let value = if i < shown::MAX_EVIDENCE { a.value.render() } else { "…".to_owned() };
            settings.evidence(a).found(format!("{name} = {value}"))
        }))
        .counting("assignments")
    })
}
