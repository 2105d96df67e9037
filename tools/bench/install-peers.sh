#!/usr/bin/env bash
# Installs the ANN peers that `segue bench ann --peers` runs side by side with Segue: C++ hnswlib and FAISS,
# as Debian packages for the system Python (/usr/bin/python3, not a pyenv or venv python3 on PATH).
#
# usage: tools/bench/install-peers.sh        (as root, or through sudo)
set -euo pipefail
if [ "$(id -u)" != 0 ]; then
  echo "install-peers.sh: needs root (apt-get install); try: sudo $0" >&2
  exit 2
fi
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-hnswlib python3-faiss python3-numpy
/usr/bin/python3 -c 'import hnswlib, faiss, numpy; print("peers installed: hnswlib", getattr(hnswlib, "__version__", "?"), "faiss", faiss.__version__)'
