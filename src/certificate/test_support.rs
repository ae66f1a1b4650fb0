//! Test helpers: certificates made with rcgen, the RSA fixtures (rcgen with `ring` cannot make RSA
//! keys), and independent answers from x509-parser's PEM reader and the `openssl` command.

use std::io::Write as _;
use std::process::Command;

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SignatureAlgorithm,
};

/// Self-signed RSA 2048 / sha256WithRSAEncryption, made with openssl (see testdata/README.md).
pub(super) const RSA_SHA256_PEM: &str = include_str!("testdata/rsa2048_sha256.pem");
/// Self-signed RSA 2048 / sha1WithRSAEncryption, made with openssl (see testdata/README.md).
pub(super) const RSA_SHA1_PEM: &str = include_str!("testdata/rsa2048_sha1.pem");

/// A certificate made for a test, with its private key in PEM (for "wrong file picked" tests).
pub(super) struct Made {
    pub der: Vec<u8>,
    pub pem: String,
    pub key_pem: String,
}

fn params(common_name: &str) -> CertificateParams {
    let mut params = CertificateParams::default();
    params.distinguished_name = rcgen::DistinguishedName::new();
    params
        .distinguished_name
        .push(DnType::CommonName, common_name);
    params
}

fn make(params: &CertificateParams, key: &KeyPair) -> Made {
    let cert = params.self_signed(key).expect("rcgen self-signs");
    Made {
        der: cert.der().to_vec(),
        pem: cert.pem(),
        key_pem: key.serialize_pem(),
    }
}

/// A certificate signing request for `CN=<common_name>`, as PEM.
pub(super) fn csr_pem(common_name: &str) -> String {
    let key = KeyPair::generate().expect("rcgen generates the key");
    params(common_name)
        .serialize_request(&key)
        .expect("rcgen makes a CSR")
        .pem()
        .expect("CSR as PEM")
}

/// A self-signed certificate `CN=<common_name>` with a new key for `algorithm`.
pub(super) fn self_signed(common_name: &str, algorithm: &'static SignatureAlgorithm) -> Made {
    let key = KeyPair::generate_for(algorithm).expect("rcgen generates the key");
    make(&params(common_name), &key)
}

/// A self-signed P-256 certificate `CN=Test`, with parameters adjusted by `adjust`.
pub(super) fn self_signed_with(adjust: impl FnOnce(&mut CertificateParams)) -> Made {
    let mut params = params("Test");
    adjust(&mut params);
    make(
        &params,
        &KeyPair::generate().expect("rcgen generates the key"),
    )
}

/// A CA (`CN=Test CA`) and a leaf (`CN=Test Leaf`) it issued: both DERs.
pub(super) fn ca_and_leaf() -> (Vec<u8>, Vec<u8>) {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = params("Test CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca_params, &ca_key);
    let leaf_key = KeyPair::generate().expect("leaf key");
    let leaf = params("Test Leaf")
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");
    (ca.der().to_vec(), leaf.der().to_vec())
}

/// A leaf issued by a CA with the same name as the leaf: issuer == subject, yet not self-signed
/// (its authority key identifier is the CA's, its subject key identifier its own).
pub(super) fn leaf_named_like_its_ca() -> Vec<u8> {
    let ca_key = KeyPair::generate().expect("CA key");
    let mut ca_params = params("Same Name");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let issuer = Issuer::new(ca_params, &ca_key);
    let leaf_key = KeyPair::generate().expect("leaf key");
    let mut leaf_params = params("Same Name");
    leaf_params.is_ca = IsCa::ExplicitNoCa;
    leaf_params.use_authority_key_identifier_extension = true;
    let leaf = leaf_params
        .signed_by(&leaf_key, &issuer)
        .expect("leaf certificate");
    leaf.der().to_vec()
}

/// DER of the first block of `pem`, decoded by x509-parser's PEM reader (not ours).
pub(super) fn pem_to_der(pem: &str) -> Vec<u8> {
    let (_, block) = x509_parser::pem::parse_x509_pem(pem.as_bytes()).expect("fixture is PEM");
    block.contents
}

/// Runs `openssl` with `args` and `input` on stdin; fails the test with a clear message when
/// openssl is not installed (these checks must not be skipped silently).
pub(super) fn openssl(args: &[&str], input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "these tests compare against the `openssl` command, which could not be run \
                 ({error}): install OpenSSL (e.g. `apt-get install openssl`)"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input)
        .expect("write to openssl");
    let output = child.wait_with_output().expect("openssl finishes");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// openssl's fingerprint (`digest` is `-sha1` or `-sha256`) of a DER certificate, in the form
/// [`crate::certificate::CertificateInfo`] uses: uppercase hex without colons.
pub(super) fn openssl_fingerprint(der: &[u8], digest: &str) -> String {
    let file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(file.path(), der).expect("write DER");
    let path = file.path().to_str().expect("temp path is UTF-8");
    let output = openssl(
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            path,
            "-noout",
            "-fingerprint",
            digest,
        ],
        b"",
    );
    let output = String::from_utf8(output).expect("openssl prints text");
    // "SHA1 Fingerprint=AB:CD:..." (the prefix's case varies between OpenSSL versions)
    let (_, hex) = output.trim().split_once('=').expect("fingerprint line");
    hex.replace(':', "").to_uppercase()
}
