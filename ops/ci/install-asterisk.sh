#!/usr/bin/env bash
# Installs the real Asterisk 22 and SIPp that the real-PBX tests run (gateway channel/asterisk/pbx): the project's
# shared tools folder ships the PBX (../shared/tools/asterisk, beside the clone); its install script puts in the Debian
# libraries it needs and SIPp (package sip-tester). Idempotent and quick when everything is there.
#   ops/ci/install-asterisk.sh [DIR]      DIR defaults to /opt/hotline-test/asterisk (what the tests look for)
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dest="${1:-${HOTLINE_TEST_ASTERISK:-/opt/hotline-test/asterisk}}"
installer="${HOTLINE_ASTERISK_TOOLS:-$repo/../shared/tools/asterisk}/install"

if [ -x "$dest/sbin/asterisk" ] && command -v sipp >/dev/null; then
  exit 0
fi
if [ ! -x "$installer" ] && [ ! -f "$installer" ]; then
  echo "install-asterisk: $installer not found (the shared tools folder sits beside the clone)" >&2
  exit 1
fi
sh "$installer" "$dest" >/dev/null
echo "Asterisk and SIPp for the real-PBX tests: $dest, $(command -v sipp)"
