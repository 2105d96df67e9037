"""Generated at build time from segue.proto and health.proto by grpcio-tools (see setup.py); not in git."""
