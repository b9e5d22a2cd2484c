#!/usr/bin/env bash
# Browser tests of the web console. Installs what they need (Debian's chromium, playwright-core from
# package-lock.json), builds the test classes, then runs the in-process test (a scripted stack, no Docker).
# With --real it also deploys examples/shop on the local swarm and tests the console against it (run-real.sh).
# Usage: bash e2e/run.sh [--real]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$(date +%s)

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java

if [[ ! -x /usr/bin/chromium ]]; then
  echo "installing chromium (apt)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd e2e && npm ci --no-audit --no-fund --loglevel=error)

./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/e2e-classpath.txt
export CONSOLE_CLASSPATH="$root/target/classes:$root/target/test-classes:$(cat target/e2e-classpath.txt)"
export JAVA="$java_bin"

node e2e/console.test.mjs
if [[ "${1:-}" == "--real" ]]; then
  bash e2e/run-real.sh
fi
echo "console e2e passed in $(( $(date +%s) - started )) s"
