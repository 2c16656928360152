#!/bin/bash
# Issue 18, Build 3: the Fastify prototype measured against Express, the same build on both adapters.
# Nothing in the repo changes: the prototype is built outside it (DIR), from BASE plus prototype.patch,
# with the Fastify packages installed there (not in the repo's node_modules).
#   bash bench/fastify-adapter/reproduce.sh [DIR] [BASE]
# then, from DIR/app, each under the bench lock, adapters alternating (express, fastify, fastify, express, …):
#   HTTP_ADAPTER=fastify flock /tmp/bench.lock node dist-bench/bench/run.js --sizes 100000 \
#     --only case-detail,referral-detail,provider-inbox,directory-suggestions,referral-create --out ../fastify-1.md
#   (HTTP_ADAPTER=express for Express; add EXPRESS_ETAG=off for Express without its ETag)
# and the adapter's own share, on a copy of the 100k dataset (CREATE DATABASE x TEMPLATE tawjih_bench_100000_g4):
#   flock /tmp/bench.lock node bench/adapter-floor.mjs postgres://postgres@127.0.0.1:5432/x 10 express fastify fastify express
#   flock /tmp/bench.lock node bench/adapter-profile.mjs postgres://postgres@127.0.0.1:5432/x fastify /api/v1/me 10
set -euo pipefail
REPO=$(git rev-parse --show-toplevel)
DIR=${1:-/tmp/fastify-proto}
BASE=${2:-646cae3}
rm -rf "$DIR"
mkdir -p "$DIR/app" "$DIR/deps"
git -C "$REPO" archive "$BASE" | tar -x -C "$DIR/app"
(cd "$DIR/app" && patch -p1 < "$REPO/bench/fastify-adapter/prototype.patch")
# The repo's packages one level up (so the app and the adapter share one @nestjs/core)...
ln -s "$(realpath "$REPO/node_modules")" "$DIR/node_modules"
# ...and the adapter's own, without its peers (they resolve to the repo's through the link above).
echo '{ "private": true }' > "$DIR/deps/package.json"
(cd "$DIR/deps" && npm install --no-save --no-audit --no-fund --legacy-peer-deps \
  @nestjs/platform-fastify@12.5.0 fastify@5.12.8 @fastify/helmet@13.2.0 @fastify/cookie@11.1.5 @fastify/rate-limit@11.2.0 @fastify/static@10.1.11)
mkdir -p "$DIR/app/node_modules/@nestjs"
ln -s ../../deps/node_modules/fastify "$DIR/app/node_modules/fastify"
ln -s ../../deps/node_modules/@fastify "$DIR/app/node_modules/@fastify"
ln -s ../../../deps/node_modules/@nestjs/platform-fastify "$DIR/app/node_modules/@nestjs/platform-fastify"
cd "$DIR/app"
"$DIR/node_modules/.bin/nest" build
npm run bench:build
echo "Built in $DIR/app: run the bench there with HTTP_ADAPTER=express|fastify (see the header of this script)."
