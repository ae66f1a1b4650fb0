//! Turns a byte offset into the line and column a person can find in an editor.

use std::fmt;

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// The position of byte `offset` in `text`. An offset past the end is clamped to the end.
pub fn position_at(text: &[u8], offset: usize) -> Position {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
        .chars()
        .count()
        + 1;
    Position { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_byte_is_line_one_column_one() {
        assert_eq!(position_at(b"abc", 0), Position { line: 1, column: 1 });
    }

    #[test]
    fn counts_lines_and_characters_not_bytes() {
        let text = "a\nbé<c".as_bytes();
        let offset = text.iter().position(|&b| b == b'<').unwrap();
        assert_eq!(position_at(text, offset), Position { line: 2, column: 3 });
    }

    #[test]
    fn clamps_offsets_past_the_end() {
        assert_eq!(position_at(b"x\ny", 99), Position { line: 2, column: 2 });
    }
}
