//! Markdown for reports. Values come from untrusted messages and files, and a report is read
//! rendered (in a ticket, a wiki, a chat): whatever a value holds stays text — it cannot start a
//! line, make a link, an image or HTML, emphasise, or break a table.

/// `value` as running text (also a table cell): on one line, with every character that Markdown
/// (CommonMark and GitHub's extensions: tables, strikethrough, bare links) gives a meaning
/// escaped.
pub(crate) fn text(value: &str) -> String {
    let chars: Vec<char> = one_line(value).chars().collect();
    let mut out = String::with_capacity(value.len() + value.len() / 4);
    for (index, &c) in chars.iter().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '|' | '~' | '!' | '#' | '{' | '}'
            | '@' | '$' => {
                out.push('\\');
                out.push(c);
            }
            // Bare links: `scheme://` and `www.` are what GitHub turns into links.
            ':' if chars.get(index + 1..index + 3) == Some(&['/', '/']) => out.push_str("\\:"),
            '.' if index >= 3
                && chars[index - 3..index]
                    .iter()
                    .all(|w| w.eq_ignore_ascii_case(&'w')) =>
            {
                out.push_str("\\.")
            }
            c => out.push(c),
        }
    }
    out
}

/// `value` as a code span in a table cell: shown exactly (on one line), a pipe cannot end the
/// cell, and a backtick cannot end the span.
pub(crate) fn code_cell(value: &str) -> String {
    let content = one_line(value).replace('|', "\\|");
    let fence = "`".repeat(longest_backtick_run(&content) + 1);
    let pad =
        if content.is_empty() || content.starts_with(['`', ' ']) || content.ends_with(['`', ' ']) {
            " "
        } else {
            ""
        };
    format!("{fence}{pad}{content}{pad}{fence}")
}

/// `body` as a fenced code block: no line of it can close the fence.
pub(crate) fn code_block(info: &str, body: &str) -> String {
    let fence = "`".repeat((longest_backtick_run(body) + 1).max(3));
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{body}{newline}{fence}\n")
}

/// Line breaks and other control characters become spaces.
fn one_line(value: &str) -> String {
    value
        .replace("\r\n", " ")
        .chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{85}') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_kept_on_one_line() {
        assert_eq!(
            text("a [b](c) `d` | e\n# f <g> www.h https://i"),
            "a \\[b\\]\\(c\\) \\`d\\` \\| e \\# f &lt;g&gt; www\\.h https\\://i"
        );
    }

    #[test]
    fn code_spans_and_blocks_outlast_backticks() {
        assert_eq!(code_cell("a|b"), "`a\\|b`");
        assert_eq!(code_cell("x `` y"), "```x `` y```");
        assert_eq!(code_cell("`a"), "`` `a ``");
        assert_eq!(
            code_block("xml", "<a>````</a>"),
            "`````xml\n<a>````</a>\n`````\n"
        );
        assert_eq!(code_block("", "a\n"), "```\na\n```\n");
    }
}
