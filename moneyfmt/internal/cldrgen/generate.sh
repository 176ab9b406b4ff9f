#!/bin/sh
# Regenerates moneyfmt/cldr_data.go from Unicode's CLDR JSON packages on npm
# (run from moneyfmt/: `go generate`). Bump CLDR_VERSION to the CLDR release
# of the ICU that Node ships (node -p process.versions.cldr), then run the
# oracle test (go test ./moneyfmt/).
set -eu
CLDR_VERSION=48.0.0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "cldr-numbers-full@$CLDR_VERSION" "cldr-core@$CLDR_VERSION" >/dev/null)
mkdir "$tmp/numbers" "$tmp/core"
tar -xzf "$tmp/cldr-numbers-full-$CLDR_VERSION.tgz" -C "$tmp/numbers"
tar -xzf "$tmp/cldr-core-$CLDR_VERSION.tgz" -C "$tmp/core"
go run ./internal/cldrgen -numbers "$tmp/numbers/package" -core "$tmp/core/package" -out cldr_data.go
