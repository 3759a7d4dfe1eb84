#!/usr/bin/env bash
# Prints the shell exports for the pinned pulumi CLI (`eval "$(make -s env)"`), and puts
# the engine's plugins in place:
#   MLSERVING_OFFLINE=1 (the default): fakecloud, the stand-in aws / azure-native / random
#     plugins from tests/fakecloud (a TEST DOUBLE: nothing is created in any cloud), in
#     PULUMI_HOME=.tools/pulumi-home; no plugin download; state in .pulumi-state.
#   MLSERVING_OFFLINE=0: no fakecloud; PULUMI_HOME=.tools/pulumi-home-real, where the CLI
#     downloads the real plugins, which use your real cloud credentials; state in
#     .pulumi-state/real. The commands and code paths are otherwise the same.
# Messages go to stderr; stdout carries only the exports.
set -euo pipefail
root="$1" pulumi_bin="$2" venv="$3"
offline="${MLSERVING_OFFLINE:-1}"
py="$venv/bin/python"
[[ -x "$py" ]] || py=python3

common() {
  echo "export PATH=\"$pulumi_bin:$venv/bin:\$PATH\""
  echo "export PULUMI_HOME=\"$1\""
  echo 'export PULUMI_SKIP_UPDATE_CHECK=true'
  echo 'export PULUMI_DISABLE_REGISTRY_RESOLVE=true'
  echo "export PULUMI_BACKEND_URL=\"file://$2\""
  echo 'export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-mlserving-local}"'
}

if [[ "$offline" != 0 ]]; then
  home="$root/.tools/pulumi-home" state="$root/.pulumi-state"
  mkdir -p "$home" "$state"
  (cd "$root" && PYTHONPATH="$root" "$py" -m tests.fakecloud.install --pulumi-home "$home")
  common "$home" "$state"
  echo 'export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true'
  echo 'export MLSERVING_OFFLINE=1'
else
  home="$root/.tools/pulumi-home-real" state="$root/.pulumi-state/real"
  mkdir -p "$home" "$state"
  (cd "$root" && PYTHONPATH="$root" "$py" -m tests.fakecloud.install --pulumi-home "$home" --remove)
  echo "REAL: no fakecloud; the CLI downloads the real provider plugins into $home and uses your cloud credentials" >&2
  common "$home" "$state"
  echo 'unset PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION'
  echo 'export MLSERVING_OFFLINE=0'
fi
