#!/usr/bin/env bash
# Runs a command with the local services up and their variables exported, then always takes the
# services down, whether the command passed, failed or was interrupted. Exits with the command's
# status (1 if the services did not come up).
# Usage: infra/with-services.sh COMMAND [ARGS...]
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
py="$root/.venv/bin/python"
local_dir="${FLOWGUARD_LOCAL_DIR:-$root/.local}"

down() {
  "$py" -m entrypoints.services down || echo "with-services: services down failed" >&2
}
trap down EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$py" -m entrypoints.services up || exit 1
set -a
# shellcheck source=/dev/null
source "$local_dir/services.env"
set +a

"$@"
rc=$?
# pytest's 5 means "no tests collected": a failure, never a silent pass.
[[ $rc -eq 5 ]] && echo "with-services: no tests were collected (exit 5)" >&2
exit $rc
