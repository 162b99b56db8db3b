#!/usr/bin/env bash
# Runs a command (`npm test` by default) with a PostgreSQL server for the tests, named by TEST_POSTGRES_URL:
#
#   - TEST_POSTGRES_URL already set: that one;
#   - else the server answering on 127.0.0.1:5432, if any (as postgres://postgres@127.0.0.1:5432/postgres);
#   - else a throwaway cluster in a temporary directory, on a free port of 127.0.0.1, with the PostgreSQL installed
#     here (Debian's `postgresql` package, installed first when it is missing and this runs as root). It runs as the
#     `postgres` user when this runs as root (the server refuses root), trusts local connections, and is stopped and
#     removed when the command ends, also when it fails or is interrupted.
#
# Usage: scripts/with-postgres.sh [command...]      (npm run test:postgres = scripts/with-postgres.sh npm test)
set -euo pipefail

[ "$#" -gt 0 ] || set -- npm test
say() { echo "with-postgres: $*" >&2; }

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  say "using TEST_POSTGRES_URL"
  exec "$@"
fi
if answers 5432; then
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/postgres"
  say "using the server answering on 127.0.0.1:5432"
  exec "$@"
fi

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bindir)" ] && ! command -v initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's postgresql package"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  else
    say "no PostgreSQL here: install it (Debian: apt-get install postgresql), or set TEST_POSTGRES_URL"
    exit 1
  fi
fi
bin="$(bindir)"
initdb="${bin:+$bin/}initdb"
pg_ctl="${bin:+$bin/}pg_ctl"

dir="$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")"
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres "$dir"
  as=(runuser -u postgres --)
fi
port=55432
while answers "$port"; do port=$((port + 1)); done

stop() {
  "${as[@]}" "$pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as[@]}" "$initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
"${as[@]}" "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}
export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
say "a throwaway PostgreSQL ($("${as[@]}" "${bin:+$bin/}postgres" --version)) on 127.0.0.1:$port, in $dir"
"$@"
