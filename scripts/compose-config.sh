#!/usr/bin/env bash
# Validates docker-compose.yml with Docker Compose v2's own loader (`docker compose config`), without a Docker
# engine: the compose binary is built from its Go module (the registries CI reaches) into .tools/bin on first use.
# Uses deploy/production.env.example, so the check also proves every required secret is named there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
COMPOSE_VERSION="${COMPOSE_VERSION:-v2.29.7}"
BIN_DIR="${COMPOSE_BIN_DIR:-$PWD/.tools/bin}"
COMPOSE="$BIN_DIR/docker-compose-$COMPOSE_VERSION"
if [[ ! -x "$COMPOSE" ]]; then
  mkdir -p "$BIN_DIR"
  echo "building docker compose $COMPOSE_VERSION (go install, once)" >&2
  tmp="$(mktemp -d)"
  GOBIN="$tmp" GOTOOLCHAIN="${GOTOOLCHAIN:-local}" go install "github.com/docker/compose/v2/cmd@$COMPOSE_VERSION"
  mv "$tmp/cmd" "$COMPOSE"
  rm -rf "$tmp"
fi
"$COMPOSE" --project-directory . --env-file deploy/production.env.example -f docker-compose.yml config --quiet
echo "docker-compose.yml is valid (docker compose $COMPOSE_VERSION)"
