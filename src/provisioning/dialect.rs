//! The two SCIM dialects the test speaks, told apart by the server's answers (never by its host
//! name): RFC 7644 (SCIM 2.0) and GoTo's published API (SCIM 1.x paths and schema ids, `/Users/me`,
//! list key `resources`, and 403/401 the other way round from RFC 7644).

use std::time::Instant;

use serde::Serialize;
use serde_json::Value;

use super::check::{Answer, Auth, Run, features, not_scim, waited};
use super::credentials::Credentials;
use super::explain;
use super::report::StepName;

/// Which SCIM dialect a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Dialect {
    /// SCIM 2.0 as RFC 7643/7644 define it (`/ServiceProviderConfig`, `/Schemas`, `Resources`).
    #[serde(rename = "rfc7644")]
    Rfc7644,
    /// GoTo's published user-provisioning API: `/ServiceProviderConfigs`, `/Schemas/Users`,
    /// `/Users/me`, SCIM 1.x schema ids, `resources`; 403 for an invalid token, 401 for an
    /// account without the organization role.
    #[serde(rename = "goto")]
    Goto,
}

impl Dialect {
    /// A short name for people.
    pub fn title(self) -> &'static str {
        match self {
            Dialect::Rfc7644 => "SCIM 2.0 (RFC 7644)",
            Dialect::Goto => "GoTo's published SCIM API (SCIM 1.x paths and schemas)",
        }
    }

    /// Whether this status means the server refused the token itself (so a refresh may help).
    pub(super) fn token_refused(self, status: u16) -> bool {
        match self {
            Dialect::Rfc7644 => status == 401,
            Dialect::Goto => status == 403,
        }
    }

    /// The explanation of a failed request's status in this dialect.
    pub(super) fn explain(self, status: u16, url: &str) -> String {
        match self {
            Dialect::Rfc7644 => explain::status(status, url),
            Dialect::Goto => explain::goto_status(status, url),
        }
    }

    /// Where the schemas are, in the order to ask.
    pub(super) fn schema_paths(self) -> &'static [&'static str] {
        match self {
            Dialect::Rfc7644 => &["/Schemas", "/Schemas/Users"],
            Dialect::Goto => &["/Schemas/Users"],
        }
    }
}

/// The explanation in `dialect`, RFC 7644's when no answer has decided it.
pub(super) fn explain(dialect: Option<Dialect>, status: u16, url: &str) -> String {
    dialect.unwrap_or(Dialect::Rfc7644).explain(status, url)
}

/// The items of a list response: `Resources` (SCIM 2.0) or `resources` (SCIM 1.x, GoTo).
pub(super) fn list_items(json: &Value) -> Option<&Vec<Value>> {
    json.get("Resources")
        .or_else(|| json.get("resources"))
        .and_then(Value::as_array)
}

/// A SCIM list: SCIM 2.0's ListResponse schema, or (SCIM 1.x, which names no schema for it)
/// the list with its `totalResults`.
pub(super) fn is_list_response(json: &Value) -> bool {
    let list_schema = json
        .get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|schemas| {
            schemas
                .iter()
                .any(|s| s.as_str() == Some("urn:ietf:params:scim:api:messages:2.0:ListResponse"))
        });
    list_schema
        || (list_items(json).is_some() && json.get("totalResults").is_some_and(Value::is_u64))
}

/// JSON naming a SCIM schema, 2.0 (`urn:ietf:params:scim:`) or 1.x (`urn:scim:schemas:`).
pub(super) fn is_scim(json: &Value) -> bool {
    json.get("schemas")
        .and_then(Value::as_array)
        .is_some_and(|schemas| schemas.iter().filter_map(Value::as_str).any(is_scim_id))
}

fn is_scim_id(id: &str) -> bool {
    id.starts_with("urn:ietf:params:scim:") || id.starts_with("urn:scim:schemas:")
}

/// A service provider configuration: SCIM schemas named, or (GoTo's description names none)
/// the features a configuration has, each with `supported`.
fn is_config(json: &Value) -> bool {
    is_scim(json)
        || ["patch", "filter", "bulk"]
            .iter()
            .all(|feature| json.get(feature).and_then(|f| f.get("supported")).is_some())
}

/// The schema resources of a schemas answer: a list (either key), a bare array, or one
/// resource schema as GoTo's `/Schemas/Users` answers.
pub(super) fn schema_resources(json: &Value) -> Vec<&Value> {
    if let Some(items) = list_items(json).or_else(|| json.as_array()) {
        return items.iter().collect();
    }
    if json.get("id").is_some() && json.get("attributes").is_some() {
        return vec![json];
    }
    Vec::new()
}

/// Whose account a `/Users/me` answer is: `userName (displayName)`.
fn account(me: &Value) -> Option<(String, String)> {
    let user_name = me.get("userName").and_then(Value::as_str)?.to_owned();
    let display = me
        .get("displayName")
        .and_then(Value::as_str)
        .filter(|name| !name.is_empty() && *name != user_name)
        .map(|name| format!("{user_name} ({name})"))
        .unwrap_or_else(|| user_name.clone());
    Some((user_name, display))
}

impl Run<'_> {
    /// The service provider configuration, which also decides the dialect: RFC 7644's
    /// `/ServiceProviderConfig` first (without a token, and again with it if it needs one), then,
    /// when that path does not exist, GoTo's `/ServiceProviderConfigs`, which always needs one
    /// (a browser authorization's token that GoTo refuses is refreshed there). The auth to go on
    /// with.
    pub(super) async fn service_provider_config(
        &mut self,
        credentials: &mut Credentials,
        auth: Option<Auth>,
    ) -> Option<Auth> {
        let started = Instant::now();
        let name = StepName::ServiceProviderConfig;
        let url = format!("{}/ServiceProviderConfig", self.base);
        let mut needed_token = false;
        let mut answer = match self.get(&url, None).await {
            Ok(answer) => answer,
            Err(detail) => {
                self.record(name, false, None, started, detail);
                return auth;
            }
        };
        if matches!(answer.status, 401 | 403)
            && auth.is_some()
            && let Ok(again) = self.get(&url, auth.as_ref()).await
        {
            needed_token = true;
            answer = again;
        }
        if answer.status != 404 {
            self.dialect = Some(Dialect::Rfc7644);
            let note = if needed_token {
                "it needs a token and accepted this one"
            } else {
                "this endpoint may answer without a token, so it proves nothing about the token"
            };
            self.config_answer(&answer, &url, started, note);
            return auth;
        }
        let plural = format!("{}/ServiceProviderConfigs", self.base);
        let Some(auth) = auth else {
            let detail = format!(
                "{} (GoTo's {plural} needs a token, and there is none)",
                explain::status(404, &url)
            );
            self.record(name, false, Some(404), started, detail);
            return None;
        };
        let (goto, auth, refreshed) = self
            .get_refreshing(credentials, auth, &plural, Dialect::Goto, name, started)
            .await?;
        if goto.status == 404 {
            let detail = format!(
                "{} (GoTo's {plural} does not exist either)",
                explain::status(404, &url)
            );
            self.record(name, false, Some(404), started, detail);
            return Some(auth);
        }
        self.dialect = Some(Dialect::Goto);
        let note = format!(
            "/ServiceProviderConfig answered 404, so GoTo's /ServiceProviderConfigs was asked; it needs \
             the token and accepted it{refreshed}"
        );
        self.config_answer(&goto, &plural, started, &note);
        Some(auth)
    }

    fn config_answer(&mut self, answer: &Answer, url: &str, started: Instant, note: &str) {
        let status = Some(answer.status);
        if answer.status != 200 {
            let detail = explain(self.dialect, answer.status, url);
            return self.record(
                StepName::ServiceProviderConfig,
                false,
                status,
                started,
                detail,
            );
        }
        match answer.json.as_ref().filter(|json| is_config(json)) {
            Some(config) => {
                let dialect = self.dialect.unwrap_or(Dialect::Rfc7644).title();
                let detail = format!("{dialect}: {} ({note}){}", features(config), waited(answer));
                self.record(
                    StepName::ServiceProviderConfig,
                    true,
                    status,
                    started,
                    detail,
                );
            }
            None => {
                let detail = not_scim(answer, url);
                self.record(
                    StepName::ServiceProviderConfig,
                    false,
                    status,
                    started,
                    detail,
                );
            }
        }
    }

    /// GoTo's proof of the token: `/Users/me` says whose account it is; a filtered `/Users`
    /// for that account proves it may read the organization (ROLE_ORG_READ), without listing
    /// every user (the description has no paging).
    pub(super) async fn goto_users(
        &mut self,
        credentials: &mut Credentials,
        auth: Auth,
    ) -> Option<Auth> {
        let started = Instant::now();
        let url = format!("{}/Users/me", self.base);
        let (mut answer, auth, note) = self
            .get_refreshing(
                credentials,
                auth,
                &url,
                Dialect::Goto,
                StepName::Users,
                started,
            )
            .await?;
        if answer.status != 200 {
            let detail = Dialect::Goto.explain(answer.status, &url);
            self.record(StepName::Users, false, Some(answer.status), started, detail);
            return None;
        }
        let Some((user_name, who)) = answer.json.as_ref().and_then(account) else {
            let detail = not_scim(&answer, &url);
            self.record(StepName::Users, false, Some(200), started, detail);
            return None;
        };
        let escaped = user_name.replace('\\', "\\\\").replace('"', "\\\"");
        let mut list = url::Url::parse(&format!("{}/Users", self.base)).ok()?;
        list.query_pairs_mut()
            .append_pair("filter", &format!("userName eq \"{escaped}\""));
        let list = String::from(list);
        answer = match self.get(&list, Some(&auth)).await {
            Ok(answer) => answer,
            Err(detail) => {
                self.record(StepName::Users, false, None, started, detail);
                return None;
            }
        };
        if answer.status != 200 {
            let detail = format!(
                "the token is accepted{note}: signed in as {who}; but reading the organization's users failed: {}",
                Dialect::Goto.explain(answer.status, &list)
            );
            self.record(StepName::Users, false, Some(answer.status), started, detail);
            return None;
        }
        if !answer.json.as_ref().is_some_and(is_list_response) {
            let detail = not_scim(&answer, &list);
            self.record(StepName::Users, false, Some(200), started, detail);
            return None;
        }
        let detail = format!(
            "the token is accepted{note}: signed in as {who} (GoTo's /Users/me), an account that may read the \
             organization's users (a /Users filter by its userName answered){}",
            waited(&answer)
        );
        self.record(StepName::Users, true, Some(200), started, detail);
        Some(auth)
    }

    /// GET `url`; when the server refuses the token as `dialect` says it does and the
    /// credentials can be refreshed, refresh them and ask again. The answer, the auth to go on
    /// with, and a note for the detail.
    pub(super) async fn get_refreshing(
        &mut self,
        credentials: &mut Credentials,
        auth: Auth,
        url: &str,
        dialect: Dialect,
        step: StepName,
        started: Instant,
    ) -> Option<(Answer, Auth, String)> {
        let answer = match self.get(url, Some(&auth)).await {
            Ok(answer) => answer,
            Err(detail) => {
                self.record(step, false, None, started, detail);
                return None;
            }
        };
        if !dialect.token_refused(answer.status) {
            return Some((answer, auth, String::new()));
        }
        let Credentials::Authorized { endpoints, tokens } = credentials else {
            return Some((answer, auth, String::new()));
        };
        if tokens.refresh_token.is_none() {
            return Some((answer, auth, String::new()));
        }
        let endpoints = endpoints.clone();
        let why = format!("the server refused the access token ({})", answer.status);
        let auth = self
            .refresh(&endpoints, tokens, Instant::now(), &why)
            .await?;
        match self.get(url, Some(&auth)).await {
            Ok(answer) => Some((answer, auth, " after refreshing the token".to_owned())),
            Err(detail) => {
                self.record(step, false, None, started, detail);
                None
            }
        }
    }
}

/// The attribute-mapping check against GoTo's user schema: which of Entra's mapped user
/// attributes GoTo does not declare, and the limits GoTo documents. Advice before the first
/// sync rather than a failed connection (the step passes, with a warning when attributes are
/// undeclared): GoTo's schema is SCIM 1.x, Entra's mapping is written for SCIM 2.0, and GoTo
/// publishes no group schema to check groups against. `(warning, detail)`.
pub(super) fn goto_mapping(schemas: &Value, mapping: &super::mapping::Mapping) -> (bool, String) {
    use super::mapping::{Gap, gaps, goto_limits};
    let mut parts = Vec::new();
    for gap in gaps(schemas, mapping, false) {
        match gap {
            Gap::Attributes { schema, missing } => parts.push(format!(
                "GoTo's user schema ({schema}) does not declare {}",
                missing.join(", ")
            )),
            Gap::Schema { schema, attributes } => parts.push(format!(
                "it offers no {schema} extension, so {} have nowhere to go",
                attributes.join(", ")
            )),
        }
    }
    let mut detail = if parts.is_empty() {
        "GoTo's user schema declares every user attribute Entra's GoTo mapping sends".to_owned()
    } else {
        format!(
            "{}. Entra sends them anyway and GoTo does not keep them: remove these mappings in Entra \
             (Provisioning → Mappings) before the first sync, or expect them to be dropped or refused",
            parts.join("; ")
        )
    };
    detail.push_str(
        ". Group attributes are not checked: GoTo publishes no group schema (only /Schemas/Users)",
    );
    if let Some(limits) = goto_limits() {
        let texts: Vec<&str> = limits
            .limits
            .iter()
            .map(|limit| limit.text.as_str())
            .collect();
        detail.push_str(&format!(
            ". The limits GoTo documents for users: {} (GoTo's published SCIM description, read {})",
            texts.join("; "),
            limits.retrieved
        ));
    }
    (!parts.is_empty(), detail)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn lists_are_read_with_either_key_and_either_schema_version() {
        assert!(is_list_response(
            &json!({"resources": [], "totalResults": 0})
        ));
        assert!(is_list_response(
            &json!({"Resources": [{}], "totalResults": 1})
        ));
        assert!(is_list_response(&json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
        })));
        assert!(!is_list_response(&json!({"detail": "you sent a token"})));
        assert!(!is_list_response(
            &json!({"resources": "no", "totalResults": 0})
        ));
        assert!(!is_list_response(&json!({"resources": []})));
    }

    #[test]
    fn scim_ids_of_both_versions_and_gotos_unnamed_configuration() {
        assert!(is_scim(&json!({"schemas": ["urn:scim:schemas:core:1.0"]})));
        assert!(is_scim(
            &json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]})
        ));
        assert!(!is_scim(&json!({"schemas": ["urn:example:other"]})));
        let goto = json!({
            "documentationUrl": "https://developer.goto.com/",
            "patch": {"supported": false}, "bulk": {"supported": false},
            "filter": {"supported": true},
            "authenticationSchemes": {"name": "OAuth Bearer Token"}
        });
        assert!(is_config(&goto));
        assert!(!is_config(&json!({"patch": true})));
    }

    #[test]
    fn one_resource_schema_or_a_list_of_them() {
        let user = json!({"id": "urn:scim:schemas:core:1.0:User", "attributes": []});
        assert_eq!(schema_resources(&user).len(), 1);
        assert_eq!(
            schema_resources(&json!({"Resources": [user.clone(), user.clone()]})).len(),
            2
        );
        assert_eq!(schema_resources(&json!([user])).len(), 1);
        assert!(schema_resources(&json!({"id": "x"})).is_empty());
    }

    #[test]
    fn the_two_dialects_read_401_and_403_the_other_way_round() {
        assert!(Dialect::Rfc7644.token_refused(401) && !Dialect::Rfc7644.token_refused(403));
        assert!(Dialect::Goto.token_refused(403) && !Dialect::Goto.token_refused(401));
        let url = "https://api.getgo.com/identity/v1/Users/me";
        assert!(
            Dialect::Goto
                .explain(403, url)
                .contains("invalid or has expired")
        );
        assert!(
            Dialect::Goto
                .explain(401, url)
                .contains("not an organization admin")
        );
        assert!(
            Dialect::Rfc7644
                .explain(401, url)
                .contains("wrong or has expired")
        );
        assert!(
            Dialect::Rfc7644
                .explain(403, url)
                .contains("lacks permission")
        );
    }

    #[test]
    fn whose_account_me_is() {
        let me = json!({"userName": "ida@contoso.example", "displayName": "Ida Admin"});
        assert_eq!(
            account(&me),
            Some((
                "ida@contoso.example".into(),
                "ida@contoso.example (Ida Admin)".into()
            ))
        );
        assert_eq!(account(&json!({"displayName": "no user name"})), None);
    }
}
