#!/bin/sh
# `make test` runs this first. The shaping tests (tests/test_shaping.py) build a Hindi and an
# Arabic deck with Debian's Noto fonts (fonts-noto-core: Noto Sans Devanagari, Noto Naskh
# Arabic). When they are missing, install them with apt-get if this user may (root, or sudo
# without a password); otherwise say so and go on: those tests then skip, naming the package.
set -eu
NOTO=/usr/share/fonts/truetype/noto
[ -f "$NOTO/NotoSansDevanagari-Regular.ttf" ] && [ -f "$NOTO/NotoNaskhArabic-Regular.ttf" ] && exit 0
have() { command -v "$1" >/dev/null 2>&1; }
COMMAND="apt-get update && apt-get install -y --no-install-recommends fonts-noto-core"
if have apt-get && [ "$(id -u)" = 0 ]; then
  as=""
elif have apt-get && have sudo && sudo -n true 2>/dev/null; then
  as="sudo "
else
  echo "make test: the Noto fonts for the shaping tests are missing ($NOTO); those tests will" \
    "skip. To run them: sudo sh -c '$COMMAND'" >&2
  exit 0
fi
echo "make test: installing the Noto fonts for the shaping tests: ${as}$COMMAND"
${as}apt-get update
${as}apt-get install -y --no-install-recommends fonts-noto-core
