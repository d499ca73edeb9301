#!/usr/bin/env bash
# The console's audit trail page over a large trail (default 1,000,000 entries) on H2: see docs/benchmarks.md.
# Usage: bench/console-audit-page.sh [DIR] [ENTRIES]   (DIR keeps the filled database for later runs)
set -euo pipefail
cd "$(dirname "$0")/.."
classpath="$PWD/gateway/target/bench.classpath"
# the last module of the reactor (gateway) writes the file last: its test classpath, the other modules as target/classes
mvn -B -q -pl gateway -am test-compile dependency:build-classpath -Dmdep.outputFile="$classpath" -Dmdep.includeScope=test
java -cp "gateway/target/test-classes:gateway/target/classes:$(cat "$classpath")" \
    jp.tsunagi.gateway.console.AuditPageBenchmark "${1:-gateway/target/bench-audit}" "${2:-1000000}"
