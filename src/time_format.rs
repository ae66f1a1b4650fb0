//! One way to print instants: RFC 3339 in UTC, as the JSON output and reports use.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `2026-11-25T18:00:00Z`. Falls back to the debug form for years RFC 3339 cannot express.
pub fn rfc3339(instant: OffsetDateTime) -> String {
    let utc = instant.to_offset(time::UtcOffset::UTC);
    utc.format(&Rfc3339).unwrap_or_else(|_| format!("{utc}"))
}
