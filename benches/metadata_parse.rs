//! How fast the metadata engine reads a 5,000-entity federation aggregate, certificates
//! included. Figures and the Python comparison are in the README ("Performance").

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use goto_sso_wizard::metadata::{self, ParseOptions};

#[path = "support/aggregate.rs"]
mod aggregate;

const ENTITIES: usize = 5_000;

fn parse_aggregate(c: &mut Criterion) {
    let xml = aggregate::make_aggregate(ENTITIES);
    let options = ParseOptions::default();
    let mut group = c.benchmark_group("metadata");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(xml.len() as u64));
    group.bench_function("parse 5000-entity aggregate (bytes)", |b| {
        b.iter(|| {
            let parsed = metadata::parse(xml.as_bytes(), &options).expect("parses");
            assert_eq!(parsed.entities.len(), ENTITIES);
            parsed
        })
    });
    group.throughput(Throughput::Elements(ENTITIES as u64));
    group.bench_function("parse 5000-entity aggregate (entities)", |b| {
        b.iter(|| metadata::parse(xml.as_bytes(), &options).expect("parses"))
    });
    group.finish();
}

criterion_group!(benches, parse_aggregate);
criterion_main!(benches);
