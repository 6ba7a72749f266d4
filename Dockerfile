# upgate gateway: `docker build -t upgate .` then
#   docker run -p 8080:8080 -v $PWD/upgate.config.mjs:/app/upgate.config.mjs:ro \
#     -e UPGATE_STORAGE_ACCESS_KEY -e UPGATE_STORAGE_SECRET_KEY -e UPGATE_JWT_SECRET -e UPGATE_LEDGER upgate
# The config is read from /app/upgate.config.{ts,mjs,js,json}; secrets only from the environment.

FROM node:20-slim AS build
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY src ./src
# The ledger drivers are optional peer dependencies of the package (dev dependencies of the repo, so
# prune removes them). The image installs both, and tsx for a .ts config; npm installs neither a
# root's dev nor its optional peer dependencies by name, so those lists go first.
RUN npm run build \
  && npm prune --omit=dev --ignore-scripts \
  && npm pkg delete devDependencies peerDependencies peerDependenciesMeta \
  && npm install --no-save --ignore-scripts --no-audit --no-fund tsx@4 better-sqlite3@12 pg@8 \
  && npm rebuild better-sqlite3

FROM node:20-slim AS runtime
ENV NODE_ENV=production UPGATE_HOST=0.0.0.0 UPGATE_PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
RUN ln -s /app/dist/cli/main.js /usr/local/bin/upgate && chmod +x /app/dist/cli/main.js \
  && mkdir -p /app/.upgate && chown node:node /app/.upgate
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.UPGATE_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["upgate", "serve"]
