//! The fuzz targets without libFuzzer: replays every file under `fuzz/seeds/` and
//! `fuzz/regressions/` through the same calls and invariants as `fuzz/fuzz_targets/*.rs`
//! (`fuzz/src/lib.rs`, included below), then feeds them 20,000 deterministic mutations of the
//! seeds (bit flips, truncations, insertions, DOCTYPE / entity / marker tokens, deep nesting,
//! splices). Nothing here measures time: each call only has to return without panicking.
//!
//! A failing input is written to `target/tmp/fuzz-smoke-*.bin`; copy it to
//! `fuzz/regressions/<target>/` once the bug is fixed, so it is replayed from then on.

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)] // `metadata` and `certificate` are the fuzz targets' entry points
mod checks;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug)]
enum Target {
    Metadata,
    Certificate,
    Diagnose,
}

impl Target {
    fn name(self) -> &'static str {
        match self {
            Target::Metadata => "metadata",
            Target::Certificate => "certificate",
            Target::Diagnose => "diagnose",
        }
    }

    fn check(self, checker: &mut checks::Checker, data: &[u8]) {
        match self {
            Target::Metadata => checker.metadata(data),
            Target::Certificate => checker.certificate(data),
            Target::Diagnose => checks::diagnose(data),
        }
    }

    /// Runs the target on `data`; on a panic, saves the input and fails with where it is.
    fn run(self, checker: &mut checks::Checker, data: &[u8], label: &str) {
        if catch_unwind(AssertUnwindSafe(|| self.check(checker, data))).is_err() {
            let folder = Path::new(env!("CARGO_TARGET_TMPDIR"));
            let _ = std::fs::create_dir_all(folder);
            let file = folder.join(format!(
                "fuzz-smoke-{}-{}.bin",
                self.name(),
                label.replace(['/', '\\', ' '], "_")
            ));
            let _ = std::fs::write(&file, data);
            panic!(
                "{} target panicked on {label} ({} bytes); input saved to {}",
                self.name(),
                data.len(),
                file.display()
            );
        }
    }
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Every file under `dir`, recursively, sorted (empty when `dir` does not exist).
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn seeds(target: Target) -> Vec<(String, Vec<u8>)> {
    files_under(&fuzz_dir().join("seeds").join(target.name()))
        .into_iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("readable seed"))
        })
        .collect()
}

/// Every file under `fuzz/<folder>/<target>/`, through its own target and the other one (a
/// certificate is not metadata, but people do pick the wrong file). Returns how many files.
fn replay(folder: &str) -> usize {
    let mut checker = checks::Checker::full();
    let mut replayed = 0;
    for target in [Target::Metadata, Target::Certificate, Target::Diagnose] {
        let other = match target {
            Target::Metadata => Target::Certificate,
            Target::Certificate | Target::Diagnose => Target::Metadata,
        };
        for path in files_under(&fuzz_dir().join(folder).join(target.name())) {
            let data = std::fs::read(&path).expect("readable");
            let label = path
                .strip_prefix(fuzz_dir())
                .unwrap_or(&path)
                .display()
                .to_string();
            target.run(&mut checker, &data, &label);
            other.run(
                &mut checker,
                &data,
                &format!("{label} (as {})", other.name()),
            );
            replayed += 1;
        }
    }
    replayed
}

#[test]
fn seeds_replay_without_panics() {
    for target in [Target::Metadata, Target::Certificate, Target::Diagnose] {
        assert!(
            !seeds(target).is_empty(),
            "no seeds for {} under fuzz/seeds/",
            target.name()
        );
    }
    assert!(replay("seeds") >= 2);
}

/// Inputs the fuzzers once failed on (`fuzz/regressions/<target>/`; none is fine).
#[test]
fn regressions_replay_without_panics() {
    replay("regressions");
}

#[test]
fn seeds_are_read_as_intended() {
    // Guards the seeds themselves: a corpus that never gets past the first error is no seed.
    let options = goto_sso_wizard::metadata::ParseOptions {
        now: checks::fixed_now(),
        ..Default::default()
    };
    let parsed = |name: &str| {
        let data = std::fs::read(fuzz_dir().join("seeds/metadata").join(name)).unwrap();
        goto_sso_wizard::metadata::parse(&data, &options)
    };
    let entra = parsed("entra-like-idp.xml").expect("the Entra-like seed parses");
    let idp = entra.entities[0]
        .idp
        .as_ref()
        .expect("an identity provider");
    assert_eq!(idp.signing_certificates.len(), 2);
    let aggregate = parsed("aggregate-idp-sp.xml").expect("the aggregate seed parses");
    assert_eq!(aggregate.entities.len(), 2);
    assert!(parsed("utf16le-bom.xml").is_ok());
    assert_eq!(parsed("doctype.xml").unwrap_err().kind(), "doctype");
    assert_eq!(parsed("custom-entity.xml").unwrap_err().kind(), "entity");

    for (name, data) in seeds(Target::Certificate) {
        assert!(
            goto_sso_wizard::certificate::Certificate::parse(&data).is_ok(),
            "certificate seed {name} does not parse"
        );
    }
}

/// xorshift64* (Vigna): deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform enough in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Snippets that reach the interesting branches: DTDs, entities, CDATA, byte-order marks,
/// namespaces, PEM markers, control bytes.
const TOKENS: &[&[u8]] = &[
    b"<!DOCTYPE md [<!ENTITY x \"&x;&x;\">]>",
    b"<!DOCTYPE html>",
    b"&x;",
    b"&lt;",
    b"&#0;",
    b"&#x110000;",
    b"&#65;",
    b"&",
    b"<![CDATA[",
    b"]]>",
    b"<!--",
    b"-->",
    b"<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    b"<?pi?>",
    b"\xEF\xBB\xBF",
    b"\xFF\xFE",
    b"\xFE\xFF",
    b"\xC3\x28",
    b"\0",
    b"\r\n",
    b"</",
    b"/>",
    b"\"",
    b"'",
    b" xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\"",
    b" xmlns:md=\"\"",
    b" entityID=\"\"",
    b" entityID=\" \"",
    b" use=\"signing\"",
    b" validUntil=\"9999-12-31T23:59:59Z\"",
    b" validUntil=\"-0001-01-01T00:00:00\"",
    b"<EntityDescriptor entityID=\"urn:x\">",
    b"</EntityDescriptor>",
    b"<md:EntitiesDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\">",
    b"<X509Certificate>",
    b"</X509Certificate>",
    b"-----BEGIN CERTIFICATE-----",
    b"-----END CERTIFICATE-----",
    b"-----BEGIN TRUSTED CERTIFICATE-----",
    b"-----BEGIN ",
    b"-----",
    b"====",
    b"\x30\x82\xFF\xFF",
    b"\x30\x80",
];

/// One to three stacked mutations of a seed.
fn mutate(rng: &mut Rng, seeds: &[(String, Vec<u8>)], start: &[u8]) -> Vec<u8> {
    let mut data = start.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(data.len() + 1);
        match rng.below(9) {
            // Bit flips.
            0 => {
                for _ in 0..1 + rng.below(8) {
                    if !data.is_empty() {
                        let i = rng.below(data.len());
                        data[i] ^= 1 << rng.below(8);
                    }
                }
            }
            // Truncation.
            1 => data.truncate(at),
            // Random bytes inserted.
            2 => {
                let bytes: Vec<u8> = (0..1 + rng.below(16)).map(|_| rng.next() as u8).collect();
                data.splice(at..at, bytes);
            }
            // A range deleted.
            3 => {
                let end = (at + 1 + rng.below(64)).min(data.len());
                if at < end {
                    data.drain(at..end);
                }
            }
            // A token spliced in (DOCTYPE, entity references, markers, ...).
            4 | 5 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                data.splice(at..at, token.iter().copied());
            }
            // Deep nesting, closed or not.
            6 => {
                let depth = 1 + rng.below(400);
                let mut nest = b"<a>".repeat(depth);
                if rng.chance(2) {
                    nest.extend(b"</a>".repeat(depth));
                }
                data.splice(at..at, nest);
            }
            // A range of the document repeated (duplicated elements, repeated certificates).
            7 => {
                let end = (at + 1 + rng.below(512)).min(data.len());
                let copy = data[at.min(end)..end].to_vec();
                data.splice(end..end, copy);
            }
            // Splice: this document's head on another seed's tail.
            _ => {
                let (_, other) = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                data.truncate(at);
                data.extend_from_slice(&other[from..]);
            }
        }
    }
    data
}

/// `count` mutated inputs for `target`, starting from the seed numbered `first_seed`.
fn mutation_loop(target: Target, rng_seed: u64, count: usize, first_seed: usize) {
    let seeds = seeds(target);
    assert!(!seeds.is_empty());
    let mut rng = Rng(rng_seed);
    // Round trips once per distinct certificate, and re-encodings on every eighth input, keep
    // this within seconds in a debug build; the calls into the library are made on every input.
    let mut checker = checks::Checker::remembering_certificates();
    for n in 0..count {
        let (name, start) = &seeds[(first_seed + n) % seeds.len()];
        let data = mutate(&mut rng, &seeds, start);
        checker.reencode = n % 8 == 0;
        target.run(&mut checker, &data, &format!("mutation {n} of {name}"));
    }
}

// 20,000 inputs in all; metadata is split in two so both halves run in parallel.
#[test]
fn mutated_metadata_does_not_panic_part_1() {
    mutation_loop(Target::Metadata, 0x5EED_0000_0000_0001, 5_000, 0);
}

#[test]
fn mutated_metadata_does_not_panic_part_2() {
    mutation_loop(Target::Metadata, 0x5EED_0000_0000_0003, 5_000, 1);
}

#[test]
fn mutated_certificates_do_not_panic() {
    mutation_loop(Target::Certificate, 0x5EED_0000_0000_0002, 10_000, 0);
}

#[test]
fn mutated_captures_do_not_panic() {
    mutation_loop(Target::Diagnose, 0x5EED_0000_0000_0004, 5_000, 0);
}
