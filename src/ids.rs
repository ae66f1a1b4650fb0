//! Identifiers admins paste: GUIDs for tenants and applications.

/// Returns the canonical (lower-case, no braces) form of a GUID, or `None` when `text`
/// is not one. Accepts braces and any case, as the Entra portal and PowerShell show them.
pub fn canonical_guid(text: &str) -> Option<String> {
    let trimmed = text.trim();
    let inner = trimmed
        .strip_prefix('{')
        .and_then(|s| s.strip_suffix('}'))
        .unwrap_or(trimmed);
    let groups: Vec<&str> = inner.split('-').collect();
    let lengths_ok = groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|b| b.is_ascii_hexdigit()));
    lengths_ok.then(|| inner.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::canonical_guid;

    #[test]
    fn accepts_braces_and_any_case() {
        assert_eq!(
            canonical_guid(" {0A1B2C3D-4E5F-6071-8293-A4B5C6D7E8F9} ").as_deref(),
            Some("0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9")
        );
    }

    #[test]
    fn rejects_near_misses() {
        for bad in [
            "",
            "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f",
            "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8fg",
            "0a1b2c3d4e5f607182930a4b5c6d7e8f9",
            "{0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
            "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9-00",
        ] {
            assert_eq!(canonical_guid(bad), None, "{bad}");
        }
    }
}
