#!/usr/bin/env bash
# Every check CI runs: contracts drift and compatibility, lint, types, architecture, then all tests
# (unit tests with fakes; integration and end-to-end tests against real Kafka, Mongo-wire and SMTP servers).
set -euo pipefail
cd "$(dirname "$0")/.."
UV=$(scripts/bootstrap.sh)

step() { echo; echo "=== $*"; }

step "contracts: JSON Schemas and AsyncAPI match the models, no breaking change"
"$UV" run python -m koos_contracts.schemagen check
step "ruff"
"$UV" run ruff check .
step "mypy (strict for contracts and kit)"
"$UV" run mypy -p koos_contracts -p koos_kit -p koos_cli -p koos_registration -p koos_scheduling \
  -p koos_evaluation -p koos_notifications -p koos_gateway -p koos_web
step "import-linter: services independent, domains free of I/O, the web a client of the gateway only"
"$UV" run lint-imports
step "tests"
# Two workers (a whole file each, servers of their own): the e2e tests mostly wait on real time.
"$UV" run pytest -n "${KOOS_TEST_WORKERS:-2}" --dist loadfile "$@"
