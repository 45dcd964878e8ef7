#!/usr/bin/env bash
# Starts three (or --count) directory authorities on this machine for the demo, each a real
# `dotnet` server process with its own signing key, data folder and 127.0.0.1 ports, configured
# with one another as Directory:Authorities. Prints their addresses, keys, dashboards and the
# mixdir/simnet commands to paste. Ctrl+C, SIGTERM or the end of --seconds stops all of them.
#
#   tools/authorities/run-local.sh [--count 3] [--epoch 30s] [--base-port 7000] [--data DIR] [--seconds N]
#
# Demo settings: Development environment, nodes stay listed 10 min without heartbeats (PresenceTtl).
# Authority i (1..count) listens for gRPC on BASE+i and for the dashboard/gRPC-Web/REST on BASE+80+i.
# Keys are made once with `mixdir authority keygen` under DIR/auth<i>/ and reused on the next run,
# so pinned keys stay valid; delete DIR to start afresh.
#
# Environment: MIXNET_SERVER_DLL and MIXDIR_DLL point at already-built Mixnet.Directory.Server.dll
# and mixdir.dll (then nothing is built); otherwise the script runs `dotnet build` once.
set -euo pipefail

count=3
epoch=30s
base_port=7000
data="${TMPDIR:-/tmp}/mixnet-authorities"
seconds=0

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "run-local.sh: $*" >&2; exit 1; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --count) count="${2:?}"; shift 2 ;;
    --epoch) epoch="${2:?}"; shift 2 ;;
    --base-port) base_port="${2:?}"; shift 2 ;;
    --data) data="${2:?}"; shift 2 ;;
    --seconds) seconds="${2:?}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done

[[ "$count" =~ ^[1-9]$ ]] || die "--count: give 1..9, got '$count'"
[[ "$base_port" =~ ^[0-9]+$ ]] && (( base_port >= 1024 && base_port + 80 + count <= 65535 )) || die "--base-port: give 1024..65000, got '$base_port'"
[[ "$seconds" =~ ^[0-9]+$ ]] || die "--seconds: give a whole number of seconds, got '$seconds'"
# Directory:EpochLength is a TimeSpan: accept 30s / 2m / 90 (seconds) and hh:mm:ss.
case "$epoch" in
  *:*) epoch_span="$epoch" ;;
  *s) n="${epoch%s}"; [[ "$n" =~ ^[0-9]+$ ]] || die "--epoch: '$epoch'"; epoch_span=$(printf '%02d:%02d:%02d' $((n/3600)) $((n%3600/60)) $((n%60))) ;;
  *m) n="${epoch%m}"; [[ "$n" =~ ^[0-9]+$ ]] || die "--epoch: '$epoch'"; epoch_span=$(printf '%02d:%02d:00' $((n/60)) $((n%60))) ;;
  *) [[ "$epoch" =~ ^[0-9]+$ ]] || die "--epoch: '$epoch' (e.g. 30s, 2m, 00:10:00)"; n="$epoch"; epoch_span=$(printf '%02d:%02d:%02d' $((n/3600)) $((n%3600/60)) $((n%60))) ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
server_dll="${MIXNET_SERVER_DLL:-}"
mixdir_dll="${MIXDIR_DLL:-}"
if [[ -z "$server_dll" || -z "$mixdir_dll" ]]; then
  echo "building the server and mixdir once (set MIXNET_SERVER_DLL and MIXDIR_DLL to skip)..." >&2
  dotnet build "$repo/server" -v quiet -nologo >&2
  dotnet build "$repo/tools/mixdir" -v quiet -nologo >&2
  server_dll="${server_dll:-$repo/server/bin/Debug/net10.0/Mixnet.Directory.Server.dll}"
  mixdir_dll="${mixdir_dll:-$repo/tools/mixdir/bin/Debug/net10.0/mixdir.dll}"
fi
[[ -f "$server_dll" ]] || die "no server at '$server_dll'"
[[ -f "$mixdir_dll" ]] || die "no mixdir at '$mixdir_dll'"
server_dll="$(cd "$(dirname "$server_dll")" && pwd)/$(basename "$server_dll")"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

mkdir -p "$data"
data="$(cd "$data" && pwd)"
names=(); keys=(); grpc=(); web=()
for ((i = 1; i <= count; i++)); do
  dir="$data/auth$i"
  mkdir -p "$dir"
  if [[ ! -f "$dir/directory.key" || ! -f "$dir/directory.pub" ]]; then
    rm -f "$dir/directory.key"
    dotnet "$mixdir_dll" authority keygen --out "$dir/directory.key" --name "auth$i" --address "http://127.0.0.1:$((base_port + i))" -o json \
      | sed -n 's/.*"public_key": *"\([0-9a-f]*\)".*/\1/p' > "$dir/directory.pub"
  fi
  key="$(cat "$dir/directory.pub")"
  [[ "$key" =~ ^[0-9a-f]{64}$ ]] || die "no public key in $dir/directory.pub; delete $dir and run again"
  names+=("auth$i"); keys+=("$key"); grpc+=($((base_port + i))); web+=($((base_port + 80 + i)))
  for p in "${grpc[-1]}" "${web[-1]}"; do
    ! port_in_use "$p" || die "port $p on 127.0.0.1 is in use; choose another --base-port"
  done
done

# Directory:Authorities:<n> is the same for every authority; each finds itself by its own key.
authority_env=()
for ((i = 0; i < count; i++)); do
  authority_env+=("Directory__Authorities__${i}__Name=${names[i]}"
                  "Directory__Authorities__${i}__Key=${keys[i]}"
                  "Directory__Authorities__${i}__Address=http://127.0.0.1:${grpc[i]}")
done

pids=()
stop_all() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  [[ ${#pids[@]} -eq 0 ]] || echo "stopped ${#pids[@]} authorities" >&2
  pids=()
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

for ((i = 0; i < count; i++)); do
  dir="$data/auth$((i + 1))"
  # The server reads appsettings*.json from its working directory: run it where the dll is.
  (cd "$(dirname "$server_dll")" && exec env "${authority_env[@]}" \
      ASPNETCORE_ENVIRONMENT=Development \
      Directory__EpochLength="$epoch_span" \
      Directory__PresenceTtl=00:10:00 \
      Directory__DataPath="$dir" \
      Directory__SigningKeyPath="$dir/directory.key" \
      Kestrel__Endpoints__Grpc__Url="http://127.0.0.1:${grpc[i]}" \
      Kestrel__Endpoints__Grpc__Protocols=Http2 \
      Kestrel__Endpoints__Web__Url="http://127.0.0.1:${web[i]}" \
      Kestrel__Endpoints__Web__Protocols=Http1 \
      dotnet "$server_dll" >"$dir/server.log" 2>&1) &
  pids+=($!)
done

# Wait (bounded) until every authority accepts connections on its gRPC port.
deadline=$((SECONDS + 60))
for ((i = 0; i < count; i++)); do
  until port_in_use "${grpc[i]}"; do
    kill -0 "${pids[i]}" 2>/dev/null || die "${names[i]} exited; see $data/${names[i]}/server.log"
    (( SECONDS < deadline )) || die "${names[i]} did not listen on ${grpc[i]} within 60 s; see $data/${names[i]}/server.log"
    sleep 0.2
  done
done

pins=""; for ((i = 0; i < count; i++)); do pins+=" --authority http://127.0.0.1:${grpc[i]}=${keys[i]}"; done
cat <<INFO
$count directory authorities are running (epoch $epoch_span, data in $data):
INFO
for ((i = 0; i < count; i++)); do
  printf '  %-6s gRPC http://127.0.0.1:%-5s  dashboard http://127.0.0.1:%s/  key %s  pid %s\n' \
    "${names[i]}" "${grpc[i]}" "${web[i]}" "${keys[i]}" "${pids[i]}"
done
cat <<INFO

The first consensus is signed within about one and a half epochs. Check it (exit 0 when it verifies):
  dotnet $mixdir_dll consensus$pins
A node is listed once a majority of authorities list the same signed descriptor. One node, by hand:
  dotnet $mixdir_dll keygen --out node.identity
  dotnet $mixdir_dll descriptor sign --identity node.identity --host 127.0.0.1 --mix-port 1789 --node-version 1.0.0 > req.json
  for p in ${web[*]}; do curl -s -H 'content-type: application/json' -d @req.json http://127.0.0.1:\$p/v1/nodes:register; echo; done
A simulated network announced to every authority (its routes are drawn from the consensus):
  tools/simnet/bin/Debug/net10.0/simnet$pins --mixnodes 9 --gateways 3 --duration 10m
Logs: $data/auth<i>/server.log. Ctrl+C stops all $count authorities.
INFO

if (( seconds > 0 )); then
  end=$((SECONDS + seconds))
fi
# Wait for a signal, the end of --seconds, or an authority exiting on its own.
while :; do
  for ((i = 0; i < count; i++)); do
    if ! kill -0 "${pids[i]}" 2>/dev/null; then
      echo "run-local.sh: ${names[i]} exited; see $data/${names[i]}/server.log" >&2
      exit 1
    fi
  done
  if (( seconds > 0 && SECONDS >= end )); then
    echo "--seconds $seconds elapsed" >&2
    exit 0
  fi
  sleep 1 &
  wait $! || true
done
