#!/bin/sh
# `make test` runs this first. The browser tests (tests/test_site.py) drive Chromium through
# chromedriver and run axe-core, which the Makefile fetches with npm. When any of the three is
# missing, install them with the system package manager if this user may (root, or sudo
# without a password); otherwise stop at once with the one command to run.
# KAARTSPEL_SKIP_BROWSER=1 skips the browser tests and this check.
set -eu
[ "${KAARTSPEL_SKIP_BROWSER:-}" = 1 ] && exit 0
have() { command -v "$1" >/dev/null 2>&1; }
have chromium && have chromedriver && have npm && exit 0

# Only what is missing: a Node.js from elsewhere (nodesource's) brings its own npm, and
# Debian's npm package conflicts with it.
PACKAGES=""
have chromium || PACKAGES="$PACKAGES chromium"
have chromedriver || PACKAGES="$PACKAGES chromium-driver"
have npm || PACKAGES="$PACKAGES npm"
PACKAGES="${PACKAGES# }"
COMMAND="apt-get update && apt-get install -y --no-install-recommends $PACKAGES"
if ! have apt-get; then
  echo "make test: Chromium, chromedriver and npm are needed for the browser tests and this" \
    "system has no apt-get; install them with your package manager (on PATH as 'chromium'," \
    "'chromedriver' and 'npm'), or run KAARTSPEL_SKIP_BROWSER=1 make test to skip those tests." >&2
  exit 1
fi
if [ "$(id -u)" = 0 ]; then
  as=""
elif have sudo && sudo -n true 2>/dev/null; then
  as="sudo "
else
  echo "make test: Chromium, chromedriver or npm is missing (needed for the browser tests). Run:" >&2
  echo "  sudo sh -c '$COMMAND'" >&2
  echo "then make test again (or KAARTSPEL_SKIP_BROWSER=1 make test to skip those tests)." >&2
  exit 1
fi
echo "make test: installing Chromium, chromedriver and npm: ${as}$COMMAND"
${as}apt-get update
${as}apt-get install -y --no-install-recommends $PACKAGES
if ! have chromium || ! have chromedriver || ! have npm; then
  echo "make test: apt-get ran, but chromium, chromedriver or npm is still not on PATH." >&2
  exit 1
fi
