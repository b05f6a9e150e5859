#!/usr/bin/env bash
# Runs coopchain, graph-tool and igraph side by side on the same generated
# supply networks and prints one table of medians, ratios and the targets
# of issue #19 (see bench/compare.py).
# Usage: bench/compare.sh [--repeat 3] [--large] [--large-repeat 1] [--igraph-large]
# Installs Debian's python3-graph-tool and python3-igraph for /usr/bin/python3
# when they are missing (the `python3` first on PATH may be another
# interpreter without them).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! /usr/bin/python3 -c 'import graph_tool, igraph, numpy' 2>/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-graph-tool python3-igraph python3-networkx
fi
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time; }
exec /usr/bin/python3 bench/compare.py "$@"
