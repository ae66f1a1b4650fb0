//! What an HTTP status from a SCIM server means for the admin.

/// The explanation of a failed SCIM request's status.
pub(super) fn status(status: u16, url: &str) -> String {
    match status {
        401 => "401 Unauthorized: the token is wrong or has expired; authorize again, or paste a new token".to_owned(),
        403 => "403 Forbidden: the token is valid but lacks permission; the GoTo account must be an organization \
                admin with read & write rights, and the token must carry the provisioning scopes"
            .to_owned(),
        404 => format!(
            "404 Not Found at {url}: the SCIM base URL is wrong; it should be the address that /Users and /Schemas \
             follow (often ending in /scim/v2 or /v2)"
        ),
        405 => format!("405 Method Not Allowed at {url}: this is not a SCIM endpoint; check the base URL"),
        429 => "429 Too Many Requests: the server is rate limiting; wait and test again".to_owned(),
        500..=599 => format!("{status}: the SCIM server has a problem; try again later, and tell GoTo support if it stays"),
        other => format!("HTTP {other} from {url}"),
    }
}
