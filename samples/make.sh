#!/usr/bin/env bash
# Re-creates the sample files in this folder with openssl: Entra-shaped application metadata in
# the middle of a certificate rollover, and the signing certificate as Entra's "Certificate (Base64)";
# with xmlsec1 and python3, also a browser capture (HAR) of a sign-in that GoTo refused because
# Entra already signs with the next certificate.
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
sleep 1 # the next certificate starts later, as in a real rollover
next=$(make_cert next 1460)
cp "$work/active.pem" entra-signing.cer

key() { printf '<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>%s</X509Certificate></X509Data></KeyInfo></KeyDescriptor>' "$1"; }
keys="$(key "$active")$(key "$next")"
printf '\xEF\xBB\xBF' > entra-app-metadata.xml
cat >> entra-app-metadata.xml <<XML
<?xml version="1.0" encoding="utf-8"?><EntityDescriptor ID="_5f0c2b7e-sample" entityID="https://sts.windows.net/$tenant/" xmlns="urn:oasis:names:tc:SAML:2.0:metadata"><RoleDescriptor xsi:type="fed:SecurityTokenServiceType" protocolSupportEnumeration="http://docs.oasis-open.org/wsfed/federation/200706" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:fed="http://docs.oasis-open.org/wsfed/federation/200706">$keys<fed:PassiveRequestorEndpoint><EndpointReference xmlns="http://www.w3.org/2005/08/addressing"><Address>https://login.microsoftonline.com/$tenant/wsfed</Address></EndpointReference></fed:PassiveRequestorEndpoint></RoleDescriptor><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">$keys<SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/$tenant/saml2"/><SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.microsoftonline.com/$tenant/saml2"/></IDPSSODescriptor></EntityDescriptor>
XML
echo "wrote entra-app-metadata.xml and entra-signing.cer"

# A sign-in response signed with the *next* certificate, as Entra sends it after the rollover.
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
later=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
soon=$(date -u -d '+5 minutes' +%Y-%m-%dT%H:%M:%SZ)
before=$(date -u -d '-5 minutes' +%Y-%m-%dT%H:%M:%SZ)
request=_7c1e9a52d4b84f0e9d3b6a2c1f0e8d7a
acs=https://authentication.logmeininc.com/saml/acs
cat > "$work/response.xml" <<XML
<samlp:Response ID="_a41c0e4b-sample-response" Version="2.0" IssueInstant="$now" Destination="$acs" InResponseTo="$request" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.net/$tenant/</Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status><Assertion ID="_d2f7e1c0-sample-assertion" IssueInstant="$now" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion"><Issuer>https://sts.windows.net/$tenant/</Issuer><Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI="#_d2f7e1c0-sample-assertion"><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data><X509Certificate>$next</X509Certificate></X509Data></KeyInfo></Signature><Subject><NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">alex.doe@contoso.example</NameID><SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><SubjectConfirmationData InResponseTo="$request" NotOnOrAfter="$soon" Recipient="$acs"/></SubjectConfirmation></Subject><Conditions NotBefore="$before" NotOnOrAfter="$later"><AudienceRestriction><Audience>https://authentication.logmeininc.com/saml/sp</Audience></AudienceRestriction></Conditions><AttributeStatement><Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"><AttributeValue>alex.doe@contoso.example</AttributeValue></Attribute><Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"><AttributeValue>Alex</AttributeValue></Attribute></AttributeStatement><AuthnStatement AuthnInstant="$now" SessionIndex="_d2f7e1c0-sample-assertion"><AuthnContext><AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</AuthnContextClassRef></AuthnContext></AuthnStatement></Assertion></samlp:Response>
XML
xmlsec1 --sign --privkey-pem "$work/next.key,$work/next.pem" \
  --id-attr:ID urn:oasis:names:tc:SAML:2.0:assertion:Assertion \
  --output "$work/signed.xml" "$work/response.xml" 2>/dev/null
cat > "$work/request.xml" <<XML
<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="$request" Version="2.0" IssueInstant="$now" AssertionConsumerServiceURL="$acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">https://authentication.logmeininc.com/saml/sp</saml:Issuer></samlp:AuthnRequest>
XML
# The HAR a browser saves: the redirect to Entra with the deflated request, then the POST to GoTo.
python3 - "$work" "$tenant" "$now" > failed-signin.har <<'PY'
import base64, json, sys, urllib.parse, zlib
work, tenant, now = sys.argv[1:4]
request = open(f"{work}/request.xml", "rb").read().strip()
deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
saml_request = base64.b64encode(deflate.compress(request) + deflate.flush()).decode()
response = base64.b64encode(open(f"{work}/signed.xml", "rb").read()).decode()
relay = "https://global.gotomeeting.com"
query = urllib.parse.urlencode({"SAMLRequest": saml_request, "RelayState": relay})
quote = lambda v: urllib.parse.quote(v, safe="")
har = {"log": {"version": "1.2", "creator": {"name": "samples/make.sh", "version": "1"}, "entries": [
    {"startedDateTime": now, "request": {"method": "GET", "url": f"https://login.microsoftonline.com/{tenant}/saml2?{query}", "headers": []}},
    {"startedDateTime": now, "request": {"method": "POST", "url": "https://authentication.logmeininc.com/saml/acs", "headers": [],
        "postData": {"mimeType": "application/x-www-form-urlencoded",
                     "params": [{"name": "SAMLResponse", "value": quote(response)}, {"name": "RelayState", "value": quote(relay)}]}}},
]}}
json.dump(har, sys.stdout, indent=1)
PY
echo "wrote failed-signin.har"
