#!/usr/bin/env bash
# Runs coopchain and igraph / networkx side by side on the same generated
# supply networks and prints medians and ratios (see bench/compare.py).
# Usage: bench/compare.sh [--repeat 3] [--large] [--networkx-betweenness]
# Installs Debian's python3-igraph and python3-networkx for /usr/bin/python3
# when they are missing (the `python3` first on PATH may be another
# interpreter without igraph).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import igraph, networkx' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-igraph python3-networkx
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }
exec /usr/bin/python3 bench/compare.py "$@"
