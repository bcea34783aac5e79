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

/// Repository text made safe to measure and show on one line: control
/// characters become spaces, direction overrides go.
fn clean(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'))
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
/// does not fit ends with `…`.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let width = width.max(2);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut line_cells = 0;
    for word in clean(text).split(' ').filter(|w| !w.is_empty()) {
        let mut word_cells = text_cells(word);
        let mut rest = word.to_owned();
        // A word longer than a line is cut into pieces.
        while word_cells > width {
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
            word_cells = text_cells(&rest);
        }
        if rest.is_empty() {
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

    #[test]
    fn widths_round_up() {
        assert_eq!(char_width(10, 11), 68);
        assert_eq!(char_width(0, 11), 0);
        assert!(fits(200, 11) >= 29);
    }
}
