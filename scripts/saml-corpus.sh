#!/usr/bin/env bash
# Checks the signature verdicts of `diagnose` against python3-saml's own test corpus and that
# suite's expectations (examples/saml-corpus-python3-saml.tsv; the comparison is
# examples/saml_corpus.rs). Prints one line per response and "N of M agree".
#
# The corpus is another project's test data (MIT licence) and is not part of this repository;
# this script downloads nothing. To get it, once:
#
#   git clone https://github.com/SAML-Toolkits/python3-saml.git /path/to/python3-saml
#   git -C /path/to/python3-saml checkout 0320fd4c4ae27d3ce5b8faeca6bb5807468626e8
#
# (that is the commit the expectations were written against: later commits may add or change
# responses). Only tests/data/responses, tests/settings and tests/certs of it are read. Then:
#
#   GOTO_SSO_SAML_CORPUS=/path/to/python3-saml scripts/saml-corpus.sh
#
# Exit status: 0 when every disagreement is one the expectations mark as deliberate, 1 when
# not, 2 when the corpus is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${GOTO_SSO_SAML_CORPUS:-}" ]; then
  sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
if [ ! -d "$GOTO_SSO_SAML_CORPUS/tests/data/responses" ]; then
  echo "$GOTO_SSO_SAML_CORPUS has no tests/data/responses: is it a python3-saml checkout?" >&2
  exit 2
fi
exec cargo run --quiet --example saml_corpus -- "$@"
