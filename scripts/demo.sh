#!/usr/bin/env bash
# make demo: deploy examples/aws-python with the real Pulumi engine to the local stack 'demo',
# then print its outputs and resource tree. Without the python language host, the program
# runs in-process through the Automation API (scripts/inline/inline.py): same engine, same
# provider plugin (its executable launcher), same state.
#   MLSERVING_OFFLINE=1 (default): the cloud is fakecloud, the stand-in plugins (a TEST DOUBLE).
#   MLSERVING_OFFLINE=0: the real aws/random plugins (downloaded by the CLI) and your AWS
#     credentials and region (AWS_PROFILE / AWS_REGION, or `pulumi config set aws:region ...`).
set -euo pipefail
root="$1" pulumi_bin="$2" venv="$3" unavailable="$4"
cd "$root"

if [[ ! -x "$pulumi_bin/pulumi" ]]; then
  echo "BLOCKED: make demo needs the pulumi CLI, which 'make install' could not build here:"
  if [[ -f "$unavailable" ]]; then sed 's/^/  /' "$unavailable"; fi
  exit 3
fi

eval "$(scripts/engine-env.sh "$root" "$pulumi_bin" "$venv" 2>/dev/null)"
if [[ "$MLSERVING_OFFLINE" == 1 ]]; then
  echo "OFFLINE: fakecloud stand-in plugins (a test double) — nothing is created in any cloud."
  echo "         (MLSERVING_OFFLINE=0 make demo deploys for real, with your AWS credentials.)"
else
  echo "REAL: deploying to AWS with the real provider plugins and your credentials (MLSERVING_OFFLINE=0)."
fi
echo "demo: pulumi $(pulumi version), stack 'demo' of examples/aws-python, state in ${PULUMI_BACKEND_URL#file://$root/}"
cd examples/aws-python
pulumi stack select --create demo --non-interactive
if command -v pulumi-language-python >/dev/null; then
  pulumi up --yes --non-interactive --stack demo
else
  # No python language host here (the Go module proxy does not serve it): the same program,
  # run in-process through the Automation API, with the same `pulumi up` arguments.
  echo "demo: no pulumi-language-python on PATH: running the program through the Automation API (scripts/inline/inline.py)"
  venv/bin/python ../../scripts/inline/inline.py up --yes --non-interactive --stack demo
fi
echo
echo "== outputs (pulumi stack output; apiKey is a secret: pulumi stack output apiKey --show-secrets)"
pulumi stack output --stack demo
echo
echo "== resource tree (pulumi stack)"
pulumi stack --stack demo
if [[ "$MLSERVING_OFFLINE" == 1 ]]; then
  echo
  echo "OFFLINE: these resources exist only in the local state: fakecloud (a test double) created nothing in any cloud."
  echo "         Remove them with: eval \"\$(make -s env)\" && cd examples/aws-python && pulumi destroy --yes --stack demo"
fi
