# One image for every part of Lern: `lern service <name>`, `lern job <name>`, `lern migrate <store>`,
# `lern operator`. The image tag is the Lern version and names the schema version set it migrates to.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# Node 24 runs the TypeScript sources directly (type stripping), so there is no compile step;
# the pinned `node` devDependency is not needed inside a Node 24 image.
RUN npm ci --omit=dev --no-audit --no-fund && rm -rf test bench .ci

FROM node:24-bookworm-slim
WORKDIR /app
COPY --from=build /app /app
# Non-root, and nothing is written at run time: the operator mounts the root filesystem read-only.
USER 65532:65532
ENV NODE_ENV=production
ENTRYPOINT ["/app/bin/lern"]
CMD ["--help"]
