#!/usr/bin/env bash
# Reads `go list -f '{{.ImportPath}} {{.Imports}}'` lines on stdin and fails
# when a package imports one of ours it must not (see DESIGN.md, STYLE.md).
set -euo pipefail
mod=github.com/coopchain/coopchain
status=0
while read -r pkg imports; do
  rel=${pkg#"$mod"}; rel=${rel#/}
  case "$rel" in
    graphmodel*)      allowed='^graphmodel' ;;
    analysis*)        allowed='^(graphmodel|analysis)' ;;
    server*)          allowed='^(graphmodel|analysis|server)' ;;
    seeds*)           allowed='^(graphmodel|seeds)' ;;
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
