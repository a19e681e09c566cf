#!/usr/bin/env bash
# Local development stack for aligntok: a real single-node KRaft Kafka broker and a real
# Apicurio Registry (Confluent-compatible API), both bound to 127.0.0.1 only.
# Run `scripts/stack.sh help` for usage, ports and environment variables.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
STACK_POM="$SCRIPT_DIR/stack/pom.xml"
KAFKA_LOG4J="$SCRIPT_DIR/stack/kafka-log4j2.properties"
TOOLS_LOG4J="$SCRIPT_DIR/stack/tools-log4j2.properties"

KAFKA_VERSION="4.1.1"                    # must match scripts/stack/pom.xml
APICURIO_V2_DEFAULT="2.6.13.Final"       # runs on Java 17+
APICURIO_V3_DEFAULT="3.3.3"              # needs Java 21+
DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

# ----------------------------------------------------------------------------- configuration
STACK_DIR="${ALIGNTOK_STACK_DIR:-$REPO_ROOT/.stack}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${REGISTRY_PORT:-8081}"
REGISTRY_MANAGEMENT_PORT="${REGISTRY_MANAGEMENT_PORT:-9001}"
APICURIO_VERSION="${APICURIO_VERSION:-auto}"
REGISTRY_STORAGE="${REGISTRY_STORAGE:-file}"
KAFKA_AUTO_CREATE_TOPICS="${KAFKA_AUTO_CREATE_TOPICS:-false}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g}"
KAFKA_JVM_OPTS="${KAFKA_JVM_OPTS:-}"
REGISTRY_HEAP_OPTS="${REGISTRY_HEAP_OPTS:--Xms128m -Xmx768m}"
REGISTRY_JVM_OPTS="${REGISTRY_JVM_OPTS:-}"
STACK_START_TIMEOUT="${STACK_START_TIMEOUT:-120}"
STACK_STOP_TIMEOUT="${STACK_STOP_TIMEOUT:-30}"
MVN="${MVN:-mvn}"
STACK_MVN_ARGS="${STACK_MVN_ARGS:-}"

usage() {
  cat <<EOF
Usage: scripts/stack.sh <command> [args]

Local development stack, everything bound to 127.0.0.1 only:
  kafka     single-node KRaft Apache Kafka ${KAFKA_VERSION} (broker+controller in one JVM),
            jars fetched from Maven Central via scripts/stack/pom.xml
  registry  Apicurio Registry (Confluent-compatible API under /apis/ccompat/v7),
            ${APICURIO_V3_DEFAULT} when a Java 21+ is found, otherwise ${APICURIO_V2_DEFAULT};
            global compatibility is set to BACKWARD on every start

Commands:
  start              fetch (first run only), start what is not running, wait until ready
  stop               stop exactly the processes started by this script (recorded PIDs:
                     SIGTERM, then SIGKILL after \$STACK_STOP_TIMEOUT s)
  restart            stop, then start
  status             running/stopped, PID and address per service;
                     exit 0 if everything runs, 3 otherwise
  logs [kafka|registry] [-f] [-n N]
                     show the last N (default 50) log lines; -f follows
  env [--export]     print KAFKA_BOOTSTRAP=... and SCHEMA_REGISTRY_URL=... lines
                     (e.g.  eval "\$(scripts/stack.sh env --export)")
  kafka <tool> [args]
                     run a Kafka CLI tool from the fetched jars; <tool> is one of
                     topics, console-producer, console-consumer, consumer-groups,
                     get-offsets, metadata-quorum, or a fully qualified main class, e.g.
                       scripts/stack.sh kafka topics --bootstrap-server 127.0.0.1:9092 --list
  reset              (stack must be stopped) delete Kafka data, registry data and logs;
                     downloaded jars are kept
  help, --help, -h   this text

Ports (defaults) and the variables that change them:
  Kafka PLAINTEXT listener    127.0.0.1:${KAFKA_PORT}   KAFKA_PORT (default 9092)
  Kafka KRaft controller      127.0.0.1:${KAFKA_CONTROLLER_PORT}   KAFKA_CONTROLLER_PORT (default 9093)
  Registry HTTP               127.0.0.1:${REGISTRY_PORT}   REGISTRY_PORT (default 8081)
  Registry management (3.x)   127.0.0.1:${REGISTRY_MANAGEMENT_PORT}   REGISTRY_MANAGEMENT_PORT (default 9001; health/metrics)

Other environment variables:
  ALIGNTOK_STACK_DIR       state, logs, PIDs and downloads (default: <repo>/.stack)
  APICURIO_VERSION         auto (default) | 3.3.3 | 2.6.13.Final | another published version
  REGISTRY_STORAGE         file (default: H2 database under the stack dir, survives restarts
                           like the Kafka data does) | mem (in-memory, empty after each start)
  REGISTRY_JAVA            java binary for the registry (default: first Java 21+ among
                           \$JAVA_HOME, PATH, /usr/lib/jvm/*; else the Kafka java)
  KAFKA_JAVA               java binary for Kafka (default: \$JAVA_HOME/bin/java, else java on PATH;
                           Java 17+)
  KAFKA_AUTO_CREATE_TOPICS auto.create.topics.enable (default false: create topics explicitly)
  KAFKA_HEAP_OPTS          default "-Xms256m -Xmx1g";  KAFKA_JVM_OPTS: extra JVM options
  REGISTRY_HEAP_OPTS       default "-Xms128m -Xmx768m"; REGISTRY_JVM_OPTS: extra JVM options
  STACK_START_TIMEOUT      seconds to wait for each service to become ready (default 120)
  STACK_STOP_TIMEOUT       seconds between SIGTERM and SIGKILL (default 30)
  MVN, STACK_MVN_ARGS      Maven binary (default mvn) and extra arguments (e.g. -o)

Layout of the stack dir:
  lib/kafka/               Kafka jars (from Maven)      kafka/data/      Kafka log.dirs
  registry/dist/<version>/ unpacked Apicurio            registry/data-<version>/  H2 files
  logs/                    kafka.log, registry.log, fetch.log (previous run: *.prev.log)
  pids/                    <service>.pid and <service>.info

Client settings:
  bootstrap servers    127.0.0.1:${KAFKA_PORT}
  schema.registry.url  http://127.0.0.1:${REGISTRY_PORT}/apis/ccompat/v7
EOF
}

# ----------------------------------------------------------------------------- helpers
log()  { printf '[stack] %s\n' "$*" >&2; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }

# PIDs started by the current `start`; stopped again if the start fails or is interrupted.
STARTED_SERVICES=()
# In the main shell an EXIT trap set by `start` rolls back; in $(...) subshells die just exits
# and `set -e` propagates the failure to the main shell.
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

rollback_started() {
  local i
  # newest first: the registry before Kafka
  for ((i = ${#STARTED_SERVICES[@]} - 1; i >= 0; i--)); do
    log "stopping ${STARTED_SERVICES[i]} again (started by this failed start)"
    stop_service "${STARTED_SERVICES[i]}" || true
  done
  STARTED_SERVICES=()
}

on_interrupt() {
  printf '\n' >&2
  warn "interrupted"
  exit 130          # the EXIT trap rolls back
}

on_start_exit() {
  local rc=$?
  ((rc == 0)) || rollback_started
  return "$rc"
}

check_port_var() { # name value
  if ! [[ "$2" =~ ^[1-9][0-9]{0,4}$ ]] || (("$2" > 65535)); then
    die "$1=$2 is not a valid port number"
  fi
}

validate_config() {
  check_port_var KAFKA_PORT "$KAFKA_PORT"
  check_port_var KAFKA_CONTROLLER_PORT "$KAFKA_CONTROLLER_PORT"
  check_port_var REGISTRY_PORT "$REGISTRY_PORT"
  check_port_var REGISTRY_MANAGEMENT_PORT "$REGISTRY_MANAGEMENT_PORT"
  local ports="$KAFKA_PORT $KAFKA_CONTROLLER_PORT $REGISTRY_PORT $REGISTRY_MANAGEMENT_PORT"
  if [ "$(tr ' ' '\n' <<<"$ports" | sort -u | wc -l)" -ne 4 ]; then
    die "ports must be distinct: KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT REGISTRY_PORT=$REGISTRY_PORT REGISTRY_MANAGEMENT_PORT=$REGISTRY_MANAGEMENT_PORT"
  fi
  case "$REGISTRY_STORAGE" in file|mem) ;; *) die "REGISTRY_STORAGE must be 'file' or 'mem' (got '$REGISTRY_STORAGE')";; esac
  case "$KAFKA_AUTO_CREATE_TOPICS" in true|false) ;; *) die "KAFKA_AUTO_CREATE_TOPICS must be true or false";; esac
}

init_dirs() {
  mkdir -p "$STACK_DIR"
  STACK_DIR="$(cd "$STACK_DIR" && pwd)"
  LIB_DIR="$STACK_DIR/lib/kafka"
  KAFKA_DIR="$STACK_DIR/kafka"
  REGISTRY_DIR="$STACK_DIR/registry"
  LOG_DIR="$STACK_DIR/logs"
  PID_DIR="$STACK_DIR/pids"
  mkdir -p "$KAFKA_DIR" "$REGISTRY_DIR" "$LOG_DIR" "$PID_DIR" "$STACK_DIR/lib"
  # make the whole stack dir invisible to git even without a root .gitignore entry
  [ -f "$STACK_DIR/.gitignore" ] || printf '# created by scripts/stack.sh\n*\n' >"$STACK_DIR/.gitignore"
}

# 0 if something accepts TCP connections on 127.0.0.1:<port>
port_open() {
  if command -v timeout >/dev/null 2>&1; then
    timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# major version of a java binary (0 if it does not run)
java_major() {
  local v
  v="$("$1" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')" || true
  case "$v" in
    "") echo 0 ;;
    1.*) v="${v#1.}"; echo "${v%%.*}" ;;
    *) echo "${v%%[.+-]*}" ;;
  esac
}

kafka_java() {
  local j
  if [ -n "${KAFKA_JAVA:-}" ]; then j="$KAFKA_JAVA"
  elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then j="$JAVA_HOME/bin/java"
  else j="$(command -v java || true)"; fi
  [ -n "$j" ] || die "no java found: install a JDK 17+ or set JAVA_HOME / KAFKA_JAVA"
  local m; m="$(java_major "$j")"
  ((m >= 17)) || die "Kafka $KAFKA_VERSION needs Java 17+, but $j is version '$m' (set JAVA_HOME or KAFKA_JAVA)"
  printf '%s\n' "$j"
}

# prints the path of a Java 21+ binary, or nothing
find_java21() {
  local c m best="" bestm=0
  local -a cands=()
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME/bin/java")
  c="$(command -v java || true)"; [ -n "$c" ] && cands+=("$c")
  for c in /usr/lib/jvm/*/bin/java /Library/Java/JavaVirtualMachines/*/Contents/Home/bin/java; do
    [ -x "$c" ] && cands+=("$c")
  done
  for c in "${cands[@]}"; do
    [ -x "$c" ] || continue
    m="$(java_major "$c")"
    if ((m >= 21)); then
      # JAVA_HOME / PATH win if they qualify; among /usr/lib/jvm pick the newest
      case "$c" in /usr/lib/jvm/*|/Library/*) ;; *) printf '%s\n' "$c"; return 0 ;; esac
      if ((m > bestm)); then best="$c"; bestm="$m"; fi
    fi
  done
  [ -n "$best" ] && printf '%s\n' "$best"
  return 0
}

# sets REG_VERSION and REG_JAVA
resolve_registry() {
  local j21=""
  if [ -n "${REGISTRY_JAVA:-}" ]; then
    [ -x "$REGISTRY_JAVA" ] || die "REGISTRY_JAVA=$REGISTRY_JAVA is not executable"
    j21="$REGISTRY_JAVA"
    (($(java_major "$j21") >= 21)) || j21=""
  else
    j21="$(find_java21)"
  fi
  case "$APICURIO_VERSION" in
    auto|"")
      if [ -n "$j21" ]; then REG_VERSION="$APICURIO_V3_DEFAULT"; REG_JAVA="$j21"
      else REG_VERSION="$APICURIO_V2_DEFAULT"; REG_JAVA="${REGISTRY_JAVA:-$(kafka_java)}"; fi ;;
    1.*|2.*)
      REG_VERSION="$APICURIO_VERSION"; REG_JAVA="${REGISTRY_JAVA:-$(kafka_java)}" ;;
    *)
      REG_VERSION="$APICURIO_VERSION"
      [ -n "$j21" ] || die "Apicurio Registry $REG_VERSION needs Java 21+ and none was found (set REGISTRY_JAVA or JAVA_HOME, or use APICURIO_VERSION=$APICURIO_V2_DEFAULT)"
      REG_JAVA="$j21" ;;
  esac
}

reg_major() { printf '%s\n' "${1%%.*}"; }

# ----------------------------------------------------------------------------- pid bookkeeping
pid_file()  { printf '%s/%s.pid\n' "$PID_DIR" "$1"; }
info_file() { printf '%s/%s.info\n' "$PID_DIR" "$1"; }

# 0 if <pid> exists and is not a zombie (an exited JVM not yet reaped by its new parent)
pid_alive() {
  local st
  kill -0 "$1" 2>/dev/null || return 1
  st="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
  [[ -n "$st" && "$st" != *Z* ]]
}

# 0 if <pid> is alive and is the JVM we started for <service> in this stack dir
pid_is_ours() { # service pid
  local args
  pid_alive "$2" || return 1
  args="$(ps -ww -o args= -p "$2" 2>/dev/null)" || return 1
  [[ "$args" == *"-Daligntok.stack.service=$1 "* && "$args" == *"-Daligntok.stack.dir=$STACK_DIR "* ]]
}

# prints the PID if the service runs; cleans stale pid files
running_pid() { # service
  local f pid
  f="$(pid_file "$1")"
  [ -f "$f" ] || return 1
  pid="$(tr -dc '0-9' <"$f")"
  if [ -n "$pid" ] && pid_is_ours "$1" "$pid"; then
    printf '%s\n' "$pid"
    return 0
  fi
  if [ -n "$pid" ] && pid_alive "$pid"; then
    warn "stale pid file $f: PID $pid now belongs to another process; ignoring it"
  fi
  rm -f "$f" "$(info_file "$1")"
  return 1
}

info_get() { # service key
  local f; f="$(info_file "$1")"
  [ -f "$f" ] && sed -n "s/^$2=//p" "$f" | head -n1
  return 0
}

stop_service() { # service
  local svc="$1" pid i
  if ! pid="$(running_pid "$svc")"; then
    log "$svc: not running"
    return 0
  fi
  log "$svc: stopping PID $pid (SIGTERM) …"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STACK_STOP_TIMEOUT * 5; i++)); do
    pid_alive "$pid" || break
    sleep 0.2
  done
  if pid_alive "$pid"; then
    warn "$svc: PID $pid still alive after ${STACK_STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      pid_alive "$pid" || break
      sleep 0.2
    done
  fi
  if pid_alive "$pid"; then
    printf '[stack] ERROR: %s: PID %s did not exit\n' "$svc" "$pid" >&2
    return 1
  fi
  rm -f "$(pid_file "$svc")" "$(info_file "$svc")"
  log "$svc: stopped"
}

# ----------------------------------------------------------------------------- fetching
run_mvn() { # description, args...
  local what="$1"; shift
  command -v "$MVN" >/dev/null 2>&1 || die "Maven ('$MVN') not found; install Maven 3.8+ or set MVN"
  local -a extra=()
  [ -n "$STACK_MVN_ARGS" ] && read -r -a extra <<<"$STACK_MVN_ARGS"
  {
    printf '\n===== %s: %s\n' "$(date '+%F %T')" "$what"
  } >>"$LOG_DIR/fetch.log"
  if ! "$MVN" -B -ntp -f "$STACK_POM" ${extra[@]+"${extra[@]}"} "$@" >>"$LOG_DIR/fetch.log" 2>&1; then
    tail -n 25 "$LOG_DIR/fetch.log" >&2 || true
    die "$what failed (Maven output: $LOG_DIR/fetch.log)"
  fi
}

pom_stamp() { cksum <"$STACK_POM" | awk '{print $1 "-" $2}'; }

ensure_kafka_jars() {
  local stamp; stamp="kafka=$KAFKA_VERSION pom=$(pom_stamp)"
  if [ -f "$LIB_DIR/.complete" ] && [ "$(cat "$LIB_DIR/.complete")" = "$stamp" ]; then
    return 0
  fi
  log "fetching Kafka $KAFKA_VERSION jars via Maven (first run only) …"
  rm -rf "$LIB_DIR.tmp"
  run_mvn "fetching Kafka jars" "$DEP_PLUGIN:copy-dependencies" \
    -DoutputDirectory="$LIB_DIR.tmp" -DincludeScope=runtime
  ls "$LIB_DIR.tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || die "Kafka jars missing after Maven run (see $LOG_DIR/fetch.log)"
  printf '%s\n' "$stamp" >"$LIB_DIR.tmp/.complete"
  rm -rf "$LIB_DIR"
  mv "$LIB_DIR.tmp" "$LIB_DIR"
  local -a jars=("$LIB_DIR"/*.jar)
  log "Kafka jars in $LIB_DIR (${#jars[@]} jars)"
}

registry_dist() { printf '%s/dist/%s\n' "$REGISTRY_DIR" "$1"; }

ensure_registry_dist() { # version
  local v="$1" dist tmp dl
  dist="$(registry_dist "$v")"
  [ -f "$dist/.complete" ] && return 0
  log "fetching Apicurio Registry $v (io.apicurio:apicurio-registry-app:tar.gz:all, ~150 MB) via Maven (first run only) …"
  dl="$REGISTRY_DIR/download"
  tmp="$dist.tmp"
  rm -rf "$dl" "$tmp"
  mkdir -p "$dl" "$tmp"
  run_mvn "fetching Apicurio Registry $v" "$DEP_PLUGIN:copy" \
    -Dartifact="io.apicurio:apicurio-registry-app:$v:tar.gz:all" -DoutputDirectory="$dl"
  log "unpacking Apicurio Registry $v …"
  tar -xzf "$dl/apicurio-registry-app-$v-all.tar.gz" -C "$tmp" || die "could not unpack $dl/apicurio-registry-app-$v-all.tar.gz"
  rm -rf "$dl"
  if [ ! -f "$tmp/quarkus-run.jar" ] && [ ! -f "$tmp/apicurio-registry-app-$v-runner.jar" ]; then
    die "unexpected layout of apicurio-registry-app $v (no quarkus-run.jar / *-runner.jar in $tmp)"
  fi
  date '+%F %T' >"$tmp/.complete"
  rm -rf "$dist"
  mv "$tmp" "$dist"
}

# ----------------------------------------------------------------------------- kafka
write_server_properties() {
  cat >"$KAFKA_DIR/server.properties" <<EOF
# generated by scripts/stack.sh on every start -- edits are overwritten
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${KAFKA_DIR}/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=${KAFKA_AUTO_CREATE_TOPICS}
delete.topic.enable=true
EOF
}

format_kafka_storage() {
  local java="$1" cid
  [ -f "$KAFKA_DIR/data/meta.properties" ] && return 0
  log "formatting Kafka storage in $KAFKA_DIR/data (first run only) …"
  cid="$("$java" -Dlog4j2.configurationFile="$TOOLS_LOG4J" -cp "$LIB_DIR/*" kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka-format.log" | tail -n1)" \
    || die "kafka.tools.StorageTool random-uuid failed (see $LOG_DIR/kafka-format.log)"
  [ -n "$cid" ] || die "kafka.tools.StorageTool random-uuid printed nothing (see $LOG_DIR/kafka-format.log)"
  "$java" -Dlog4j2.configurationFile="$TOOLS_LOG4J" -cp "$LIB_DIR/*" kafka.tools.StorageTool \
    format -t "$cid" -c "$KAFKA_DIR/server.properties" >>"$LOG_DIR/kafka-format.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/kafka-format.log" >&2; die "formatting Kafka storage failed (see $LOG_DIR/kafka-format.log)"; }
}

rotate_log() { # file
  [ -f "$1" ] && mv -f "$1" "${1%.log}.prev.log"
  return 0
}

fail_startup() { # service pid logfile message
  local svc="$1" pid="$2" logf="$3" msg="$4"
  if [ -f "$logf" ]; then
    printf '[stack] ---- last lines of %s ----\n' "$logf" >&2
    tail -n 30 "$logf" >&2 || true
    printf '[stack] ----\n' >&2
  fi
  die "$svc: $msg (full log: $logf)"
}

start_kafka() {
  local pid java
  if pid="$(running_pid kafka)"; then
    log "kafka: already running (PID $pid) on 127.0.0.1:$(info_get kafka port)"
    return 0
  fi
  java="$(kafka_java)"
  ensure_kafka_jars
  write_server_properties
  format_kafka_storage "$java"

  rotate_log "$LOG_DIR/kafka.log"
  rotate_log "$LOG_DIR/kafka-stdout.log"
  local -a heap=() extra=()
  read -r -a heap <<<"$KAFKA_HEAP_OPTS"
  [ -n "$KAFKA_JVM_OPTS" ] && read -r -a extra <<<"$KAFKA_JVM_OPTS"
  log "kafka: starting broker+controller (Kafka $KAFKA_VERSION, $java) …"
  # nohup execs java, so $! is the JVM's own PID
  nohup "$java" ${heap[@]+"${heap[@]}"} -XX:+UseG1GC -Djava.awt.headless=true \
    -Daligntok.stack.service=kafka -Daligntok.stack.dir="$STACK_DIR" \
    -Dkafka.logs.dir="$LOG_DIR" -Dlog4j2.configurationFile="$KAFKA_LOG4J" \
    ${extra[@]+"${extra[@]}"} \
    -cp "$LIB_DIR/*" kafka.Kafka "$KAFKA_DIR/server.properties" \
    >"$LOG_DIR/kafka-stdout.log" 2>&1 </dev/null &
  pid=$!
  printf '%s\n' "$pid" >"$(pid_file kafka)"
  printf 'port=%s\ncontroller_port=%s\nversion=%s\njava=%s\n' \
    "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_VERSION" "$java" >"$(info_file kafka)"
  STARTED_SERVICES+=(kafka)

  log "kafka: waiting for broker on 127.0.0.1:$KAFKA_PORT (timeout ${STACK_START_TIMEOUT}s) …"
  local t0=$SECONDS
  while :; do
    if ! pid_alive "$pid"; then
      local lf="$LOG_DIR/kafka.log"
      [ -s "$LOG_DIR/kafka-stdout.log" ] && lf="$LOG_DIR/kafka-stdout.log"
      fail_startup kafka "$pid" "$lf" "the broker JVM (PID $pid) exited during startup"
    fi
    if grep -q 'Kafka Server started' "$LOG_DIR/kafka.log" 2>/dev/null && port_open "$KAFKA_PORT"; then
      break
    fi
    if ((SECONDS - t0 >= STACK_START_TIMEOUT)); then
      fail_startup kafka "$pid" "$LOG_DIR/kafka.log" "not ready after ${STACK_START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  pid_is_ours kafka "$pid" || fail_startup kafka "$pid" "$LOG_DIR/kafka.log" "PID $pid is not the broker JVM"
  log "kafka: ready on 127.0.0.1:$KAFKA_PORT (PID $pid, $((SECONDS - t0))s)"
}

# ----------------------------------------------------------------------------- registry
REG_CT='application/vnd.schemaregistry.v1+json'

http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" 2>/dev/null || true; }

set_registry_compat() { # port
  local base="http://127.0.0.1:$1/apis/ccompat/v7" out
  out="$(curl -sS --max-time 10 -X PUT -H "Content-Type: $REG_CT" -H "Accept: $REG_CT" \
    --data '{"compatibility":"BACKWARD"}' "$base/config" 2>&1)" || return 1
  out="$(curl -sS --max-time 10 -H "Accept: $REG_CT" "$base/config" 2>&1)" || return 1
  [[ "$out" == *BACKWARD* ]] || { warn "GET $base/config returned: $out"; return 1; }
}

start_registry() {
  local pid
  if pid="$(running_pid registry)"; then
    log "registry: already running (PID $pid, Apicurio $(info_get registry version)) on http://127.0.0.1:$(info_get registry port)"
    return 0
  fi
  command -v curl >/dev/null 2>&1 || die "curl is required (readiness check and compatibility setup)"
  resolve_registry
  ensure_registry_dist "$REG_VERSION"
  local dist datadir
  dist="$(registry_dist "$REG_VERSION")"
  datadir="$REGISTRY_DIR/data-$REG_VERSION"
  mkdir -p "$datadir"

  local -a props=(
    -Daligntok.stack.service=registry -Daligntok.stack.dir="$STACK_DIR"
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT"
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT"
    -Dquarkus.log.console.color=false
  )
  local jar url=""
  [ "$REGISTRY_STORAGE" = file ] && url="jdbc:h2:file:$datadir/registry"
  if [ -f "$dist/quarkus-run.jar" ]; then
    jar="quarkus-run.jar"            # 3.x layout: quarkus-run.jar + app/ lib/ quarkus/
    [ -n "$url" ] && props+=(-Dapicurio.datasource.url="$url")
    props+=(-Dapicurio.storage.snapshot.location="$datadir")
  else
    jar="apicurio-registry-app-$REG_VERSION-runner.jar"   # 2.x layout: *-runner.jar + lib/
    [ -n "$url" ] && props+=(-Dquarkus.datasource.jdbc.url="$url")
  fi

  rotate_log "$LOG_DIR/registry.log"
  local -a heap=() extra=()
  read -r -a heap <<<"$REGISTRY_HEAP_OPTS"
  [ -n "$REGISTRY_JVM_OPTS" ] && read -r -a extra <<<"$REGISTRY_JVM_OPTS"
  log "registry: starting Apicurio Registry $REG_VERSION ($REG_JAVA, storage=$REGISTRY_STORAGE) …"
  (
    cd "$dist"
    exec nohup "$REG_JAVA" ${heap[@]+"${heap[@]}"} -Djava.awt.headless=true "${props[@]}" \
      ${extra[@]+"${extra[@]}"} -jar "$jar" >"$LOG_DIR/registry.log" 2>&1 </dev/null
  ) &
  pid=$!
  printf '%s\n' "$pid" >"$(pid_file registry)"
  printf 'port=%s\nmanagement_port=%s\nversion=%s\njava=%s\nstorage=%s\n' \
    "$REGISTRY_PORT" "$REGISTRY_MANAGEMENT_PORT" "$REG_VERSION" "$REG_JAVA" "$REGISTRY_STORAGE" >"$(info_file registry)"
  STARTED_SERVICES+=(registry)

  local probe="http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects"
  log "registry: waiting for $probe (timeout ${STACK_START_TIMEOUT}s) …"
  local t0=$SECONDS
  while :; do
    pid_alive "$pid" || fail_startup registry "$pid" "$LOG_DIR/registry.log" "the registry JVM (PID $pid) exited during startup"
    [ "$(http_code "$probe")" = 200 ] && break
    if ((SECONDS - t0 >= STACK_START_TIMEOUT)); then
      fail_startup registry "$pid" "$LOG_DIR/registry.log" "not ready after ${STACK_START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  pid_is_ours registry "$pid" || fail_startup registry "$pid" "$LOG_DIR/registry.log" "PID $pid is not the registry JVM"
  set_registry_compat "$REGISTRY_PORT" || fail_startup registry "$pid" "$LOG_DIR/registry.log" "could not set global compatibility to BACKWARD"
  log "registry: ready on http://127.0.0.1:$REGISTRY_PORT (Apicurio $REG_VERSION, PID $pid, $((SECONDS - t0))s; global compatibility BACKWARD)"
}

# ----------------------------------------------------------------------------- commands
port_conflict() { # port varname description
  die "port $1 ($3) on 127.0.0.1 is already in use by another process; stop it or choose another port with $2=<port>"
}

cmd_start() {
  trap on_interrupt INT TERM
  trap on_start_exit EXIT
  local t0=$SECONDS kafka_up=0 reg_up=0
  running_pid kafka >/dev/null && kafka_up=1
  running_pid registry >/dev/null && reg_up=1
  # check every port we are about to bind before starting anything
  if ((!kafka_up)); then
    port_open "$KAFKA_PORT" && port_conflict "$KAFKA_PORT" KAFKA_PORT "Kafka listener"
    port_open "$KAFKA_CONTROLLER_PORT" && port_conflict "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT "Kafka controller"
  fi
  if ((!reg_up)); then
    port_open "$REGISTRY_PORT" && port_conflict "$REGISTRY_PORT" REGISTRY_PORT "registry HTTP"
    port_open "$REGISTRY_MANAGEMENT_PORT" && port_conflict "$REGISTRY_MANAGEMENT_PORT" REGISTRY_MANAGEMENT_PORT "registry management"
  fi
  start_kafka
  start_registry
  STARTED_SERVICES=()
  trap - INT TERM EXIT
  log "stack is up ($((SECONDS - t0))s). Stack dir: $STACK_DIR"
  cmd_env >&2
}

cmd_stop() {
  local rc=0
  stop_service registry || rc=1
  stop_service kafka || rc=1
  return "$rc"
}

cmd_status() {
  local pid all=0 p cp v mp
  if pid="$(running_pid kafka)"; then
    p="$(info_get kafka port)"; cp="$(info_get kafka controller_port)"
    local note=""; port_open "$p" || note="  (not accepting connections)"
    printf '%-9s running  PID %-8s 127.0.0.1:%s (controller 127.0.0.1:%s, Kafka %s)%s\n' \
      kafka "$pid" "$p" "$cp" "$(info_get kafka version)" "$note"
  else
    printf '%-9s stopped\n' kafka; all=3
  fi
  if pid="$(running_pid registry)"; then
    p="$(info_get registry port)"; mp="$(info_get registry management_port)"; v="$(info_get registry version)"
    local note="" mgmt=""
    [ "$(http_code "http://127.0.0.1:$p/apis/ccompat/v7/subjects")" = 200 ] || note="  (not answering HTTP)"
    [ "$(reg_major "$v")" -ge 3 ] 2>/dev/null && mgmt=", management 127.0.0.1:$mp"
    printf '%-9s running  PID %-8s http://127.0.0.1:%s/apis/ccompat/v7 (Apicurio %s%s, storage %s)%s\n' \
      registry "$pid" "$p" "$v" "$mgmt" "$(info_get registry storage)" "$note"
  else
    printf '%-9s stopped\n' registry; all=3
  fi
  return "$all"
}

cmd_env() {
  local kp="$KAFKA_PORT" rp="$REGISTRY_PORT" prefix=""
  [ "${1:-}" = "--export" ] && prefix="export "
  running_pid kafka >/dev/null 2>&1 && kp="$(info_get kafka port)"
  running_pid registry >/dev/null 2>&1 && rp="$(info_get registry port)"
  printf '%sKAFKA_BOOTSTRAP=127.0.0.1:%s\n' "$prefix" "$kp"
  printf '%sSCHEMA_REGISTRY_URL=http://127.0.0.1:%s/apis/ccompat/v7\n' "$prefix" "$rp"
}

cmd_logs() {
  local follow=0 n=50 which="all"
  while (($#)); do
    case "$1" in
      -f|--follow) follow=1 ;;
      -n) shift; n="${1:?-n needs a number}" ;;
      kafka|registry|all) which="$1" ;;
      *) die "logs: unknown argument '$1' (use: logs [kafka|registry] [-f] [-n N])" ;;
    esac
    shift
  done
  local -a files=()
  case "$which" in
    kafka) files=("$LOG_DIR/kafka.log" "$LOG_DIR/kafka-stdout.log") ;;
    registry) files=("$LOG_DIR/registry.log") ;;
    all) files=("$LOG_DIR/kafka.log" "$LOG_DIR/kafka-stdout.log" "$LOG_DIR/registry.log") ;;
  esac
  local -a existing=()
  local f
  for f in "${files[@]}"; do [ -f "$f" ] && existing+=("$f"); done
  if ((${#existing[@]} == 0)); then
    log "no log files yet in $LOG_DIR"
    return 0
  fi
  if ((follow)); then
    exec tail -n "$n" -F "${existing[@]}"
  fi
  tail -n "$n" "${existing[@]}"
}

cmd_kafka_tool() {
  (($#)) || die "usage: stack.sh kafka <topics|console-producer|console-consumer|consumer-groups|get-offsets|metadata-quorum|MAIN_CLASS> [args]"
  local tool="$1" cls; shift
  case "$tool" in
    topics) cls=org.apache.kafka.tools.TopicCommand ;;
    console-producer) cls=org.apache.kafka.tools.ConsoleProducer ;;
    console-consumer) cls=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
    consumer-groups) cls=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
    get-offsets) cls=org.apache.kafka.tools.GetOffsetShell ;;
    metadata-quorum) cls=org.apache.kafka.tools.MetadataQuorumCommand ;;
    *.*) cls="$tool" ;;
    *) die "unknown Kafka tool '$tool'" ;;
  esac
  local java; java="$(kafka_java)"
  ensure_kafka_jars
  exec "$java" -Dlog4j2.configurationFile="$TOOLS_LOG4J" -cp "$LIB_DIR/*" "$cls" "$@"
}

cmd_reset() {
  if running_pid kafka >/dev/null || running_pid registry >/dev/null; then
    die "the stack is running; run 'scripts/stack.sh stop' first"
  fi
  log "deleting $KAFKA_DIR, $REGISTRY_DIR/data-*, $LOG_DIR (downloads are kept)"
  rm -rf "$KAFKA_DIR" "$REGISTRY_DIR"/data-* "$LOG_DIR"
  mkdir -p "$KAFKA_DIR" "$LOG_DIR"
}

main() {
  local cmd="${1:-help}"
  (($#)) && shift
  case "$cmd" in
    help|-h|--help) usage; return 0 ;;
  esac
  validate_config
  init_dirs
  case "$cmd" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_stop; cmd_start ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    env) cmd_env "$@" ;;
    kafka) cmd_kafka_tool "$@" ;;
    reset) cmd_reset ;;
    *) printf '[stack] unknown command: %s\n\n' "$cmd" >&2; usage >&2; return 2 ;;
  esac
}

main "$@"
