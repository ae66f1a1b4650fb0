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

/// Positions for offsets that only grow, counted on from the previous one, so that a reader
/// asking for the position of every event pays one pass over the document instead of one pass
/// per event (which made large aggregates quadratic). Gives the same answers as [`position_at`].
#[derive(Debug, Clone)]
pub struct PositionCursor {
    offset: usize,
    line: usize,
    column: usize,
}

impl Default for PositionCursor {
    fn default() -> Self {
        Self {
            offset: 0,
            line: 1,
            column: 1,
        }
    }
}

impl PositionCursor {
    /// The position of byte `offset` in `text`; an offset before the last one asked for is
    /// answered by [`position_at`] (slow, but only errors go back).
    pub fn at(&mut self, text: &[u8], offset: usize) -> Position {
        let offset = offset.min(text.len());
        if offset < self.offset {
            return position_at(text, offset);
        }
        for &byte in text.get(self.offset..offset).unwrap_or_default() {
            if byte == b'\n' {
                self.line += 1;
                self.column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Not a UTF-8 continuation byte: a new character (as `chars()` counts them).
                self.column += 1;
            }
        }
        self.offset = offset;
        Position {
            line: self.line,
            column: self.column,
        }
    }
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
    fn the_cursor_agrees_with_position_at_everywhere() {
        let text = "<a>\n  é€<b/>\r\n\n<c x='ü'/>\n".as_bytes();
        let mut cursor = PositionCursor::default();
        for offset in 0..=text.len() + 2 {
            // Only offsets on character boundaries are asked for by the readers.
            if offset <= text.len() && std::str::from_utf8(&text[..offset]).is_err() {
                continue;
            }
            assert_eq!(
                cursor.at(text, offset),
                position_at(text, offset),
                "offset {offset}"
            );
        }
        // Going back still answers correctly.
        assert_eq!(cursor.at(text, 3), position_at(text, 3));
    }

    #[test]
    fn clamps_offsets_past_the_end() {
        assert_eq!(position_at(b"x\ny", 99), Position { line: 2, column: 2 });
    }
}
