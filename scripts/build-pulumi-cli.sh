#!/usr/bin/env bash
# Builds the pinned Pulumi CLI and language hosts from the Go module proxy into
# .tools/pulumi-$PULUMI_VERSION/bin, once; a later run with the same version does nothing.
#
# The CLI (pkg/v3) and the language hosts carry local `replace`s in their go.mod, so
# `go install mod@version` refuses them: they are built from a small tools module that
# requires them, with pkg/v3 and sdk/v3 at the release tag and the hosts at the
# pseudo-version of the release commit (resolved by the proxy from the `sdk/vX.Y.Z` tag).
#
# If the proxy refuses a module, the exact error is written to
# .tools/pulumi-$PULUMI_VERSION/UNAVAILABLE and the script exits 0 so that everything
# that does not need the CLI still installs; targets that need it report the reason.
set -euo pipefail

version="${PULUMI_VERSION:?}"
yaml_version="${PULUMI_YAML_VERSION:?}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/pulumi-$version"
bin="$dest/bin"
stamp="$dest/.built"

if [[ -f "$stamp" ]]; then
  echo "pulumi CLI v$version: already built in .tools/pulumi-$version (skipping)"
  exit 0
fi
mkdir -p "$bin"
rm -f "$dest/UNAVAILABLE"

work="$dest/gomod"
mkdir -p "$work"
cat > "$work/go.mod" <<GOMOD
module mlserving.local/tools

go 1.25
GOMOD

ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
log="$dest/build.log"
: > "$log"

fail() {
  {
    echo "The pinned Pulumi CLI v$version could not be built from the Go module proxy."
    echo "Step: $1"
    echo "Error:"
    tail -n 20 "$log"
  } > "$dest/UNAVAILABLE"
  echo "WARNING: $(head -n 2 "$dest/UNAVAILABLE" | tr '\n' ' ')" >&2
  sed -n '3,$p' "$dest/UNAVAILABLE" >&2
  echo "WARNING: continuing without the CLI; 'make generate' and the CLI checks will report it." >&2
  exit 0
}

cd "$work"
export GOFLAGS="-mod=mod -buildvcs=false"
echo "pulumi CLI v$version: resolving modules (pkg/v3, sdk/v3, language hosts)..."
go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >>"$log" 2>&1 \
  || fail "go get github.com/pulumi/pulumi/pkg/v3@v$version"
for host in sdk/python/cmd/pulumi-language-python sdk/nodejs/cmd/pulumi-language-nodejs sdk/go/pulumi-language-go; do
  go get "github.com/pulumi/pulumi/$host/v3@sdk/v$version" >>"$log" 2>&1 \
    || fail "go get github.com/pulumi/pulumi/$host/v3@sdk/v$version"
done
# The hosts' go.mod files want the same pkg/sdk as the CLI.
go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >>"$log" 2>&1 \
  || fail "pin pkg/v3 and sdk/v3 to v$version"

echo "pulumi CLI v$version: compiling (a few minutes on first install)..."
go build -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >>"$log" 2>&1 \
  || fail "go build pkg/v3/cmd/pulumi"
go build -ldflags "$ldflags" -o "$bin/pulumi-language-python" github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3 >>"$log" 2>&1 \
  || fail "go build pulumi-language-python"
go build -ldflags "$ldflags" -o "$bin/pulumi-language-nodejs" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3 >>"$log" 2>&1 \
  || fail "go build pulumi-language-nodejs"
go build -ldflags "$ldflags" -o "$bin/pulumi-language-go" github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3 >>"$log" 2>&1 \
  || fail "go build pulumi-language-go"
# The python host runs programs through this script, shipped in the sdk/v3 module.
sdkdir="$(go list -m -f '{{.Dir}}' "github.com/pulumi/pulumi/sdk/v3")"
install -m 0755 "$sdkdir/python/pulumi-language-python-exec" "$bin/pulumi-language-python-exec" >>"$log" 2>&1 \
  || fail "copy pulumi-language-python-exec"
GOBIN="$bin" go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version" >>"$log" 2>&1 \
  || fail "go install pulumi-language-yaml@v$yaml_version"

touch "$stamp"
echo "pulumi CLI v$version: built: $("$bin/pulumi" version)"
