#!/usr/bin/env bash
# Intake benchmark (issue: ≥ 2,000 appeals/s on SQLite; HTTP ≥ 50% of the storage baseline).
# For SQLite and PostgreSQL, in one run:
#   baseline: durable single-appeal inserts through the storage layer, 64 concurrent tasks;
#   http:     POST /api/v1/appeals, 64 keep-alive connections (wrk), p50/p99 latency.
# Usage: bench/intake.sh [seconds] [baseline appeals]   (needs wrk; PostgreSQL at $POLICE_SQUARE_TEST_PG_URL)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-15}"
baseline_appeals="${2:-30000}"
pg_admin="${POLICE_SQUARE_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo build --release -q -p police-square
cargo build --release -q -p police-square-store --features testing --example insert_bench
bin=target/release/police-square
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/bench.toml" <<TOML
key = "$(printf '%064d' 7)"
TOML

port=18480
for backend in ${BACKENDS:-sqlite postgres}; do
  if [ "$backend" = sqlite ]; then
    http_url="$work/http.db"
  else
    psql "$pg_admin" -qc "DROP DATABASE IF EXISTS ps_bench_http" -c "CREATE DATABASE ps_bench_http" >/dev/null
    http_url="${pg_admin%/*}/ps_bench_http"
  fi
  # Start each phase without the previous phase's dirty pages still being flushed.
  settle() { psql "$pg_admin" -qc CHECKPOINT >/dev/null; sync; sleep 2; }
  settle
  echo "== $backend: storage baseline (durable inserts, 64 concurrent tasks)"
  target/release/examples/insert_bench "$backend" "$baseline_appeals" 64

  echo "== $backend: HTTP POST /api/v1/appeals (wrk, 64 connections, ${secs}s)"
  POLICE_SQUARE_DATABASE_URL="$http_url" "$bin" --config "$work/bench.toml" demo --appeals 0 >/dev/null
  POLICE_SQUARE_DATABASE_URL="$http_url" POLICE_SQUARE_WORKERS=false \
    "$bin" --config "$work/bench.toml" serve --bind "127.0.0.1:$port" >"$work/server-$backend.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
  settle
  wrk -t2 -c64 -d"${secs}s" --latency -s bench/intake.lua "http://127.0.0.1:$port" | grep -E "BENCH|Non-2xx|Socket errors" || true
  kill "$server"; wait "$server" 2>/dev/null || true
  port=$((port + 1))
done
