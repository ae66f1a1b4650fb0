//! A loopback server that answers as GoTo's published SCIM description says, driven by the
//! project's own description of it (tests/contracts/goto-scim.json): its operations, query
//! parameters, statuses, list key, schema ids and user fields come from that file. Behind TLS
//! with a test CA, for the name `api.getgo.com`, under the path `/identity/v1`.
//!
//! Every request is checked against the description: a request to a path the description
//! lists as absent (RFC 7644's `/ServiceProviderConfig`, `/Schemas`, `count`/`startIndex` on
//! `/Users`) gets 404 and is recorded as a probe; any other request the description lacks (a
//! path, a method, a query parameter, a filter form, a missing `Authorization`) is recorded
//! as a violation, which the tests assert never happens.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use super::servers::{Reply, Request, TestPki, TestServer};

/// The description, as committed.
pub const CONTRACT: &str = include_str!("../contracts/goto-scim.json");

/// An organization admin with read & write (ROLE_ORG_READ and ROLE_ORG_WRITE).
pub const ADMIN_TOKEN: &str = "goto-admin-token-5f1c";
/// A valid token of an account without the organization role.
pub const NO_ROLE_TOKEN: &str = "goto-member-token-9a2e";
/// The admin's userName and displayName, as /Users/me answers them.
pub const ADMIN_USER_NAME: &str = "it.admin@contoso.example";
pub const ADMIN_DISPLAY_NAME: &str = "Ida Admin";
pub const MEMBER_USER_NAME: &str = "mo.member@contoso.example";

/// The host name GoTo's guides use.
pub const HOST: &str = "api.getgo.com";

pub fn contract() -> Value {
    serde_json::from_str(CONTRACT).expect("tests/contracts/goto-scim.json is JSON")
}

/// The running server with what it saw.
pub struct GotoScim {
    pub server: TestServer,
    pub pki: TestPki,
    pub violations: Arc<Mutex<Vec<String>>>,
    pub probes: Arc<Mutex<Vec<String>>>,
}

impl GotoScim {
    /// Starts on a free loopback port.
    pub fn start() -> Self {
        let pki = TestPki::new("GoTo-dialect test CA");
        let identity = pki.server(&[HOST, "127.0.0.1"], -1, 30);
        let violations = Arc::new(Mutex::new(Vec::new()));
        let probes = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(State {
            contract: contract(),
            violations: violations.clone(),
            probes: probes.clone(),
        });
        let server = TestServer::https(
            &identity,
            Arc::new(move |request: &Request| state.answer(request)),
        );
        Self {
            server,
            pki,
            violations,
            probes,
        }
    }

    /// The base URL as GoTo's guides give it (reach it by pinning [`HOST`] to this port).
    pub fn base_url(&self) -> String {
        contract()["base_url"]
            .as_str()
            .expect("base_url")
            .to_owned()
    }

    pub fn port(&self) -> u16 {
        self.server.address.port()
    }

    /// Panics with the list when the tool made a request the description lacks.
    pub fn assert_no_violations(&self) {
        let violations = self.violations.lock().expect("violations");
        assert!(
            violations.is_empty(),
            "requests GoTo's published description does not have:\n{}",
            violations.join("\n")
        );
    }

    pub fn probes(&self) -> Vec<String> {
        self.probes.lock().expect("probes").clone()
    }
}

struct State {
    contract: Value,
    violations: Arc<Mutex<Vec<String>>>,
    probes: Arc<Mutex<Vec<String>>>,
}

/// Who a token belongs to.
enum Caller {
    Admin,
    NoRole,
}

impl State {
    fn violation(&self, request: &Request, why: &str) {
        self.violations
            .lock()
            .expect("violations")
            .push(format!("{} {}: {why}", request.method, request.target));
    }

    fn answer(&self, request: &Request) -> Reply {
        let base_path = url::Url::parse(self.contract["base_url"].as_str().expect("base_url"))
            .expect("base URL")
            .path()
            .trim_end_matches('/')
            .to_owned();
        let parsed = url::Url::parse(&format!("https://{HOST}{}", request.target));
        let Ok(parsed) = parsed else {
            self.violation(request, "not a URL path");
            return error(400, "Bad request");
        };
        let Some(path) = parsed.path().strip_prefix(&base_path).map(str::to_owned) else {
            self.violation(request, "outside the base path");
            return error(404, "Not found");
        };
        let query: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let absent = &self.contract["not_described"];
        let is_listed = |list: &Value, item: &str| {
            list.as_array()
                .into_iter()
                .flatten()
                .any(|listed| listed.as_str() == Some(item))
        };
        let operation = self.contract["operations"]
            .as_array()
            .expect("operations")
            .iter()
            .find(|op| op["path"].as_str() == Some(path.as_str()));
        let Some(operation) = operation else {
            if is_listed(&absent["paths"], &path) {
                self.probes.lock().expect("probes").push(path);
                return error(404, "Not found");
            }
            self.violation(request, "no such path in the description");
            return error(404, "Not found");
        };
        if operation["method"].as_str() != Some(request.method.as_str()) {
            self.violation(request, "method not in the description");
            return error(405, "Method not allowed");
        }
        for (name, value) in &query {
            if operation["query"].get(name).is_none() {
                if path == "/Users" && is_listed(&absent["users_query"], name) {
                    self.probes
                        .lock()
                        .expect("probes")
                        .push(format!("{path}?{name}"));
                    return error(404, "Not found");
                }
                self.violation(request, &format!("query parameter {name} not described"));
                return error(400, "Bad request");
            }
            if name == "filter" && !filter_is_described(&operation["query"]["filter"], value) {
                self.violation(request, "a filter form the description does not allow");
                return error(400, &self.meaning("400"));
            }
        }
        let token = request
            .headers
            .get("authorization")
            .and_then(|value| value.strip_prefix("Bearer "));
        let Some(token) = token else {
            self.violation(request, "no Authorization: Bearer header");
            return error(403, &self.meaning("403"));
        };
        let caller = match token {
            ADMIN_TOKEN => Caller::Admin,
            NO_ROLE_TOKEN => Caller::NoRole,
            _ => return error(403, &self.meaning("403")),
        };
        if matches!(caller, Caller::NoRole) && !operation["needs_role"].is_null() {
            return error(401, &self.meaning("401"));
        }
        let body = match operation["response"].as_str().unwrap_or_default() {
            "User" => self.user(match caller {
                Caller::Admin => (ADMIN_USER_NAME, ADMIN_DISPLAY_NAME, "1001"),
                Caller::NoRole => (MEMBER_USER_NAME, "Mo Member", "1002"),
            }),
            "UserCollection" => self.users(query.iter().find(|(k, _)| k == "filter")),
            "ResourceSchema" => self.user_schema(),
            "ServiceProviderConfigs" => self.config(),
            other => panic!("the contract names an unknown response shape {other}"),
        };
        Reply::ok("application/json", body.to_string())
    }

    fn meaning(&self, status: &str) -> String {
        let text = self.contract["status_meanings"][status]
            .as_str()
            .unwrap_or_default();
        text.split(':').next().unwrap_or(text).to_owned()
    }

    fn user(&self, (user_name, display_name, key): (&str, &str, &str)) -> Value {
        let (given, family) = display_name.split_once(' ').unwrap_or((display_name, ""));
        json!({
            "id": key,
            "userName": user_name,
            "displayName": display_name,
            "name": {"givenName": given, "familyName": family},
            "locale": "en_US",
            "timezone": "America/Los_Angeles",
            "meta": {
                "created": "2024-05-01T09:00:00Z",
                "location": format!("{}/Users/{key}", self.contract["base_url"].as_str().unwrap_or_default()),
            },
        })
    }

    fn users(&self, filter: Option<&(String, String)>) -> Value {
        let everyone = [
            self.user((ADMIN_USER_NAME, ADMIN_DISPLAY_NAME, "1001")),
            self.user((MEMBER_USER_NAME, "Mo Member", "1002")),
        ];
        let found: Vec<Value> = everyone
            .into_iter()
            .filter(|user| filter.is_none_or(|(_, filter)| matches(user, filter)))
            .collect();
        let shape = &self.contract["shapes"]["UserCollection"];
        let mut list = serde_json::Map::new();
        list.insert(
            shape["total_key"].as_str().expect("total_key").to_owned(),
            json!(found.len()),
        );
        list.insert(
            shape["list_key"].as_str().expect("list_key").to_owned(),
            Value::Array(found),
        );
        Value::Object(list)
    }

    /// The user schema: the fields of the User shape as SCIM 1.0 attributes, objects with
    /// their sub-attributes.
    fn user_schema(&self) -> Value {
        let shape = &self.contract["shapes"]["ResourceSchema"];
        let core = shape["schema"].as_str().expect("schema");
        let fields = self.contract["shapes"]["User"]["fields"]
            .as_object()
            .expect("User fields");
        let attributes: Vec<Value> = fields
            .iter()
            .map(|(name, kind)| {
                let mut attribute = json!({
                    "name": name,
                    "type": if kind.is_object() { "complex" } else { "string" },
                    "multiValued": false,
                    "description": format!("the user's {name}"),
                    "schema": core,
                    "readOnly": name == "id" || name == "meta",
                    "required": name == "userName",
                    "caseExact": false,
                });
                if let Some(subs) = kind.as_object() {
                    attribute["subAttributes"] = subs
                        .keys()
                        .map(|sub| {
                            json!({
                                "name": sub,
                                "type": "string",
                                "description": format!("the user's {sub}"),
                                "readOnly": name == "meta",
                                "required": false,
                                "caseExact": false,
                            })
                        })
                        .collect();
                }
                attribute
            })
            .collect();
        json!({
            "id": shape["id"],
            "name": shape["name"],
            "description": "A user of the organization",
            "schema": core,
            "endpoint": shape["endpoint"],
            "attributes": attributes,
        })
    }

    fn config(&self) -> Value {
        let shape = &self.contract["shapes"]["ServiceProviderConfigs"];
        let mut config = serde_json::Map::new();
        config.insert(
            "documentationUrl".into(),
            json!("https://developer.goto.com/"),
        );
        for feature in shape["features"].as_array().expect("features") {
            let name = feature.as_str().expect("feature");
            config.insert(name.into(), json!({"supported": name == "filter"}));
        }
        config.insert(
            "authenticationSchemes".into(),
            json!({
                "name": "OAuth Bearer Token",
                "description": "OAuth 2.0 access token",
                "specUrl": "https://www.rfc-editor.org/rfc/rfc6750",
                "documentationUrl": "https://developer.goto.com/guides/Authentication/",
            }),
        );
        Value::Object(config)
    }
}

/// `attribute op "value"` with an operator and attribute the description allows.
fn filter_is_described(rule: &Value, filter: &str) -> bool {
    let mut parts = filter.splitn(3, ' ');
    let (Some(attribute), Some(operator), Some(value)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let listed = |key: &str, item: &str| {
        rule[key]
            .as_array()
            .into_iter()
            .flatten()
            .any(|listed| listed.as_str() == Some(item))
    };
    listed("attributes", attribute)
        && listed("operators", operator)
        && value.len() >= 2
        && value.starts_with('"')
        && value.ends_with('"')
}

fn matches(user: &Value, filter: &str) -> bool {
    let mut parts = filter.splitn(3, ' ');
    let (Some(attribute), Some(operator), Some(value)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let value = value.trim_matches('"');
    let mut field = user;
    for part in attribute.split('.') {
        field = &field[part];
    }
    let field = field.as_str().unwrap_or_default();
    match operator {
        "eq" => field.eq_ignore_ascii_case(value),
        "sw" => field
            .to_ascii_lowercase()
            .starts_with(&value.to_ascii_lowercase()),
        _ => false,
    }
}

fn error(status: u16, text: &str) -> Reply {
    Reply::status(status, "text/plain", text.to_owned())
}
