#!/usr/bin/env bash
# Re-creates the sample files in this folder with openssl: Entra-shaped application metadata in
# the middle of a certificate rollover, and the signing certificate as Entra's "Certificate (Base64)".
# Every key and certificate is made here; nothing comes from a real tenant.
set -euo pipefail
cd "$(dirname "$0")"
tenant=0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

make_cert() { # name days (openssl 3.0's req has no fixed start date: validity starts now)
  openssl req -x509 -newkey rsa:2048 -nodes -sha256 -keyout "$work/$1.key" -out "$work/$1.pem" \
    -subj "/CN=Microsoft Azure Federated SSO Certificate" -days "$2" 2>/dev/null
  sed '/-----/d' "$work/$1.pem" | tr -d '\n'
}
active=$(make_cert active 1095)
next=$(make_cert next 1460)
cp "$work/active.pem" entra-signing.cer

key() { printf '<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>%s</X509Certificate></X509Data></KeyInfo></KeyDescriptor>' "$1"; }
keys="$(key "$active")$(key "$next")"
printf '\xEF\xBB\xBF' > entra-app-metadata.xml
cat >> entra-app-metadata.xml <<XML
<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_5f0c2b7e-sample" entityID="https://sts.windows.net/$tenant/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">$keys<fed:PassiveRequestorEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>https://login.microsoftonline.com/$tenant/wsfed</Address></EndpointReference></fed:PassiveRequestorEndpoint></RoleDescriptor><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">$keys<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/$tenant/saml2"/></IDPSSODescriptor></EntityDescriptor>
XML
echo "wrote entra-app-metadata.xml and entra-signing.cer"
