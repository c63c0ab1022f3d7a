#!/usr/bin/env bash
# Installs the system packages the local services and browser tests need, only those missing:
# PostgreSQL server binaries, Java 17+ and a JDK 25+ in /usr/lib/jvm, Maven, Chromium, and
# systemd-analyze (the deploy units' check).
# Debian/Ubuntu (apt-get); a no-op that takes milliseconds when everything is present.
set -euo pipefail

# A JDK's major version from its release file: starting a JVM would cost a noticeable pause.
java_major() {
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1" 2>/dev/null
}

java_ok() {
  local java major
  java="$(command -v java)" || return 1
  major="$(java_major "$(dirname "$(dirname "$(readlink -f "$java")")")/release")"
  [[ -n "$major" && "$major" -ge 17 ]]
}

# Spark's ahead-of-time cache needs a JDK 25+ beside the default one (tests/integration).
jdk25_ok() {
  local release major
  for release in /usr/lib/jvm/*/release; do
    major="$(java_major "$release")"
    [[ -n "$major" && "$major" -ge 25 ]] && return 0
  done
  return 1
}

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
java_ok || missing+=(openjdk-17-jre-headless)
jdk25_ok || missing+=(openjdk-25-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v chromium >/dev/null || missing+=(chromium)
command -v systemd-analyze >/dev/null || missing+=(systemd)
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "system-deps: installing ${missing[*]}" >&2
sudo=()
if [[ "$(id -u)" != 0 ]]; then
  command -v sudo >/dev/null || { echo "system-deps: run as root, or install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
if [[ " ${missing[*]} " == *" postgresql "* && ! -e /etc/postgresql-common/createcluster.conf ]]; then
  # FlowGuard runs its own throwaway clusters: no system-wide cluster on port 5432, please.
  "${sudo[@]}" mkdir -p /etc/postgresql-common
  echo "create_main_cluster = false" | "${sudo[@]}" tee /etc/postgresql-common/createcluster.conf >/dev/null
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "system-deps: installed ${missing[*]}" >&2
