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

    async fn token(&mut self, credentials: &mut Credentials) -> Option<Auth> {
        let started = Instant::now();
        match credentials {
            Credentials::BearerToken(token) => {
                let auth = Auth::Bearer(token.clone());
                self.record(
                    StepName::Token,
                    true,
                    None,
                    started,
                    "the token given is used as it is (bearer)".into(),
                );
                Some(auth)
            }
            Credentials::LegacyAdminPassword {
                endpoints,
                user,
                password,
            } => match oauth::password(endpoints, user, password, &self.options.http).await {
                Ok(tokens) => {
                    self.secrets.extend(tokens.secrets().into_iter().cloned());
                    let detail = format!(
                        "exchanged the admin user name {user} and password for a token at {}{} (password grant, as the \
                         GoToMeeting connector did). Microsoft has deprecated that connector: use the GoTo app's \
                         \"Authorize\" instead",
                        endpoints.token_url,
                        lifetime(&tokens)
                    );
                    self.record(StepName::Token, true, None, started, detail);
                    Some(Auth::Bearer(tokens.access_token))
                }
                Err(error) => {
                    let detail = format!(
                        "{} (the admin user name and password belong to the GoToMeeting connector Microsoft has deprecated)",
                        oauth_detail(&error)
                    );
                    self.record(StepName::Token, false, error.http_status, started, detail);
                    None
                }
            },
            Credentials::ClientCredentials {
                endpoints,
                client_secret,
            } => {
                let endpoints = oauth::OAuthEndpoints {
                    client_secret: Some(client_secret.clone()),
                    ..endpoints.clone()
                };
                match oauth::client_credentials(&endpoints, &self.options.http).await {
                    Ok(tokens) => {
                        self.secrets.extend(tokens.secrets().into_iter().cloned());
                        let detail = format!(
                            "got an access token from {}{}",
                            endpoints.token_url,
                            lifetime(&tokens)
                        );
                        self.record(StepName::Token, true, None, started, detail);
                        Some(Auth::Bearer(tokens.access_token))
                    }
                    Err(error) => {
                        self.record(
                            StepName::Token,
                            false,
                            error.http_status,
                            started,
                            oauth_detail(&error),
                        );
                        None
                    }
                }
            }
            Credentials::Authorized { endpoints, tokens } => {
                let now = OffsetDateTime::now_utc();
                let margin =
                    i64::try_from(self.options.refresh_margin.as_secs()).unwrap_or(i64::MAX);
                if tokens.expires_within(now, margin) {
                    let why = if tokens.expires_within(now, 0) {
                        "the access token had expired".to_owned()
                    } else {
                        format!("the access token expires within {margin} s")
                    };
                    return self.refresh(endpoints, tokens, started, &why).await;
                }
                let detail = format!(
                    "the token from the browser authorization is used{}",
                    lifetime(tokens)
                );
                self.record(StepName::Token, true, None, started, detail);
                Some(Auth::Bearer(tokens.access_token.clone()))
            }
        }
    }

    pub(super) async fn refresh(
        &mut self,
        endpoints: &oauth::OAuthEndpoints,
        tokens: &mut TokenSet,
        started: Instant,
        why: &str,
    ) -> Option<Auth> {
        let Some(refresh_token) = tokens.refresh_token.clone() else {
            self.record(
                StepName::Token,
                false,
                None,
                started,
                format!("{why} and there is no refresh token: authorize again in the browser"),
            );
            return None;
        };
        match oauth::refresh(endpoints, &refresh_token, &self.options.http).await {
            Ok(fresh) => {
                self.secrets.extend(fresh.secrets().into_iter().cloned());
                let detail = format!(
                    "{why}; refreshed it at {}{}",
                    endpoints.token_url,
                    lifetime(&fresh)
                );
                *tokens = fresh;
                self.record(StepName::Token, true, None, started, detail);
                Some(Auth::Bearer(tokens.access_token.clone()))
            }
            Err(error) => {
                self.record(
                    StepName::Token,
                    false,
                    error.http_status,
                    started,
                    format!("{why}; {}", oauth_detail(&error)),
                );
                None
            }
        }
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

    /// GET with the auth, honouring one `429 Retry-After` within the allowed wait.
    pub(super) async fn get(&self, url: &str, auth: Option<&Auth>) -> Result<Answer, String> {
        let mut waited_for = None;
        loop {
            let mut request = self
                .client
                .get(url)
                .header(reqwest::header::ACCEPT, SCIM_JSON);
            request = match auth {
                Some(Auth::Bearer(token)) => request.bearer_auth(token.expose()),
                None => request,
            };
            let response = request.send().await.map_err(|error| {
                let named = fetch::describe_request_error(&error, url, &self.options.http);
                format!("{} — {}", named.message, named.hint)
            })?;
            let status = response.status().as_u16();
            if status == 429 && waited_for.is_none() {
                let wait = retry_after(response.headers());
                match wait {
                    Some(wait) if wait <= self.options.max_retry_wait => {
                        tokio::time::sleep(wait).await;
                        waited_for = Some(wait);
                        continue;
                    }
                    _ => {
                        return Err(format!(
                            "429 Too Many Requests: the server asks to wait {}; test again later",
                            wait.map_or_else(
                                || "an unstated time".to_owned(),
                                |w| format!("{} s", w.as_secs())
                            )
                        ));
                    }
                }
            }
            let content_type = response
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            let mut response = response;
            let body = fetch::read_body(
                &mut response,
                self.options.http.max_bytes,
                url,
                &self.options.http,
            )
            .await
            .map_err(|named| format!("{} — {}", named.message, named.hint))?;
            let start = String::from_utf8_lossy(body.get(..64).unwrap_or(&body))
                .trim_start()
                .to_ascii_lowercase();
            return Ok(Answer {
                status,
                json: serde_json::from_slice(&body).ok(),
                looks_like_html: content_type.starts_with("text/html")
                    || start.starts_with("<!doctype html")
                    || start.starts_with("<html"),
                waited: waited_for,
            });
        }
    }
}

fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let format = time::format_description::well_known::Rfc2822;
    let at = OffsetDateTime::parse(value, &format).ok()?;
    let seconds = (at - OffsetDateTime::now_utc()).whole_seconds().max(0);
    Some(Duration::from_secs(u64::try_from(seconds).unwrap_or(0)))
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

fn lifetime(tokens: &TokenSet) -> String {
    tokens
        .expires_at
        .map(|at| {
            let seconds = (at - OffsetDateTime::now_utc()).whole_seconds().max(0);
            format!(", valid for {seconds} more seconds")
        })
        .unwrap_or_default()
}

fn oauth_detail(error: &oauth::OAuthError) -> String {
    if error.hint.is_empty() {
        error.message.clone()
    } else {
        format!("{} — {}", error.message, error.hint)
    }
}
