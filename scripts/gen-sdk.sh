#!/usr/bin/env bash
# make generate_<lang>: one language's SDK from schema.json into <out>/<lang>.
#   scripts/gen-sdk.sh <pulumi> <pulumi version> <nodejs|python|go> <out>
# With the language's host (pulumi-language-<lang>) on PATH and the CLI at the pinned version:
# `pulumi package gen-sdk`. Otherwise -- no host (the Go module proxy serves none here, and the
# CLI delegates codegen to the host), or a user's newer CLI, whose hosts' codegen may write
# other files than the pinned one's, which `make test` would report as an out-of-date sdk/ --
# scripts/sdkgen: the code generators of pkg/v3 at the pinned version, linked in-process,
# called as the CLI and the host call them. It is built once into
# .tools/pulumi-<version>/bin/mlserving-sdkgen.
set -euo pipefail
pulumi="$1" version="$2" lang="$3" out="$4"
root="$(cd "$(dirname "$0")/.." && pwd)"

cli_version="$("$pulumi" version | head -n 1)"
if command -v "pulumi-language-$lang" >/dev/null && [[ "$cli_version" == "v$version" ]]; then
  "$pulumi" package gen-sdk "$root/schema.json" --language "$lang" --out "$out" >/dev/null
  exit 0
fi

tools="$root/.tools/pulumi-$version"
sdkgen="$tools/bin/mlserving-sdkgen"
source_sum="$(sha256sum "$root/scripts/sdkgen/main.go" | cut -c1-16)"
if [[ ! -x "$sdkgen" || "$(cat "$tools/sdkgen.sum" 2>/dev/null)" != "$source_sum" ]]; then
  echo "  (no pulumi-language-$lang: building scripts/sdkgen, the codegen of pkg/v3@v$version, in-process)" >&2
  build="$tools/sdkgen-build"
  rm -rf "$build" && mkdir -p "$build/sdkgen" "$tools/bin"
  cp "$root/scripts/sdkgen/main.go" "$build/sdkgen/"
  (
    cd "$build"
    export GOFLAGS="-mod=mod -buildvcs=false"
    cat > go.mod <<GOMOD
module mlserving.local/sdkgen

go 1.25

// pkg/v3's own go.mod replaces this module; a module that requires pkg/v3 must repeat it.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
    go get "github.com/pulumi/pulumi/pkg/v3@v$version" >build.log 2>&1
    go build -o "$sdkgen" ./sdkgen >>build.log 2>&1
  ) || { echo "scripts/sdkgen: build failed:" >&2; tail -n 20 "$build/build.log" >&2; exit 1; }
  echo "$source_sum" > "$tools/sdkgen.sum"
fi
if command -v "pulumi-language-$lang" >/dev/null; then
  echo "  (the CLI is $cli_version, not v$version: the pkg/v3@v$version code generators, in-process)" >&2
else
  echo "  (pulumi-language-$lang not on PATH: the pkg/v3@v$version code generators, in-process)" >&2
fi
"$sdkgen" "$root/schema.json" "$lang" "$out"
