# Helpers the benchmark scripts share; sourced, not run (bench/run.sh skips it).
# free_port: a loopback port nothing listens on; wait_port PORT: until something does (10 s).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p; for _ in $(seq 50); do p=$((20000 + RANDOM % 12000)); port_free "$p" && { echo "$p"; return; }; done; return 1; }
wait_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
