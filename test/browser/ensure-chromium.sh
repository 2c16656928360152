#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (test/browser/*.test.ts) when it is missing.
# .ci/run calls this before `npm test`; locally, the browser tests skip with a message instead.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
