#!/usr/bin/env bash
# Installs the Debian packages the test suite needs and are not on a fresh machine:
# PostgreSQL (cross-database tests), Chromium (browser tests of the web UI), a
# CJK font (Chinese labels in PNG charts) and a JDK (the Spark server of the Spark
# tests). Needs root or sudo; skips what is there.
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
{ command -v pg_ctlcluster >/dev/null 2>&1 && [ -n "$(ls /usr/lib/postgresql 2>/dev/null)" ]; } || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)  # the Spark tests' server
fc-list 2>/dev/null | grep -qi "wenquanyi\|wqy" || missing+=(fonts-wqy-microhei)

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing ${missing[*]} ..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
