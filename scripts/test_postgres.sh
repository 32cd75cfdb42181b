# Sourced by .ci/run (and by hand: `source scripts/test_postgres.sh && start_test_postgres && make test`):
# a throwaway PostgreSQL cluster on 127.0.0.1, Debian's package (installed when missing), for the store tests.
# Exports TEST_DATABASE_URL; the cluster and its folder are removed when the shell exits.

start_test_postgres() {
    local bin dir port owner=()
    # the newest server's programs (postgresql-client alone makes the folder too, without initdb)
    bin=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1); bin=${bin%/initdb}
    if [ -z "$bin" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "installing PostgreSQL (Debian's package) for the store tests"
        apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
            || { echo "could not install PostgreSQL"; return 1; }
        bin=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1); bin=${bin%/initdb}
    fi
    [ -n "$bin" ] || { echo "no PostgreSQL here (apt-get install postgresql)"; return 1; }
    dir=$(mktemp -d /tmp/article-qa-pg.XXXXXX)
    TEST_POSTGRES_DIR=$dir
    TEST_POSTGRES_STOP=true
    trap 'stop_test_postgres' EXIT  # the folder goes whether or not the server starts
    if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root: the package's own user runs the cluster
        chown postgres "$dir"
        owner=(runuser -u postgres --)
    fi
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local password
    password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
    echo "$password" > "$dir/pw"
    chmod 600 "$dir/pw"
    if [ "${#owner[@]}" != 0 ]; then chown postgres "$dir/pw"; fi
    # UTF-8 whatever the machine's locale (none in a fresh container: initdb would make an SQL_ASCII cluster)
    "${owner[@]}" "$bin/initdb" -D "$dir/data" -U article_qa --pwfile="$dir/pw" -A scram-sha-256 -E UTF8 --no-locale --no-sync >"$dir/initdb.log" 2>&1 \
        || { echo "initdb failed:"; cat "$dir/initdb.log"; return 1; }
    "${owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off" >/dev/null \
        || { echo "PostgreSQL did not start:"; cat "$dir/server.log"; return 1; }
    TEST_POSTGRES_STOP="${owner[*]} $bin/pg_ctl -D $dir/data -m fast -w stop"
    export TEST_DATABASE_URL="postgresql://article_qa:$password@127.0.0.1:$port/postgres"
    echo "PostgreSQL $("$bin/postgres" --version | grep -o '[0-9][0-9.]*' | head -n 1) for the store tests on 127.0.0.1:$port"
}

stop_test_postgres() {
    if [ -n "${TEST_POSTGRES_DIR:-}" ]; then
        $TEST_POSTGRES_STOP >/dev/null 2>&1 || true
        rm -rf "$TEST_POSTGRES_DIR"
        TEST_POSTGRES_DIR=
    fi
}
