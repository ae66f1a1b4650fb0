//! Entra's `AADSTS` error codes: find one in a server's answer and explain it. The table is
//! data (`assets/data/aadsts.json`, with its source and date), not code, so it can be updated
//! without touching the logic.

use std::sync::OnceLock;

/// One explained code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct AadstsCode {
    /// e.g. `AADSTS90002`.
    pub code: String,
    /// What it means, in plain words.
    pub meaning: String,
    /// What to do about it.
    pub fix: String,
}

#[derive(serde::Deserialize)]
struct Table {
    codes: Vec<AadstsCode>,
}

fn table() -> &'static [AadstsCode] {
    static TABLE: OnceLock<Vec<AadstsCode>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The file is part of the binary and checked by a test, so a parse failure cannot ship;
        // an empty table is the harmless fallback all the same.
        serde_json::from_str::<Table>(include_str!("../assets/data/aadsts.json"))
            .map(|table| table.codes)
            .unwrap_or_default()
    })
}

/// The first `AADSTS<digits>` code in `text`, when there is one.
pub fn find_code(text: &str) -> Option<String> {
    let mut rest = text;
    while let Some(at) = rest.find("AADSTS") {
        let after = &rest[at + "AADSTS".len()..];
        let digits: String = after
            .chars()
            .take_while(char::is_ascii_digit)
            .take(8)
            .collect();
        if digits.len() >= 5 {
            return Some(format!("AADSTS{digits}"));
        }
        rest = after;
    }
    None
}

/// The explanation of `code`, when the table knows it.
pub fn explain(code: &str) -> Option<&'static AadstsCode> {
    table().iter().find(|known| known.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_has_the_domain_codes() {
        for code in [
            "AADSTS90002",
            "AADSTS700016",
            "AADSTS650056",
            "AADSTS50011",
            "AADSTS50105",
            "AADSTS75011",
            "AADSTS750054",
        ] {
            assert!(
                explain(code).is_some(),
                "{code} missing from assets/data/aadsts.json"
            );
        }
    }

    #[test]
    fn finds_the_code_in_an_error_page() {
        let body = "<html>… AADSTS90002: Tenant 'contoso.con' not found. Trace ID: …</html>";
        assert_eq!(find_code(body).as_deref(), Some("AADSTS90002"));
        assert_eq!(
            find_code("error AADSTS123 short, then AADSTS700016:").as_deref(),
            Some("AADSTS700016")
        );
        assert_eq!(find_code("no code here"), None);
        assert_eq!(find_code("AADSTS"), None);
    }
}
