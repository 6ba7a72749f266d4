#!/usr/bin/env bash
# Stops the cluster scripts/ceph-rgw-up.sh started (by the pid files in its state directory) and
# deletes its state. Does nothing when no cluster is recorded.
set -euo pipefail

cd "$(dirname "$0")/.."
state_file="$PWD/.upgate/ceph-rgw/state"

log() { echo "ceph-rgw: $*" >&2; }

if [ ! -f "$state_file" ]; then
  log "no cluster recorded in $state_file"
  exit 0
fi
# shellcheck disable=SC1090
source "$state_file"

# RGW first, then the OSD, then the monitor: each stops cleanly while the ones below it still run.
pids=()
for name in client.rgw.sts client.rgw.upgate osd.0 mon.a; do
  pid_file="$dir/run/$name.pid"
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    pids+=("$pid")
  fi
done
for pid in "${pids[@]}"; do
  for _ in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "process $pid did not stop within 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
done

case "$dir" in
  /tmp/upgate-ceph.*) rm -rf "$dir" ;;
  *) log "not deleting $dir: not a directory this script created" ;;
esac
rm -f "$state_file"
log "stopped (${#pids[@]} daemons)"
