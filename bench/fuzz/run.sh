#!/usr/bin/env bash
# Fuzzes the definition loader (with the definition policy and the converter) and the control plane's JSON bodies
# with mutated definitions from the test corpus and the examples (not a test; see DefinitionFuzz). Prints what came
# out of every input and appends a summary to bench/results/fuzz.md; findings (with their input) go to
# bench/results/fuzz-findings/. Exits 1 when there was a finding.
#   bench/fuzz/run.sh            # 10 minutes
#   SECONDS_TO_RUN=60 bench/fuzz/run.sh
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$PROJECT_DIR"
SECONDS_TO_RUN=${SECONDS_TO_RUN:-600}
FINDINGS=bench/results/fuzz-findings
RESULTS=bench/results/fuzz.md
export JAVA_HOME=${JAVA_HOME:-$(scripts/java-home)}
WORK=$(mktemp -d /tmp/fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
rm -rf "$FINDINGS"
# Small heap: an input that makes the loader hold much more than it was given is found as an OutOfMemoryError.
"$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -cp "target/classes:target/test-classes:$(cat "$WORK/cp.txt")" \
  org.ailtire.fuzz.DefinitionFuzz "$SECONDS_TO_RUN" "$FINDINGS" src/test/resources/corpus \
  src/test/resources/compose-corpus examples 2>"$WORK/stderr.log" | tee "$WORK/out.log"
result=$(grep -a "RESULT" "$WORK/out.log" | tail -1)
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# Fuzzing the definition loader and the API bodies"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, ${SECONDS_TO_RUN} s, -Xmx256m: ${result#*RESULT }"
  echo
  echo '```'
  sed -n '/done:/,$p' "$WORK/out.log" | grep -av RESULT
  echo '```'
} > "$RESULTS"
[[ "$result" == *"findings=0"* ]]
