//! Text in the picture, measured by counting characters: the component
//! draws it in a monospace font (0.6 em a character in the common ones),
//! and wide East Asian letters and pictographs take two cells.

/// The width of `cells` character cells of a font of `size`: 0.61 em a
/// cell, a little more than the common monospace fonts (0.6 em) and than
/// the average letter of a sans-serif one.
pub fn char_width(cells: usize, size: i32) -> i32 {
    let cells = i32::try_from(cells).unwrap_or(i32::MAX / 1000);
    (cells.saturating_mul(size).saturating_mul(61) + 99) / 100
}

/// How many character cells fit in `width` at `size`.
pub(super) fn fits(width: i32, size: i32) -> usize {
    usize::try_from((width * 100) / (size * 61)).unwrap_or(0).max(4)
}

/// Repository text made safe to measure and show on one line, and cut to
/// `budget` cells: control characters become spaces, runs of spaces one
/// space (as [`wrap`] would join them), direction overrides go. True when
/// something was cut. It stops at the budget, so a 40,000-character value
/// costs what fits in its box, not its length.
fn clip(text: &str, budget: usize) -> (String, bool) {
    let mut out = String::new();
    let mut used = 0;
    let mut space = false;
    for c in text.chars() {
        if matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
            continue;
        }
        if c == ' ' || c.is_control() {
            space = !out.is_empty();
            continue;
        }
        let needed = cells(c) + usize::from(space);
        if used + needed > budget {
            return (out, true);
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
        used += needed;
    }
    (out, false)
}

/// Character cells: 2 for East Asian wide letters and pictographs.
pub(super) fn cells(c: char) -> usize {
    match u32::from(c) {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

pub fn text_cells(text: &str) -> usize {
    text.chars().map(cells).sum()
}

/// Splits `text` at spaces into lines of at most `width` cells (a longer
/// word is cut), at most `max_lines` of them; the last line of a text that
/// does not fit ends with `…`. Linear in what fits: the text is first cut
/// to what `max_lines` lines could show, so a long value is never wrapped
/// past its box.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(2);
    let max_lines = max_lines.max(1);
    // The lines hold `width` cells each plus a space between two of them;
    // two cells more, and a word the budget cuts can no longer fit where
    // the whole word would not, so the lines are those of the whole text.
    let budget = max_lines.saturating_mul(width + 1).saturating_add(2);
    let (text, clipped) = clip(text, budget);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_cells = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let word_cells = text_cells(word);
        if word_cells > width {
            // A word longer than a line is cut into pieces, one pass over
            // it; its last piece starts a line the next words may join.
            if line_cells > 0 {
                lines.push(std::mem::take(&mut line));
                line_cells = 0;
            }
            for c in word.chars() {
                if line_cells + cells(c) > width && line_cells > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_cells = 0;
                }
                line.push(c);
                line_cells += cells(c);
            }
            continue;
        }
        if line_cells > 0 && line_cells + 1 + word_cells > width {
            lines.push(std::mem::take(&mut line));
            line_cells = 0;
        }
        if line_cells > 0 {
            line.push(' ');
            line_cells += 1;
        }
        line.push_str(word);
        line_cells += word_cells;
    }
    if line_cells > 0 || lines.is_empty() {
        lines.push(line);
    }
    if clipped || lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = ellipsis(last, width);
        }
    }
    lines
}

/// `text` cut to at most `max` characters, the last of them `…` when
/// something was cut. Reads no further than `max` characters.
pub(super) fn clip_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_owned(),
        Some(_) => {
            let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
            out.push('…');
            out
        }
    }
}

/// `text` cut to leave room for a final `…`.
pub(super) fn ellipsis(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        if used + cells(c) > width.saturating_sub(1) {
            break;
        }
        used += cells(c);
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_cuts_and_marks_what_does_not_fit() {
        assert_eq!(wrap("selector app=web matches no pods", 16, 3), ["selector app=web", "matches no pods"]);
        assert_eq!(wrap("abcdefghij", 4, 5), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four", 8, 1), ["one two…"]);
        assert_eq!(wrap("", 8, 2), [""]);
        assert_eq!(wrap("a\nb\u{202e}c", 8, 2), ["a bc"]);
        assert_eq!(wrap("名前名前名前", 4, 5), ["名前", "名前", "名前"]);
    }

    /// The wrapping before text was clipped first: right, but quadratic in
    /// a long word. Kept as the reference the clipped one must agree with.
    fn reference_wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
        let width = width.max(2);
        let cleaned: String = text
            .chars()
            .filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_cells = 0;
        for word in cleaned.split(' ').filter(|w| !w.is_empty()) {
            let mut rest = word.to_owned();
            while text_cells(&rest) > width {
                if line_cells > 0 {
                    lines.push(std::mem::take(&mut line));
                    line_cells = 0;
                }
                let mut piece = String::new();
                let mut piece_cells = 0;
                let mut chars = rest.chars().peekable();
                while let Some(&c) = chars.peek() {
                    if piece_cells + cells(c) > width {
                        break;
                    }
                    piece_cells += cells(c);
                    piece.push(c);
                    chars.next();
                }
                lines.push(piece);
                rest = chars.collect();
            }
            if rest.is_empty() {
                continue;
            }
            let word_cells = text_cells(&rest);
            if line_cells > 0 && line_cells + 1 + word_cells > width {
                lines.push(std::mem::take(&mut line));
                line_cells = 0;
            }
            if line_cells > 0 {
                line.push(' ');
                line_cells += 1;
            }
            line.push_str(&rest);
            line_cells += word_cells;
        }
        if line_cells > 0 || lines.is_empty() {
            lines.push(line);
        }
        if lines.len() > max_lines {
            lines.truncate(max_lines.max(1));
            if let Some(last) = lines.last_mut() {
                *last = ellipsis(last, width);
            }
        }
        lines
    }

    #[test]
    fn clipping_first_wraps_as_the_whole_text_would() {
        // Every text of up to 14 characters over a small alphabet that has
        // spaces, a line break, a wide letter and a direction override,
        // drawn by a fixed generator, at every width and line count.
        let alphabet = ['a', 'b', ' ', ' ', '\n', '名', '\u{202e}', 'c'];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..4_000 {
            let len = (next() % 15) as usize;
            let text: String = (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            for width in 0..9 {
                for lines in 1..5 {
                    assert_eq!(
                        wrap(&text, width, lines),
                        reference_wrap(&text, width, lines),
                        "{text:?} {width} {lines}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_long_value_is_cut_to_its_box() {
        let long = "x".repeat(40_000);
        assert_eq!(wrap(&long, 10, 2), ["xxxxxxxxxx", "xxxxxxxxx…"]);
        let spaced = format!("{}{}", " ".repeat(40_000), "ab ".repeat(40_000));
        assert_eq!(wrap(&spaced, 5, 1), ["ab a…"]);
        assert_eq!(wrap(&"名".repeat(40_000), 5, 3), ["名名", "名名", "名名…"]);
    }

    #[test]
    fn clip_chars_keeps_short_text_and_marks_a_cut() {
        assert_eq!(clip_chars("abc", 3), "abc");
        assert_eq!(clip_chars("abcd", 3), "ab…");
        assert_eq!(clip_chars("名前名前", 2), "名…");
        assert_eq!(clip_chars("", 0), "");
    }

    #[test]
    fn widths_round_up() {
        assert_eq!(char_width(10, 11), 68);
        assert_eq!(char_width(0, 11), 0);
        assert!(fits(200, 11) >= 29);
    }
}
