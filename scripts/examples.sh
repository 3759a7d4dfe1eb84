#!/usr/bin/env bash
# make install_examples / make build_examples, for every examples/<dir> with a Pulumi.yaml,
# by its runtime (no Pulumi CLI needed):
#   install: nodejs -> npm install (the SDK from sdk/nodejs/bin, copied: .npmrc install-links)
#            go     -> go mod download
#            python -> its own venv + pip install -r requirements.txt (+ the SDK reinstalled)
#   build:   nodejs -> tsc --noEmit; go -> go build + go vet; python -> mypy --strict against
#            the SDK in its venv; yaml -> types, properties and outputs against schema.json
set -euo pipefail
action="$1" root="$2" venv="$3"
cd "$root"

runtime_of() {  # `runtime: go` or `runtime:\n  name: python`
  sed -n -e 's/^runtime: *\([a-z]\+\) *$/\1/p' -e '/^runtime: *$/{n;s/^ *name: *\([a-z]\+\) *$/\1/p}' "$1/Pulumi.yaml" | head -n 1
}
quiet_pip() { grep -v -e BuildBackendWarning -e '^ ' -e '!!' || true; }

for dir in examples/*/; do
  dir="${dir%/}"
  [[ -f "$dir/Pulumi.yaml" ]] || continue
  runtime="$(runtime_of "$dir")"
  case "$action:$runtime" in
    install:nodejs)
      echo "examples: npm install ($dir)"
      (cd "$dir" && rm -rf node_modules/@mlserving && npm install --no-audit --no-fund --loglevel=error >/dev/null) ;;
    install:go)
      echo "examples: go mod download ($dir)"
      (cd "$dir" && go mod download) ;;
    install:python)
      echo "examples: venv + pip install -r requirements.txt ($dir)"
      (cd "$dir" && { test -x venv/bin/python || python3 -m venv venv; } \
        && venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt 2>&1 | quiet_pip \
        && venv/bin/pip install --quiet --disable-pip-version-check --no-deps --force-reinstall ../../sdk/python 2>&1 | quiet_pip) ;;
    install:yaml) ;;
    build:nodejs)
      echo "build: $dir (tsc --noEmit)"
      (cd "$dir" && npx tsc --noEmit) ;;
    build:go)
      echo "build: $dir (go build, go vet)"
      (cd "$dir" && go build -o /dev/null ./... && go vet ./...) ;;
    build:python)
      echo "build: $dir (mypy --strict against the SDK)"
      (cd "$dir" && "$venv/bin/mypy" --strict --no-error-summary --python-executable venv/bin/python __main__.py) ;;
    build:yaml)
      echo "build: $dir (types, properties and outputs against schema.json)"
      "$venv/bin/python" scripts/check-yaml-example.py "$dir/Pulumi.yaml" ;;
    *)
      echo "examples: $dir: unknown runtime '$runtime'" >&2; exit 1 ;;
  esac
done
