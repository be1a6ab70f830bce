#!/usr/bin/env bash
# npm run gen:sdk: the `invision` plugin's SDKs under sdk/, from its schema.
#
#   sdk/schema.json   the package schema (what the plugin's GetSchema answers),
#                     generated from the zod schemas (provider/plugin/schema.ts)
#   sdk/python        Python SDK  } Pulumi's code generators, at the CLI's
#   sdk/go            Go SDK      } pkg/v3 version (scripts/pulumi-cli/gen-sdk)
#
# The generator is built once into the CLI's cache folder (stamped by its
# sources) and reused. CI regenerates and fails on any difference.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
module="$root/scripts/pulumi-cli"
bin="${PULUMI_INVISION_CACHE:-$HOME/.cache/pulumi-invision}/pulumi-v3.248.0/bin"
mkdir -p "$bin"

stamp=$(cat "$module/gen-sdk/main.go" "$module/go.mod" "$module/go.sum" | sha256sum | cut -d' ' -f1)
if [ ! -x "$bin/gen-sdk" ] || [ "$(cat "$bin/.gen-sdk.stamp" 2>/dev/null || true)" != "$stamp" ]; then
    echo "gen-sdk: building the SDK generator (pkg/v3 codegen) into $bin ..." >&2
    start=$(date +%s)
    (cd "$module" && GOFLAGS=-mod=mod GOSUMDB=off go build -trimpath -o "$bin/gen-sdk.tmp.$$" ./gen-sdk)
    mv -f "$bin/gen-sdk.tmp.$$" "$bin/gen-sdk"
    echo "$stamp" >"$bin/.gen-sdk.stamp"
    echo "gen-sdk: built in $(($(date +%s) - start))s" >&2
fi

cd "$root"
node --import tsx scripts/write-schema.ts sdk/schema.json
"$bin/gen-sdk" sdk/schema.json sdk
echo "gen-sdk: sdk/schema.json, sdk/python, sdk/go written" >&2
