#!/usr/bin/env bash
# Puts the pinned Pulumi CLI and what language hosts can be had into
# .tools/pulumi-$PULUMI_VERSION/bin, once; a later run with the same version does nothing.
#
# 1. A `pulumi` already on PATH at the pinned version or newer is used as it is (linked).
# 2. Otherwise the CLI is built from the Go module proxy: pkg/v3 carries local `replace`s in
#    its go.mod, so `go install mod@version` refuses it; it is built from a small tools
#    module that requires pkg/v3 and sdk/v3 at the tag and repeats pkg/v3's own replace of
#    github.com/atotto/clipboard. The CLI is required: without it this script fails.
# 3. pulumi-language-yaml is installed at $PULUMI_YAML_VERSION (required as well).
# 4. The python, nodejs and go language hosts are tried once each; a proxy that refuses
#    them (the usual case) is recorded in MISSING and is not an error: the examples then
#    run through Automation API inline programs and executable plugins, which need no host.
set -euo pipefail

version="${PULUMI_VERSION:?}"
yaml_version="${PULUMI_YAML_VERSION:?}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/pulumi-$version"
bin="$dest/bin"
stamp="$dest/.built"

if [[ -f "$stamp" ]]; then
  echo "pulumi CLI v$version: ready in .tools/pulumi-$version ($("$bin/pulumi" version)); hosts: $(cat "$dest/HOSTS" 2>/dev/null || echo none)"
  exit 0
fi
mkdir -p "$bin"
rm -f "$dest/MISSING" "$dest/HOSTS"
log="$dest/build.log"
: > "$log"
started=$SECONDS

die() {
  echo "ERROR: $1 (log: .tools/pulumi-$version/build.log):" >&2
  tail -n 20 "$log" >&2
  exit 1
}
version_ge() {  # version_ge A B: A >= B (semver without pre-release)
  [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]
}

work="$dest/gomod"
mkdir -p "$work"
cd "$work"
export GOFLAGS="-mod=mod -buildvcs=false"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"

existing="$(command -v pulumi || true)"
if [[ -n "$existing" && "$existing" != "$bin/pulumi" ]] \
  && have="$("$existing" version 2>/dev/null | sed 's/^v//')" && version_ge "${have%%-*}" "$version"; then
  ln -sf "$existing" "$bin/pulumi"
  echo "pulumi CLI: using $existing (v$have >= v$version)"
else
  cat > go.mod <<GOMOD
module mlserving.local/tools

go 1.25

// pkg/v3's own go.mod replaces this module; a module that requires pkg/v3 must repeat it.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
  echo "pulumi CLI v$version: building from the Go module proxy (about 3-4 min on 2 cores when the module cache is cold)..."
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >>"$log" 2>&1 \
    || die "go get github.com/pulumi/pulumi/pkg/v3@v$version"
  go build -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >>"$log" 2>&1 \
    || die "go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
fi

GOBIN="$bin" go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version" >>"$log" 2>&1 \
  || die "go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version"

# The hosts live in nested modules of pulumi/pulumi (module path .../v3); each is tried once.
hosts=()
for host in python nodejs go; do
  case "$host" in
    python) mod="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3" ;;
    nodejs) mod="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3" ;;
    go)     mod="github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3" ;;
  esac
  if [[ -x "$bin/pulumi-language-$host" ]] || { command -v "pulumi-language-$host" >/dev/null \
      && ln -sf "$(command -v "pulumi-language-$host")" "$bin/pulumi-language-$host"; }; then
    hosts+=("$host"); continue
  fi
  if out="$(go get "$mod@v$version" 2>&1)" \
    && go build -ldflags "$ldflags" -o "$bin/pulumi-language-$host" "$mod" >>"$log" 2>&1; then
    hosts+=("$host")
  else
    # The proxy's answer, without its address: "403 Forbidden ... not available".
    reason="$(echo "$out" | tr '\n' ' ' | sed -e 's#reading https\?://[^ ]*##g' -e 's/  */ /g')"
    echo "pulumi-language-$host: not built: $reason" >> "$dest/MISSING"
  fi
done
if [[ " ${hosts[*]} " == *" python "* ]]; then
  sdkdir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
  install -m 0755 "$sdkdir/python/pulumi-language-python-exec" "$bin/pulumi-language-python-exec"
fi
echo "${hosts[*]:-none}" > "$dest/HOSTS"

touch "$stamp"
echo "pulumi CLI v$version: ready: $("$bin/pulumi" version), pulumi-language-yaml v$yaml_version, in $((SECONDS - started)) s"
if [[ -f "$dest/MISSING" ]]; then
  echo "MISSING (the tests that need these say NOT RUN; everything else runs without them):"
  sed 's/^/  /' "$dest/MISSING"
fi
