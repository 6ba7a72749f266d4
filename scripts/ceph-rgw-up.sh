#!/usr/bin/env bash
# A throwaway single-node Ceph cluster with the S3 gateway (RGW), for the tests against a real
# distributed object store: one monitor and one memstore OSD on 127.0.0.1, radosgw (beast) on a
# free port. No systemd: every daemon runs in the background with its own conf, pid file and log
# under a temporary state directory.
#   eval "$(bash scripts/ceph-rgw-up.sh)"   # start (or reuse) it; prints the export lines
#   bash scripts/ceph-rgw-down.sh           # stop it and delete its state
# Installs Debian's Ceph packages when missing (as root). Only export lines go to stdout:
# UPGATE_TEST_RGW_URL, UPGATE_TEST_RGW_REGION, UPGATE_TEST_RGW_ACCESS_KEY, UPGATE_TEST_RGW_SECRET_KEY,
# and for the credential suites UPGATE_TEST_RGW_STS_URL (a second radosgw on the same zone, with STS)
# and UPGATE_TEST_RGW_STS_ROLE (a role the user may assume there: AssumeRole).
set -euo pipefail

cd "$(dirname "$0")/.."
state_file="$PWD/.upgate/ceph-rgw/state"
# RGW signs with whatever region the client names; the zonegroup is "default", and buckets are
# created without a LocationConstraint, so us-east-1 works as it does on AWS.
region=us-east-1

log() { echo "ceph-rgw: $*" >&2; }

# Prints the last lines of every daemon log, then exits 1.
fail() {
  log "$*"
  if [ -n "${dir:-}" ] && [ -d "$dir/log" ]; then
    for f in "$dir"/log/*.log; do
      [ -f "$f" ] || continue
      log "--- last lines of $f"
      tail -n 25 "$f" >&2
    done
  fi
  exit 1
}

free_port() {
  node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

print_env() {
  echo "export UPGATE_TEST_RGW_URL=$url"
  echo "export UPGATE_TEST_RGW_REGION=$region"
  echo "export UPGATE_TEST_RGW_ACCESS_KEY=$access_key"
  echo "export UPGATE_TEST_RGW_SECRET_KEY=$secret_key"
  # Clusters started before STS was added have neither: the STS suites then say so.
  if [ -n "${sts_url:-}" ] && [ -n "${sts_role:-}" ]; then
    echo "export UPGATE_TEST_RGW_STS_URL=$sts_url"
    echo "export UPGATE_TEST_RGW_STS_ROLE=$sts_role"
  fi
}

# Any HTTP answer from the gateway (an anonymous ListBuckets gets 200 with an empty list).
s3_answers() {
  curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" 2>/dev/null | grep -q '^[1-5]'
}

# A running cluster recorded in the state file is reused.
if [ -f "$state_file" ]; then
  # shellcheck disable=SC1090
  source "$state_file"
  if s3_answers "$url"; then
    log "reusing the cluster in $dir ($url)"
    print_env
    exit 0
  fi
  log "the recorded cluster does not answer; replacing it"
  bash scripts/ceph-rgw-down.sh
fi

missing=()
for cmd in ceph-mon ceph-osd radosgw radosgw-admin ceph curl; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$cmd")
done
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || fail "missing ${missing[*]}: install Debian's radosgw ceph-mon ceph-osd ceph-common (or run this as root)"
  log "installing radosgw ceph-mon ceph-osd ceph-common curl with apt-get"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    radosgw ceph-mon ceph-osd ceph-common curl >/dev/null
fi

started=$(date +%s)
dir=$(mktemp -d /tmp/upgate-ceph.XXXXXX)
mkdir -p "$dir/log" "$dir/run" "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/rgw-sts"
mon_port=$(free_port)
rgw_port=$(free_port)
fsid=$(cat /proc/sys/kernel/random/uuid)
conf="$dir/ceph.conf"
url="http://127.0.0.1:$rgw_port"
sts_port=$(free_port)
sts_url="http://127.0.0.1:$sts_port"
# RGW wants exactly 16 characters.
sts_key=$(node -e 'console.log(require("node:crypto").randomBytes(8).toString("hex"))')

# Recorded before anything starts, so ceph-rgw-down.sh cleans up after a half-started cluster.
mkdir -p "$(dirname "$state_file")"
echo "dir=$dir" >"$state_file"

# cephx is off: the cluster listens on 127.0.0.1 only and lives for one test run.
cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = v2:127.0.0.1:$mon_port
public addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr1 = false
auth cluster required = none
auth service required = none
auth client required = none
# Without cephx there is no key for secure mode: every connection uses crc.
ms mon client mode = crc
ms mon service mode = crc
ms mon cluster mode = crc
ms client mode = crc
ms service mode = crc
ms cluster mode = crc
client mount timeout = 20
rados mon op timeout = 20
run dir = $dir/run
admin socket = $dir/run/\$name.asok
pid file = $dir/run/\$name.pid
log file = $dir/log/\$name.log
mon data = $dir/mon/\$name
osd data = $dir/osd/\$name
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
osd objectstore = memstore
# Every suite makes its own buckets and one CI run writes some hundreds of MB; 1 GiB filled up
# (the OSD goes full and RGW then hangs every write). Memstore takes memory only as it is used.
memstore device bytes = 4294967296
osd memory target = 939524096

[client.rgw.upgate]
rgw frontends = beast endpoint=127.0.0.1:$rgw_port
rgw data = $dir/rgw
rgw dns name = 127.0.0.1
rgw enable apis = s3, admin

# A second radosgw on the same zone (same users, roles and buckets) with STS, for the credential
# suites: apart, because with STS on, RGW 16 answers a wrong signature 403 AccessDenied instead of
# SignatureDoesNotMatch. Session tokens are sealed with rgw sts key.
[client.rgw.sts]
rgw frontends = beast endpoint=127.0.0.1:$sts_port
rgw data = $dir/rgw-sts
rgw dns name = 127.0.0.1
rgw enable apis = s3, admin, sts, iam
rgw s3 auth use sts = true
rgw sts key = $sts_key
CONF

ceph_() { timeout 30 ceph -c "$conf" "$@" 2>>"$dir/log/cli.log"; }

log "creating the monitor on 127.0.0.1:$mon_port"
monmaptool --create --addv a "[v2:127.0.0.1:$mon_port]" --fsid "$fsid" "$dir/monmap" >/dev/null 2>>"$dir/log/cli.log" ||
  fail "monmaptool failed"
ceph-mon -c "$conf" --mkfs -i a --monmap "$dir/monmap" 2>>"$dir/log/cli.log" || fail "ceph-mon --mkfs failed"
ceph-mon -c "$conf" -i a 2>>"$dir/log/cli.log" || fail "ceph-mon did not start"
ceph_ mon stat >/dev/null || fail "the monitor does not answer"

log "creating the memstore OSD"
osd_uuid=$(cat /proc/sys/kernel/random/uuid)
osd_id=$(ceph_ osd new "$osd_uuid") || fail "ceph osd new failed"
mkdir -p "$dir/osd/osd.$osd_id"
ceph-osd -c "$conf" -i "$osd_id" --mkfs --osd-uuid "$osd_uuid" 2>>"$dir/log/cli.log" || fail "ceph-osd --mkfs failed"
ceph-osd -c "$conf" -i "$osd_id" 2>>"$dir/log/cli.log" || fail "ceph-osd did not start"
for _ in $(seq 1 120); do
  ceph_ osd dump 2>/dev/null | grep -q "^osd.$osd_id up" && break
  sleep 0.25
done
ceph_ osd dump | grep -q "^osd.$osd_id up" || fail "osd.$osd_id is not up"

log "starting radosgw on $url"
radosgw -c "$conf" -n client.rgw.upgate 2>>"$dir/log/cli.log" || fail "radosgw did not start"
for _ in $(seq 1 240); do
  s3_answers "$url" && break
  sleep 0.25
done
s3_answers "$url" || fail "radosgw does not answer on $url"

log "starting the STS radosgw on $sts_url"
radosgw -c "$conf" -n client.rgw.sts 2>>"$dir/log/cli.log" || fail "the STS radosgw did not start"
for _ in $(seq 1 240); do
  s3_answers "$sts_url" && break
  sleep 0.25
done
s3_answers "$sts_url" || fail "the STS radosgw does not answer on $sts_url"

access_key=$(node -e 'console.log("UPGATE" + require("node:crypto").randomBytes(7).toString("hex").toUpperCase())')
secret_key=$(node -e 'console.log(require("node:crypto").randomBytes(30).toString("base64url"))')
timeout 60 radosgw-admin -c "$conf" -n client.rgw.upgate user create --uid=upgate-test --display-name="upgate tests" \
  --access-key="$access_key" --secret-key="$secret_key" >/dev/null 2>>"$dir/log/cli.log" ||
  fail "radosgw-admin user create failed"

# A role the test user may assume (STS AssumeRole), allowed everything in S3.
sts_role_name=upgate-gateway
timeout 60 radosgw-admin -c "$conf" -n client.rgw.upgate role create --role-name="$sts_role_name" \
  --assume-role-policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam:::user/upgate-test"]},"Action":["sts:AssumeRole"]}]}' \
  >/dev/null 2>>"$dir/log/cli.log" || fail "radosgw-admin role create failed"
timeout 60 radosgw-admin -c "$conf" -n client.rgw.upgate role-policy put --role-name="$sts_role_name" \
  --policy-name=upgate-s3 \
  --policy-doc='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::*"]}]}' \
  >/dev/null 2>>"$dir/log/cli.log" || fail "radosgw-admin role-policy put failed"
sts_role="arn:aws:iam:::role/$sts_role_name"

{
  echo "dir=$dir"
  echo "conf=$conf"
  echo "url=$url"
  echo "region=$region"
  echo "access_key=$access_key"
  echo "secret_key=$secret_key"
  echo "sts_url=$sts_url"
  echo "sts_role=$sts_role"
} >"$state_file"
log "Ceph $(ceph --version | awk '{print $3}') RGW on $url after $(($(date +%s) - started)) s (state in $dir)"
print_env
