#!/usr/bin/env bash
# Local S3-compatible object store for integration tests: OpenStack Swift (Debian packages) with the s3api
# middleware, single node, one replica, everything bound to 127.0.0.1 (configuration templates in eng/object-store/);
# and in front of it the OBS-protocol front (tests/ObsBuildTasks.ObsFront), which checks OBS signatures and forwards
# to the store.
#
#   eng/object-store.sh install   install the Debian packages, the store's and the build's C toolchain (skipped when
#                                 already installed)
#   eng/object-store.sh start     install what is missing, configure, build the front, start, wait for health, create
#                                 buckets
#   eng/object-store.sh stop      stop the servers started by `start`
#   eng/object-store.sh status    exit 0 when healthy, 1 otherwise
#   eng/object-store.sh env       print `export OBS_TEST_*=... OBS_FRONT_*=...` lines for the tests
#
# Environment: OBS_STORE_DIR (state: config, rings, data, logs, pid files; default /var/tmp/obsbuildtasks-store),
#              OBS_STORE_PORT (S3/Swift proxy port on 127.0.0.1; default 18080), OBS_FRONT_PORT (OBS front on
#              loopback; default 18081), OBS_STORE_START_TIMEOUT (60 s).
# See eng/README.md.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATES="$REPO/eng/object-store"
STORE_DIR="${OBS_STORE_DIR:-/var/tmp/obsbuildtasks-store}"
ETC_DIR="$STORE_DIR/etc" DEV_DIR="$STORE_DIR/srv" LOG_DIR="$STORE_DIR/log" RUN_DIR="$STORE_DIR/run"
HOST=127.0.0.1 REGION=us-east-1 ACCESS_KEY=test:tester SECRET_KEY=testing
PROXY_PORT="${OBS_STORE_PORT:-18080}" FRONT_PORT="${OBS_FRONT_PORT:-18081}"
ENDPOINT="http://$HOST:$PROXY_PORT" FRONT_ENDPOINT="http://localhost:$FRONT_PORT"
FRONT_DIR="$STORE_DIR/front" FRONT_PROJECT=tests/ObsBuildTasks.ObsFront
# Backend ports are written into the rings, so they are fixed.
declare -A PORTS=([account]=16010 [container]=16011 [object]=16012 [proxy]=$PROXY_PORT [front]=$FRONT_PORT)
SERVERS=(account container object proxy)
PACKAGES=(swift swift-proxy swift-account swift-container swift-object curl awscli)
# Not for the store: the C toolchain that links obs-uploader, the engine compiled with NativeAOT, which every build of
# the task and the addin makes (src/ObsBuildTasks.Uploader; clang brings binutils and libc6-dev along). No zlib1g-dev:
# the runtime pack links its own zlib.
PACKAGES+=(clang)
PY=/usr/bin/python3 # Swift lives in Debian's python, not in whatever python3 is first on PATH.
CONFIG_CHANGED=0

log() { printf 'object-store: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

missing_packages() {
  local p
  for p in "${PACKAGES[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || echo "$p"
  done
  # The Node.js SDK tests need node and npm: any install will do, Debian's when there is none.
  { command -v node && command -v npm; } >/dev/null || echo nodejs npm
}

cmd_install() {
  local missing sudo=()
  missing="$(missing_packages)"
  [[ -n "$missing" ]] || return 0
  log "installing: $(echo $missing)"
  [[ "$(id -u)" == 0 ]] || sudo=(sudo)
  local apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 -o Acquire::Retries=3)
  "${apt[@]}" update -qq
  # shellcheck disable=SC2086
  "${apt[@]}" install -y -qq --no-install-recommends $missing >/dev/null
  missing="$(missing_packages)"
  [[ -z "$missing" ]] || die "packages still missing after install: $(echo $missing)"
}

# Writes stdin to a file unless it already holds exactly that: an unchanged config restarts nothing.
write_if_changed() { # path
  local tmp
  tmp="$(mktemp "$1.XXXXXX")"
  cat >"$tmp"
  chmod 644 "$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv -f "$tmp" "$1" && CONFIG_CHANGED=1; fi
}

# A template of eng/object-store/ with its @NAME@ placeholders replaced.
render() { # template NAME=value...
  local text kv
  text="$(<"$TEMPLATES/$1")"
  shift
  for kv; do text="${text//"@${kv%%=*}@"/"${kv#*=}"}"; done
  printf '%s\n' "$text"
}

# Config files are rewritten when their content changes; rings are only built where missing. launch.py starts a
# server with swift.conf from the state dir (Swift hard-codes /etc/swift/swift.conf), logs to stderr, writes the pid.
configure() {
  mkdir -p "$ETC_DIR" "$DEV_DIR/d1" "$LOG_DIR" "$RUN_DIR"
  local kind rings=()
  write_if_changed "$ETC_DIR/swift.conf" < <(render swift.conf)
  for kind in account container object; do
    write_if_changed "$ETC_DIR/$kind-server.conf" < <(render backend-server.conf HOST="$HOST" KIND="$kind" \
      PORT="${PORTS[$kind]}" DEV_DIR="$DEV_DIR" ETC_DIR="$ETC_DIR")
    [[ -f "$ETC_DIR/$kind.ring.gz" ]] || rings+=("$kind" "${PORTS[$kind]}")
  done
  write_if_changed "$ETC_DIR/proxy-server.conf" < <(render proxy-server.conf HOST="$HOST" PROXY_PORT="$PROXY_PORT" \
    ETC_DIR="$ETC_DIR" REGION="$REGION")
  write_if_changed "$RUN_DIR/launch.py" < <(render launch.py)
  ((${#rings[@]} == 0)) || "$PY" "$TEMPLATES/build-rings.py" "$ETC_DIR" "$HOST" "${rings[@]}" || die "building the rings failed"
}

pid_file() { echo "$RUN_DIR/$1.pid"; }

# Prints the pid when the pid file names a live process of this store (not a recycled pid, not a zombie).
live_pid() { # server
  local pid
  pid="$(tr -dc 0-9 2>/dev/null <"$(pid_file "$1")")" && [[ -n "$pid" ]] || return 1
  [[ "$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")" == *"$STORE_DIR/"* ]] && echo "$pid"
}

healthy() { # server
  local url="http://$HOST:${PORTS[$1]}/healthcheck" head=()
  # The front's health check is the probe OBS clients send.
  [[ "$1" != front ]] || url="http://$HOST:${PORTS[$1]}/?apiversion" head=(--head)
  [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "${head[@]}" "$url" 2>/dev/null)" == 200 ]]
}

all_healthy() { # servers...
  local s
  for s; do live_pid "$s" >/dev/null && healthy "$s" || return 1; done
}

running() { # pid; a zombie waiting for its reaper has exited
  local state
  state="$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$1/stat" 2>/dev/null)" && [[ -n "$state" && "$state" != [ZX] ]]
}

# SIGTERM, SIGKILL after 5 s; returns when the process is gone. Harmless when it is not running.
stop_server() { # server
  local pid sig i
  if pid="$(live_pid "$1")"; then
    for sig in TERM KILL; do
      kill -"$sig" "$pid" 2>/dev/null || true
      for ((i = 0; i < 100; i++)); do running "$pid" || break 2; sleep 0.05; done
      log "the $1 server (pid $pid) did not exit on SIG$sig"
    done
  fi
  rm -f "$(pid_file "$1")" "$(pid_file "$1").tmp"
}

stop_all() { local s; for s in proxy object container account; do stop_server "$s"; done; }

check_port_free() { # server
  local port="${PORTS[$1]}" who
  (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null || return 0
  who="$(ss -ltnpH "sport = :$port" 2>/dev/null | grep -o 'users:.*' || true)"
  die "port $port on $HOST (the $1 server) is in use by another process ${who:-(unknown)}; stop it first (only one store can run on a machine: the backend ports are fixed)"
}

# Starts a server in the background, its output appended to log/<server>.log (rotated to .1 beyond 50 MiB).
launch() { # server command...
  local name="$1" log_file="$LOG_DIR/$1.log"
  shift
  [[ ! -f "$log_file" ]] || (($(stat -c %s "$log_file") <= 52428800)) || mv -f "$log_file" "$log_file.1"
  printf '\n==== %s starting %s server ====\n' "$(date -u +%FT%TZ)" "$name" >>"$log_file"
  nohup setsid "$@" </dev/null >>"$log_file" 2>&1 9>&- &
  echo "$!" >"$(pid_file "$name")"
}

print_log_tails() { # servers...
  local s
  for s; do
    [[ ! -f "$LOG_DIR/$s.log" ]] || { printf -- '---- tail of %s ----\n' "$LOG_DIR/$s.log"; tail -n 30 "$LOG_DIR/$s.log"; } >&2
  done
}

wait_healthy() { # servers...
  local deadline=$((SECONDS + ${OBS_STORE_START_TIMEOUT:-60})) s
  until all_healthy "$@"; do
    for s; do
      # The launcher rewrites the pid file with its own pid: give it a moment before calling the server dead.
      live_pid "$s" >/dev/null || { sleep 1 && live_pid "$s" >/dev/null; } ||
        { log "the $s server exited during start-up"; print_log_tails "$@"; return 1; }
    done
    ((SECONDS < deadline)) || { log "not healthy after ${OBS_STORE_START_TIMEOUT:-60}s"; print_log_tails "$@"; return 1; }
    sleep 0.2
  done
}

# A Swift container is an S3 bucket: PUT /<bucket> signed with SigV4 by curl itself (the access key contains ':',
# which curl's --user cannot carry, so the credentials go through a netrc file). 200 = created, 409 = exists;
# anything else is retried for a while (right after start-up a backend may still be settling).
ensure_buckets() {
  local bucket code attempt netrc="$RUN_DIR/netrc"
  [[ -f "$netrc" ]] || (umask 077 && printf 'machine %s\nlogin %s\npassword %s\n' "$HOST" "$ACCESS_KEY" "$SECRET_KEY" >"$netrc")
  for bucket in obs-tests obs-samples; do
    for ((attempt = 1; attempt <= 20; attempt++)); do
      code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 --netrc-file "$netrc" --aws-sigv4 "aws:amz:$REGION:s3" \
        -H "x-amz-content-sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
        -X PUT "$ENDPOINT/$bucket")" || true
      [[ "$code" == 200 || "$code" == 409 ]] && continue 2
      sleep 0.5
    done
    print_log_tails proxy
    die "creating bucket $bucket failed: HTTP $code"
  done
}

# The front's build input: its sources and the repository's build settings (paths relative, so that worktrees with
# the same sources share a build).
front_source_hash() {
  (cd "$REPO" && find "$FRONT_PROJECT" Directory.Build.props Directory.Packages.props global.json \
    \( -name bin -o -name obj \) -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum
}

build_front() { # source hash
  command -v dotnet >/dev/null || die "building the OBS front needs the .NET SDK (dotnet on PATH)"
  log "building the OBS front (log: $LOG_DIR/front-build.log)"
  rm -rf "$FRONT_DIR/app.new"
  # No build servers or reused nodes: nothing may outlive the script.
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDTERMINALLOGGER=off DOTNET_CLI_USE_MSBUILD_SERVER=0 \
    dotnet publish "$REPO/$FRONT_PROJECT" -c Release -o "$FRONT_DIR/app.new" --artifacts-path "$FRONT_DIR/build" \
    -nodeReuse:false -p:UseSharedCompilation=false </dev/null >"$LOG_DIR/front-build.log" 2>&1 9>&- ||
    { tail -n 30 "$LOG_DIR/front-build.log" >&2; die "building the OBS front failed"; }
  rm -rf "$FRONT_DIR/app" && mv "$FRONT_DIR/app.new" "$FRONT_DIR/app" && echo "$1" >"$FRONT_DIR/app.source"
}

# Builds the front when its sources changed; (re)starts it when it is down, or was started from another build or
# with other settings. It gets its settings from the `env` variables.
ensure_front() {
  local source started
  mkdir -p "$FRONT_DIR"
  source="$(front_source_hash)"
  [[ "$(cat "$FRONT_DIR/app.source" 2>/dev/null)" == "$source" ]] || build_front "$source"
  started="$({ cmd_env && echo "$source"; } | sha256sum)"
  if all_healthy front && [[ "$(cat "$RUN_DIR/front.started" 2>/dev/null)" == "$started" ]]; then return 0; fi
  stop_server front
  check_port_free front
  (eval "$(cmd_env)" && launch front dotnet "$FRONT_DIR/app/ObsBuildTasks.ObsFront.dll")
  echo "$started" >"$RUN_DIR/front.started"
  wait_healthy front || { stop_server front; die "the OBS front did not start; log in $LOG_DIR/front.log"; }
  log "OBS front running at $FRONT_ENDPOINT"
}

# Serialises start and stop; the lock's descriptor is closed for the servers (launch), which outlive the script.
lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/lock"
  flock -w 900 9 || die "another eng/object-store.sh still holds $RUN_DIR/lock"
}

cmd_start() {
  lock
  # Also when the store runs: a checkout may need a package that the one that started it did not (the toolchain that
  # the scripts' builds after `start` need).
  cmd_install
  if all_healthy "${SERVERS[@]}" && configure && ((CONFIG_CHANGED == 0)); then
    log "already running and healthy at $ENDPOINT"
  else
    ((CONFIG_CHANGED == 0)) || log "configuration changed; restarting"
    configure
    # Anything half-running (stale pid files, a crashed server) is stopped first so the start is clean.
    stop_all
    local s
    for s in "${SERVERS[@]}"; do check_port_free "$s"; done
    for s in "${SERVERS[@]}"; do
      launch "$s" "$PY" "$RUN_DIR/launch.py" "$ETC_DIR/swift.conf" "$(pid_file "$s")" "$s-server" "$ETC_DIR/$s-server.conf"
    done
    wait_healthy "${SERVERS[@]}" || { stop_all; die "start failed; state and logs in $STORE_DIR"; }
    log "running at $ENDPOINT (state: $STORE_DIR)"
  fi
  ensure_buckets
  ensure_front
}

cmd_stop() {
  lock
  stop_server front
  stop_all
}

cmd_status() {
  local s pid bad=0
  for s in "${SERVERS[@]}" front; do
    if ! pid="$(live_pid "$s")"; then
      echo "$s: not running" && bad=1
    elif ! healthy "$s"; then
      echo "$s: running (pid $pid) but not healthy on port ${PORTS[$s]}" && bad=1
    else
      echo "$s: healthy (pid $pid, port ${PORTS[$s]})"
    fi
  done
  echo "object store: $( ((bad == 0)) || echo 'NOT ')healthy ($ENDPOINT, OBS front $FRONT_ENDPOINT, state $STORE_DIR)"
  return "$bad"
}

cmd_env() {
  cat <<EOF
export OBS_TEST_ENDPOINT=$ENDPOINT
export OBS_TEST_ACCESS_KEY_ID=$ACCESS_KEY
export OBS_TEST_SECRET_ACCESS_KEY=$SECRET_KEY
export OBS_TEST_REGION=$REGION
export OBS_TEST_BUCKET=obs-tests
export OBS_FRONT_ENDPOINT=$FRONT_ENDPOINT
export OBS_FRONT_ACCESS_KEY_ID=OBSFRONTPERMANENTKEY
export OBS_FRONT_SECRET_ACCESS_KEY=obs-front-permanent-secret-for-tests-01
export OBS_FRONT_TEMP_ACCESS_KEY_ID=OBSFRONTTEMPORARYKEY
export OBS_FRONT_TEMP_SECRET_ACCESS_KEY=obs-front-temporary-secret-for-tests-1
export OBS_FRONT_SECURITY_TOKEN=gQpvYnMtZnJvbnQtdGVtcG9yYXJ5+dG9rZW4/Zm9yLXRlc3Rz==
EOF
}

case "${1:-} $#" in
  "install 1") cmd_install ;;
  "start 1") cmd_start ;;
  "stop 1") cmd_stop ;;
  "status 1") cmd_status ;;
  "env 1") cmd_env ;;
  *) echo "usage: $0 {install|start|stop|status|env}" >&2 && exit 2 ;;
esac
