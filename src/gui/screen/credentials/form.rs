//! What is wrong with the fields as typed.

use super::*;

impl State {
    /// What is wrong with a plain field, in words that say what to do; `None` when it is fine.
    pub fn problem(&self, field: Field) -> Option<String> {
        match field {
            Field::BaseUrl => url_problem(&self.base_url)
                .map(|p| p.unwrap_or_else(|| tr("credentials-base-url-missing"))),
            Field::AuthorizeUrl => url_problem(&self.authorize_url).map(Option::unwrap_or_default),
            Field::TokenUrl => url_problem(&self.token_url).map(Option::unwrap_or_default),
            Field::ClientId => self
                .client_id
                .trim()
                .is_empty()
                .then(|| tr("credentials-client-id-missing")),
            Field::AdminUser => self
                .admin_user
                .trim()
                .is_empty()
                .then(|| tr("credentials-admin-user-missing")),
            Field::Scopes => None,
        }
    }

    /// What is wrong with a masked field (only the required ones can be wrong).
    pub fn secret_problem(&self, field: SecretField) -> Option<String> {
        match (field, self.kind) {
            (SecretField::ClientSecret, Kind::OAuthClient) => trimmed(&self.client_secret)
                .is_empty()
                .then(|| tr("credentials-client-secret-missing")),
            (SecretField::Token, Kind::ScimToken) => trimmed(&self.token)
                .is_empty()
                .then(|| tr("credentials-token-missing")),
            (SecretField::Password, Kind::LegacyPassword) => self
                .password
                .is_empty()
                .then(|| tr("credentials-password-missing")),
            _ => None,
        }
    }

    /// The fields of the chosen kind that are not right yet (the base URL aside, and for the
    /// browser kind the authorization aside).
    pub(super) fn kind_problems(&self) -> Vec<String> {
        let fields: &[Field] = match self.kind {
            Kind::Browser => &[Field::AuthorizeUrl, Field::TokenUrl, Field::ClientId],
            Kind::OAuthClient => &[Field::TokenUrl, Field::ClientId],
            Kind::ScimToken => &[],
            Kind::LegacyPassword => &[Field::TokenUrl, Field::ClientId, Field::AdminUser],
        };
        let secrets: &[SecretField] = match self.kind {
            Kind::Browser => &[],
            Kind::OAuthClient => &[SecretField::ClientSecret],
            Kind::ScimToken => &[SecretField::Token],
            Kind::LegacyPassword => &[SecretField::Password],
        };
        fields
            .iter()
            .filter_map(|field| self.problem(*field))
            .chain(
                secrets
                    .iter()
                    .filter_map(|field| self.secret_problem(*field)),
            )
            .collect()
    }
}

/// `None` when `value` is a usable URL; `Some(None)` when it is empty; `Some(Some(why))` when
/// it is wrong.
pub(super) fn url_problem(value: &str) -> Option<Option<String>> {
    let value = value.trim();
    if value.is_empty() {
        return Some(None);
    }
    let parsed = match url::Url::parse(value) {
        Ok(parsed) => parsed,
        Err(error) => {
            return Some(Some(tr_with(
                "credentials-url-invalid",
                &[("reason", &error.to_string())],
            )));
        }
    };
    if parsed.host_str().is_none_or(str::is_empty) {
        return Some(Some(tr("credentials-url-no-host")));
    }
    // The same rule every request obeys: https, or plain http to this computer only.
    match goto_sso_wizard::fetch::HttpPolicy::default().judge(&parsed) {
        Ok(()) => None,
        Err(_) => Some(Some(tr("credentials-url-scheme"))),
    }
}

/// The secret with surrounding whitespace removed (pasting often adds a newline).
pub(super) fn trimmed(secret: &Secret) -> Secret {
    let value = secret.expose();
    if value.trim().len() == value.len() {
        secret.clone()
    } else {
        Secret::from(value.trim())
    }
}
