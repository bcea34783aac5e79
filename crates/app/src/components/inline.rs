//! Text with `code spans` (the rules write their messages that way) as Yew
//! nodes: text outside backticks is a text node, text inside is a text node
//! in a `<code>`. Nothing is parsed as HTML.

use yew::{Html, html};

/// Splits `text` on backticks: odd pieces are code.
pub fn pieces(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split('`').collect();
    // An unmatched backtick leaves an even number of parts: show it as text.
    let balanced = parts.len() % 2 == 1;
    if !balanced {
        return vec![(false, text)];
    }
    parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()).map(|(i, p)| (i % 2 == 1, p)).collect()
}

pub fn inline(text: &str) -> Html {
    html! {
        { for pieces(text).into_iter().map(|(code, piece)| if code {
            html! { <code>{ piece.to_owned() }</code> }
        } else {
            html! { { piece.to_owned() } }
        }) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_code_spans() {
        assert_eq!(
            pieces("set `cpu` to `500m`."),
            vec![(false, "set "), (true, "cpu"), (false, " to "), (true, "500m"), (false, ".")]
        );
        assert_eq!(pieces("no code"), vec![(false, "no code")]);
        assert_eq!(pieces("odd ` tick"), vec![(false, "odd ` tick")]);
        assert_eq!(pieces("<b>not html</b>"), vec![(false, "<b>not html</b>")]);
    }
}
