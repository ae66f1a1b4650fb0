//! Files with personal data (reports, setups, exported certificates, settings) are written by
//! one core helper: private (0600), whole, and never through a link planted in the folder.
//! Each test drives a real writer: the CLI binary, or the core's setup and settings stores.
#![cfg(unix)]

mod common;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use common::cli::wizard;
use goto_sso_wizard::settings::{Settings, SettingsStore};
use goto_sso_wizard::setup::Setup;

fn sample(name: &str) -> String {
    format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// A file somebody else could plant in a shared folder: a link at the name an old writer used
/// for its temporary file (`.NAME.partial`), and one at the target itself, both pointing at a
/// file the user cares about.
struct Trap {
    victim: PathBuf,
}

impl Trap {
    fn set(target: &Path) -> Trap {
        let folder = target.parent().unwrap();
        let victim = folder.join("victim.txt");
        fs::write(&victim, b"the user's own file").unwrap();
        let name = target.file_name().unwrap().to_string_lossy();
        symlink(&victim, folder.join(format!(".{name}.partial"))).unwrap();
        symlink(&victim, target).unwrap();
        Trap { victim }
    }

    fn assert_untouched(&self, target: &Path) {
        assert_eq!(
            fs::read_to_string(&self.victim).unwrap(),
            "the user's own file",
            "the write went through a link"
        );
        assert!(
            !fs::symlink_metadata(target)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the target is still a link"
        );
        assert_eq!(
            mode(target),
            0o600,
            "{} is readable by others",
            target.display()
        );
    }
}

#[test]
fn cert_export_writes_a_private_file_and_follows_no_link() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("goto.pem");
    let trap = Trap::set(&target);
    wizard()
        .args([
            "cert",
            "export",
            &sample("entra-app-metadata.xml"),
            "--format",
            "pem",
            "-o",
        ])
        .arg(&target)
        .assert()
        .success();
    trap.assert_untouched(&target);
    assert!(
        fs::read_to_string(&target)
            .unwrap()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
}

#[test]
fn diagnose_reports_are_private_and_follow_no_link() {
    for name in ["report.md", "report.html"] {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join(name);
        let trap = Trap::set(&target);
        wizard()
            .args(["diagnose", &sample("failed-signin.har")])
            .args([
                "--idp-metadata",
                &sample("entra-app-metadata.xml"),
                "--report",
            ])
            .arg(&target)
            .assert()
            .success();
        trap.assert_untouched(&target);
        assert!(fs::read_to_string(&target).unwrap().contains("Healthy"));
    }
}

#[test]
fn saved_setups_are_private_and_follow_no_link() {
    let folder = tempfile::tempdir().unwrap();
    let target = folder.path().join("contoso.json");
    let trap = Trap::set(&target);
    Setup::default().save(&target).unwrap();
    trap.assert_untouched(&target);
    assert!(Setup::load(&target).is_ok());
}

#[test]
fn settings_are_private() {
    let folder = tempfile::tempdir().unwrap();
    let store = SettingsStore::at(folder.path().join("config"));
    store.save(&Settings::default()).unwrap();
    assert_eq!(mode(&store.path()), 0o600);
    assert_eq!(mode(store.dir()), 0o700);
}
