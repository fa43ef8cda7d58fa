#!/bin/sh
# install-deps.sh - install what mqtune needs to build and test, with apt,
# on Debian 12 (bookworm) or a close derivative.  Run as root.
#
# Build:   gcc make pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev
#          linux-libc-dev (the kernel's ethtool and netlink headers)
# Tests:   check (libcheck) python3 (synthetic machine generator and JSON
#          checks) python3-jsonschema (docs/schema/) iproute2 ethtool (real-kernel tests in a netns)
#          python3-prometheus-client (check --prometheus, parsed by its text parser)
#          e2fsprogs (chattr, to make a write fail) strace (write counts)
#          valgrind (memcheck run) util-linux (flock, setpriv)
#          clang libclang-rt-14-dev (libFuzzer targets)
#          jq (README examples that pipe JSON through it)
#          ansible-core (the mqtune.nic collection, run by ansible-playbook)
#          debhelper (make deb, tests/pkg: the Debian package)
set -eu

pkgs="gcc make pkg-config libnl-3-dev libnl-genl-3-dev libjson-c-dev
linux-libc-dev check python3 python3-jsonschema python3-prometheus-client iproute2 ethtool e2fsprogs strace procps valgrind
util-linux clang libclang-rt-14-dev jq systemd ansible-core debhelper"

if [ "$(id -u)" != 0 ]; then
	echo "install-deps.sh: must run as root (it uses apt-get)" >&2
	exit 4
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps.sh: apt-get not found; install by hand:" $pkgs >&2
	exit 1
fi

echo "install-deps.sh: apt-get install" $pkgs
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $pkgs >/dev/null
echo "install-deps.sh: done"
