# shellcheck shell=bash
# shellcheck disable=SC2034  # PG_URL, PG_BIN, PG_RUN are read by the caller and pg_down
# PostgreSQL for the test suite. Source this file, then:
#
#   pg_up     sets PG_URL (server URL without a database name, e.g. postgres://postgres@127.0.0.1:5432).
#             If a server already answers on 127.0.0.1:${PG_PORT:-5432} it is used as is (user postgres,
#             trust auth). Otherwise a throwaway cluster is created under /tmp/pgtest.XXXXXX on a free port,
#             with trust auth and durability turned off (it only lives for one test run).
#   pg_down   stops and deletes the throwaway cluster, if pg_up started one. A server that was already
#             running is left alone.
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` OS user.

PG_OWN_DIR=""
PG_BIN=""
PG_RUN=()

# Run a PostgreSQL program, as the postgres user when we are root. `cd /` first: the postgres user
# may not be allowed to enter the caller's working directory (e.g. a 0700 mktemp dir).
_pg_exec() {
  (cd / && "${PG_RUN[@]}" "$@")
}

# Print a TCP port on 127.0.0.1 that nothing listens on.
_pg_free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    # A refused connection means the port is free.
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

pg_up() {
  local host=127.0.0.1 port=${PG_PORT:-5432}
  PG_OWN_DIR=""

  # 1. A server is already running (the usual case on a developer machine or CI): use it.
  if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$host" -p "$port" -t 2; then
    PG_URL="postgres://postgres@$host:$port"
    echo "pg_up: using the PostgreSQL server already running on $host:$port"
    return 0
  fi

  # 2. Otherwise start a throwaway cluster with the newest installed server binaries.
  PG_BIN=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "pg_up: no PostgreSQL server binaries found (apt-get install -y postgresql)" >&2
    return 1
  fi

  PG_RUN=()
  if [ "$(id -u)" = 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    fi
    PG_RUN=(runuser -u postgres --)
  fi

  # Under /tmp so that the postgres user can reach it.
  PG_OWN_DIR=$(mktemp -d /tmp/pgtest.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$PG_OWN_DIR"
  fi
  port=$(_pg_free_port)

  if ! _pg_exec "$PG_BIN/initdb" -D "$PG_OWN_DIR/data" -U postgres -A trust -E UTF8 \
      --locale=C.UTF-8 --no-sync >"$PG_OWN_DIR/initdb.log" 2>&1; then
    echo "pg_up: initdb failed:" >&2
    cat "$PG_OWN_DIR/initdb.log" >&2
    rm -rf "$PG_OWN_DIR"; PG_OWN_DIR=""
    return 1
  fi

  # -k: Unix socket in our own dir (no need for /var/run/postgresql); tests connect over TCP anyway.
  local opts="-c listen_addresses=$host -p $port -k $PG_OWN_DIR"
  opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  if ! _pg_exec "$PG_BIN/pg_ctl" -D "$PG_OWN_DIR/data" -l "$PG_OWN_DIR/server.log" -w -t 30 \
      -o "$opts" start >/dev/null; then
    echo "pg_up: the throwaway server did not start:" >&2
    cat "$PG_OWN_DIR/server.log" >&2
    rm -rf "$PG_OWN_DIR"; PG_OWN_DIR=""
    return 1
  fi

  PG_URL="postgres://postgres@$host:$port"
  echo "pg_up: started a throwaway PostgreSQL cluster on $host:$port ($PG_OWN_DIR)"
}

pg_down() {
  if [ -z "${PG_OWN_DIR:-}" ]; then
    return 0
  fi
  _pg_exec "$PG_BIN/pg_ctl" -D "$PG_OWN_DIR/data" -m fast -w stop >/dev/null || true
  rm -rf "$PG_OWN_DIR"
  PG_OWN_DIR=""
}
