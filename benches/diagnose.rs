//! How fast `diagnose` reads a capture: the committed sample HAR (a redirect with the
//! AuthnRequest and the POST of a signed response), and the same sign-in buried in a 20 MB
//! HAR of a whole browsing session (2,000 unrelated requests with bodies), which is what
//! support staff are usually sent. Figures are in the README ("Performance").

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use goto_sso_wizard::diagnose::{self, CheckTime, Expected};

const FILLER_ENTRIES: usize = 2_000;
const FILLER_BODY_BYTES: usize = 10_000;

fn sample_har() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/failed-signin.har");
    std::fs::read_to_string(path).expect("samples/failed-signin.har (made by samples/make.sh)")
}

/// The sample's two SAML entries after `FILLER_ENTRIES` ordinary requests.
fn session_har(sample: &str) -> String {
    let mut har: serde_json::Value = serde_json::from_str(sample).expect("the sample is JSON");
    let saml_entries = har["log"]["entries"].as_array().expect("entries").clone();
    let body = "x".repeat(FILLER_BODY_BYTES);
    let mut entries: Vec<serde_json::Value> = (0..FILLER_ENTRIES)
        .map(|i| {
            serde_json::json!({
                "startedDateTime": "2026-11-25T10:00:00Z",
                "request": {"method": "GET", "url": format!("https://app.example.com/page/{i}?q=search+terms")},
                "response": {"status": 200, "content": {"mimeType": "text/html", "text": body}}
            })
        })
        .collect();
    entries.extend(saml_entries);
    har["log"]["entries"] = serde_json::Value::Array(entries);
    har.to_string()
}

fn diagnose_captures(c: &mut Criterion) {
    let sample = sample_har();
    let session = session_har(&sample);
    let expected = Expected::published();
    let time = CheckTime::clock();
    let mut group = c.benchmark_group("diagnose");
    group.sample_size(20);
    for (name, capture) in [("sample HAR", &sample), ("20 MB session HAR", &session)] {
        group.throughput(Throughput::Bytes(capture.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let diagnosis =
                    diagnose::diagnose(capture.as_bytes(), &expected, time).expect("decodes");
                assert!(diagnosis.summary.signatures[0].verified);
                diagnosis
            })
        });
    }
    group.finish();
}

criterion_group!(benches, diagnose_captures);
criterion_main!(benches);
