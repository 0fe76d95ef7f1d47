#!/usr/bin/env bash
# Staff inbox page and dashboard with a large database (issue: p99 < 100 ms with
# 1,000,000 appeals). Loads the demo into a fresh SQLite file unless DB is given,
# logs in as a station handler and as the city leader, and runs wrk against
# /staff (inbox page), /api/v1/appeals, /staff/dashboard and /api/v1/dashboard.
# Usage: [CONNS=8] bench/console.sh [appeals=1000000] [seconds=15] [existing-db-path]
set -euo pipefail
cd "$(dirname "$0")/.."
appeals="${1:-1000000}"; secs="${2:-15}"; db="${3:-}"
cargo build --release -q -p police-square
bin="$PWD/target/release/police-square"
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export POLICE_SQUARE_KEY="$(printf '%064d' 7)" POLICE_SQUARE_DEMO_PASSWORD=bench-password-2026
if [ -z "$db" ]; then
  db="$work/console.db"
  (cd "$work" && POLICE_SQUARE_DATABASE_URL="$db" "$bin" demo --appeals "$appeals" | tail -n 3)
fi
port=18580
(cd "$work" && POLICE_SQUARE_DATABASE_URL="$db" POLICE_SQUARE_WORKERS=false \
  "$bin" serve --bind "127.0.0.1:$port" >"$work/server.log" 2>&1) &
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
base="http://127.0.0.1:$port"

cookie_for() {
  curl -s -c - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"$POLICE_SQUARE_DEMO_PASSWORD\"}" "$base/api/v1/login" \
    | awk '$6 == "ps_session" {print "ps_session=" $7}'
}
to_ms=$(( $(date +%s) * 1000 )); from_ms=$(( to_ms - 30 * 86400000 ))
for who in handler.aishan supervisor leader; do
  cookie=$(cookie_for "$who")
  [ -n "$cookie" ] || { echo "login failed for $who" >&2; exit 1; }
  for path in /staff /api/v1/appeals "/staff?overdue=1" /staff/dashboard "/api/v1/dashboard?from=$from_ms&to=$to_ms"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$base$path")
    printf '%-15s %-45s status=%s ' "$who" "$path" "$code"
    wrk -t1 -c"${CONNS:-8}" -d"${secs}s" --latency -H "Cookie: $cookie" "$base$path" \
      | awk '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {printf "rps=%s p50=%s p99=%s\n", rps, p50, p99}'
  done
done
