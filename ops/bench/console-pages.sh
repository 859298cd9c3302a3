#!/usr/bin/env bash
# Console page times with 10,000 cases and 100,000 calls, beside a floor measured in the same run (README.md here).
# Options: -Dhotline.bench.cases=10000 -Dhotline.bench.calls=100000 -Dhotline.bench.requests=200
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -o -pl gateway -am test -Dtest=ConsolePageBenchmark -Dhotline.bench=true -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat gateway/target/console-bench.txt
