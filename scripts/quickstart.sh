#!/bin/sh
# quickstart.sh - the README's first command: install the dependencies,
# build mqtune, and run its main job's embedded default: a dry run of
# `mqtune auto` on the interface of the default route (nothing is
# written).  Run as root on Debian 12.  Extra arguments go to mqtune.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
make
echo "+ ./mqtune auto --dry-run $*"
./mqtune auto --dry-run "$@"
