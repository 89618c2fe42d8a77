#!/usr/bin/env bash
# Runs Koos on this machine with demo data: servers, services, gateway. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(scripts/bootstrap.sh)
exec "$UV" run koos up "$@"
