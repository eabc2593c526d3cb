#!/usr/bin/env bash
# Real peers for the Kafka tests, without Docker:
#   kafka     Apache Kafka 3.9.1, single-node KRaft (broker + controller),
#             127.0.0.1:9092 (PLAINTEXT) and 127.0.0.1:9093 (CONTROLLER)
#   registry  Apicurio Registry 3.x, Confluent-compatible API at
#             http://127.0.0.1:8085/apis/ccompat/v7 (management interface on 127.0.0.1:9005)
#
# Usage: scripts/services.sh up|down|status|install|restart [kafka|registry ...]   (no names: both)
#   install only downloads (e.g. to warm a CI cache); up installs when needed, then starts.
#   restart kafka stops the broker this script started and starts it again on the same data (the
#   "broker restarted mid-run" test); a broker it did not start is left alone (an error).
#
# The first `up` downloads both from Maven Central (needs java >= 17 and mvn; installed with apt
# when missing) into $SLUICE_SVC_DIR (default: <repo>/.svc, git-ignored): the Maven repository
# (m2/), the installs, logs/ and the <name>.pid files. Later runs reuse the cache.
#
# Both services start empty every time they are started: Kafka gets a freshly formatted data dir
# (kafka-data/, kept after `down` for post-mortems, wiped at the next start) and the registry keeps
# its schemas in an in-memory H2 database. `up` of a service that is already running and healthy
# does nothing, so several test sessions can share one instance; `down` stops only the process
# whose pid this script recorded.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
svc="${SLUICE_SVC_DIR:-$root/.svc}"
kafka_version="3.9.1"
# Tried in order (see install_registry): the newest first, then the newest on Central that runs on
# Java 17 (Central has only 3.0.9, 3.3.2 and 3.3.3 of the 3.x line).
apicurio_versions=(3.3.3 3.3.2 3.0.9)
all_services=(kafka registry)

log() { echo "services: $*"; }
die() {
  echo "services: error: $*" >&2
  exit 1
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# step LABEL CMD...: runs CMD and prints how long it took.
step() {
  local label=$1 t0
  shift
  t0=$(now)
  "$@"
  log "$label ($(since "$t0"))"
}

# ---- tools -------------------------------------------------------------------------------------

ensure_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
  command -v mvn >/dev/null 2>&1 || missing+=(maven)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  command -v kcat >/dev/null 2>&1 || missing+=(kcat)
  if ((${#missing[@]})); then
    log "installing ${missing[*]} (apt)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"
  fi
  find_java 17 >/dev/null || die "Kafka and Apicurio Registry 3 need Java 17 or newer"
}

# mvn_quiet LOGFILE ARGS...: Maven with the project-private repository; output goes to LOGFILE.
mvn_quiet() {
  local logfile=$1
  shift
  (cd "$svc" && mvn -B -ntp -Dmaven.repo.local="$svc/m2" "$@") >"$logfile" 2>&1
}

# ---- processes ---------------------------------------------------------------------------------

pid_of() {
  [ -s "$svc/$1.pid" ] && cat "$svc/$1.pid"
}

# alive NAME: the recorded pid exists and is really our service. Every service gets the marker
# -Dsluice.svc=NAME on its command line, so a recycled pid is never mistaken for it.
alive() {
  local pid
  pid=$(pid_of "$1") || return 1
  grep -qaF -- "-Dsluice.svc=$1" "/proc/$pid/cmdline" 2>/dev/null
}

# launch NAME CMD...: starts CMD in the background with its output in logs/NAME.log and its pid in
# NAME.pid. setsid puts it in a session of its own, so the service outlives the shell, CI step or
# pytest process that ran `up` even when that one's process group is killed.
launch() {
  local name=$1 pidfile="$svc/$1.pid" i
  shift
  rm -f "$pidfile"
  # The inner shell writes its own pid and then execs the service, so the pid is the JVM's.
  # 9>&- : the service must not inherit the lock of `up` (see main), or it would hold it forever.
  setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@" \
    </dev/null >"$svc/logs/$name.log" 2>&1 9>&- &
  for ((i = 0; i < 100; i++)); do
    [ -s "$pidfile" ] && return 0
    sleep 0.1
  done
  die "$name: no pid file after 10 s"
}

# wait_ready NAME SECONDS: polls probe_NAME (itself bounded to ~2 s) every 0.5 s while the process
# lives, for at most SECONDS.
wait_ready() {
  local name=$1 deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    "probe_$name" && return 0
    if ! alive "$name"; then
      echo "services: $name exited while starting; end of $svc/logs/$name.log:" >&2
      tail -n 40 "$svc/logs/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  echo "services: $name not ready after $2 s; end of $svc/logs/$name.log:" >&2
  tail -n 40 "$svc/logs/$name.log" >&2 || true
  return 1
}

# stop NAME: SIGTERM to the recorded pid, a bounded wait for a clean exit, then SIGKILL.
stop() {
  local name=$1 pid i
  if ! alive "$name"; then
    rm -f "$svc/$name.pid"
    log "$name is not running"
    return 0
  fi
  pid=$(pid_of "$name")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 120; i++)); do
    alive "$name" || break
    sleep 0.5
  done
  if alive "$name"; then
    log "$name (pid $pid) still running after 60 s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do
      alive "$name" || break
      sleep 0.5
    done
  fi
  alive "$name" && die "$name (pid $pid) does not exit"
  rm -f "$svc/$name.pid"
  log "$name stopped (pid $pid)"
}

# ---- kafka -------------------------------------------------------------------------------------

kafka_home() { echo "$svc/kafka-$kafka_version"; }

probe_kafka() {
  local out
  # A refused connection fails at once here, while kcat would retry for its whole -m timeout.
  (exec 3<>/dev/tcp/127.0.0.1/9092) 2>/dev/null || return 1
  out=$(kcat -b 127.0.0.1:9092 -L -m 2 2>/dev/null) || return 1
  [[ $out == *"broker 1 at 127.0.0.1:9092"* ]]
}

install_kafka() {
  local home tmp
  home=$(kafka_home)
  [ -f "$home/.installed" ] && return 0
  tmp="$home.partial"
  rm -rf "$tmp"
  mvn_quiet "$svc/logs/mvn-kafka.log" -f "$root/services/kafka/pom.xml" \
    -Dkafka.version="$kafka_version" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$tmp/libs" ||
    die "Maven could not fetch Kafka $kafka_version; see $svc/logs/mvn-kafka.log"
  rm -rf "$home"
  mv "$tmp" "$home"
  touch "$home/.installed"
}

kafka_java_opts=(-Djava.awt.headless=true -XX:+UseG1GC -XX:MaxGCPauseMillis=20)

format_kafka() {
  local home data cluster_id
  home=$(kafka_home)
  data="$svc/kafka-data"
  rm -rf "$data"
  sed "s|@DATA_DIR@|$data|" "$root/services/kafka/server.properties.in" >"$home/server.properties"
  # A cluster id is 16 random bytes in URL-safe base64 without padding (what `random-uuid` prints);
  # making it here saves a JVM start.
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  "$(find_java 17)" "${kafka_java_opts[@]}" -Xmx256m \
    "-Dlog4j.configuration=file:$root/services/kafka/log4j.properties" \
    -cp "$home/libs/*" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$home/server.properties" >"$svc/logs/kafka-format.log" 2>&1 ||
    die "formatting $data failed; see $svc/logs/kafka-format.log"
}

start_kafka() {
  local home
  home=$(kafka_home)
  launch kafka "$(find_java 17)" -Dsluice.svc=kafka "${kafka_java_opts[@]}" -Xms512m -Xmx1g \
    "-Dlog4j.configuration=file:$root/services/kafka/log4j.properties" \
    -cp "$home/libs/*" kafka.Kafka "$home/server.properties"
  wait_ready kafka 120 || die "kafka did not start"
}

# ---- registry (Apicurio) -----------------------------------------------------------------------

registry_url="http://127.0.0.1:8085/apis/ccompat/v7"

probe_registry() {
  curl -fsS -m 2 -o /dev/null "$registry_url/subjects" 2>/dev/null
}

# Apicurio 3.2 and later are compiled for Java 21 (app/pom.xml maven.compiler.release), while
# Debian 12 only packages Java 17. So 3.3.3 is used when some Java >= 21 is installed (e.g. a
# Temurin JDK under /usr/lib/jvm), 3.0.9 on Java 17 otherwise. SLUICE_APICURIO_VERSION pins one.
if [ -n "${SLUICE_APICURIO_VERSION:-}" ]; then
  apicurio_versions=("$SLUICE_APICURIO_VERSION")
fi
java_needed_by() {
  case $1 in
  3.0.* | 3.1.*) echo 17 ;;
  *) echo 21 ;;
  esac
}

# java_major JAVA: the feature version (17, 21, ...). Reads the JDK's `release` file when there is
# one, which is much quicker than starting a JVM for `java -version`.
java_major() {
  local home version=""
  home=$(dirname "$(dirname "$(readlink -f "$1")")")
  if [ -f "$home/release" ]; then
    version=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$home/release")
  fi
  [ -n "$version" ] || version=$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

# find_java MIN: prints a java executable of at least version MIN ($JAVA_HOME, PATH, /usr/lib/jvm).
find_java() {
  local candidate major
  local candidates=(${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)"
    /usr/lib/jvm/*/bin/java)
  for candidate in "${candidates[@]}"; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [[ $major =~ ^[0-9]+$ ]] && ((major >= $1)); then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# central_get PATH DEST: one file from Maven Central over HTTPS, checked against its .sha1. Only a
# fallback for fetch_apicurio: 3.0.9's archive is on Central but its parent POM is not, and Maven
# refuses to resolve an artifact whose descriptor it cannot read.
central_get() {
  local url="https://repo.maven.apache.org/maven2/$1" dest=$2 want got
  want=$(curl -fsSL -m 60 "$url.sha1") || return 1
  curl -fsSL -m 900 --retry 2 -o "$dest.partial" "$url" || return 1
  got=$(sha1sum "$dest.partial" | cut -d' ' -f1)
  [ "$got" = "${want:0:40}" ] || {
    echo "services: checksum mismatch for $url" >&2
    return 1
  }
  mv "$dest.partial" "$dest"
}

# fetch_apicurio VERSION: download and unpack one version; fails quietly if Central lacks it.
fetch_apicurio() {
  local version=$1 home="$svc/apicurio-$1" name="apicurio-registry-app-$1-all.tar.gz"
  local archive="$svc/dl/$name"
  [ -f "$home/.installed" ] && return 0
  mkdir -p "$svc/dl"
  mvn_quiet "$svc/logs/mvn-registry-$version.log" \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$version:tar.gz:all" \
    -DoutputDirectory="$svc/dl" ||
    central_get "io/apicurio/apicurio-registry-app/$version/$name" "$archive" ||
    return 1
  rm -rf "$home.partial"
  mkdir -p "$home.partial" || return 1
  tar -xzf "$archive" -C "$home.partial" || return 1
  rm -f "$archive"
  rm -rf "$home"
  mv "$home.partial" "$home" || return 1
  touch "$home/.installed"
}

# install_registry: picks the first version that has a suitable Java and downloads; records it in
# registry.version as "<version> <java executable>".
install_registry() {
  local version java
  for version in "${apicurio_versions[@]}"; do
    if ! java=$(find_java "$(java_needed_by "$version")"); then
      log "Apicurio Registry $version needs Java $(java_needed_by "$version"): none found, skipped"
      continue
    fi
    if fetch_apicurio "$version"; then
      echo "$version $java" >"$svc/registry.version"
      log "Apicurio Registry $version, run with $java (Java $(java_major "$java"))"
      return 0
    fi
    log "Apicurio Registry $version could not be fetched (see $svc/logs/mvn-registry-$version.log)"
  done
  die "no usable Apicurio Registry version (tried ${apicurio_versions[*]})"
}

start_registry() {
  local version java home jar
  read -r version java <"$svc/registry.version"
  home="$svc/apicurio-$version"
  # 3.x unpacks to a Quarkus fast-jar (quarkus-run.jar); some builds ship an uber *-runner.jar.
  jar=$(find "$home" -name quarkus-run.jar -print -quit)
  [ -n "$jar" ] || jar=$(find "$home" -name 'apicurio-registry-app-*-runner.jar' -print -quit)
  [ -n "$jar" ] || die "no runnable jar under $home"
  # The management interface defaults to port 9000, which MinIO uses, hence 9005. BACKWARD mimics
  # Confluent's default compatibility; deletes are off by default in Apicurio 3 but tests clean up.
  # C1 only (TieredStopAtLevel=1): a test registry serves few requests, start-up time matters more.
  launch registry "$java" -Dsluice.svc=registry -Xms128m -Xmx512m -XX:+UseSerialGC \
    -XX:TieredStopAtLevel=1 \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8085 \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port=9005 \
    -Dapicurio.rules.global.compatibility=BACKWARD \
    -Dapicurio.rest.deletion.group.enabled=true \
    -Dapicurio.rest.deletion.artifact.enabled=true \
    -Dapicurio.rest.deletion.artifact-version.enabled=true \
    -jar "$jar"
  wait_ready registry 180 || die "registry did not start"
}

# ---- commands ----------------------------------------------------------------------------------

up_one() {
  local name=$1
  if alive "$name"; then
    if "probe_$name"; then
      log "$name already running (pid $(pid_of "$name"))"
      return 0
    fi
    # Alive but not answering: an earlier `up` may have been interrupted during start-up.
    log "$name (pid $(pid_of "$name")) is not answering yet; waiting"
    if wait_ready "$name" 30; then
      log "$name running (pid $(pid_of "$name"))"
      return 0
    fi
    stop "$name"
  elif "probe_$name"; then
    log "$name: something else already serves its port; using it (not managed by this script)"
    return 0
  elif [ -e "$svc/$name.pid" ]; then
    log "$name: stale pid file (pid $(pid_of "$name" || true)), starting it again"
    rm -f "$svc/$name.pid"
  fi
  step "$name: install" "install_$name"
  [ "$name" != kafka ] || step "kafka: format $svc/kafka-data" format_kafka
  step "$name: start until ready" "start_$name"
  log "$name running (pid $(pid_of "$name"))"
}

status_one() {
  local name=$1
  if alive "$name"; then
    if "probe_$name"; then
      echo "$name: running (pid $(pid_of "$name"))"
      return 0
    fi
    echo "$name: process $(pid_of "$name") is alive but not answering"
    return 1
  fi
  if "probe_$name"; then
    echo "$name: running (not started by this script)"
    return 0
  fi
  echo "$name: down"
  return 1
}

usage() {
  echo "usage: $0 up|down|status|install|restart [kafka|registry ...]" >&2
  exit 2
}

main() {
  (($#)) || usage
  local cmd=$1 name rc=0 t0
  shift
  local names=("$@")
  ((${#names[@]})) || names=("${all_services[@]}")
  for name in "${names[@]}"; do
    [[ " ${all_services[*]} " == *" $name "* ]] || usage
  done
  mkdir -p "$svc/logs"
  case $cmd in
  status)
    for name in "${names[@]}"; do status_one "$name" || rc=1; done
    return "$rc"
    ;;
  install | up | down | restart) ;;
  *) usage ;;
  esac
  # One `up`/`down` at a time per cache dir: concurrent test sessions must not both start a broker.
  exec 9>"$svc/.lock"
  flock -w 900 9 || die "another services.sh holds $svc/.lock for more than 15 minutes"
  case $cmd in
  install)
    ensure_tools
    for name in "${names[@]}"; do step "$name: install" "install_$name"; done
    ;;
  up)
    t0=$(now)
    step "tools checked" ensure_tools
    for name in "${names[@]}"; do up_one "$name"; done
    log "up done in $(since "$t0")"
    ;;
  down)
    for name in "${names[@]}"; do stop "$name"; done
    ;;
  restart)
    for name in "${names[@]}"; do
      [ "$name" = kafka ] || die "restart: only kafka keeps its data across a restart"
      alive kafka || die "restart: no kafka started by this script is running"
      t0=$(now)
      stop kafka
      step "kafka: start on the same data" start_kafka
      log "kafka restarted in $(since "$t0")"
    done
    ;;
  esac
}

main "$@"
