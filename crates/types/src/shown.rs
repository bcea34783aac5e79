//! How much of a release a report shows. A release may hold a
//! 40,000-character `POSTGRES_HOSTNAME` or 20,000 Pods; the report keeps
//! the start of a long text (with its full length) and the first pieces of
//! evidence (with a count of the rest), so what every writer and the web
//! app receive stays small whatever the input.

use std::borrow::Cow;

/// Longest `found`, `expected`, graph label or detail kept whole, in
/// characters; a longer one keeps its first [`KEPT_CHARS`].
pub const MAX_SHOWN_CHARS: usize = 240;
/// What a clipped text keeps, in characters, before "… (N characters)".
pub const KEPT_CHARS: usize = 200;
/// Longest message or fix kept whole, in characters (the rules' own
/// sentences stay under 300; only quoted release text makes one longer).
pub const MAX_MESSAGE_CHARS: usize = 1_000;
/// Most evidence entries a finding shows; one more entry counts the rest.
pub const MAX_EVIDENCE: usize = 20;
/// Most items a message lists (`a, b, c and 4,997 more`).
pub const MAX_LISTED: usize = 10;

/// `text` whole when it has at most [`MAX_SHOWN_CHARS`] characters, else
/// its start, an ellipsis and its full length: `hhhh… (40,000 characters)`.
pub fn clip(text: &str) -> Cow<'_, str> {
    clip_to(text, MAX_SHOWN_CHARS, KEPT_CHARS)
}

/// [`clip`] for an owned string, which is returned as it is when short.
pub fn clip_owned(text: String) -> String {
    match clip(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clipped) => clipped,
    }
}

/// A message or fix: whole up to [`MAX_MESSAGE_CHARS`], else clipped.
pub fn clip_message(text: String) -> String {
    match clip_to(&text, MAX_MESSAGE_CHARS, MAX_MESSAGE_CHARS - 40) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clipped) => clipped,
    }
}

fn clip_to(text: &str, max: usize, kept: usize) -> Cow<'_, str> {
    // Byte length bounds the character count, so short texts cost nothing.
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    if text.chars().nth(max).is_none() {
        return Cow::Borrowed(text);
    }
    let cut = text.char_indices().nth(kept).map_or(text.len(), |(i, _)| i);
    let total = text.chars().count();
    Cow::Owned(format!("{}… ({} characters)", text.get(..cut).unwrap_or_default(), thousands(total)))
}

/// An id built from release text (`host/VALUE`, `configmap/NAME`), short
/// whatever the text: a long one keeps its start and a hash of the whole,
/// so two long names stay two ids.
pub fn clip_id(id: String) -> String {
    const MAX_ID_BYTES: usize = 160;
    if id.len() <= MAX_ID_BYTES {
        return id;
    }
    let cut = (0..=120).rev().find(|&i| id.is_char_boundary(i)).unwrap_or(0);
    format!("{}…{:016x}", id.get(..cut).unwrap_or_default(), fnv1a(id.as_bytes()))
}

/// FNV-1a, 64 bits: stable across builds and targets, unlike std's hasher.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// `n` with its thousands grouped: `19,990`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Most sentences a message lists (`x is not valid YAML; y could not be
/// read; and 4,997 more`).
pub const MAX_SENTENCES: usize = 3;

/// The first [`MAX_LISTED`] of `items` joined by `separator`, then
/// `and N more` when there are others.
pub fn some_of(items: &[String], separator: &str) -> String {
    first_of(items, separator, MAX_LISTED)
}

/// [`some_of`] for items that are sentences: the first [`MAX_SENTENCES`].
pub fn some_sentences(items: &[String]) -> String {
    first_of(items, "; ", MAX_SENTENCES)
}

fn first_of(items: &[String], separator: &str, limit: usize) -> String {
    let shown = items.get(..limit.min(items.len())).unwrap_or_default();
    let mut text = shown.join(separator);
    if items.len() > shown.len() {
        text.push_str(&format!("{separator}and {} more", thousands(items.len() - shown.len())));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_keep_their_start_and_length() {
        assert_eq!(clip("postgres-postgresql"), "postgres-postgresql");
        let long = "h".repeat(40_000);
        let clipped = clip(&long);
        assert_eq!(clipped, format!("{}… (40,000 characters)", "h".repeat(KEPT_CHARS)));
        // Characters, not bytes: a text of 240 two-byte characters is whole.
        let accented = "é".repeat(MAX_SHOWN_CHARS);
        assert_eq!(clip(&accented), accented);
        assert!(clip(&"é".repeat(MAX_SHOWN_CHARS + 1)).ends_with("… (241 characters)"));
        assert_eq!(clip_message("short".to_owned()), "short");
        assert!(clip_message("m".repeat(5_000)).ends_with("… (5,000 characters)"));
    }

    #[test]
    fn long_ids_stay_distinct() {
        let a = clip_id(format!("host/{}a", "h".repeat(1_000)));
        let b = clip_id(format!("host/{}b", "h".repeat(1_000)));
        assert!(a.len() < 200 && b.len() < 200);
        assert_ne!(a, b);
        assert_eq!(clip_id("host/db".to_owned()), "host/db");
    }

    #[test]
    fn numbers_are_grouped_and_lists_counted() {
        assert_eq!(
            (thousands(7), thousands(19_990), thousands(1_234_567)),
            ("7".into(), "19,990".into(), "1,234,567".into())
        );
        let names: Vec<String> = (0..13).map(|i| format!("n{i}")).collect();
        assert_eq!(some_of(&names[..2], ", "), "n0, n1");
        assert_eq!(some_of(&names, ", "), "n0, n1, n2, n3, n4, n5, n6, n7, n8, n9, and 3 more");
    }
}

/// `text` with the password of any `scheme://user:password@host` URL in it
/// replaced by `****`: a `DATABASE_URL` shown as evidence names the host and
/// user the app connects with, not its password.
pub fn without_url_passwords(text: &str) -> Cow<'_, str> {
    if !text.contains("://") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("://") {
        let (before, after) = rest.split_at(start + 3);
        out.push_str(before);
        let authority_end = after.find(['/', ' ', '\'', '"']).unwrap_or(after.len());
        let authority = after.get(..authority_end).unwrap_or_default();
        match (authority.rfind('@'), authority.find(':')) {
            (Some(at), Some(colon)) if colon < at => {
                out.push_str(authority.get(..=colon).unwrap_or_default());
                out.push_str("****");
                out.push_str(authority.get(at..).unwrap_or_default());
            }
            _ => out.push_str(authority),
        }
        rest = after.get(authority_end..).unwrap_or_default();
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod url_password_tests {
    use super::without_url_passwords;

    #[test]
    fn hides_only_the_password() {
        assert_eq!(
            without_url_passwords("DATABASE_URL: postgres://mysite:s3cret@postgres-postgresql:5432/mysite"),
            "DATABASE_URL: postgres://mysite:****@postgres-postgresql:5432/mysite"
        );
        assert_eq!(without_url_passwords("postgres://db:5432/x"), "postgres://db:5432/x");
        assert_eq!(without_url_passwords("no url: a:b@c"), "no url: a:b@c");
        assert_eq!(without_url_passwords("a://u:p@h b://v:q@i/"), "a://u:****@h b://v:****@i/");
    }
}
