#!/usr/bin/env bash
# Runs the pipeline benchmark (dev.aligntok.stream.bench.PipelineBench) from the built stream-app.
# Build first:  mvn -o -q -B -ntp -pl stream-app -am package -DskipTests
# ONNX Runtime crashes the JVM when java.class.path is very long, so the classpath goes through a
# pathing jar (a manifest Class-Path), as ./quickstart does.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
TARGET="$ROOT/stream-app/target"
APP_JAR="$(ls "$TARGET"/aligntok-stream-app-*.jar | grep -v -e sources -e tests | head -1)"
CP_FILE="$TARGET/bench-classpath.txt"
JAR="$TARGET/bench-classpath.jar"
if [[ ! -s "$CP_FILE" || "$CP_FILE" -ot stream-app/pom.xml ]]; then
  # In the same reactor as `package`, so the project's own modules resolve to their target/ jars
  # (what was just built), not to whatever an earlier `mvn install` left in ~/.m2.
  mvn -o -q -B -ntp -pl stream-app -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$CP_FILE" >/dev/null
fi
if [[ ! -s "$JAR" || "$JAR" -ot "$CP_FILE" || "$JAR" -ot "$APP_JAR" ]]; then
  urls=""
  while IFS= read -r entry; do
    [[ -n "$entry" ]] && urls+=" file://${entry// /%20}"
  done < <(printf '%s\n' "$APP_JAR"; tr ':' '\n' < "$CP_FILE")
  { printf 'Manifest-Version: 1.0\n'
    printf 'Class-Path:%s\n' "$urls" | fold -b -w 70 | sed '1!s/^/ /'
  } > "$TARGET/bench-MANIFEST.MF"
  jar --create --file "$JAR" --manifest "$TARGET/bench-MANIFEST.MF"
fi
exec java ${BENCH_JAVA_OPTS:-} -Daligntok.bench.command="scripts/pipeline-bench.sh $*" \
  -cp "$JAR" dev.aligntok.stream.bench.PipelineBench "$@"
