#!/usr/bin/env bash
# Debian packages the lab (src/lab) and the integration tests need (rpm: the oracle for the rpm version
# ordering tests). Idempotent and quiet: installs only what is missing, and never starts the machine's own
# sshd (a daemon on *:22 would take the lab hosts' port).
set -euo pipefail

packages=(openssh-server openssh-client debootstrap dpkg-dev apt-utils sudo ansible rpm)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${packages[*]})"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${missing[*]}; run me as root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
policy=/usr/sbin/policy-rc.d
added_policy=no
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=yes
fi
cleanup() { if [ "$added_policy" = yes ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

echo "install-deps: installing ${missing[*]}"
for attempt in 1 2 3; do
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
    echo "install-deps: done"
    exit 0
  fi
  echo "install-deps: attempt $attempt failed, retrying" >&2
  sleep $((attempt * 5))
done
echo "install-deps: could not install ${missing[*]}" >&2
exit 1
