# sip-reset's container image. Build: docker build -t sip-reset .   (or podman build)
# Run:   docker run -d --read-only -v sip-reset-data:/data --env-file .env -p 3000:3000 sip-reset
# See docs/deployment-containers.md.
#
# The bases are official Node.js images of a supported line. The build stage uses the full image,
# whose python3, make and g++ compile better-sqlite3 when its prebuilt binary cannot be downloaded;
# the image that runs has neither those nor the dev dependencies.
ARG NODE_IMAGE=node:22-bookworm-slim
ARG BUILD_IMAGE=node:22-bookworm

FROM ${BUILD_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ARG VERSION=unknown
ARG REVISION=unknown
LABEL org.opencontainers.image.title="sip-reset" \
      org.opencontainers.image.description="A Slack app that lets an IT helpdesk reset ITNIO SIP phone passwords safely, with approvals and private delivery." \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"
# The SQLite database lives on the volume; with PostgreSQL, set DATABASE_URL and the volume stays empty.
ENV NODE_ENV=production \
    PORT=3000 \
    DATABASE_URL=/data/sip-reset.sqlite
# Node.js's heap sizes and glibc's malloc arenas, as deploy/node.env sets them for every way the app
# runs (a test keeps the two equal): they hold the app's peak resident memory under 200 MiB at every
# load the bench drives (docs/performance.md#memory). A NODE_OPTIONS given at run time replaces this one.
ENV NODE_OPTIONS="--max-old-space-size=384" \
    MALLOC_ARENA_MAX="2"
WORKDIR /app
# The code belongs to root, read-only to the app's user: the process cannot change what it runs.
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN mkdir /data && chown 1000:1000 /data
VOLUME /data
# The official image's `node` user, by number so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
EXPOSE 3000
# node itself, not curl or wget, which the slim image lacks. /healthz turns 503 when a stop begins.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1 and receives the stop signal itself: on SIGTERM the app refuses new work, lets a
# reset in flight deliver its password, and exits 0 within SIP_RESET_SHUTDOWN_TIMEOUT_MS (default
# 60 s): give `docker stop` a longer --time (Compose: stop_grace_period; Kubernetes:
# terminationGracePeriodSeconds).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
