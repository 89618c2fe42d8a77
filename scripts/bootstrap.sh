#!/usr/bin/env bash
# Installs what Koos needs on a fresh machine: uv (pinned), then the locked Python environment.
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

"$UV" sync --frozen --quiet
echo "$UV"
