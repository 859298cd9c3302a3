#!/usr/bin/env bash
# Installs Debian's headless Chromium and its driver for the console's browser tests (gateway ConsoleBrowserTest).
# Idempotent: does nothing when both binaries are present. Selenium is pointed at these two paths, so it never tries
# to download a browser of its own (DESIGN 7).
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "install-browser: chromium or chromedriver missing and not root; install chromium and chromium-driver" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# fonts-dejavu-core: Vietnamese diacritics in screenshots on a machine without any other font.
apt-get install -y -q --no-install-recommends chromium chromium-driver fonts-dejavu-core
