#!/usr/bin/env bash
# The one test command: install the servers the tests start, pick a JDK 21+, run the whole suite.
# Extra arguments go to Maven, e.g. bash .ci/test.sh -Dtest=TestServersIT
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash .ci/install-test-deps.sh
JAVA_HOME=$(bash .ci/find-jdk.sh)
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
echo "test: JAVA_HOME=$JAVA_HOME"

exec ./mvnw -B verify "$@"
