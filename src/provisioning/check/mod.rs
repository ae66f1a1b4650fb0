//! The connection test itself: the steps in order, each timed, explained and reported as soon
//! as it is done (the GUI shows them live).

use std::time::{Duration, Instant};

use serde_json::Value;
use time::OffsetDateTime;

use super::credentials::{Credentials, TokenSet};
use super::dialect::{self, Dialect, is_list_response, schema_resources};
use super::report::{Step, StepName, TestReport, redact};
use super::{mapping, oauth};
use crate::fetch::{self, FetchOptions};
use crate::secrets::Secret;

mod http;
mod token;

/// How to run the test.
#[derive(Debug, Clone)]
pub struct TestOptions {
    /// TLS, proxy, resolver and timeouts, as for metadata downloads.
    pub http: FetchOptions,
    /// Wait at most this long when the server answers 429 with `Retry-After` (then retry once).
    pub max_retry_wait: Duration,
    /// Refresh an access token that expires within this long, so it cannot expire between
    /// the check and its use by the SCIM requests.
    pub refresh_margin: Duration,
}

impl Default for TestOptions {
    fn default() -> Self {
        Self {
            http: FetchOptions::default(),
            max_retry_wait: Duration::from_secs(30),
            refresh_margin: Duration::from_secs(30),
        }
    }
}

const SCIM_JSON: &str = "application/scim+json, application/json;q=0.9";

/// How requests authenticate.
pub(super) enum Auth {
    Bearer(Secret),
}

/// One answer from the SCIM server.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) json: Option<Value>,
    looks_like_html: bool,
    waited: Option<Duration>,
}

/// One test run: what was asked, what was learned.
pub(super) struct Run<'a> {
    pub(super) base: String,
    client: reqwest::Client,
    options: &'a TestOptions,
    steps: Vec<Step>,
    progress: &'a mut (dyn FnMut(&Step) + Send + Sync),
    secrets: Vec<Secret>,
    /// Decided by the first answers (see [`dialect`]).
    pub(super) dialect: Option<Dialect>,
}

/// Runs the test against `base_url` (the SCIM base, e.g. `https://…/scim/v2`). `progress` sees
/// each step as it finishes (it is `Send` and `Sync`, so the whole test can run on any executor thread,
/// and a window can forward the steps as they come). Returns the report and the credentials,
/// with tokens refreshed when that was needed, for the caller to keep.
pub async fn run_test(
    base_url: &str,
    mut credentials: Credentials,
    options: &TestOptions,
    progress: &mut (dyn FnMut(&Step) + Send + Sync),
) -> (TestReport, Credentials) {
    let secrets = credentials.secrets().into_iter().cloned().collect();
    let base = base_url.trim().trim_end_matches('/').to_owned();
    let client = match fetch::http_client_without_redirects(&options.http, &base) {
        Ok(client) => client,
        Err(error) => {
            let step = Step {
                name: StepName::Token,
                ok: false,
                warning: false,
                http_status: None,
                latency_ms: 0,
                detail: format!("{} — {}", error.message, error.hint),
            };
            progress(&step);
            return (
                TestReport {
                    ok: false,
                    dialect: None,
                    steps: vec![step],
                },
                credentials,
            );
        }
    };
    let mut run = Run {
        base,
        client,
        options,
        steps: Vec::new(),
        progress,
        secrets,
        dialect: None,
    };
    let auth = run.token(&mut credentials).await;
    let auth = run.service_provider_config(&mut credentials, auth).await;
    if let Some(auth) = auth {
        let auth = if run.dialect == Some(Dialect::Goto) {
            run.goto_users(&mut credentials, auth).await
        } else {
            run.users(&mut credentials, auth).await
        };
        if let Some(auth) = auth {
            if let Some(schemas) = run.schemas(&auth).await {
                run.attribute_mapping(&schemas);
            }
            run.filter(&auth).await;
        }
    }
    let ok =
        run.steps.iter().all(|step| step.ok) && run.steps.iter().any(|s| s.name == StepName::Users);
    (
        TestReport {
            ok,
            dialect: run.dialect,
            steps: run.steps,
        },
        credentials,
    )
}

impl Run<'_> {
    pub(super) fn record(
        &mut self,
        name: StepName,
        ok: bool,
        http_status: Option<u16>,
        started: Instant,
        detail: String,
    ) {
        self.emit(name, ok, false, http_status, started, detail);
    }

    /// Records a passed step whose detail needs the admin's attention.
    pub(super) fn record_warning(&mut self, name: StepName, started: Instant, detail: String) {
        self.emit(name, true, true, None, started, detail);
    }

    fn emit(
        &mut self,
        name: StepName,
        ok: bool,
        warning: bool,
        http_status: Option<u16>,
        started: Instant,
        detail: String,
    ) {
        let secrets: Vec<&Secret> = self.secrets.iter().collect();
        let step = Step {
            name,
            ok,
            warning: ok && warning,
            http_status,
            latency_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            detail: redact(&detail, &secrets),
        };
        (self.progress)(&step);
        self.steps.push(step);
    }

    async fn users(&mut self, credentials: &mut Credentials, auth: Auth) -> Option<Auth> {
        let started = Instant::now();
        let url = format!("{}/Users?count=1&startIndex=1", self.base);
        let (answer, auth, note) = self
            .get_refreshing(
                credentials,
                auth,
                &url,
                Dialect::Rfc7644,
                StepName::Users,
                started,
            )
            .await?;
        if answer.status != 200 {
            let detail = dialect::explain(self.dialect, answer.status, &url);
            self.record(StepName::Users, false, Some(answer.status), started, detail);
            return None;
        }
        match answer.json.as_ref().filter(|json| is_list_response(json)) {
            Some(list) => {
                let total = list.get("totalResults").and_then(Value::as_u64);
                let detail = format!(
                    "the token is accepted{note}: {} in the organization{}",
                    total.map_or_else(
                        || "the number of users is not reported".to_owned(),
                        |n| format!("{n} user(s)")
                    ),
                    waited(&answer)
                );
                self.record(StepName::Users, true, Some(200), started, detail);
                Some(auth)
            }
            None => {
                let detail = not_scim(&answer, &url);
                self.record(StepName::Users, false, Some(200), started, detail);
                None
            }
        }
    }

    /// The server's schemas: RFC 7644's `/Schemas`, or SCIM 1.x's `/Schemas/Users` where that
    /// answers 404 or the dialect is GoTo's.
    async fn schemas(&mut self, auth: &Auth) -> Option<Value> {
        let started = Instant::now();
        let dialect = self.dialect.unwrap_or(Dialect::Rfc7644);
        let mut answered = None;
        for path in dialect.schema_paths() {
            let url = format!("{}{path}", self.base);
            match self.get(&url, Some(auth)).await {
                Err(detail) => {
                    self.record(StepName::Schemas, false, None, started, detail);
                    return None;
                }
                Ok(answer) => {
                    let found = answer.status != 404;
                    answered = Some((answer, url));
                    if found {
                        break;
                    }
                }
            }
        }
        let (answer, url) = answered?;
        if answer.status != 200 {
            let detail = format!(
                "{}; without the server's schemas the attribute mapping cannot be checked",
                dialect.explain(answer.status, &url)
            );
            self.record(
                StepName::Schemas,
                false,
                Some(answer.status),
                started,
                detail,
            );
            return None;
        }
        let ids: Vec<String> = answer
            .json
            .as_ref()
            .map(schema_resources)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|schema| schema.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect();
        if ids.is_empty() {
            let detail = not_scim(&answer, &url);
            self.record(StepName::Schemas, false, Some(200), started, detail);
            return None;
        }
        let detail = format!("{} schema(s): {}", ids.len(), ids.join(", "));
        self.record(StepName::Schemas, true, Some(200), started, detail);
        answer.json
    }

    fn attribute_mapping(&mut self, schemas: &Value) {
        let started = Instant::now();
        let Some(mapping) = mapping::mapping() else {
            self.record(
                StepName::AttributeMapping,
                false,
                None,
                started,
                "the mapping data could not be read".into(),
            );
            return;
        };
        if self.dialect == Some(Dialect::Goto) {
            let (warning, detail) = dialect::goto_mapping(schemas, mapping);
            if warning {
                self.record_warning(StepName::AttributeMapping, started, detail);
            } else {
                self.record(StepName::AttributeMapping, true, None, started, detail);
            }
            return;
        }
        let (missing, absent_schemas) = mapping::missing(schemas, mapping);
        if missing.is_empty() && absent_schemas.is_empty() {
            self.record(
                StepName::AttributeMapping,
                true,
                None,
                started,
                "every attribute Entra's GoTo mapping sends is declared by the server".into(),
            );
            return;
        }
        let mut parts = Vec::new();
        if !absent_schemas.is_empty() {
            parts.push(format!(
                "schemas not offered: {}",
                absent_schemas.join(", ")
            ));
        }
        if !missing.is_empty() {
            parts.push(format!("attributes not declared: {}", missing.join(", ")));
        }
        let detail = format!(
            "{}. Entra will send them anyway; remove these mappings in Entra (Provisioning → Mappings) or expect errors in the provisioning logs",
            parts.join("; ")
        );
        self.record(StepName::AttributeMapping, false, None, started, detail);
    }

    async fn filter(&mut self, auth: &Auth) {
        let started = Instant::now();
        let Some(mapping) = mapping::mapping() else {
            return;
        };
        let probe = format!(
            "goto-sso-wizard-probe-{}@example.invalid",
            std::process::id()
        );
        let filter = format!("{} eq \"{probe}\"", mapping.matching_attribute);
        let mut url = url::Url::parse(&format!("{}/Users", self.base)).ok();
        if let Some(url) = url.as_mut() {
            url.query_pairs_mut().append_pair("filter", &filter);
        }
        let Some(url) = url.map(String::from) else {
            self.record(
                StepName::Filter,
                false,
                None,
                started,
                format!("{} is not a valid URL", self.base),
            );
            return;
        };
        match self.get(&url, Some(auth)).await {
            Err(detail) => self.record(StepName::Filter, false, None, started, detail),
            Ok(answer)
                if answer.status == 200 && answer.json.as_ref().is_some_and(is_list_response) =>
            {
                let found = answer
                    .json
                    .as_ref()
                    .and_then(|json| json.get("totalResults"))
                    .and_then(Value::as_u64);
                let detail = format!(
                    "filtering by {} works (the probe {filter} found {} user(s)), so Entra can match existing users",
                    mapping.matching_attribute,
                    found.unwrap_or(0)
                );
                self.record(StepName::Filter, true, Some(200), started, detail);
            }
            Ok(answer) => {
                let detail = format!(
                    "filtering by {} does not work ({}): Entra matches users by it, so existing users would be duplicated",
                    mapping.matching_attribute,
                    dialect::explain(self.dialect, answer.status, &url)
                );
                self.record(
                    StepName::Filter,
                    false,
                    Some(answer.status),
                    started,
                    detail,
                );
            }
        }
    }
}

pub(super) fn not_scim(answer: &Answer, url: &str) -> String {
    if answer.looks_like_html {
        format!(
            "{url} answered with a web page, not SCIM JSON: the base URL points at a website or sign-in page"
        )
    } else if answer.json.is_some() {
        format!("{url} answered JSON that is not SCIM (no SCIM schemas in it): check the base URL")
    } else {
        format!("{url} answered something that is not JSON: check the base URL")
    }
}

pub(super) fn features(config: &Value) -> String {
    let flag = |name: &str| {
        config
            .get(name)
            .and_then(|feature| feature.get("supported"))
            .and_then(Value::as_bool)
            .map_or("unknown", |supported| if supported { "yes" } else { "no" })
    };
    // A list in SCIM 2.0; one object in GoTo's description.
    let schemes: Vec<&str> = match config.get("authenticationSchemes") {
        Some(Value::Array(schemes)) => schemes.iter().collect(),
        Some(scheme @ Value::Object(_)) => vec![scheme],
        _ => Vec::new(),
    }
    .into_iter()
    .filter_map(|scheme| scheme.get("name").and_then(Value::as_str))
    .collect();
    format!(
        "SCIM features: PATCH {}, filter {}, bulk {}, sort {}, ETag {}, password change {}; authentication: {}",
        flag("patch"),
        flag("filter"),
        flag("bulk"),
        flag("sort"),
        flag("etag"),
        flag("changePassword"),
        if schemes.is_empty() {
            "not stated".to_owned()
        } else {
            schemes.join(", ")
        }
    )
}

pub(super) fn waited(answer: &Answer) -> String {
    answer
        .waited
        .map(|wait| {
            format!(
                " (after waiting {} s, as the server asked with 429 Retry-After)",
                wait.as_secs()
            )
        })
        .unwrap_or_default()
}
