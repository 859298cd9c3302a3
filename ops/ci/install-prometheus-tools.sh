#!/usr/bin/env bash
# Installs promtool (Debian 12's package prometheus, 2.42), which checks and unit-tests the alert rules in
# ops/prometheus/. Only the binary is unpacked from the downloaded .deb: the package is not installed, so no Prometheus
# service is set up or started. Idempotent and quick when the binary is there and runs.
#   ops/ci/install-prometheus-tools.sh [DIR]      DIR defaults to /opt/hotline-test/prometheus (promtool goes in it)
set -euo pipefail
dest="${1:-${HOTLINE_TEST_PROMETHEUS:-/opt/hotline-test/prometheus}}"

if [ -x "$dest/promtool" ] && "$dest/promtool" --version >/dev/null 2>&1; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
# apt-get download writes into the current folder; _apt must be able to write there when run as root.
chmod 0777 "$work"
if ! apt-get download prometheus >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get download prometheus >/dev/null
fi
deb="$(ls -1 prometheus_*.deb | head -n 1)"
dpkg-deb -x "$deb" "$work/root"
if [ ! -x "$work/root/usr/bin/promtool" ]; then
  echo "install-prometheus-tools: $deb holds no usr/bin/promtool" >&2
  exit 1
fi
mkdir -p "$dest"
install -m 0755 "$work/root/usr/bin/promtool" "$dest/promtool.new"
mv -f "$dest/promtool.new" "$dest/promtool"
echo "promtool for the alert-rule tests: $dest/promtool ($("$dest/promtool" --version 2>&1 | head -n 1))"
