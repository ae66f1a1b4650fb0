//! The checks of [`verify_enveloped`], in the order that makes the verdict most useful:
//! structure, then algorithms and the Reference (cheap, and the wrapping defences), then the
//! signature over `SignedInfo`, and only then the digest of the content. Checking the signature
//! before the digest means a changed `DigestValue` is reported as a broken signature (which it
//! is) and a digest mismatch reliably means "the content changed".

use base64::Engine as _;
use ring::signature::{self, UnparsedPublicKey};
use roxmltree::{Document, Node};
use sha1::Sha1;
use sha2::{Digest as _, Sha256, Sha384, Sha512};
use x509_parser::prelude::FromDer as _;

use super::c14n::{C14nOptions, canonicalize};
use super::{
    DigestAlgorithm, SignatureAlgorithm, SignatureFailure, SignatureOutcome, SignatureReport,
    Signer, uri,
};
use crate::certificate::Certificate;

/// The longest `SignatureValue` accepted, in base64 characters (whitespace included): an
/// 8192-bit RSA signature is 1,368 characters; this leaves room for line breaks.
const MAX_SIGNATURE_VALUE_CHARS: usize = 4096;

/// The longest `DigestValue` accepted, in characters: SHA-512 is 88.
const MAX_DIGEST_VALUE_CHARS: usize = 512;

/// The most `X509Certificate` elements read from `KeyInfo`: identity providers send one, a chain
/// is rarely more than three.
const MAX_EMBEDDED_CERTIFICATES: usize = 8;

/// Attribute names that carry element IDs in SAML 2.0 (`ID`), XML-DSig and WS-* (`Id`) and
/// SAML 1.1 (`AssertionID`); all are considered when checking that an ID is unique.
const ID_ATTRIBUTES: [&str; 3] = ["ID", "Id", "AssertionID"];

/// rsaEncryption, the only key type RSA PKCS#1 v1.5 signatures can be checked with.
const RSA_ENCRYPTION_OID: &str = "1.2.840.113549.1.1.1";

/// Verifies the enveloped XML signature of `signed` (a SAML Response or Assertion in `doc`).
///
/// Returns `None` when `signed` has no `ds:Signature` child (it is unsigned). Otherwise the
/// report says whether the signature holds and, if so, which certificate verified it: the
/// `trusted` certificates are tried first, in order, then those embedded in `KeyInfo`, so the
/// signer is the trusted certificate whenever its key made the signature (even when the message
/// carries a renewed certificate of the same key), and a signature verified only by an embedded
/// certificate of another key can be told apart from a broken one (see
/// [`SignatureReport::is_trusted`]).
///
/// Only a signature that is a direct child of `signed`, has exactly one Reference and whose
/// Reference is `#` + the `ID` of `signed` counts, and that ID must be unique in the document;
/// this is what defeats signature wrapping. Never panics, whatever the document.
pub fn verify_enveloped(
    doc: &Document<'_>,
    signed: Node<'_, '_>,
    trusted: &[Certificate],
) -> Option<SignatureReport> {
    let signatures: Vec<Node<'_, '_>> = signed
        .children()
        .filter(|child| child.has_tag_name((uri::DS, "Signature")))
        .collect();
    let signature = *signatures.first()?;
    let mut report = SignatureReport {
        reference_uri: String::new(),
        signature_algorithm: SignatureAlgorithm::Other(String::new()),
        digest_algorithm: DigestAlgorithm::Other(String::new()),
        canonicalization: String::new(),
        transforms: Vec::new(),
        embedded_certificates: Vec::new(),
        notes: Vec::new(),
        outcome: SignatureOutcome::Invalid(SignatureFailure::NoKey),
    };
    report.outcome = if !std::ptr::eq(signed.document(), doc) {
        // The ID uniqueness check must look at the document the element belongs to.
        SignatureOutcome::Invalid(malformed(
            "the element does not belong to the given document",
        ))
    } else if signatures.len() > 1 {
        SignatureOutcome::Invalid(malformed(format!(
            "the element has {} signatures; exactly one is expected",
            signatures.len()
        )))
    } else {
        match check(doc, signed, signature, trusted, &mut report) {
            Ok((signer, key_bits)) => SignatureOutcome::Verified { signer, key_bits },
            Err(failure) => SignatureOutcome::Invalid(failure),
        }
    };
    Some(report)
}

fn malformed(reason: impl Into<String>) -> SignatureFailure {
    SignatureFailure::Malformed {
        reason: reason.into(),
    }
}

/// The `ds:` element children of `parent` with this local name.
fn ds_children<'a, 'i>(parent: Node<'a, 'i>, name: &str) -> Vec<Node<'a, 'i>> {
    parent
        .children()
        .filter(|child| child.has_tag_name((uri::DS, name)))
        .collect()
}

/// The single `ds:` child with this local name; zero or several is malformed.
fn one_ds_child<'a, 'i>(
    parent: Node<'a, 'i>,
    name: &str,
) -> Result<Node<'a, 'i>, SignatureFailure> {
    match ds_children(parent, name).as_slice() {
        [one] => Ok(*one),
        [] => Err(malformed(format!(
            "{} has no {name} element",
            parent.tag_name().name()
        ))),
        many => Err(malformed(format!(
            "{} has {} {name} elements; exactly one is expected",
            parent.tag_name().name(),
            many.len()
        ))),
    }
}

fn algorithm_of(node: Node<'_, '_>) -> Result<String, SignatureFailure> {
    node.attribute("Algorithm")
        .map(str::to_owned)
        .ok_or_else(|| malformed(format!("{} has no Algorithm", node.tag_name().name())))
}

/// The `PrefixList` of an `ec:InclusiveNamespaces` child of a canonicalisation element, if any.
fn prefix_list(method: Node<'_, '_>) -> String {
    method
        .children()
        .find(|child| child.has_tag_name((uri::EXC_C14N, "InclusiveNamespaces")))
        .and_then(|inclusive| inclusive.attribute("PrefixList"))
        .unwrap_or_default()
        .to_owned()
}

/// The ID of an element as SAML references it.
fn element_id<'a>(element: Node<'a, '_>) -> Option<&'a str> {
    ID_ATTRIBUTES
        .iter()
        .find_map(|name| element.attribute(*name))
}

/// All checks; on success, the signer and its key size.
fn check(
    doc: &Document<'_>,
    signed: Node<'_, '_>,
    signature: Node<'_, '_>,
    trusted: &[Certificate],
    report: &mut SignatureReport,
) -> Result<(Signer, Option<u32>), SignatureFailure> {
    // Structure of SignedInfo.
    let signed_info = one_ds_child(signature, "SignedInfo")?;
    let c14n_method = one_ds_child(signed_info, "CanonicalizationMethod")?;
    report.canonicalization = algorithm_of(c14n_method)?;
    let signature_method = one_ds_child(signed_info, "SignatureMethod")?;
    report.signature_algorithm = SignatureAlgorithm::from_uri(&algorithm_of(signature_method)?);
    let references = ds_children(signed_info, "Reference");
    let reference = match references.as_slice() {
        [one] => *one,
        other => {
            return Err(malformed(format!(
                "SignedInfo has {} Reference elements; a SAML signature has exactly one",
                other.len()
            )));
        }
    };
    let uri = reference.attribute("URI");
    report.reference_uri = uri.unwrap_or_default().to_owned();
    let digest_method = one_ds_child(reference, "DigestMethod")?;
    report.digest_algorithm = DigestAlgorithm::from_uri(&algorithm_of(digest_method)?);
    let transforms = match ds_children(reference, "Transforms").as_slice() {
        [] => Vec::new(),
        [one] => ds_children(*one, "Transform"),
        _ => return Err(malformed("the Reference has several Transforms elements")),
    };
    for transform in &transforms {
        report.transforms.push(algorithm_of(*transform)?);
    }
    read_embedded_certificates(signature, report);

    // The wrapping defences: the signature must cover this very element (by its ID, or as the
    // whole document when it is the root), and only it may carry that ID (a second element with
    // the same ID could be the one another reader resolves).
    let id = element_id(signed);
    let whole_document = match uri {
        None => {
            return Err(malformed(
                "the Reference has no URI; SAML Core 2.0 §5.4.2 requires URI=\"#ID\" naming the signed element",
            ));
        }
        Some("") if signed == doc.root_element() => true,
        Some("") => {
            return Err(SignatureFailure::WholeDocumentReference {
                element: signed.tag_name().name().to_owned(),
            });
        }
        Some(uri) if id.is_some_and(|id| uri.strip_prefix('#') == Some(id)) => false,
        Some(uri) => {
            return Err(SignatureFailure::ReferenceMismatch {
                uri: uri.to_owned(),
                element_id: id.map(str::to_owned),
            });
        }
    };
    if let Some(id) = id {
        let holders = doc
            .descendants()
            .filter(|node| {
                node.attributes().any(|a| {
                    a.namespace().is_none() && ID_ATTRIBUTES.contains(&a.name()) && a.value() == id
                })
            })
            .count();
        if holders > 1 {
            return Err(SignatureFailure::DuplicateId { id: id.to_owned() });
        }
    }

    // Algorithms.
    let signed_info_c14n = c14n_options(&report.canonicalization, c14n_method)?;
    let reference_c14n = reference_options(&report.transforms, &transforms, signature)?;
    if let SignatureAlgorithm::Other(uri) = &report.signature_algorithm {
        return Err(SignatureFailure::UnsupportedAlgorithm { uri: uri.clone() });
    }
    if let DigestAlgorithm::Other(uri) = &report.digest_algorithm {
        return Err(SignatureFailure::UnsupportedAlgorithm { uri: uri.clone() });
    }

    // The signature over SignedInfo.
    let signature_value = decode_base64(
        one_ds_child(signature, "SignatureValue")?,
        MAX_SIGNATURE_VALUE_CHARS,
        "SignatureValue",
    )?;
    let signed_info_octets = canonicalize(signed_info, &signed_info_c14n)
        .map_err(|error| malformed(format!("SignedInfo: {error}")))?;
    let signer = find_signer(
        &report.signature_algorithm,
        &signed_info_octets,
        &signature_value,
        &report.embedded_certificates,
        trusted,
    )?;

    // The digest of the content.
    let expected = decode_base64(
        one_ds_child(reference, "DigestValue")?,
        MAX_DIGEST_VALUE_CHARS,
        "DigestValue",
    )?;
    let content = if whole_document {
        whole_document_octets(doc, signed, &reference_c14n)
    } else {
        canonicalize(signed, &reference_c14n)
    }
    .map_err(|error| malformed(format!("the signed element: {error}")))?;
    let actual = digest(&report.digest_algorithm, &content);
    if actual != expected {
        return Err(SignatureFailure::DigestMismatch);
    }
    Ok(signer)
}

/// The canonical form of the whole document (`URI=""`) whose root element is `root`: the root
/// element, and the processing instructions outside it, each separated from the root by a line
/// break as Canonical XML writes them. Comments are not part of it (`URI=""` leaves them out,
/// XML-DSig 4.3.3.3), nor is the XML declaration; roxmltree refuses DTDs.
fn whole_document_octets(
    doc: &Document<'_>,
    root: Node<'_, '_>,
    options: &C14nOptions,
) -> Result<Vec<u8>, super::C14nError> {
    let mut out = Vec::new();
    let mut after_root = false;
    for node in doc.root().children() {
        if node == root {
            out.extend(canonicalize(root, options)?);
            after_root = true;
        } else if let Some(pi) = node.pi() {
            if after_root {
                out.push(b'\n');
            }
            out.extend_from_slice(b"<?");
            out.extend_from_slice(pi.target.as_bytes());
            if let Some(value) = pi.value.filter(|value| !value.is_empty()) {
                out.push(b' ');
                out.extend_from_slice(value.as_bytes());
            }
            out.extend_from_slice(b"?>");
            if !after_root {
                out.push(b'\n');
            }
        }
    }
    Ok(out)
}

/// Canonicalisation options for `SignedInfo` from its `CanonicalizationMethod`.
fn c14n_options(algorithm: &str, method: Node<'_, '_>) -> Result<C14nOptions, SignatureFailure> {
    let with_comments = match algorithm {
        uri::EXC_C14N => false,
        uri::EXC_C14N_WITH_COMMENTS => true,
        other => {
            return Err(SignatureFailure::UnsupportedTransform {
                uri: other.to_owned(),
            });
        }
    };
    Ok(C14nOptions {
        with_comments,
        ..C14nOptions::default()
    }
    .with_prefix_list(&prefix_list(method)))
}

/// Canonicalisation options for the Reference from its transforms: at most one
/// enveloped-signature transform, then exactly one exclusive canonicalisation, last.
///
/// Comments are always dropped: a bare-name `#ID` URI selects the element without comments (XML-DSig
/// 4.3.3.3), so even `#WithComments` cannot bring them back (xmlsec1 agrees). A chain without
/// exclusive canonicalisation would end in inclusive Canonical XML 1.0, which is not implemented.
fn reference_options(
    uris: &[String],
    transforms: &[Node<'_, '_>],
    signature: Node<'_, '_>,
) -> Result<C14nOptions, SignatureFailure> {
    let mut options = C14nOptions::default();
    let mut seen_enveloped = false;
    let mut seen_c14n = false;
    for (uri, transform) in uris.iter().zip(transforms) {
        match uri.as_str() {
            // Removing the signature only makes sense before the octets are produced.
            uri::ENVELOPED if !seen_enveloped && !seen_c14n => {
                seen_enveloped = true;
                options.exclude = Some(signature.id());
            }
            uri::EXC_C14N | uri::EXC_C14N_WITH_COMMENTS if !seen_c14n => {
                seen_c14n = true;
                options = options.with_prefix_list(&prefix_list(*transform));
            }
            other => {
                return Err(SignatureFailure::UnsupportedTransform {
                    uri: other.to_owned(),
                });
            }
        }
    }
    if !seen_c14n {
        return Err(SignatureFailure::UnsupportedTransform {
            uri: uri::C14N_10.to_owned(),
        });
    }
    Ok(options)
}

/// Reads `KeyInfo/X509Data/X509Certificate`, noting those that cannot be parsed.
fn read_embedded_certificates(signature: Node<'_, '_>, report: &mut SignatureReport) {
    let texts = ds_children(signature, "KeyInfo")
        .into_iter()
        .flat_map(|key_info| ds_children(key_info, "X509Data"))
        .flat_map(|data| ds_children(data, "X509Certificate"));
    for (index, node) in texts.enumerate() {
        if index >= MAX_EMBEDDED_CERTIFICATES {
            report.notes.push(format!(
                "only the first {MAX_EMBEDDED_CERTIFICATES} certificates in KeyInfo were read"
            ));
            break;
        }
        match Certificate::from_base64(node.text().unwrap_or_default()) {
            Ok(certificate) => report.embedded_certificates.push(certificate),
            Err(error) => report.notes.push(format!(
                "certificate {} in KeyInfo was skipped: {error}",
                index + 1
            )),
        }
    }
}

/// Decodes base64 element text, allowing XML whitespace anywhere in it.
fn decode_base64(
    node: Node<'_, '_>,
    max_chars: usize,
    what: &str,
) -> Result<Vec<u8>, SignatureFailure> {
    let text = node.text().unwrap_or_default();
    if text.len() > max_chars {
        return Err(malformed(format!(
            "{what} is {} characters long, more than the {max_chars} any real signature needs",
            text.len()
        )));
    }
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '\t' | '\r' | '\n'))
        .collect();
    if compact.is_empty() {
        return Err(malformed(format!("{what} is empty")));
    }
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .map_err(|error| malformed(format!("{what} is not valid base64: {error}")))
}

fn digest(algorithm: &DigestAlgorithm, data: &[u8]) -> Vec<u8> {
    match algorithm {
        DigestAlgorithm::Sha1 => Sha1::digest(data).to_vec(),
        DigestAlgorithm::Sha256 => Sha256::digest(data).to_vec(),
        DigestAlgorithm::Sha384 => Sha384::digest(data).to_vec(),
        DigestAlgorithm::Sha512 => Sha512::digest(data).to_vec(),
        // Rejected before any digest is computed; an empty digest never matches a decoded value.
        DigestAlgorithm::Other(_) => Vec::new(),
    }
}

/// Tries each trusted, then each embedded certificate's RSA key on the signature.
fn find_signer(
    algorithm: &SignatureAlgorithm,
    message: &[u8],
    signature_value: &[u8],
    embedded: &[Certificate],
    trusted: &[Certificate],
) -> Result<(Signer, Option<u32>), SignatureFailure> {
    // 1024-bit keys are accepted where ring has a legacy variant: a diagnostic tool must say
    // "valid, but weak" rather than "invalid". ring has no 1024-bit SHA-384 variant.
    let parameters: &'static signature::RsaParameters = match algorithm {
        SignatureAlgorithm::RsaSha1 => &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        SignatureAlgorithm::RsaSha256 => &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        SignatureAlgorithm::RsaSha384 => &signature::RSA_PKCS1_2048_8192_SHA384,
        SignatureAlgorithm::RsaSha512 => &signature::RSA_PKCS1_1024_8192_SHA512_FOR_LEGACY_USE_ONLY,
        SignatureAlgorithm::Other(uri) => {
            return Err(SignatureFailure::UnsupportedAlgorithm { uri: uri.clone() });
        }
    };
    let candidates = trusted
        .iter()
        .enumerate()
        .map(|(index, certificate)| (Signer::Trusted(index), certificate))
        .chain(
            embedded
                .iter()
                .enumerate()
                .map(|(index, certificate)| (Signer::Embedded(index), certificate)),
        );
    let mut tried_any = false;
    for (signer, certificate) in candidates {
        let Some(key) = rsa_public_key(certificate.der()) else {
            continue;
        };
        tried_any = true;
        if UnparsedPublicKey::new(parameters, &key)
            .verify(message, signature_value)
            .is_ok()
        {
            return Ok((signer, certificate.info().key_bits));
        }
    }
    Err(if tried_any {
        SignatureFailure::SignatureMismatch
    } else {
        SignatureFailure::NoKey
    })
}

/// The RSAPublicKey (PKCS#1 DER) of a certificate, as ring takes it; `None` for other key types.
fn rsa_public_key(der: &[u8]) -> Option<Vec<u8>> {
    let (_, certificate) = x509_parser::certificate::X509Certificate::from_der(der).ok()?;
    let spki = certificate.public_key();
    if spki.algorithm.algorithm.to_id_string() != RSA_ENCRYPTION_OID {
        return None;
    }
    Some(spki.subject_public_key.data.to_vec())
}
