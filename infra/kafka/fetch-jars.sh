#!/usr/bin/env bash
# Copies the Kafka broker's runtime jars from Maven Central into $FLOWGUARD_LOCAL_DIR/kafka/libs.
# Idempotent: a .resolved stamp newer than the pom means there is nothing to do.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
local_dir="${FLOWGUARD_LOCAL_DIR:-$root/.local}"
libs="$local_dir/kafka/libs"
stamp="$libs/.resolved"

if [[ -f "$stamp" && "$stamp" -nt "$here/pom.xml" ]]; then
  exit 0
fi
command -v mvn >/dev/null || { echo "fetch-jars: maven (mvn) is missing; run infra/system-deps.sh" >&2; exit 1; }

# Resolve into a scratch dir and swap it in, so an interrupted fetch never looks complete.
tmp="$(mktemp -d "$local_dir/kafka-libs.XXXXXX" 2>/dev/null || { mkdir -p "$local_dir"; mktemp -d "$local_dir/kafka-libs.XXXXXX"; })"
trap 'rm -rf "$tmp"' EXIT
mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
  -DoutputDirectory="$tmp" -DincludeScope=runtime
mkdir -p "$local_dir/kafka"
rm -rf "$libs"
mv "$tmp" "$libs"
trap - EXIT
touch "$stamp"
echo "fetch-jars: $(ls "$libs"/*.jar | wc -l) jars, $(du -sh "$libs" | cut -f1) in $libs"
