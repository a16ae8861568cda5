#!/bin/sh
# Run by the nginx image before it renders /etc/nginx/templates (20-envsubst-on-templates.sh):
# API_ORIGIN goes into a CSP header and a script, so it must be an origin and nothing else.
set -eu
case "${API_ORIGIN:-}" in
  "") exit 0 ;; # the web app calls the API on its own origin, through this server
esac
if ! printf '%s' "$API_ORIGIN" | grep -Eqx 'https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?'; then
  echo "$0: API_ORIGIN must be an origin such as https://api.example.org (no path, no trailing /), not: $API_ORIGIN" >&2
  exit 1
fi
