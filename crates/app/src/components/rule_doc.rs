//! A rule's explanation (Markdown from its doc comment) as text: `##`
//! headings become headings, blank lines separate paragraphs, backticks
//! become `<code>`. No Markdown renderer, no HTML from strings.

use yew::{Html, Properties, component, html};

use super::inline::inline;

/// A block of the explanation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
}

/// Splits the explanation into headings and paragraphs.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, blocks: &mut Vec<Block>| {
        if !paragraph.is_empty() {
            blocks.push(Block::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if let Some(heading) = line.strip_prefix("## ").or_else(|| line.strip_prefix("# ")) {
            flush(&mut paragraph, &mut blocks);
            blocks.push(Block::Heading(heading.trim().to_owned()));
        } else if line.is_empty() {
            flush(&mut paragraph, &mut blocks);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut blocks);
    blocks
}

#[derive(Properties, PartialEq)]
pub struct RuleDocProps {
    pub text: String,
}

#[component]
pub fn RuleDoc(props: &RuleDocProps) -> Html {
    html! {
        <div class="rule-doc">
            { for blocks(&props.text).into_iter().map(|block| match block {
                Block::Heading(text) => html! { <h4>{ text }</h4> },
                Block::Paragraph(text) => html! { <p>{ inline(&text) }</p> },
            }) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use m13_rules::{RuleId, RuleOf};

    use super::*;

    #[test]
    fn splits_headings_and_paragraphs() {
        let text = "## What it checks\nThe CPU\nrequest.\n\n## Why it matters\nScheduling.";
        assert_eq!(
            blocks(text),
            vec![
                Block::Heading("What it checks".into()),
                Block::Paragraph("The CPU request.".into()),
                Block::Heading("Why it matters".into()),
                Block::Paragraph("Scheduling.".into()),
            ]
        );
    }

    #[test]
    fn every_rule_explanation_has_headings_and_text() {
        for id in RuleId::ALL {
            let blocks = blocks(&id.rule().explanation());
            assert!(blocks.iter().any(|b| matches!(b, Block::Heading(_))), "{id}");
            assert!(blocks.iter().any(|b| matches!(b, Block::Paragraph(_))), "{id}");
        }
    }
}
