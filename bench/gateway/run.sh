#!/usr/bin/env bash
# Gateway benchmark on loopback (not a test): wrk against a backend directly, through nginx as reverse proxy (one
# level, and three in a row) and through the HAProxy data plane as the controller renders and supervises it
# (org.ailtire.dataplane.DataPlaneBench; one level, and three in a row as in a tree of stacks). The Vert.x gateway
# measured in earlier runs is gone (HAProxy serves the gateway port). The backend is nginx
# answering a small fixed body. Writes bench/results/gateway.md.
#   bench/gateway/run.sh                 # -t2 -c64 -d15s, 2 proxy workers / event loops
#   DURATION=30s CONNECTIONS=128 WORKERS=1 bench/gateway/run.sh
#   ONLY="nginx haproxy" bench/gateway/run.sh   # some of the targets (direct nginx haproxy nginx-3 haproxy-3)
# Then WebSocket echo round trips (org.ailtire.dataplane.WebSocketEchoBench, WS_CONNECTIONS sockets ping-ponging
# 64-byte messages for WS_SECONDS) directly, through nginx and through the data plane; WS=no skips them.
# Needs nginx, wrk and haproxy (apt-get install nginx wrk haproxy) and a JDK 21+.
set -euo pipefail

PROJECT_DIR=$(cd "$(dirname "$0")/../.." && pwd)
cd "$PROJECT_DIR"
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-15s}
WORKERS=${WORKERS:-2}
WARMUP=${WARMUP:-20s}
# The controller image's JVM options (images/controller/prepare-jvm.sh), so the bench measures what runs there.
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC -Xss512k}
BACKEND_PORT=${BACKEND_PORT:-18101}
NGINX_PORT=${NGINX_PORT:-18102}
# Three in a row on NGINX3_PORT.. and DATAPLANE3_PORT.. (each level on the next port).
NGINX3_PORT=${NGINX3_PORT:-18110}
DATAPLANE_PORT=${DATAPLANE_PORT:-18120}
DATAPLANE3_PORT=${DATAPLANE3_PORT:-18130}
WS_BACKEND_PORT=${WS_BACKEND_PORT:-18140}
NGINX_WS_PORT=${NGINX_WS_PORT:-18141}
DATAPLANE_WS_PORT=${DATAPLANE_WS_PORT:-18142}
WS_CONNECTIONS=${WS_CONNECTIONS:-64}
WS_SECONDS=${WS_SECONDS:-10}
WS=${WS:-yes}
WORK=$(mktemp -d /tmp/gateway-bench.XXXXXX)
RESULTS=bench/results/gateway.md
if [ -z "${JAVA_HOME:-}" ] && [ -d /usr/lib/jvm/temurin-25-jdk-amd64 ]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

log() { echo "[bench] $*" >&2; }
command -v nginx >/dev/null && command -v wrk >/dev/null && command -v haproxy >/dev/null \
  || { log "needs nginx, wrk and haproxy: apt-get install nginx wrk haproxy"; exit 1; }

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

nginx_conf() { # name workers server-block
  mkdir -p "$WORK/$1/logs"
  cat > "$WORK/$1/nginx.conf" <<CONF
worker_processes $2;
pid $WORK/$1/nginx.pid;
error_log $WORK/$1/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  $3
}
CONF
  nginx -p "$WORK/$1" -c "$WORK/$1/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}

await_port() {
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$1/" 2>/dev/null && return 0
    sleep 0.2
  done
  log "nothing answers on port $1"; exit 1
}

log "compiling (test classes) and resolving the classpath"
./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >/dev/null

nginx_conf backend "$WORKERS" "server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type text/plain; return 200 'hello from the backend\n'; } }"
nginx_conf proxy "$WORKERS" "upstream backend { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server { listen 127.0.0.1:$NGINX_PORT; location / { proxy_pass http://backend; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto \$scheme; proxy_set_header X-Forwarded-Host \$host; } }"
proxy_block() { # listen-port upstream-port
  echo "upstream up$1 { server 127.0.0.1:$2; keepalive 128; }
  server { listen 127.0.0.1:$1; location / { proxy_pass http://up$1; proxy_http_version 1.1;
    proxy_set_header Connection \"\"; proxy_set_header X-Forwarded-For \$remote_addr;
    proxy_set_header X-Forwarded-Proto \$scheme; proxy_set_header X-Forwarded-Host \$host; } }"
}
nginx_conf proxy3 "$WORKERS" "$(proxy_block "$NGINX3_PORT" $((NGINX3_PORT + 1)))
  $(proxy_block $((NGINX3_PORT + 1)) $((NGINX3_PORT + 2)))
  $(proxy_block $((NGINX3_PORT + 2)) "$BACKEND_PORT")"
CLASSPATH_ALL="target/classes:target/test-classes:$(cat "$WORK/cp.txt")"
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ALL" org.ailtire.dataplane.DataPlaneBench "$DATAPLANE_PORT" "$BACKEND_PORT" \
  "$WORKERS" 1 > "$WORK/dataplane.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086
"$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ALL" org.ailtire.dataplane.DataPlaneBench "$DATAPLANE3_PORT" "$BACKEND_PORT" \
  "$WORKERS" 3 > "$WORK/dataplane3.log" 2>&1 &
pids+=($!)
if [ "$WS" = yes ]; then
  # shellcheck disable=SC2086
  "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ALL" org.ailtire.gateway.WebSocketEcho "$WS_BACKEND_PORT" > "$WORK/ws-echo.log" 2>&1 &
  pids+=($!)
  nginx_conf proxyws "$WORKERS" "map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  upstream wsbackend { server 127.0.0.1:$WS_BACKEND_PORT; keepalive 128; }
  server { listen 127.0.0.1:$NGINX_WS_PORT; location / { proxy_pass http://wsbackend; proxy_http_version 1.1;
    proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade;
    proxy_read_timeout 1h; } }"
  # shellcheck disable=SC2086
  "$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ALL" org.ailtire.dataplane.DataPlaneBench "$DATAPLANE_WS_PORT" "$WS_BACKEND_PORT" \
    "$WORKERS" 1 ws > "$WORK/dataplane-ws.log" 2>&1 &
  pids+=($!)
fi
WS_PORTS=""; [ "$WS" = yes ] && WS_PORTS="$WS_BACKEND_PORT $NGINX_WS_PORT $DATAPLANE_WS_PORT"
for port in "$BACKEND_PORT" "$NGINX_PORT" "$NGINX3_PORT" "$DATAPLANE_PORT" "$DATAPLANE3_PORT" $WS_PORTS; do
  await_port "$port"
done

# wrk --latency prints percentiles like "50%  612.00us" or "99%  3.10ms": convert to milliseconds.
to_ms() { awk '{ v=$1; if (v ~ /us$/) { sub(/us$/,"",v); v=v/1000 } else if (v ~ /ms$/) { sub(/ms$/,"",v) } else if (v ~ /s$/) { sub(/s$/,"",v); v=v*1000 }; printf "%.3f", v }'; }

declare -A RPS P50 P99
TARGETS="direct:$BACKEND_PORT nginx:$NGINX_PORT haproxy:$DATAPLANE_PORT nginx-3:$NGINX3_PORT haproxy-3:$DATAPLANE3_PORT"
if [ -n "${ONLY:-}" ]; then
  TARGETS=$(for target in $TARGETS; do if [[ " $ONLY " == *" ${target%%:*} "* ]]; then echo "$target"; fi; done)
fi
for target in $TARGETS; do
  name=${target%%:*}; port=${target##*:}
  log "warming up $name"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "http://127.0.0.1:$port/" >/dev/null
  log "measuring $name: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency"
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$port/")
  echo "$out" > "$WORK/wrk-$name.txt"
  if grep -q "Non-2xx" <<<"$out"; then log "$name answered errors:"; echo "$out" >&2; exit 1; fi
  RPS[$name]=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' <<<"$out")
  P50[$name]=$(awk '$1 == "50%" { print $2 }' <<<"$out" | to_ms)
  P99[$name]=$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)
  log "$name: ${RPS[$name]} req/s, p50 ${P50[$name]} ms, p99 ${P99[$name]} ms"
done

declare -A WS_RATE WS_P50 WS_P99
WS_TARGETS=""
if [ "$WS" = yes ]; then
  WS_TARGETS="direct:$WS_BACKEND_PORT nginx:$NGINX_WS_PORT haproxy:$DATAPLANE_WS_PORT"
  for target in $WS_TARGETS; do
    name=${target%%:*}; port=${target##*:}
    log "WebSocket echo through $name: $WS_CONNECTIONS sockets, ${WS_SECONDS}s (after as long of warm-up)"
    # shellcheck disable=SC2086
    read -r rate p50 p99 < <("$JAVA" $JAVA_OPTS -cp "$CLASSPATH_ALL" org.ailtire.dataplane.WebSocketEchoBench \
      "$port" /echo "$WS_CONNECTIONS" "$WS_SECONDS")
    WS_RATE[$name]=$rate; WS_P50[$name]=$p50; WS_P99[$name]=$p99
    log "WebSocket $name: $rate messages/s, p50 $p50 ms, p99 $p99 ms"
  done
fi

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mkdir -p "$(dirname "$RESULTS")"
{
  echo "# Gateway benchmark"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, loopback; wrk -t$THREADS -c$CONNECTIONS -d$DURATION against a small fixed"
  echo "nginx response (after $WARMUP of warm-up each). nginx proxy: $WORKERS workers, upstream keepalive;"
  echo "haproxy: DataPlaneBench, $(haproxy -v | head -1 | cut -d' ' -f1-3), $WORKERS threads, the configuration the controller renders."
  echo "The -3 rows go through three proxies in a row; they are compared with nginx-3."
  echo
  echo "| target | req/s | p50 ms | p99 ms | req/s vs nginx | p99 vs nginx |"
  echo "|---|---:|---:|---:|---:|---:|"
  for target in $TARGETS; do
    name=${target%%:*}
    base=nginx; [[ $name == *-3 ]] && base=nginx-3
    if [ -n "${RPS[$base]:-}" ]; then
      echo "| $name | ${RPS[$name]} | ${P50[$name]} | ${P99[$name]} | $(ratio "${RPS[$name]}" "${RPS[$base]}") | $(ratio "${P99[$name]}" "${P99[$base]}") |"
    else
      echo "| $name | ${RPS[$name]} | ${P50[$name]} | ${P99[$name]} | | |"
    fi
  done
  if [ -n "$WS_TARGETS" ]; then
    echo
    echo "WebSocket echo: $WS_CONNECTIONS WebSockets, each sending a 64-byte text message when the previous one came"
    echo "back, for ${WS_SECONDS}s after as long of warm-up (org.ailtire.dataplane.WebSocketEchoBench; the echo server"
    echo "org.ailtire.gateway.WebSocketEcho, Vert.x). nginx: Upgrade/Connection passed on; haproxy: a protocol ws route."
    echo
    echo "| WebSocket target | messages/s | p50 ms | p99 ms | messages/s vs nginx | p99 vs nginx |"
    echo "|---|---:|---:|---:|---:|---:|"
    for target in $WS_TARGETS; do
      name=${target%%:*}
      echo "| $name | ${WS_RATE[$name]} | ${WS_P50[$name]} | ${WS_P99[$name]} | $(ratio "${WS_RATE[$name]}" "${WS_RATE[nginx]}") | $(ratio "${WS_P99[$name]}" "${WS_P99[nginx]}") |"
    done
  fi
} > "$RESULTS"
cat "$RESULTS"
