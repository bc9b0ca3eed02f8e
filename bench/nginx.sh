# Shared by the benchmarks (sourced, not run): serves a folder with nginx on 127.0.0.1, as a busy
# site's server would (ETags on, gzip from files compressed beforehand when there are any).

# start_nginx ROOT PORT WORK: starts nginx for ROOT with its files under WORK and waits until it answers.
start_nginx() {
  local root=$1 port=$2 work=$3
  cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { application/rss+xml xml; }
  gzip_static on;
  etag on;
  server {
    listen 127.0.0.1:$port;
    root $root;
  }
}
CONF
  nginx -c "$work/nginx.conf" -p "$work" -e "$work/error.log"
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "error: nginx did not answer on 127.0.0.1:$port (see $work/error.log)" >&2
  return 1
}

stop_nginx() {
  kill "$(cat "$1/nginx.pid" 2>/dev/null)" 2>/dev/null || true
}

# measure COMMAND...: runs a command in the current folder and prints "<seconds> s, peak <RSS> MB, <CPU>"
# from GNU time's report; the command's output is left in $work/out.
measure() {
  /usr/bin/time -f "%e %M %P" -o "$work/time" "$@" > "$work/out" 2>&1 || { cat "$work/out" >&2; return 1; }
  awk '{ printf "%.2f s, peak %.0f MB, %s CPU", $1, $2 / 1024, $3 }' "$work/time"
}
