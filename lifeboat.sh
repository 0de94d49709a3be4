#!/usr/bin/env bash
# Start Lifeboat with its embedded defaults: in-process Zeebe engine, H2 database and local backup
# directory under ./lifeboat-data, HTTP on :8080. Builds the jar first when it is missing or older
# than the sources. Arguments go to Lifeboat, e.g. ./lifeboat.sh --server.port=9090
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

JAVA_HOME=$(bash .ci/find-jdk.sh)
export JAVA_HOME
jar=target/lifeboat-0.1.0-SNAPSHOT.jar

if [[ ! -f "$jar" ]] || [[ -n "$(find pom.xml src bpmn -newer "$jar" -print -quit)" ]]; then
  echo "lifeboat: building $jar (first start takes a few minutes: Maven fetches dependencies)" >&2
  ./mvnw -q -B -DskipTests package
fi

exec "$JAVA_HOME/bin/java" -jar "$jar" "$@"
