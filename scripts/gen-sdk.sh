#!/usr/bin/env bash
# npm run gen:sdk: the `invision` plugin's SDKs under sdk/, from its schema.
#
#   sdk/schema.json   the package schema (what the plugin's GetSchema answers),
#                     generated from the zod schemas (provider/plugin/schema.ts)
#   sdk/python        Python SDK  } Pulumi's code generators, at the CLI's
#   sdk/go            Go SDK      } pkg/v3 version (scripts/pulumi-cli/gen-sdk)
#   sdk/dotnet        .NET SDK: pkg/v3 v3.225.1's codegen/dotnet, the last
#                     release that has it (scripts/gen-dotnet, a module of
#                     its own; see its main.go)
#
# The generators are built once into the CLI's cache folder (stamped by their
# sources) and reused. CI regenerates and fails on any difference.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin="${PULUMI_INVISION_CACHE:-$HOME/.cache/pulumi-invision}/pulumi-v3.248.0/bin"
mkdir -p "$bin"

build() { # build NAME MODULE_DIR PACKAGE FILES...: (re)build $bin/NAME when FILES change
    local name=$1 module=$2 pkg=$3 stamp start
    shift 3
    stamp=$(cd "$module" && cat "$@" | sha256sum | cut -d' ' -f1)
    if [ -x "$bin/$name" ] && [ "$(cat "$bin/.$name.stamp" 2>/dev/null || true)" = "$stamp" ]; then
        return
    fi
    echo "gen-sdk: building $name ($module) into $bin ..." >&2
    start=$(date +%s)
    (cd "$module" && GOFLAGS=-mod=mod GOSUMDB=off go build -trimpath -o "$bin/$name.tmp.$$" "$pkg")
    mv -f "$bin/$name.tmp.$$" "$bin/$name"
    echo "$stamp" >"$bin/.$name.stamp"
    echo "gen-sdk: built $name in $(($(date +%s) - start))s" >&2
}
build gen-sdk "$root/scripts/pulumi-cli" ./gen-sdk gen-sdk/main.go go.mod go.sum
build gen-dotnet "$root/scripts/gen-dotnet" . main.go logo.png go.mod go.sum

cd "$root"
node --import tsx scripts/write-schema.ts sdk/schema.json
# gen-sdk validates the schema (and refuses references to other packages)
# before gen-dotnet imports it unvalidated.
"$bin/gen-sdk" sdk/schema.json sdk
"$bin/gen-dotnet" sdk/schema.json sdk
echo "gen-sdk: sdk/schema.json, sdk/python, sdk/go, sdk/dotnet written" >&2
