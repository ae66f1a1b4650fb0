//! Checks the signature verdicts of `diagnose` against another SAML library's test suite: every
//! response listed in an expectations file (by default `examples/saml-corpus-python3-saml.tsv`,
//! python3-saml's `tests/data/responses`) is diagnosed with the certificate that suite trusts,
//! and our verdict on its signature (valid or invalid) is compared with the suite's.
//!
//! The corpus is not part of this repository (see `scripts/saml-corpus.sh`):
//!
//! `GOTO_SSO_SAML_CORPUS=/path/to/python3-saml cargo run --example saml_corpus [-- EXPECTATIONS.tsv]`
//!
//! Prints one line per response and "N of M agree". Exits 1 when a disagreement is not one the
//! expectations file marks as deliberate (or a deliberate one no longer happens), 2 when the
//! corpus or a file in it is missing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use goto_sso_wizard::certificate::Certificate;
use goto_sso_wizard::diagnose::{self, CheckTime, Diagnosis, Expected, RootCause};

/// One line of the expectations file.
struct Case {
    file: String,
    trust: String,
    valid: bool,
    source: String,
    deliberate: Option<String>,
}

fn main() -> ExitCode {
    let Some(corpus) = std::env::var_os("GOTO_SSO_SAML_CORPUS").map(PathBuf::from) else {
        eprintln!(
            "GOTO_SSO_SAML_CORPUS is not set: point it at a python3-saml checkout (scripts/saml-corpus.sh says how to get one)"
        );
        return ExitCode::from(2);
    };
    let expectations = std::env::args_os().nth(1).map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/saml-corpus-python3-saml.tsv"),
        PathBuf::from,
    );
    let cases = match read_cases(&expectations) {
        Ok(cases) => cases,
        Err(error) => {
            eprintln!("{}: {error}", expectations.display());
            return ExitCode::from(2);
        }
    };
    let (mut agree, mut unexpected, mut signed, mut signed_agree) = (0, 0, 0, 0);
    for case in &cases {
        let ours = match our_verdict(&corpus, case) {
            Ok(ours) => ours,
            Err(error) => {
                eprintln!("{}: {error}", case.file);
                return ExitCode::from(2);
            }
        };
        let same = ours.valid == case.valid;
        agree += usize::from(same);
        if ours.signed {
            signed += 1;
            signed_agree += usize::from(same);
        }
        let mark = match (same, &case.deliberate) {
            (true, None) => "agree",
            (false, Some(_)) => "differ (deliberate)",
            (true, Some(_)) => {
                unexpected += 1;
                "AGREE, but marked deliberate: update the expectations"
            }
            (false, None) => {
                unexpected += 1;
                "DIFFER"
            }
        };
        println!(
            "{mark}\t{}\t[{}]\tsuite: {}\tours: {} ({})\t{}",
            case.file,
            case.trust,
            verdict_name(case.valid),
            verdict_name(ours.valid),
            ours.why,
            case.source
        );
        if !same && let Some(reason) = &case.deliberate {
            println!("\twhy: {reason}");
        }
    }
    println!(
        "{agree} of {} agree with python3-saml's own expectations ({signed_agree} of the {signed} that carry a signature)",
        cases.len()
    );
    if unexpected > 0 {
        eprintln!("{unexpected} unexpected result(s)");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn verdict_name(valid: bool) -> &'static str {
    if valid { "valid" } else { "invalid" }
}

fn read_cases(path: &Path) -> Result<Vec<Case>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut cases = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let [file, trust, expected, source, deliberate] = fields[..] else {
            return Err(format!(
                "line {}: expected 5 tab-separated fields",
                number + 1
            ));
        };
        let valid = match expected {
            "valid" => true,
            "invalid" => false,
            other => return Err(format!("line {}: unknown verdict {other:?}", number + 1)),
        };
        cases.push(Case {
            file: file.to_owned(),
            trust: trust.to_owned(),
            valid,
            source: source.to_owned(),
            deliberate: (deliberate != "-").then(|| deliberate.to_owned()),
        });
    }
    Ok(cases)
}

/// Our verdict on a response's signature and the reason for it.
struct Ours {
    valid: bool,
    why: String,
    /// Whether the message carries any XML signature at all (wherever it is).
    signed: bool,
}

fn our_verdict(corpus: &Path, case: &Case) -> Result<Ours, String> {
    let path = corpus.join("tests/data/responses").join(&case.file);
    let capture = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut expected = Expected::published();
    expected.idp_certificates = trusted(corpus, &case.trust, &capture)?;
    expected.idp_certificates_source = Some(case.trust.clone());
    let diagnosis = diagnose::diagnose(&capture, &expected, CheckTime::clock())
        .map_err(|error| format!("not read: {error}"))?;
    let (valid, why) = judge(&diagnosis);
    Ok(Ours {
        valid,
        why,
        signed: carries_signature(&capture),
    })
}

fn carries_signature(capture: &[u8]) -> bool {
    diagnose::decode(capture).is_ok_and(|messages| {
        messages.iter().any(|message| {
            roxmltree::Document::parse(&message.xml).is_ok_and(|doc| {
                doc.descendants()
                    .any(|n| n.has_tag_name(("http://www.w3.org/2000/09/xmldsig#", "Signature")))
            })
        })
    })
}

/// The signature verdict: at least one signature, every one verified by a trusted key, and no
/// finding that says the response was altered, wrapped, unsigned or signed by another key.
fn judge(diagnosis: &Diagnosis) -> (bool, String) {
    const SIGNATURE_CAUSES: [RootCause; 5] = [
        RootCause::Malformed,
        RootCause::Unsigned,
        RootCause::SignatureInvalid,
        RootCause::CertUntrusted,
        RootCause::CertNotTrustedRollover,
    ];
    let refusal = diagnosis
        .findings
        .iter()
        .find(|f| f.cause().is_some_and(|c| SIGNATURE_CAUSES.contains(&c)));
    if let Some(finding) = refusal {
        return (false, format!("{}: {}", finding.id.id(), finding.message));
    }
    let signatures = &diagnosis.summary.signatures;
    if signatures.is_empty() {
        return (false, "no signature".to_owned());
    }
    match signatures
        .iter()
        .find(|s| !s.verified || s.signer_trusted != Some(true))
    {
        Some(signature) => (
            false,
            format!(
                "{} signature: {}",
                signature.element.name(),
                signature
                    .problem
                    .as_deref()
                    .unwrap_or("not by a trusted key")
            ),
        ),
        None => (
            true,
            signatures
                .iter()
                .map(|s| format!("{} signature verified", s.element.name()))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    }
}

/// The certificates the suite trusts for this case.
fn trusted(corpus: &Path, trust: &str, capture: &[u8]) -> Result<Vec<Certificate>, String> {
    if let Some(name) = trust.strip_prefix("settings:") {
        let path = corpus.join("tests/settings").join(name);
        let text = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let settings: serde_json::Value =
            serde_json::from_slice(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let idp = &settings["idp"];
        if let Some(cert) = idp["x509cert"].as_str().filter(|c| !c.trim().is_empty()) {
            let (certificate, _) =
                Certificate::parse(cert.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
            return Ok(vec![certificate]);
        }
        let fingerprint = idp["certFingerprint"]
            .as_str()
            .ok_or_else(|| format!("{name}: neither x509cert nor certFingerprint"))?;
        let algorithm = idp["certFingerprintAlgorithm"].as_str().unwrap_or("sha1");
        return by_fingerprint(capture, algorithm, fingerprint);
    }
    if let Some(file) = trust.strip_prefix("pem:") {
        let path = corpus.join(file);
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let (certificate, _) = Certificate::parse(&bytes).map_err(|e| format!("{file}: {e}"))?;
        return Ok(vec![certificate]);
    }
    if let Some(rest) = trust.strip_prefix("fingerprint:") {
        let (algorithm, fingerprint) = rest
            .split_once(':')
            .ok_or_else(|| format!("{trust}: fingerprint:<algorithm>:<hex>"))?;
        return by_fingerprint(capture, algorithm, fingerprint);
    }
    Err(format!("unknown trust {trust:?}"))
}

/// What python3-saml does with a fingerprint: trust the certificate in the message's KeyInfo
/// whose thumbprint it is.
fn by_fingerprint(
    capture: &[u8],
    algorithm: &str,
    fingerprint: &str,
) -> Result<Vec<Certificate>, String> {
    let wanted: String = fingerprint
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_ascii_uppercase();
    let messages = diagnose::decode(capture).map_err(|e| e.to_string())?;
    let mut found = Vec::new();
    for message in &messages {
        let Ok(doc) = roxmltree::Document::parse(&message.xml) else {
            continue;
        };
        for node in doc
            .descendants()
            .filter(|n| n.tag_name().name() == "X509Certificate")
        {
            let Ok(certificate) = Certificate::from_base64(node.text().unwrap_or_default()) else {
                continue;
            };
            let thumbprint = match algorithm {
                "sha256" => &certificate.info().sha256,
                _ => &certificate.info().sha1,
            };
            if *thumbprint == wanted && !found.contains(&certificate) {
                found.push(certificate);
            }
        }
    }
    Ok(found)
}
