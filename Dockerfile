# fse-sync worker image (docs/operations.md). Not built on the development machines (no Docker
# there): keep it simple. Node 22 runs the TypeScript sources directly (type stripping).
FROM node:22-bookworm-slim

ENV NODE_ENV=production \
    FSE_SYNC_LOG_LEVEL=info
WORKDIR /app

# dependencies first (cached layer); --omit=dev keeps the LWC/Jest/sf CLI tooling out (the
# worker's runtime libraries are regular dependencies in package.json)
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force

COPY sync-worker ./sync-worker
COPY config ./config

# an unprivileged user; the registry export and the JWT key are mounted read-only
USER node
# SF_CLIENT_ID, SF_USERNAME, SF_JWT_KEY_FILE (e.g. /run/secrets/fse-sync.key), SF_LOGIN_URL and
# FSE_SUBJECT_HASH_KEY come from the environment/secrets, never from the image.
ENTRYPOINT ["node", "sync-worker/bin/fse-sync.js"]
CMD ["schedule", "--config", "config/sync.config.json"]
# SIGTERM (docker stop, Kubernetes) stops the scheduler gracefully; give it time to finish the
# current step: docker stop -t 120, or terminationGracePeriodSeconds: 120.
STOPSIGNAL SIGTERM
