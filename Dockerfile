# One image for the three services; docker-compose picks the service with SERVICE.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json pnpm-workspace.yaml pnpm-lock.yaml ./
COPY contracts/package.json contracts/
COPY infra/package.json infra/
COPY services/registry/package.json services/registry/
COPY services/referrals/package.json services/referrals/
COPY services/matching/package.json services/matching/
RUN npx --yes pnpm@10.34.9 install --prod=false

FROM deps AS build
COPY . .
RUN npx --yes pnpm@10.34.9 typecheck

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app /app
RUN useradd --system --uid 10001 estia && mkdir -p /app/data && chown estia /app/data
USER estia
ARG SERVICE=registry
ENV SERVICE=${SERVICE}
CMD ["sh", "-c", "exec node --import tsx services/${SERVICE}/src/main.ts"]
