#!/usr/bin/env bash
# Builds lockstep and installs it with its shell completions and man page.
#
#   scripts/install.sh                      # into /usr/local
#   PREFIX=$HOME/.local scripts/install.sh  # anywhere else
#
# Installs:
#   $PREFIX/bin/lockstep
#   $PREFIX/share/man/man1/lockstep.1                 (swift-argument-parser's generate-manual plugin)
#   $PREFIX/share/bash-completion/completions/lockstep
#   $PREFIX/share/zsh/site-functions/_lockstep
#   $PREFIX/share/fish/vendor_completions.d/lockstep.fish
#
# CONFIGURATION=debug installs a debug build (what the tests use, to reuse their build);
# the default is release. LOCKSTEP_BIN=PATH installs that already-built binary instead of
# building one (the man page still comes from the plugin, in CONFIGURATION).
# DESTDIR is prefixed to every path, as packagers expect.
# SWIFTPM_FLAGS is passed to every swift command (the install test, which runs inside
# `swift test` after the build, gives --ignore-lock: that process holds .build's lock).
set -euo pipefail

cd "$(dirname "$0")/.."
PREFIX="${PREFIX:-/usr/local}"
CONFIGURATION="${CONFIGURATION:-release}"
DESTDIR="${DESTDIR:-}"
read -r -a swiftpm_flags <<<"${SWIFTPM_FLAGS:-}"
case "$CONFIGURATION" in
    release | debug) ;;
    *) echo "install.sh: CONFIGURATION must be release or debug, not '$CONFIGURATION'" >&2; exit 64 ;;
esac

if [[ -n "${LOCKSTEP_BIN:-}" ]]; then
    [[ -x "$LOCKSTEP_BIN" ]] || { echo "install.sh: LOCKSTEP_BIN=$LOCKSTEP_BIN is not an executable file" >&2; exit 66; }
    binary="$LOCKSTEP_BIN"
else
    echo "building lockstep ($CONFIGURATION)"
    swift build "${swiftpm_flags[@]}" -c "$CONFIGURATION" --product lockstep
    binary="$(swift build "${swiftpm_flags[@]}" -c "$CONFIGURATION" --show-bin-path)/lockstep"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "generating the man page"
swift package "${swiftpm_flags[@]}" --allow-writing-to-directory "$work" generate-manual \
    --configuration "$CONFIGURATION" --output-directory "$work" >"$work/plugin.log" 2>&1 || {
    cat "$work/plugin.log" >&2
    echo "install.sh: the generate-manual plugin failed" >&2
    exit 1
}
manual="$(find "$work" -name 'lockstep.1' | head -n 1)"
[[ -n "$manual" ]] || { echo "install.sh: the plugin wrote no lockstep.1" >&2; exit 1; }

root="$DESTDIR$PREFIX"
install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 0755 "$binary" "$root/bin/lockstep"
# generate-manual copies blank lines of a discussion into the page, which mdoc warns
# about; a blank line there means a new paragraph, which mdoc writes as .Pp.
# (Not into "$work/lockstep.1": the plugin writes the page there, and the redirection
# would empty it before sed reads it.)
sed 's/^$/.Pp/' "$manual" >"$work/lockstep.1.page"
install -m 0644 "$work/lockstep.1.page" "$root/share/man/man1/lockstep.1"
"$binary" --generate-completion-script bash >"$work/lockstep.bash"
"$binary" --generate-completion-script zsh >"$work/_lockstep"
"$binary" --generate-completion-script fish >"$work/lockstep.fish"
install -m 0644 "$work/lockstep.bash" "$root/share/bash-completion/completions/lockstep"
install -m 0644 "$work/_lockstep" "$root/share/zsh/site-functions/_lockstep"
install -m 0644 "$work/lockstep.fish" "$root/share/fish/vendor_completions.d/lockstep.fish"

echo "installed lockstep into $root"
echo "  man page:    man lockstep (MANPATH may need $PREFIX/share/man)"
echo "  completions: bash, zsh and fish, loaded by each shell from $PREFIX/share"
