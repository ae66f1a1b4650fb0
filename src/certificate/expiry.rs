//! How close a certificate is to expiring, measured against the windows in which Entra sends its
//! expiry notices (60, 30 and 7 days ahead), so the wizard can warn before GoTo sign-ins break.

use std::fmt;

use time::{OffsetDateTime, UtcOffset};

/// Days before expiry at which Entra sends its certificate expiry notices, largest first.
pub const EXPIRY_NOTICE_DAYS: [u32; 3] = [60, 30, 7];

/// Where a certificate stands in its validity period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryStatus {
    /// Valid, and further from expiry than Entra's first notice (more than 60 whole days left).
    Valid,
    /// Valid, but inside one of Entra's notice windows ([`EXPIRY_NOTICE_DAYS`]).
    Expiring,
    /// Past its end date.
    Expired,
    /// Before its start date.
    NotYetValid,
}

/// A certificate's validity at a given instant (see [`super::Certificate::expiry`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    /// Where the certificate stands.
    pub status: ExpiryStatus,
    /// Whole days until the end date, rounded down; for an expired certificate, minus the whole
    /// days since it expired and at least 1 (so it is negative from the first second after).
    /// For a not-yet-valid certificate: the days until its end date.
    pub days_left: i64,
    /// When [`ExpiryStatus::Expiring`]: the smallest of Entra's notice windows (60, 30 or 7 days)
    /// the certificate is inside, i.e. the smallest window with `days_left` ≤ window.
    /// `None` otherwise.
    pub warning_threshold_days: Option<u32>,
    /// The certificate's start date (needed to say when a not-yet-valid one becomes valid).
    pub not_before: OffsetDateTime,
    /// The certificate's end date (inclusive).
    pub not_after: OffsetDateTime,
}

impl Expiry {
    /// The validity of a certificate valid from `not_before` to `not_after` (both inclusive,
    /// as in RFC 5280) at `now`.
    pub fn at(
        not_before: OffsetDateTime,
        not_after: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Expiry {
        let (status, days_left, warning_threshold_days) = if now < not_before {
            (
                ExpiryStatus::NotYetValid,
                (not_after - now).whole_days(),
                None,
            )
        } else if now > not_after {
            let days_ago = (now - not_after).whole_days().max(1);
            (ExpiryStatus::Expired, -days_ago, None)
        } else {
            let days_left = (not_after - now).whole_days();
            let window = EXPIRY_NOTICE_DAYS
                .iter()
                .copied()
                .filter(|&window| days_left <= i64::from(window))
                .min();
            let status = match window {
                Some(_) => ExpiryStatus::Expiring,
                None => ExpiryStatus::Valid,
            };
            (status, days_left, window)
        };
        Expiry {
            status,
            days_left,
            warning_threshold_days,
            not_before,
            not_after,
        }
    }

    /// A short sentence for people: "valid for 412 more days", "expires in 12 days (inside
    /// Entra's 30-day notice)", "expired 3 days ago", "not valid until 2027-01-02" (dates in UTC).
    pub fn describe(&self) -> String {
        match self.status {
            ExpiryStatus::Valid => {
                format!("valid for {} more {}", self.days_left, days(self.days_left))
            }
            ExpiryStatus::Expiring => {
                let when = if self.days_left < 1 {
                    "in less than a day".to_owned()
                } else {
                    format!("in {} {}", self.days_left, days(self.days_left))
                };
                match self.warning_threshold_days {
                    Some(window) => format!("expires {when} (inside Entra's {window}-day notice)"),
                    None => format!("expires {when}"),
                }
            }
            ExpiryStatus::Expired => {
                let ago = self.days_left.saturating_neg();
                format!("expired {ago} {} ago", days(ago))
            }
            ExpiryStatus::NotYetValid => format!(
                "not valid until {}",
                self.not_before.to_offset(UtcOffset::UTC).date()
            ),
        }
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

fn days(count: i64) -> &'static str {
    if count == 1 { "day" } else { "days" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::Certificate;
    use crate::certificate::test_support;
    use time::Duration;
    use time::macros::datetime;

    const NOT_BEFORE: OffsetDateTime = datetime!(2024-01-02 0:00 UTC);
    const NOT_AFTER: OffsetDateTime = datetime!(2027-01-02 0:00 UTC);

    fn days_before_end(days: i64) -> Expiry {
        Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_AFTER - Duration::days(days))
    }

    #[test]
    fn boundaries_of_entra_notice_windows() {
        let cases = [
            (400, ExpiryStatus::Valid, None),
            (61, ExpiryStatus::Valid, None),
            (60, ExpiryStatus::Expiring, Some(60)),
            (31, ExpiryStatus::Expiring, Some(60)),
            (30, ExpiryStatus::Expiring, Some(30)),
            (8, ExpiryStatus::Expiring, Some(30)),
            (7, ExpiryStatus::Expiring, Some(7)),
            (1, ExpiryStatus::Expiring, Some(7)),
            (0, ExpiryStatus::Expiring, Some(7)),
        ];
        for (days, status, window) in cases {
            let expiry = days_before_end(days);
            assert_eq!(
                (
                    expiry.status,
                    expiry.days_left,
                    expiry.warning_threshold_days
                ),
                (status, days, window),
                "{days} days before the end"
            );
        }
    }

    #[test]
    fn part_days_round_down() {
        let expiry = Expiry::at(
            NOT_BEFORE,
            NOT_AFTER,
            NOT_AFTER - Duration::hours(61 * 24 - 1),
        );
        assert_eq!(
            (
                expiry.status,
                expiry.days_left,
                expiry.warning_threshold_days
            ),
            (ExpiryStatus::Expiring, 60, Some(60))
        );
        let expiry = Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_AFTER - Duration::hours(23));
        assert_eq!(expiry.days_left, 0);
        assert_eq!(
            expiry.describe(),
            "expires in less than a day (inside Entra's 7-day notice)"
        );
    }

    #[test]
    fn validity_period_is_inclusive() {
        assert_eq!(
            Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_AFTER).status,
            ExpiryStatus::Expiring
        );
        assert_eq!(
            Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_BEFORE).status,
            ExpiryStatus::Valid
        );
    }

    #[test]
    fn expired() {
        let just_after = Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_AFTER + Duration::seconds(1));
        assert_eq!(
            (
                just_after.status,
                just_after.days_left,
                just_after.warning_threshold_days
            ),
            (ExpiryStatus::Expired, -1, None)
        );
        assert_eq!(just_after.describe(), "expired 1 day ago");
        let later = Expiry::at(
            NOT_BEFORE,
            NOT_AFTER,
            NOT_AFTER + Duration::hours(3 * 24 + 5),
        );
        assert_eq!(later.days_left, -3);
        assert_eq!(later.describe(), "expired 3 days ago");
    }

    #[test]
    fn not_yet_valid() {
        let expiry = Expiry::at(NOT_BEFORE, NOT_AFTER, NOT_BEFORE - Duration::seconds(1));
        assert_eq!(expiry.status, ExpiryStatus::NotYetValid);
        assert_eq!(expiry.warning_threshold_days, None);
        assert!(expiry.days_left > 365 * 3);
        assert_eq!(expiry.describe(), "not valid until 2024-01-02");
    }

    #[test]
    fn descriptions() {
        assert_eq!(days_before_end(412).describe(), "valid for 412 more days");
        assert_eq!(
            days_before_end(12).describe(),
            "expires in 12 days (inside Entra's 30-day notice)"
        );
        assert_eq!(
            days_before_end(1).describe(),
            "expires in 1 day (inside Entra's 7-day notice)"
        );
        assert_eq!(days_before_end(412).to_string(), "valid for 412 more days");
    }

    #[test]
    fn status_serialises_in_snake_case() {
        let json = serde_json::to_string(&ExpiryStatus::NotYetValid).unwrap();
        assert_eq!(json, "\"not_yet_valid\"");
    }

    #[test]
    fn certificate_expired_in_the_past() {
        let made = test_support::self_signed_with(|params| {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        });
        let cert = Certificate::from_der(&made.der).unwrap();
        let expiry = cert.expiry(OffsetDateTime::now_utc());
        assert_eq!(expiry.status, ExpiryStatus::Expired);
        assert!(expiry.days_left < -365, "{expiry:?}");
        let on_the_day = cert.expiry(datetime!(2021-01-04 12:00 UTC));
        assert_eq!(on_the_day.describe(), "expired 3 days ago");
    }

    #[test]
    fn certificate_expiry_uses_its_own_dates() {
        let made = test_support::self_signed_with(|params| {
            params.not_before = rcgen::date_time_ymd(2024, 1, 2);
            params.not_after = rcgen::date_time_ymd(2027, 1, 2);
        });
        let cert = Certificate::from_der(&made.der).unwrap();
        let expiry = cert.expiry(NOT_AFTER - Duration::days(30));
        assert_eq!(expiry, days_before_end(30));
    }
}
