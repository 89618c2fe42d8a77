#!/usr/bin/env bash
# kcat with a librdkafka that can log in to Kafka 4 with SCRAM. Debian 12's kcat links librdkafka
# 2.0.2, whose SCRAM client-final message repeats the client nonce; Kafka 4 checks the nonce strictly
# and refuses the login (fixed in librdkafka 2.6.1). When the system's librdkafka is older than that,
# this runs kcat with the librdkafka of the locked confluent-kafka wheel (.venv), unchanged otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KCAT=$(command -v kcat || command -v kafkacat || true)
[ -n "$KCAT" ] || { echo "kcat.sh: kcat is not installed (scripts/bootstrap.sh installs it)" >&2; exit 127; }

version=$("$KCAT" -V 2>/dev/null | sed -n 's/.*librdkafka \([0-9.]*\).*/\1/p' | head -1)
if [ "$(printf '%s\n2.6.1\n' "${version:-0}" | sort -V | head -1)" = "2.6.1" ]; then
  exec "$KCAT" "$@"
fi
bundled=$(ls "$ROOT"/.venv/lib/python3*/site-packages/confluent_kafka.libs/librdkafka-*.so.1 2>/dev/null | head -1 || true)
[ -n "$bundled" ] || { echo "kcat.sh: librdkafka $version is too old for SCRAM on Kafka 4 and .venv has no newer one" >&2; exit 1; }
libs="$ROOT/.tools/librdkafka"
mkdir -p "$libs"
ln -sf "$bundled" "$libs/librdkafka.so.1"
LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$KCAT" "$@"
