# One image for every PowerStream Engine process, built from the compiled dist/ (npm run build) and production
# dependencies only. docker-compose.yml picks the command per service:
#   api                 node dist/src/api/server.js          (the default below)
#   worker              node dist/src/worker/main.js
#   search attributes   node dist/src/dev/register-search-attributes-main.js   (one-shot)
#   operator CLI        node dist/src/ops/cli.js <command>   (docker compose run --rm api node dist/src/ops/cli.js status)
# Node 24: the Active LTS line (Node 20 reached end of life in April 2026).
ARG NODE_IMAGE=node:24-bookworm-slim

# --- build: every dependency, TypeScript compiled, workflows bundled once --------------------------------------
FROM ${NODE_IMAGE} AS build
# onnxruntime-node's install script would fetch extra binaries; the CPU ones ship inside the package.
ENV ONNXRUNTIME_NODE_INSTALL=skip npm_config_update_notifier=false
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --include=dev --no-audit --no-fund
COPY . .
RUN npm run build

# --- deps: production dependencies only (no tsx, TypeScript, eslint, test tools) -------------------------------
FROM ${NODE_IMAGE} AS deps
ENV ONNXRUNTIME_NODE_INSTALL=skip npm_config_update_notifier=false
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime ---------------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# production makes src/config.ts refuse the public default JWT_SECRET and disables the dev token route.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WORKER_HOST=0.0.0.0 \
    WORKER_PORT=9464
WORKDIR /app
# Owned by root, readable by the app user: nothing writes into /app at run time (the workflow bundle is prebuilt).
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=5 CMD ["node", "dist/src/ops/healthcheck.js"]
CMD ["node", "dist/src/api/server.js"]
