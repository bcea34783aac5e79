//! Names that are almost right: a misspelled setting is silently ignored by
//! Django, so the rules name the misspelling instead of saying "missing".

/// Levenshtein distance, case-insensitive, on ASCII-folded characters.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_uppercase().chars().collect();
    let b: Vec<char> = b.to_ascii_uppercase().chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(ca != cb));
            let delete = previous.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let insert = current.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// Names within a small distance of `target` (but not equal to it).
pub(crate) fn near<'a>(target: &str, names: impl IntoIterator<Item = &'a String>) -> Vec<&'a String> {
    let limit = (target.len() / 6).max(1);
    names.into_iter().filter(|n| n.as_str() != target && edit_distance(n, target) <= limit).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn spots_misspellings() {
        assert_eq!(super::edit_distance("CSRF_TRISTED_ORIGINS", "CSRF_TRUSTED_ORIGINS"), 1);
        assert_eq!(super::edit_distance("CSRF_TRUSTED_ORIGIN", "CSRF_TRUSTED_ORIGINS"), 1);
        let names = ["CSRF_TRISTED_ORIGINS".to_owned(), "ALLOWED_HOSTS".to_owned(), "CSRF_TRUSTED_ORIGINS".to_owned()];
        assert_eq!(super::near("CSRF_TRUSTED_ORIGINS", &names), [&names[0]]);
    }
}
