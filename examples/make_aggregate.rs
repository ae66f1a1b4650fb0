//! Writes the benchmark's 5,000-entity aggregate to a file, so other tools (the Python
//! comparison, `/usr/bin/time` on the CLI) can read the very same document.
//!
//! `cargo run --release --example make_aggregate -- target/bench/aggregate-5000.xml [ENTITIES]`

#[path = "../benches/support/aggregate.rs"]
mod aggregate;

fn main() -> std::process::ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: make_aggregate OUTPUT.xml [ENTITIES]");
        return std::process::ExitCode::from(2);
    };
    let entities = args.next().and_then(|n| n.parse().ok()).unwrap_or(5_000);
    let xml = aggregate::make_aggregate(entities);
    if let Some(folder) = std::path::Path::new(&path).parent() {
        let _ = std::fs::create_dir_all(folder);
    }
    match std::fs::write(&path, &xml) {
        Ok(()) => {
            eprintln!("wrote {path}: {entities} entities, {} bytes", xml.len());
            std::process::ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("cannot write {path}: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
