#!/usr/bin/env python3
"""The Python baseline for the metadata benchmark (see docs/performance.md).

Does the work `goto_sso_wizard::metadata::parse` does, on the same file, with the tools a
Python implementation would pick: lxml (libxml2) and cryptography (OpenSSL).

For every md:EntityDescriptor with a non-empty entityID:
  - the entityID (trimmed);
  - IDPSSODescriptor: SingleSignOnService and SingleLogoutService (Binding, Location);
  - signing certificates: ds:X509Certificate under KeyDescriptor use="signing" or without
    `use`, base64-decoded, loaded with cryptography.x509.load_der_x509_certificate,
    deduplicated by DER per entity, with SHA-1 and SHA-256 fingerprints, subject, issuer,
    serial, not_before, not_after, key algorithm and size, signature algorithm and whether it
    is self-signed (what the Rust engine's CertificateInfo holds);
  - SPSSODescriptor: AssertionConsumerService (Binding, Location, index, isDefault).

Like the Rust engine it refuses DTDs and does not expand entities or touch the network
(resolve_entities=False, no_network=True, load_dtd=False), and it does not cache certificates
across entities (the Rust engine parses each entity's certificates anew, too).

Usage: python_baseline.py FILE [--repeat N]
Prints the entity count and the elapsed seconds of reading + parsing + extracting (interpreter
start-up and imports excluded; `scripts/bench-compare.sh` measures the whole process as well).
"""

import argparse
import base64
import sys
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from lxml import etree

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"

ENTITY = f"{{{MD}}}EntityDescriptor"
IDP = f"{{{MD}}}IDPSSODescriptor"
SP = f"{{{MD}}}SPSSODescriptor"
KEY = f"{{{MD}}}KeyDescriptor"
SSO = f"{{{MD}}}SingleSignOnService"
SLO = f"{{{MD}}}SingleLogoutService"
ACS = f"{{{MD}}}AssertionConsumerService"
X509_CERTIFICATE = f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate"


def endpoints(role, tag):
    found = []
    for element in role.iterchildren(tag):
        binding = element.get("Binding")
        location = element.get("Location")
        if binding is not None and location is not None:
            found.append({"binding": binding, "location": location.strip()})
    return found


def describe(der):
    certificate = x509.load_der_x509_certificate(der)
    key = certificate.public_key()
    return {
        "subject": certificate.subject.rfc4514_string(),
        "issuer": certificate.issuer.rfc4514_string(),
        "serial": format(certificate.serial_number, "X"),
        "not_before": certificate.not_valid_before_utc.isoformat(),
        "not_after": certificate.not_valid_after_utc.isoformat(),
        "key_algorithm": type(key).__name__,
        "key_bits": getattr(key, "key_size", None),
        "signature_algorithm": certificate.signature_algorithm_oid.dotted_string,
        "self_signed": certificate.issuer == certificate.subject,
        "sha1": certificate.fingerprint(hashes.SHA1()).hex().upper(),
        "sha256": certificate.fingerprint(hashes.SHA256()).hex().upper(),
    }


def signing_certificates(role, warnings):
    seen = set()
    found = []
    for key in role.iterchildren(KEY):
        if key.get("use") not in (None, "signing"):
            continue
        for element in key.iterfind(X509_CERTIFICATE):
            der = base64.b64decode("".join(element.itertext()))
            if der in seen:
                continue
            seen.add(der)
            try:
                found.append(describe(der))
            except ValueError as error:
                warnings.append(f"unreadable certificate: {error}")
    return found


def read(data):
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
    )
    root = etree.fromstring(data, parser)
    if root.getroottree().docinfo.doctype:
        raise ValueError("DOCTYPE refused")
    entities = []
    warnings = []
    candidates = [root] if root.tag == ENTITY else root.iter(ENTITY)
    for element in candidates:
        entity_id = (element.get("entityID") or "").strip()
        if not entity_id:
            warnings.append("EntityDescriptor without entityID skipped")
            continue
        entity = {"entity_id": entity_id, "idp": None, "sp": None}
        idp = element.find(IDP)
        if idp is not None:
            entity["idp"] = {
                "sso": endpoints(idp, SSO),
                "slo": endpoints(idp, SLO),
                "signing_certificates": signing_certificates(idp, warnings),
            }
        sp = element.find(SP)
        if sp is not None:
            acs = []
            for service in sp.iterchildren(ACS):
                binding, location = service.get("Binding"), service.get("Location")
                if binding is None or location is None:
                    continue
                index = service.get("index")
                acs.append(
                    {
                        "binding": binding,
                        "location": location.strip(),
                        "index": int(index) if index and index.strip().isdigit() else None,
                        "is_default": service.get("isDefault"),
                    }
                )
            entity["sp"] = {"acs": acs}
        entities.append(entity)
    return entities, warnings


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("file")
    arguments.add_argument("--repeat", type=int, default=1, help="parse N times, report each")
    options = arguments.parse_args()
    for _ in range(options.repeat):
        start = time.perf_counter()
        with open(options.file, "rb") as file:
            data = file.read()
        entities, warnings = read(data)
        elapsed = time.perf_counter() - start
        certificates = sum(
            len(entity["idp"]["signing_certificates"]) for entity in entities if entity["idp"]
        )
        print(
            f"entities={len(entities)} certificates={certificates} warnings={len(warnings)} "
            f"bytes={len(data)} elapsed_seconds={elapsed:.4f}"
        )
    return 0 if entities else 1


if __name__ == "__main__":
    sys.exit(main())
