# syntax=docker/dockerfile:1
# One image for the three processes; compose picks the entry point per service:
#   node dist/apps/api/src/main.js | dist/apps/projector/src/main.js | dist/apps/escalations/src/main.js

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# `npm install`, not `npm ci`: the lockfile is made on a registry that lacks some platforms'
# optional binaries (e.g. other OSes' @swc/core), so `npm ci` would call it out of sync.
RUN npm install --no-audit --no-fund
COPY .swcrc ./
COPY apps apps
COPY libs libs
COPY events events
COPY config config
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules node_modules
COPY --from=build --chown=node:node /app/dist dist
COPY --from=build --chown=node:node /app/config config
COPY --from=build --chown=node:node /app/apps/dashboard apps/dashboard
# Only used in embedded mode (no DATABASE_URL): mount a volume here to keep the data.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# No curl in the slim image: Node's fetch probes readiness.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself, for the graceful shutdown.
CMD ["node", "--initial-old-space-size=512", "--min-semi-space-size=64", "--max-semi-space-size=64", "dist/apps/api/src/main.js"]
