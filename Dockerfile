# Contox Billing: one image, compiled JavaScript and production dependencies only.
#   docker build -t contox-billing .
#   docker run -p 3000:3000 -v contox-data:/data contox-billing
# The build stage runs scripts/build-production.sh, the same script apps/server/test/production-bundle.test.ts
# runs in `npm test`; that test then starts the result exactly as CMD below does.

FROM node:22-slim AS build
WORKDIR /src
# The pinned pnpm of package.json, installed in the build stage only.
RUN npm install -g pnpm@12.4.2 && npm cache clean --force
COPY . .
RUN pnpm install --frozen-lockfile && sh scripts/build-production.sh /app

FROM node:22-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=root:root /app /app
# The embedded database and the emulator's state (without DATABASE_URL) live in /data, the one writable folder.
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Plain node: SIGTERM from `docker stop` reaches the server, which answers what it has received and exits.
CMD ["node", "dist/main.js"]
