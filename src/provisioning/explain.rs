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

/// The explanation in GoTo's published dialect, where 403 and 401 mean the other way round from
/// RFC 7644: 403 "Invalid token passed", 401 "Client is not sufficiently authorized".
pub(super) fn goto_status(status: u16, url: &str) -> String {
    match status {
        403 => "403 Invalid token passed (GoTo): the token is invalid or has expired; authorize again, or get a \
                new token"
            .to_owned(),
        401 => "401 Client is not sufficiently authorized (GoTo): the account is not an organization admin with \
                read & write (GoTo's roles ROLE_ORG_READ and ROLE_ORG_WRITE); authorize with an admin of the \
                organization, or have this account made one in the GoTo Organization Center"
            .to_owned(),
        400 => format!("400 Invalid filter syntax (GoTo) at {url}: GoTo filters only with eq and sw on userName, \
                        displayName, name.givenName and name.familyName"),
        404 if url.ends_with("/Users/me") => {
            "404 User not found (GoTo): the signed-in account is not known to GoTo's user service".to_owned()
        }
        502 | 504 => format!(
            "{status} (GoTo): GoTo's authentication or account gateway failed or timed out; try again later"
        ),
        other => self::status(other, url),
    }
}
