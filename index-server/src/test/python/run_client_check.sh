#!/usr/bin/env bash
# Calls a running Segue server from Python: generates message classes from the .proto files with the given
# protoc (3.21.x, whose output matches Debian's python3-protobuf 4.21), installs Debian's python3-grpcio and
# python3-protobuf when missing, then runs client_check.py.
# Usage: run_client_check.sh PROTOC PROTO_DIR HEALTH_PROTO_DIR OUT_DIR TARGET TOKEN SEED_URI
set -euo pipefail
protoc="$1"; proto_dir="$2"; health_dir="$3"; out="$4"; target="$5"; token="$6"; seed="$7"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python=/usr/bin/python3   # Debian's python: the apt packages install into it, not into a pyenv python

if ! "$python" -c 'import grpc, google.protobuf' 2>/dev/null; then
  echo "installing python3-grpcio and python3-protobuf with apt-get" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "python3-grpcio/python3-protobuf are missing and this user cannot apt-get install them" >&2
    exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq python3-grpcio python3-protobuf >&2
fi

mkdir -p "$out"
chmod +x "$protoc"
# health.proto sits at the root of its folder: a generated grpc/health package would be shadowed by grpcio.
"$protoc" --python_out="$out" -I "$proto_dir" -I "$health_dir" segue.proto health.proto
PYTHONPATH="$out" "$python" "$here/client_check.py" "$target" "$token" "$seed"
