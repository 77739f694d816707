#!/usr/bin/env bash
# Idle cost of uvsd's agents: starts ROOT/bin/uvsd with nothing to do but its procfs view, a sync master
# on lo and its state file, and prints the CPU time each thread (agent role) used in SECONDS.
# usage: bench/idle-threads.sh ROOT SECONDS   (ROOT: a source tree whose uvs-director/target/uvs.jar is built)
set -eu
ROOT=$1; SECS=$2; D=$(mktemp -d /tmp/uvs-idle-XXXX)
export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
"$ROOT"/bin/uvsd --control-socket=$D/c.sock --proc-dir=$D/proc --state-file=$D/state --metrics-port=-1 --capacity=65536 > $D/log 2>&1 &
PID=$!
for i in $(seq 1 100); do [ -S $D/c.sock ] && break; sleep 0.2; done
UVS_CONTROL_SOCKET=$D/c.sock "$ROOT"/bin/uvsadm --start-daemon master --mcast-interface lo
sleep 3
snap() { for t in /proc/$PID/task/*; do n=$(cat $t/comm); s=($(sed 's/.*) //' $t/stat)); echo "$n $((${s[11]}+${s[12]}))"; done | awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' | sort; }
snap > $D/a; sleep $SECS; snap > $D/b
join $D/a $D/b | awk -v s=$SECS '{d=$3-$2; t+=d; if (d>0) printf "%-18s %4d ticks  %.2f%% of a core\n", $1, d, d/s} END {printf "%-18s %4d ticks  %.2f%% of a core\n", "total", t, t/s}'
kill $PID; wait $PID 2>/dev/null || true; rm -rf $D
