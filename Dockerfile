# One image for every role: ROLE=api, ROLE=worker, or ROLE=all (the default).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
EXPOSE 3000
# A larger young generation: fewer scavenges in a burst of publishes (see the README).
CMD ["node", "--max-semi-space-size=32", "dist/apps/all/src/main.js"]
