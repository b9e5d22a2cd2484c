#!/bin/bash
# Exit 0 when the store answers GET /health with 200.
exec 3<>/dev/tcp/127.0.0.1/"${PORT:-8000}" || exit 1
printf 'GET /health HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 2 status <&3 || exit 1
[[ $status == "HTTP/1."?" 200 "* ]]
