//! One SCIM request: sent with the token, 429 waited out once, the body read with a limit.

use super::*;

impl Run<'_> {
    /// GET with the auth, honouring one `429 Retry-After` within the allowed wait.
    pub(crate) async fn get(&self, url: &str, auth: Option<&Auth>) -> Result<Answer, String> {
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

pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
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
