//! The page's pieces, one component per file. Each takes data and
//! callbacks as props and never fetches, stores or reads the clock; the app
//! (`app.rs`) does that. Repository text is only ever a text node.

pub mod cluster_steps;
pub mod copy_button;
pub mod drop_zone;
pub mod finding_card;
pub mod finding_list;
pub mod inline;
pub mod jump_bar;
pub mod load_error;
pub mod progress;
pub mod rate_limit;
pub mod release_graph;
pub mod report_export;
pub mod rule_doc;
pub mod summary;
pub mod token_field;
pub mod url_form;

/// A request to copy `text` to the clipboard; `what` names it in the
/// confirmation ("Copied the review.").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyRequest {
    pub text: String,
    pub what: String,
}

/// `12,345`: counts of what is not shown.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(1_000), "1,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
