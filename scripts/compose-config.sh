#!/usr/bin/env bash
# Validates docker-compose.yml (`docker compose config`) without a Docker engine. Uses the first compose found:
# the `docker compose` plugin, a `docker-compose` on PATH, else Debian's docker-compose package (apt-get, as root),
# else Compose v2 built from its Go module (COMPOSE_FROM_GO=1 forces this; slow on a small machine).
# Loads deploy/production.env.example, so the check also proves every required secret is named there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_VERSION="${COMPOSE_VERSION:-v2.29.7}"
ARGS=(--env-file deploy/production.env.example -f docker-compose.yml config --quiet)

if [[ "${COMPOSE_FROM_GO:-}" != 1 ]] && docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif [[ "${COMPOSE_FROM_GO:-}" != 1 ]] && command -v docker-compose >/dev/null; then
  compose=(docker-compose)
elif [[ "${COMPOSE_FROM_GO:-}" != 1 && $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "installing Debian's docker-compose" >&2
  apt-get install -y -q docker-compose >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q docker-compose >/dev/null; }
  compose=(docker-compose)
else
  bin="${COMPOSE_BIN_DIR:-$PWD/.tools/bin}/docker-compose-$COMPOSE_VERSION"
  if [[ ! -x "$bin" ]]; then
    echo "building docker compose $COMPOSE_VERSION from its Go module (once)" >&2
    tmp="$(mktemp -d)"
    GOBIN="$tmp" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" go install "github.com/docker/compose/v2/cmd@$COMPOSE_VERSION"
    mkdir -p "$(dirname "$bin")" && mv "$tmp/cmd" "$bin" && rm -rf "$tmp"
  fi
  compose=("$bin" --project-directory .)
fi
"${compose[@]}" "${ARGS[@]}"
echo "docker-compose.yml is valid ($("${compose[@]}" version 2>/dev/null | head -1))"
