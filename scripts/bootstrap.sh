#!/usr/bin/env bash
# Installs what Koos needs on a fresh machine: uv (pinned), the locked Python environment, and Debian's
# Chromium for the browser tests (never a browser downloaded by a test tool).
# The servers' jars are fetched by the project's own scripts on first start (koos_cli.servers).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
TOOLS=.tools

uv_bin() {
  if command -v uv >/dev/null 2>&1 && [ "$(uv --version | cut -d' ' -f2)" = "$UV_VERSION" ]; then
    command -v uv
  else
    echo "$TOOLS/bin/uv"
  fi
}

UV=$(uv_bin)
if [ ! -x "$UV" ]; then
  echo "bootstrap: installing uv $UV_VERSION into $TOOLS" >&2
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/pip" install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

for tool in java mvn python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bootstrap: $tool is required" >&2; exit 1; }
done

# kcat plays a partner system written in no Koos language (tests/e2e/test_partner_kcat.py).
if ! command -v kcat >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "bootstrap: installing kcat (Debian package)" >&2
  apt-get install -y -qq kcat >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq kcat >/dev/null 2>&1; } \
    || echo "bootstrap: kcat could not be installed; the kcat partner test will be skipped" >&2
fi

"$UV" sync --frozen --quiet

if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1; then
  as_root=""
  [ "$(id -u)" = 0 ] || as_root="sudo -n"
  echo "bootstrap: installing Debian's chromium for the browser tests" >&2
  if ! ($as_root apt-get update -qq && DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq chromium) \
      >/dev/null 2>&1; then
    echo "bootstrap: chromium could not be installed; the browser tests will fail" >&2
  fi
fi
echo "$UV"
