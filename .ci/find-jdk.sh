#!/usr/bin/env bash
# Prints the path of a JDK 21 or newer (for JAVA_HOME) on stdout.
# Keeps $JAVA_HOME when it already is one; otherwise picks the newest JDK found in the usual places.
# Exits 1 with instructions on stderr when there is none.
set -euo pipefail

required=21

# Major version of <home>/bin/java, or nothing when it is not a JDK (javac is needed to compile).
major_of() {
  local home=$1 version
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  [[ -n "$version" ]] || return 0
  version=${version#1.}   # 1.8.0_x -> 8
  echo "${version%%[.+-]*}"
}

if [[ -n "${JAVA_HOME:-}" ]]; then
  major=$(major_of "$JAVA_HOME")
  if [[ -n "$major" && "$major" -ge $required ]]; then
    echo "$JAVA_HOME"
    exit 0
  fi
fi

candidates=()
for dir in /usr/lib/jvm/* /usr/java/* /usr/local/java/* /usr/local/*jdk* /opt/java/* /opt/*jdk* \
           "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
           /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [[ -d "$dir" ]] && candidates+=("$dir")
done
if command -v javac >/dev/null 2>&1; then
  candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
fi

best= best_major=0
for home in "${candidates[@]}"; do
  home=$(readlink -f "$home")
  major=$(major_of "$home")
  if [[ -n "$major" && "$major" -ge $required && "$major" -gt $best_major ]]; then
    best=$home best_major=$major
  fi
done

if [[ -n "$best" ]]; then
  echo "$best"
  exit 0
fi

{
  echo "No JDK $required or newer found (JAVA_HOME=${JAVA_HOME:-unset}; searched /usr/lib/jvm, /usr/java, /opt, ~/.sdkman, PATH)."
  echo "Install one: openjdk-21-jdk-headless (Ubuntu 24.04, Debian 13) or Eclipse Temurin 21+ (https://adoptium.net),"
  echo "then: export JAVA_HOME=/path/to/jdk-21-or-newer"
} >&2
exit 1
