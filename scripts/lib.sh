# Shared helpers of the demo and the benchmarks (sourced, not run).

# The first TCP port on 127.0.0.1 at or above $1 that nothing listens on.
free_port() {
    local port
    for port in $(seq "$1" $(($1 + 200))); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    echo "no free port near $1" >&2
    return 1
}

# Removes every container lockstep created for installation $1.
remove_installation_containers() {
    podman ps -aq --filter "label=io.lockstep.install=$1" | xargs -r podman rm -f >/dev/null 2>&1 || true
}

# Writes examples/demo/inventory.yaml.in for one release to $1.
render_demo_manifest() {
    local target=$1 version=$2 sql=$3 db_port=$4 web_port=$5
    sed -e "s/__VERSION__/$version/g" -e "s/__DB_PORT__/$db_port/g" -e "s/__WEB_PORT__/$web_port/g" \
        -e "s|__SQL__|$sql|" examples/demo/inventory.yaml.in > "$target"
}
