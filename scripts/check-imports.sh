#!/usr/bin/env bash
# Reads `go list -f '{{.ImportPath}} {{.Imports}}'` lines on stdin and fails
# when a package imports one of ours it must not (see DESIGN.md, STYLE.md and
# the package diagram in README.md).
#
#   graphmodel            the domain: imports nothing of ours
#   tabular, exchange     file-format adapters: the domain (exchange also
#                         analysis, for report sheets)
#   sqlstore              storage adapter: the domain only
#   analysis              the domain and its own kernels
#   diagram               the domain, analysis, exchange (DOT quoting)
#   chart                 nothing of ours (SVG charts and the regions' map)
#   seeds                 the domain and tabular (the embedded CSV files)
#   app                   the use cases: the domain, analysis, diagram, chart and
#                         the file-format adapters; never a storage adapter
#                         (the store comes in through graphmodel's interfaces)
#   server, server/*      HTTP (the API, the web UI, their plumbing): the
#                         domain, analysis, diagram, chart, app; never a storage or
#                         file-format adapter
#   cmd                   anything (it wires)
set -euo pipefail
mod=github.com/coopchain/coopchain
status=0
while read -r pkg imports; do
  rel=${pkg#"$mod"}; rel=${rel#/}
  case "$rel" in
    graphmodel*)      allowed='^graphmodel$' ;;
    tabular*)         allowed='^(graphmodel|tabular)' ;;
    exchange*)        allowed='^(graphmodel|tabular|exchange|analysis$)' ;;
    sqlstore*)        allowed='^(graphmodel|sqlstore)' ;;
    analysis*)        allowed='^(graphmodel$|analysis)' ;;
    diagram*)         allowed='^(graphmodel$|analysis$|exchange$|diagram)' ;;
    chart*)           allowed='^chart' ;;
    seeds*)           allowed='^(graphmodel$|tabular$|seeds)' ;;
    app*)             allowed='^(graphmodel$|analysis|diagram$|chart$|exchange$|tabular$|app)' ;;
    server*)          allowed='^(graphmodel$|analysis|diagram$|chart$|app$|server)' ;;
    *)                continue ;;
  esac
  for imp in $imports; do
    case "$imp" in "$mod"/*) ;; *) continue ;; esac
    dep=${imp#"$mod"/}
    if ! [[ "$dep" =~ $allowed ]]; then
      echo "dependency direction: $rel must not import $dep" >&2
      status=1
    fi
  done
done
exit $status
