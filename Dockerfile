# One image for every PowerStream Engine process; docker-compose.yml picks the command per service:
#   api      node --import tsx src/api/server.ts          (the default below)
#   worker   node --import tsx src/temporal/worker-main.ts
#   one-shot node --import tsx src/dev/register-search-attributes-main.ts
FROM node:20-bookworm-slim

# onnxruntime-node's install script would fetch extra binaries; the CPU ones ship inside the package (.npmrc tells
# npm the same). Nothing else here needs a compiler: the Temporal core bridge is prebuilt for glibc.
ENV ONNXRUNTIME_NODE_INSTALL=skip \
    npm_config_update_notifier=false

WORKDIR /app

# Dependencies first, so a source change reuses this layer. All of them, dev ones included: the processes run the
# TypeScript through tsx (a devDependency) and there is no build step, so `npm ci --omit=dev` would not start.
COPY package.json package-lock.json .npmrc ./
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force

# Owned by root and only readable by the app user: nothing at run time writes into /app (tsx caches under /tmp,
# the worker bundles its workflows in memory).
COPY . .

# production makes src/config.ts refuse the public default JWT_SECRET; docker-compose.yml sets development.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000

USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "src/api/server.ts"]
