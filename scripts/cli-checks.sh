#!/usr/bin/env bash
# The checks of `make test` that need the pulumi CLI: the served schema equals
# schema.json, and regenerating the SDKs leaves git clean. When the CLI could not be
# built, they are reported as NOT RUN with the reason; they are never counted as passed.
set -euo pipefail
make_cmd="$1" pulumi="$2" unavailable="$3"

if [[ ! -x "$pulumi" ]]; then
  echo "NOT RUN: schema_check and 'make generate && git diff --exit-code -- sdk schema.json'"
  echo "         (they need the pulumi CLI, which 'make install' could not build here)"
  if [[ -f "$unavailable" ]]; then sed 's/^/         /' "$unavailable"; fi
  exit 0
fi
$make_cmd --no-print-directory schema_check
$make_cmd --no-print-directory generate
git diff --exit-code -- sdk schema.json
echo "generate: sdk/ is current"
