//! `provisioning test`: the connection test from a terminal, steps printed as they finish.

use std::io::Write as _;
use std::time::Duration;

use goto_sso_wizard::provisioning::{
    self, BrowserAuthorization, CallbackPort, Credentials, OAuthEndpoints, Step, TestOptions,
    TestReport,
};
use goto_sso_wizard::secrets::Secret;

use super::ProvisioningTestArgs;
use super::download;
use super::output::{Failure, print_json, write_stdout};
use super::saved;

/// How long the browser authorization may take.
const AUTHORIZE_WAIT: Duration = Duration::from_secs(300);

/// Runs `credentials forget`.
pub fn forget() -> Result<(), Failure> {
    let note = saved::forget()?;
    write_stdout(format!("{note}\n").as_bytes())
}

/// Runs `provisioning test`.
pub fn test(args: &ProvisioningTestArgs) -> Result<(), Failure> {
    check_one_method(args)?;
    let http =
        download::options(&args.download, 16 * 1024 * 1024).map_err(|f| f.with_json(args.json))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| Failure::from_error("internal", &error))?;
    let options = TestOptions {
        http,
        ..TestOptions::default()
    };
    refuse_what_the_policy_forbids(args, &options).map_err(|f| f.with_json(args.json))?;
    let (credentials, base_url) = if args.saved {
        saved::load(args.base_url.as_deref()).map_err(|f| f.with_json(args.json))?
    } else {
        let credentials = runtime
            .block_on(credentials(args, &options))
            .map_err(|f| f.with_json(args.json))?;
        (credentials, base_url_or_default(args.base_url.as_deref())?)
    };
    let json = args.json;
    let mut show = |step: &Step| {
        if !json {
            let mark = match (step.ok, step.warning) {
                (true, false) => "PASS",
                (true, true) => "WARN",
                (false, _) => "FAIL",
            };
            let status = step
                .http_status
                .map(|s| format!(" HTTP {s}"))
                .unwrap_or_default();
            println!(
                "{mark}  {} ({} ms{status})\n      {}",
                step.name.title(),
                step.latency_ms,
                step.detail
            );
            let _ = std::io::stdout().flush();
        }
    };
    let (report, credentials) = runtime.block_on(provisioning::run_test(
        &base_url,
        credentials,
        &options,
        &mut show,
    ));
    if args.remember || (args.saved && report.ok) {
        // Keeps refreshed tokens too, so the next --saved run starts from them.
        let note = saved::store(&base_url, &credentials).map_err(|f| f.with_json(args.json))?;
        eprintln!("{note}");
    }
    if json {
        print_json(&report)?;
    } else {
        write_stdout(summary(&report).as_bytes())?;
    }
    if report.ok {
        Ok(())
    } else {
        // The steps already said what failed; only the exit status is left to set.
        Err(Failure {
            chain: Vec::new(),
            ..Failure::bad_input("check_failed", String::new())
        })
    }
}

/// Checks every URL given on the command line before anything is asked or sent (the core checks
/// each request again), so a refused URL fails at once with its reason.
fn refuse_what_the_policy_forbids(
    args: &ProvisioningTestArgs,
    options: &TestOptions,
) -> Result<(), Failure> {
    let policy = options.http.policy();
    [&args.base_url, &args.token_url, &args.authorize_url]
        .into_iter()
        .flatten()
        .try_for_each(|url| policy.check(url).map(drop))
        .map_err(|error| Failure::from_fetch(&error))
}

/// Exactly one way of giving credentials; clap cannot express that `--client-secret-env` is a
/// method of its own and also an option of `--authorize`.
fn check_one_method(args: &ProvisioningTestArgs) -> Result<(), Failure> {
    if args.saved {
        return Ok(());
    }
    let client_credentials =
        args.client_secret_env.is_some() && !args.authorize && args.admin_user.is_none();
    let chosen = [
        args.token_env.is_some(),
        client_credentials,
        args.authorize,
        args.admin_user.is_some(),
    ]
    .iter()
    .filter(|chosen| **chosen)
    .count();
    if chosen == 1 {
        return Ok(());
    }
    Err(Failure {
        exit_code: super::EXIT_USAGE,
        ..Failure::bad_input(
            "usage",
            format!(
                "choose exactly one way to give the credentials ({} given): --token-env VAR, \
                 --client-id ID --client-secret-env VAR, --authorize --client-id ID, or --admin-user USER \
                 --admin-password-env VAR",
                chosen
            ),
        )
    })
}

fn summary(report: &TestReport) -> String {
    let failed = report.steps.iter().filter(|step| !step.ok).count();
    let dialect = report
        .dialect
        .map(|dialect| format!("The server speaks {}.\n", dialect.title()))
        .unwrap_or_default();
    if report.ok {
        format!(
            "\n{dialect}Connection test passed: {} checks.\n",
            report.steps.len()
        )
    } else {
        format!(
            "\n{dialect}Connection test failed: {failed} of {} checks did not pass.\n",
            report.steps.len()
        )
    }
}

fn secret_from_env(variable: &str, what: &str) -> Result<Secret, Failure> {
    match std::env::var(variable) {
        Ok(value) if !value.trim().is_empty() => Ok(Secret::new(value.trim().to_owned())),
        Ok(_) => Err(Failure::bad_input(
            "missing_secret",
            format!("the environment variable {variable} (the {what}) is empty"),
        )),
        Err(_) => Err(Failure::bad_input(
            "missing_secret",
            format!(
                "the environment variable {variable} (the {what}) is not set; secrets are never taken from \
                 the command line, so set it first (read -rs {variable}; export {variable})"
            ),
        )),
    }
}

/// The base URL given, or the GoTo profile's published one (saying so on standard error).
fn base_url_or_default(given: Option<&str>) -> Result<String, Failure> {
    if let Some(url) = given {
        return Ok(url.to_owned());
    }
    let provisioning = goto_sso_wizard::profile::default_profile().map(|p| &p.provisioning);
    match provisioning.and_then(|p| Some((p.scim_base_url.clone()?, p.scim_base_url_origin()?))) {
        Some((url, origin)) => {
            eprintln!(
                "note: testing GoTo's SCIM base URL {url} (from {origin}); give --base-url for another"
            );
            Ok(url)
        }
        None => Err(Failure::bad_input(
            "usage",
            "give the SCIM base URL with --base-url (the GoTo profile has none)".to_owned(),
        )),
    }
}

fn profile_urls() -> (String, String) {
    goto_sso_wizard::profile::default_profile().map_or_else(
        || (String::new(), String::new()),
        |profile| {
            (
                profile.provisioning.authorize_url.clone(),
                profile.provisioning.token_url.clone(),
            )
        },
    )
}

async fn credentials(
    args: &ProvisioningTestArgs,
    options: &TestOptions,
) -> Result<Credentials, Failure> {
    let (default_authorize, default_token) = profile_urls();
    let endpoints = |secret: Option<Secret>| -> Result<OAuthEndpoints, Failure> {
        let client_id = args.client_id.clone().ok_or_else(|| {
            Failure::bad_input(
                "usage",
                "--client-id is needed with --client-secret-env and --authorize".to_owned(),
            )
        })?;
        Ok(OAuthEndpoints {
            authorize_url: Some(
                args.authorize_url
                    .clone()
                    .unwrap_or_else(|| default_authorize.clone()),
            ),
            token_url: args
                .token_url
                .clone()
                .unwrap_or_else(|| default_token.clone()),
            client_id,
            client_secret: secret,
            scopes: args.scope.clone(),
        })
    };
    if let Some(variable) = &args.token_env {
        return Ok(Credentials::BearerToken(secret_from_env(
            variable,
            "SCIM token",
        )?));
    }
    if let Some(user) = &args.admin_user {
        let variable = args.admin_password_env.as_deref().unwrap_or_default();
        eprintln!(
            "note: the admin user name and password belong to the GoToMeeting connector that Microsoft has deprecated; \
             the GoTo app's \"Authorize\" (--authorize) replaces it"
        );
        let secret = args
            .client_secret_env
            .as_deref()
            .map(|variable| secret_from_env(variable, "client secret"))
            .transpose()?;
        return Ok(Credentials::LegacyAdminPassword {
            endpoints: endpoints(secret)?,
            user: user.clone(),
            password: secret_from_env(variable, "admin password")?,
        });
    }
    if args.authorize {
        let secret = args
            .client_secret_env
            .as_deref()
            .map(|variable| secret_from_env(variable, "client secret"))
            .transpose()?;
        let endpoints = endpoints(secret)?;
        let port = CallbackPort::from_number(args.callback_port);
        let authorization = BrowserAuthorization::begin_on(&endpoints, options.http.policy(), port)
            .await
            .map_err(|error| {
                Failure::bad_input("authorize", format!("{} — {}", error.message, error.hint))
            })?;
        eprintln!(
            "The browser comes back to {} (it must be a redirect URI of the OAuth client).",
            authorization.redirect_uri()
        );
        eprintln!(
            "Open this URL to authorize (waiting {} s):\n{}",
            AUTHORIZE_WAIT.as_secs(),
            authorization.url()
        );
        if !args.no_browser
            && let Err(error) = open::that_detached(authorization.url())
        {
            eprintln!(
                "note: the browser could not be opened ({error}); open the URL above yourself"
            );
        }
        let tokens = authorization
            .finish(&options.http, AUTHORIZE_WAIT)
            .await
            .map_err(|error| {
                Failure::bad_input("authorize", format!("{} — {}", error.message, error.hint))
            })?;
        eprintln!("authorized; testing the connection");
        return Ok(Credentials::Authorized { endpoints, tokens });
    }
    let variable = args.client_secret_env.as_deref().unwrap_or_default();
    let secret = secret_from_env(variable, "client secret")?;
    Ok(Credentials::ClientCredentials {
        endpoints: endpoints(None)?,
        client_secret: secret,
    })
}
