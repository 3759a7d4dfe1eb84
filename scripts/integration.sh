#!/usr/bin/env bash
# make test_integration: every example (and tests/integration/bad-input-ts) through the
# real Pulumi engine, with fakecloud -- the stand-in aws/azure-native/random plugins, a TEST
# DOUBLE -- as the cloud: preview, up, an update of v2Version, refresh, destroy,
# cross-language parity, a bad input, data safety and a provider killed mid-up.
# TypeScript, Go and Python programs run through the Automation API (scripts/inline: the
# program's own code, in-process, no language host); YAML programs through
# pulumi-language-yaml; where the python/nodejs/go hosts exist, also `pulumi up` in each
# example directory and the `pulumi package add` workflow, which otherwise print NOT RUN.
# Without the pulumi CLI it reports NOT RUN with the reason and never counts anything as passed.
set -euo pipefail
make_cmd="$1" root="$2" pulumi_bin="$3" venv="$4" unavailable="$5"
shift 5  # the rest goes to pytest
cd "$root"

if [[ ! -x "$pulumi_bin/pulumi" ]]; then
  echo "NOT RUN: make test_integration (tests/integration: the examples through the real engine, with"
  echo "         the fakecloud test double as the cloud) needs the pulumi CLI, which 'make install' could not build here:"
  if [[ -f "$unavailable" ]]; then sed 's/^/         /' "$unavailable"; fi
  exit 0
fi

$make_cmd --no-print-directory install_python install_examples
echo "integration: npm install (tests/integration/bad-input-ts)"
(cd tests/integration/bad-input-ts && npm install --no-audit --no-fund --loglevel=error >/dev/null)

# The offline engine, whatever the caller's MLSERVING_OFFLINE: these tests are for fakecloud.
eval "$(MLSERVING_OFFLINE=1 scripts/engine-env.sh "$root" "$pulumi_bin" "$venv")"
echo "integration: pulumi $(pulumi version), examples: $(cd examples && ls -d */ | grep -v model | tr -d / | tr '\n' ' ')"
log="$root/.tools/integration.log"
started=$SECONDS
set +e
"$venv/bin/python" -m pytest tests/integration -p no:cacheprovider -rfEs "$@" 2>&1 | tee "$log"
code=${PIPESTATUS[0]}
set -e
# Anything pytest skipped (e.g. a language host that is not built) is NOT RUN, not passed.
# Only pytest's skip lines: a traceback may quote the source of a NOT RUN message.
grep -E '^SKIPPED .*NOT RUN: ' "$log" | sed 's/^.*NOT RUN: /NOT RUN: /' | sort -u || true
echo "integration: $((SECONDS - started)) s (exit $code)"
exit "$code"
