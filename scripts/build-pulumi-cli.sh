#!/usr/bin/env bash
# Puts the Pulumi CLI and what language hosts can be had into .tools/pulumi-$PULUMI_VERSION/bin,
# once; a later run with the same version does nothing.
#
# A user's machine: the official Pulumi install puts `pulumi`, every `pulumi-language-*` host
# and `pulumi-language-python-exec` side by side in one directory on PATH. That install is used
# as it is (linked, nothing built, no Go needed) when its CLI is $PULUMI_VERSION or newer:
#   - the CLI found on PATH, then each host and pulumi-language-yaml from beside it (or, if
#     not there, from PATH), and pulumi-language-python-exec from beside the python host;
#   - a CLI older than $PULUMI_VERSION is refused, with what to do: this repository is tested
#     with $PULUMI_VERSION (a CLI may be newer than the pins, never older), and a build of the
#     pinned CLI next to an older install's hosts would mix two versions.
# A machine without Pulumi (CI here):
#   - the CLI is built from the Go module proxy: pkg/v3 carries local `replace`s in its go.mod,
#     so `go install mod@version` refuses it; it is built from a small tools module that
#     requires pkg/v3 and sdk/v3 at the tag and repeats pkg/v3's own replace of
#     github.com/atotto/clipboard. The CLI is required: without it this script fails;
#   - pulumi-language-yaml is installed at $PULUMI_YAML_VERSION (required as well);
#   - the python, nodejs and go hosts are tried once each; a proxy that refuses them (the usual
#     case) is recorded in MISSING and is not an error: the examples then run through
#     Automation API inline programs and executable plugins, which need no host.
# HOSTS lists the hosts in bin/; the integration tests run the host-only tests (`*-host`
# examples, `pulumi package add`) for those. SOURCE says where the CLI came from.
set -euo pipefail

version="${PULUMI_VERSION:?}"
yaml_version="${PULUMI_YAML_VERSION:?}"
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.tools/pulumi-$version"
bin="$dest/bin"
stamp="$dest/.built"

if [[ -f "$stamp" && -x "$bin/pulumi" ]]; then
  echo "pulumi CLI v$version: ready in .tools/pulumi-$version ($("$bin/pulumi" version), $(cat "$dest/SOURCE" 2>/dev/null || echo built)); hosts: $(cat "$dest/HOSTS" 2>/dev/null || echo none)"
  exit 0
fi
# A stamp whose linked CLI has gone (an uninstalled or moved Pulumi): start again.
rm -f "$stamp"
mkdir -p "$bin"
rm -f "$dest/MISSING" "$dest/HOSTS" "$dest/SOURCE"
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
# beside DIRS... NAME: the first executable NAME in DIRS.
beside() {
  local name="${!#}" dir
  for dir in "${@:1:$#-1}"; do
    if [[ -x "$dir/$name" && ! -d "$dir/$name" ]]; then echo "$dir/$name"; return 0; fi
  done
  return 1
}

work="$dest/gomod"
mkdir -p "$work"
cd "$work"
export GOFLAGS="-mod=mod -buildvcs=false"
ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
# The tools module: every go command below runs inside it (go get and go list -m need a module).
tools_module() {
  [[ -f go.mod ]] && return 0
  cat > go.mod <<GOMOD
module mlserving.local/tools

go 1.25

// pkg/v3's own go.mod replaces this module; a module that requires pkg/v3 must repeat it.
replace github.com/atotto/clipboard => github.com/tgummerer/clipboard v0.0.0-20241001131231-d02d263e614e
GOMOD
}

# ---- the CLI: the user's (linked) or built
user_dirs=()
existing="$(command -v pulumi || true)"
if [[ -n "$existing" && "$existing" != "$bin/pulumi" ]]; then
  have="$("$existing" version 2>/dev/null | head -n 1 | sed 's/^v//')" || have=""
  if [[ -z "$have" ]]; then
    echo "ERROR: \`$existing version\` printed no version; is it the Pulumi CLI? Take it off PATH to build v$version here." >&2
    exit 1
  fi
  if ! version_ge "${have%%[-+]*}" "$version"; then
    cat >&2 <<MSG
ERROR: the Pulumi CLI on PATH, $existing, is v$have: older than v$version, the CLI this
repository is built and tested with. A CLI may be newer than the pinned versions, never older.
Nothing was installed. Either:
  - upgrade it to v$version or newer (\`pulumi self upgrade\`, or the official install script
    with \`--version $version\`), then run \`make install\` again; or
  - take its directory off PATH for \`make install\` and \`make test\`: the pinned CLI is then
    built from the Go module proxy into .tools/pulumi-$version, and the tests that need the
    python/nodejs/go language hosts print NOT RUN unless those can be built too.
(A program that uses the published mlserving SDKs needs only a CLI no older than the Pulumi
SDK it uses, 3.260.0 or newer.)
MSG
    exit 1
  fi
  ln -sf "$existing" "$bin/pulumi"
  # Its directory, and that of what it links to (a package manager's bin/ may hold links).
  user_dirs=("$(dirname "$existing")" "$(dirname "$(readlink -f "$existing")")")
  echo "pulumi CLI: using $existing (v$have >= v$version)"
  echo "linked from $existing (v$have)" > "$dest/SOURCE"
else
  tools_module
  echo "pulumi CLI v$version: building from the Go module proxy (about 3-4 min on 2 cores when the module cache is cold)..."
  go get "github.com/pulumi/pulumi/pkg/v3@v$version" "github.com/pulumi/pulumi/sdk/v3@v$version" >>"$log" 2>&1 \
    || die "go get github.com/pulumi/pulumi/pkg/v3@v$version"
  go build -ldflags "$ldflags" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >>"$log" 2>&1 \
    || die "go build github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$version"
  echo "built from the Go module proxy" > "$dest/SOURCE"
fi

# find NAME: NAME beside the user's CLI, else on PATH (never this script's own bin/).
find_tool() {
  local found
  if (( ${#user_dirs[@]} )) && found="$(beside "${user_dirs[@]}" "$1")"; then echo "$found"; return 0; fi
  found="$(command -v "$1" || true)"
  [[ -n "$found" && "$found" != "$bin/$1" ]] && echo "$found"
}

# ---- pulumi-language-yaml: the user's install ships one with its CLI; otherwise the pinned one.
if [[ ${#user_dirs[@]} -gt 0 ]] && yaml_host="$(beside "${user_dirs[@]}" pulumi-language-yaml)"; then
  ln -sf "$yaml_host" "$bin/pulumi-language-yaml"
  echo "pulumi-language-yaml: using $yaml_host (shipped with the CLI)"
else
  tools_module
  GOBIN="$bin" go install "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version" >>"$log" 2>&1 \
    || die "go install github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml@v$yaml_version"
fi

# ---- the python, nodejs and go hosts: linked when found, else tried once from the proxy.
# The hosts live in nested modules of pulumi/pulumi (module path .../v3).
hosts=()
for host in python nodejs go; do
  case "$host" in
    python) mod="github.com/pulumi/pulumi/sdk/python/cmd/pulumi-language-python/v3" ;;
    nodejs) mod="github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3" ;;
    go)     mod="github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3" ;;
  esac
  name="pulumi-language-$host"
  if found="$(find_tool "$name")"; then
    if [[ "$host" == python ]]; then
      # The python host runs programs through this script, which it looks up on PATH: take the
      # one shipped beside this host, so the two always come from the same install.
      if ! exec_script="$(beside "$(dirname "$found")" "$(dirname "$(readlink -f "$found")")" pulumi-language-python-exec)"; then
        echo "$name: found $found, but no pulumi-language-python-exec beside it (the host cannot run a program without it)" >> "$dest/MISSING"
        continue
      fi
      ln -sf "$exec_script" "$bin/pulumi-language-python-exec"
    fi
    ln -sf "$found" "$bin/$name"
    echo "$name: using $found"
    hosts+=("$host")
    continue
  fi
  tools_module
  if out="$(go get "$mod@v$version" 2>&1)" \
    && go build -ldflags "$ldflags" -o "$bin/$name" "$mod" >>"$log" 2>&1; then
    if [[ "$host" == python ]]; then
      # Built here: the exec script comes from the Pulumi SDK module at the same version
      # (python/cmd/ since 3.2xx, python/ before).
      sdkdir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)"
      if ! exec_script="$(beside "$sdkdir/python/cmd" "$sdkdir/python" pulumi-language-python-exec)"; then
        rm -f "$bin/$name"
        echo "$name: built, but github.com/pulumi/pulumi/sdk/v3@v$version holds no pulumi-language-python-exec" >> "$dest/MISSING"
        continue
      fi
      install -m 0755 "$exec_script" "$bin/pulumi-language-python-exec"
    fi
    hosts+=("$host")
  else
    # The proxy's answer, without its address: "403 Forbidden ... not available".
    reason="$(echo "${out:-go build failed: see build.log}" | tr '\n\t' '  ' | sed -e 's#reading https\?://[^ ]*##g' -e 's/  */ /g')"
    echo "$name: not built: $reason" >> "$dest/MISSING"
  fi
done
echo "${hosts[*]:-none}" > "$dest/HOSTS"

touch "$stamp"
echo "pulumi CLI v$version: ready: $("$bin/pulumi" version) ($(cat "$dest/SOURCE")), in $((SECONDS - started)) s"
if (( ${#hosts[@]} == 3 )); then
  echo "hosts: python nodejs go: make test also runs the host-only tests (pulumi up in each example directory, pulumi package add in TypeScript, Go and Python)"
fi
if [[ -f "$dest/MISSING" ]]; then
  echo "MISSING (the tests that need these say NOT RUN; everything else runs without them):"
  sed 's/^/  /' "$dest/MISSING"
fi
