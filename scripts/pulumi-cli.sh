#!/usr/bin/env bash
# Provides a Pulumi CLI able to run this project's Node.js programs offline, and
# prints the directory holding it as the LAST line of stdout (everything else
# goes to stderr):
#
#   PATH="$(bash scripts/pulumi-cli.sh):$PATH"
#
# That directory holds four executables:
#   pulumi                          the CLI, built from Go modules (tools module
#                                   scripts/pulumi-cli, pinned to v3.248.0)
#   pulumi-language-nodejs          our own minimal Node.js language host
#                                   (scripts/pulumi-cli/language-nodejs), since
#                                   the upstream host's Go module is not served
#   pulumi-resource-pulumi-nodejs   launcher of @pulumi/pulumi's dynamic provider
#                                   (scripts/pulumi-cli/pulumi-resource-pulumi-nodejs)
#   pulumi-language-yaml            Pulumi YAML's language host, built from its Go
#                                   module (tools module scripts/pulumi-yaml, pinned
#                                   to v1.25.0: a module of its own, see its tools.go)
#
# A `pulumi` already on PATH is used when it is >= v3.248.0 and the three plugins
# are on PATH too. Otherwise the binaries are built once into
#   ${PULUMI_INVISION_CACHE:-$HOME/.cache/pulumi-invision}/pulumi-v3.248.0/bin
# and reused; the language host is rebuilt when its sources change.
#
# Environment:
#   PULUMI_INVISION_CACHE        cache root (default $HOME/.cache/pulumi-invision)
#   PULUMI_INVISION_IGNORE_PATH  set to 1 to ignore a pulumi found on PATH
set -euo pipefail

PULUMI_VERSION=3.248.0
YAML_VERSION=1.25.0
script_start=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
module="$here/pulumi-cli"
yaml_module="$here/pulumi-yaml"

log() { echo "pulumi-cli: $*" >&2; }
die() { log "error: $*"; exit 1; }

version_ge() { # version_ge A B: A >= B (dotted versions, no leading v)
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

cache_root=${PULUMI_INVISION_CACHE:-$HOME/.cache/pulumi-invision}
bin="$cache_root/pulumi-v$PULUMI_VERSION/bin"

# 1. A suitable CLI already on PATH? (Our own cache dir on PATH does not count:
#    it is checked below, so a changed language host gets rebuilt.)
found=$(command -v pulumi 2>/dev/null || true)
if [ "${PULUMI_INVISION_IGNORE_PATH:-0}" != 1 ] && [ -n "$found" ] &&
    [ "$(cd "$(dirname "$found")" && pwd -P)" != "$(mkdir -p "$bin" && cd "$bin" && pwd -P)" ] &&
    command -v pulumi-language-nodejs >/dev/null 2>&1 &&
    command -v pulumi-resource-pulumi-nodejs >/dev/null 2>&1 &&
    command -v pulumi-language-yaml >/dev/null 2>&1; then
    have=$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null | head -n1 | sed 's/^v//') || have=""
    if [ -n "$have" ] && version_ge "${have%%-*}" "$PULUMI_VERSION"; then
        log "using pulumi v$have from PATH ($found)"
        dirname "$found"
        exit 0
    fi
    log "pulumi on PATH is '${have:-unknown}', need >= v$PULUMI_VERSION; using the cached build"
fi

# 2. The cached build.
mkdir -p "$bin"

# Serialize concurrent callers (parallel test runs) on the cache.
exec 9>"$bin/.lock"
if command -v flock >/dev/null 2>&1; then
    flock 9
fi

# Stamp of the language host's sources: rebuild it when they change.
host_stamp=$(cat "$module/language-nodejs/main.go" "$module/go.mod" "$module/go.sum" | sha256sum | cut -d' ' -f1)

yaml_stamp=$(cat "$yaml_module/go.mod" "$yaml_module/go.sum" | sha256sum | cut -d' ' -f1)

need_cli=0
need_host=0
need_yaml=0
[ -x "$bin/pulumi" ] || need_cli=1
if [ ! -x "$bin/pulumi-language-nodejs" ] ||
    [ "$(cat "$bin/.pulumi-language-nodejs.stamp" 2>/dev/null || true)" != "$host_stamp" ]; then
    need_host=1
fi
if [ ! -x "$bin/pulumi-language-yaml" ] ||
    [ "$(cat "$bin/.pulumi-language-yaml.stamp" 2>/dev/null || true)" != "$yaml_stamp" ]; then
    need_yaml=1
fi

if [ $need_cli = 1 ] || [ $need_host = 1 ] || [ $need_yaml = 1 ]; then
    command -v go >/dev/null 2>&1 || die "Go is needed to build the Pulumi CLI (none on PATH)"
    # The go.sum is complete but the checksum database may be unreachable.
    export GOFLAGS=-mod=mod GOSUMDB=off
    cd "$module"
fi

build() { # build OUTPUT PACKAGE LDFLAGS
    local out=$1 pkg=$2 ldflags=$3 start tmp
    start=$(date +%s)
    tmp="$out.tmp.$$"
    log "building $(basename "$out") ($pkg) into $bin ..."
    if ! go build -trimpath -ldflags "$ldflags" -o "$tmp" "$pkg" >&2; then
        rm -f "$tmp"
        die "go build of $pkg failed"
    fi
    mv -f "$tmp" "$out"
    log "built $(basename "$out") in $(($(date +%s) - start))s"
}

if [ $need_cli = 1 ]; then
    log "no cached pulumi v$PULUMI_VERSION; the first build takes 10-20 minutes on 2 cores"
    build "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi \
        "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
fi
if [ $need_host = 1 ]; then
    build "$bin/pulumi-language-nodejs" ./language-nodejs "-s -w -X main.version=$PULUMI_VERSION"
    echo "$host_stamp" >"$bin/.pulumi-language-nodejs.stamp"
fi
if [ $need_yaml = 1 ]; then
    # Its own module and pkg/v3 version: a few minutes more on a fresh machine, once.
    (cd "$yaml_module" && build "$bin/pulumi-language-yaml" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml \
        "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$YAML_VERSION")
    echo "$yaml_stamp" >"$bin/.pulumi-language-yaml.stamp"
fi

launcher="$module/pulumi-resource-pulumi-nodejs"
if ! cmp -s "$launcher" "$bin/pulumi-resource-pulumi-nodejs"; then
    cp "$launcher" "$bin/pulumi-resource-pulumi-nodejs.tmp.$$"
    chmod 755 "$bin/pulumi-resource-pulumi-nodejs.tmp.$$"
    mv -f "$bin/pulumi-resource-pulumi-nodejs.tmp.$$" "$bin/pulumi-resource-pulumi-nodejs"
    log "installed pulumi-resource-pulumi-nodejs"
fi

if [ $need_cli = 0 ] && [ $need_host = 0 ] && [ $need_yaml = 0 ]; then
    log "using cached pulumi v$PULUMI_VERSION in $bin"
else
    log "ready in $(($(date +%s) - script_start))s: $bin"
fi
echo "$bin"
