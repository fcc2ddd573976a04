#!/usr/bin/env bash
# Builds lockstep's local test images with `podman import` from root file
# systems written here (DESIGN.md §10); nothing is pulled from a registry.
#
#   scripts/build-images.sh [--force] [--engine podman|docker] [busybox|psql|postgres ...]
#
# Images: lockstep-test/busybox:1, lockstep-test/psql:1, lockstep-test/postgres:15.
# Idempotent (an existing image is kept unless --force) and safe to run in
# parallel (an flock serialises builders; the check happens under the lock).
set -euo pipefail

ENGINE="${LOCKSTEP_RUNTIME:-podman}"
BUSYBOX="${LOCKSTEP_BUSYBOX:-/bin/busybox}"
PGLIB=/usr/lib/postgresql/15
PGSHARE=/usr/share/postgresql/15
LOCK="${LOCKSTEP_IMAGE_LOCK:-/tmp/lockstep-build-images.lock}"
FORCE=0
WANT=()

while [[ $# -gt 0 ]]; do
    case "$1" in
        --force) FORCE=1 ;;
        --engine) ENGINE="$2"; shift ;;
        busybox|psql|postgres) WANT+=("$1") ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "error: unknown argument '$1' (images: busybox psql postgres)" >&2; exit 64 ;;
    esac
    shift
done
[[ ${#WANT[@]} -eq 0 ]] && WANT=(busybox psql postgres)

command -v "$ENGINE" >/dev/null || { echo "error: $ENGINE is not installed" >&2; exit 69; }
[[ -x "$BUSYBOX" ]] || { echo "error: static busybox not found at $BUSYBOX (apt-get install busybox-static)" >&2; exit 69; }

image_exists() { "$ENGINE" image inspect "$1" >/dev/null 2>&1; }

# A root with busybox and its applets as symlinks, /etc/passwd and a few dirs.
base_root() {
    local root="$1"
    mkdir -p "$root"/{bin,sbin,etc,tmp,root,proc,sys,dev,var/run,usr/bin,usr/local/bin,www}
    chmod 1777 "$root/tmp"
    cp "$BUSYBOX" "$root/bin/busybox"
    local applet
    for applet in $("$BUSYBOX" --list); do
        [[ "$applet" == busybox ]] && continue
        ln -sf busybox "$root/bin/$applet"
    done
    cat > "$root/etc/passwd" <<'P'
root:x:0:0:root:/root:/bin/sh
postgres:x:999:999:PostgreSQL administrator:/var/lib/postgresql:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
P
    cat > "$root/etc/group" <<'G'
root:x:0:
postgres:x:999:
nogroup:x:65534:
G
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$root/etc/nsswitch.conf"
    printf '127.0.0.1 localhost\n::1 localhost\n' > "$root/etc/hosts"
}

# Copies dynamically linked ELF files and every shared library they link
# (plus the loader) to the same paths inside the root.
copy_with_libs() {
    local root="$1"; shift
    local f lib
    for f in "$@"; do
        mkdir -p "$root$(dirname "$f")"
        [[ -e "$root$f" ]] || cp -L "$f" "$root$f"
        # `ldd` lines: "libx.so => /path (addr)" or "/lib64/ld-linux... (addr)".
        while read -r lib; do
            [[ -z "$lib" || -e "$root$lib" ]] && continue
            mkdir -p "$root$(dirname "$lib")"
            cp -L "$lib" "$root$lib"
        done < <(ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^[[:space:]]*\// {print $1}')
    done
}

import_root() {
    local root="$1" name="$2"; shift 2
    local quiet=()
    [[ "$(basename "$ENGINE")" == podman ]] && quiet=(--quiet)
    tar --numeric-owner -C "$root" -c . | "$ENGINE" import "${quiet[@]}" "$@" - "$name" >/dev/null
    echo "build-images: built $name"
}

build_busybox() {
    local root="$1/rootfs"
    base_root "$root"
    import_root "$root" lockstep-test/busybox:1 --change 'CMD ["/bin/sh"]'
}

build_psql() {
    local root="$1/rootfs"
    base_root "$root"
    copy_with_libs "$root" "$PGLIB/bin/psql"
    ln -sf "$PGLIB/bin/psql" "$root/usr/bin/psql"
    mkdir -p "$root/migrations"
    import_root "$root" lockstep-test/psql:1 --change 'CMD ["/bin/sh"]' \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/sbin'
}

write_entrypoint() {
    cat > "$1" <<'ENTRYPOINT'
#!/bin/sh
# Entry point of lockstep-test/postgres:15, modelled on the official image's:
# initdb on first start (POSTGRES_PASSWORD, POSTGRES_USER, POSTGRES_DB), a
# temporary server on the Unix socket only to create the database, then the
# real server on 0.0.0.0:${PGPORT:-5432}.
set -eu

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
export PGPORT="${PGPORT:-5432}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
PGBIN=/usr/lib/postgresql/15/bin

if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PGDATA" /var/run/postgresql
    chown -R postgres:postgres "$PGDATA" /var/run/postgresql
    chmod 700 "$PGDATA"
    # busybox su keeps the environment with -p; the script re-enters as postgres.
    exec su -p -s /bin/sh postgres -c 'exec /usr/local/bin/docker-entrypoint.sh "$@"' sh "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
        echo "error: database is uninitialized and POSTGRES_PASSWORD is not set" >&2
        echo "       set POSTGRES_PASSWORD (or POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"
    pwfile="$(mktemp)"
    printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
    "$PGBIN/initdb" -D "$PGDATA" --username="$POSTGRES_USER" --pwfile="$pwfile" \
        -E UTF8 --locale=C --auth-local=trust --auth-host="$auth" >/dev/null
    rm -f "$pwfile"
    printf 'host all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

    "$PGBIN/pg_ctl" -D "$PGDATA" -o "-c listen_addresses='' -p $PGPORT" -w -s start
    if [ "$POSTGRES_DB" != postgres ]; then
        echo 'CREATE DATABASE :"db";' | "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
            --username "$POSTGRES_USER" --dbname postgres -v db="$POSTGRES_DB"
    fi
    for f in /docker-entrypoint-initdb.d/*; do
        case "$f" in
            *.sql) "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -f "$f" ;;
            *.sh) . "$f" ;;
        esac
    done
    "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -s stop
    echo "PostgreSQL init process complete; ready for start up."
fi

exec "$PGBIN/postgres" -D "$PGDATA" -c listen_addresses='*' -p "$PGPORT" "$@"
ENTRYPOINT
    chmod 0755 "$1"
}

build_postgres() {
    local root="$1/rootfs"
    base_root "$root"
    mkdir -p "$root/usr/lib/postgresql" "$root/usr/share/postgresql" "$root/usr/share"
    # llvmjit pulls in libLLVM (~100 MB); without it the server simply runs without JIT.
    tar -C / --exclude='usr/lib/postgresql/15/lib/llvmjit*' --exclude='usr/lib/postgresql/15/lib/bitcode' \
        -c "${PGLIB#/}" "${PGSHARE#/}" usr/share/zoneinfo | tar -C "$root" -x
    local elves=()
    while IFS= read -r f; do
        if head -c 4 "$f" | grep -q 'ELF'; then elves+=("$f"); fi
    done < <(find "$root$PGLIB" -type f \( -path '*/bin/*' -o -name '*.so' \) | sed "s|^$root||")
    copy_with_libs "$root" "${elves[@]}"
    write_entrypoint "$root/usr/local/bin/docker-entrypoint.sh"
    mkdir -p "$root/var/lib/postgresql/data" "$root/var/run/postgresql" "$root/docker-entrypoint-initdb.d"
    chown -R 999:999 "$root/var/lib/postgresql" "$root/var/run/postgresql"
    chmod 700 "$root/var/lib/postgresql/data"
    chmod 2775 "$root/var/run/postgresql"
    # initdb asks `locale -a`; the image has only the C locale, say so quietly.
    printf '#!/bin/sh\nprintf "C\\nPOSIX\\n"\n' > "$root/usr/bin/locale"
    chmod 0755 "$root/usr/bin/locale"
    import_root "$root" lockstep-test/postgres:15 \
        --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/bin:/usr/bin:/bin:/sbin' \
        --change 'ENV PGDATA=/var/lib/postgresql/data' \
        --change 'ENV LANG=C' \
        --change 'STOPSIGNAL SIGINT' \
        --change 'EXPOSE 5432/tcp'
}

exec 9>"$LOCK"
flock 9

for want in "${WANT[@]}"; do
    case "$want" in
        busybox) name=lockstep-test/busybox:1 ;;
        psql) name=lockstep-test/psql:1 ;;
        postgres) name=lockstep-test/postgres:15 ;;
    esac
    if [[ $FORCE -eq 0 ]] && image_exists "$name"; then
        echo "build-images: $name already present"
        continue
    fi
    work="$(mktemp -d /tmp/lockstep-image.XXXXXX)"
    trap 'rm -rf "$work"' EXIT
    "build_$want" "$work"
    rm -rf "$work"
    trap - EXIT
done
