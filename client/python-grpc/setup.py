"""Builds segue-client: generates the Python message classes and gRPC stubs first.

The .proto files are compiled with grpcio-tools (``python -m grpc_tools.protoc`` and its gRPC plugin), which
pip installs into the isolated build environment (pyproject.toml). The package then requires the protobuf
runtime the generated code was made for (same major, at least that version) and a grpcio at least as new as
the plugin, so whatever pip installs next to it can load the stubs.

Sources: ``segue.proto`` is read from the repository (``proto/src/main/proto``, its one home);
``proto/health.proto`` is the standard grpc.health.v1 definition, copied unchanged from grpc-services 1.76.0
because it is needed without a Maven build and no package on the machine's pip index ships its Python classes
(``grpcio-health-checking`` is used instead when it is installed; see segue_client/_health.py).
Both compile into the private package ``segue_client._proto`` (imports in the stubs point there).
"""
import importlib.metadata
import importlib.resources
import pathlib
import re
import sys

from setuptools import setup

HERE = pathlib.Path(__file__).resolve().parent
SEGUE_PROTO_DIR = (HERE / ".." / ".." / "proto" / "src" / "main" / "proto").resolve()
HEALTH_PROTO_DIR = HERE / "proto"
OUT = HERE / "src"
PACKAGE = "segue_client/_proto"


def generate():
    from grpc_tools import protoc  # the build requirement; imported here so a plain `setup.py --help` needs it not

    if not (SEGUE_PROTO_DIR / "segue.proto").is_file():
        sys.exit(f"segue-client: {SEGUE_PROTO_DIR / 'segue.proto'} not found; build the package from a checkout "
                 f"of the Segue repository (pip install ./client/python-grpc)")
    include = importlib.resources.files("grpc_tools") / "_proto"  # google/protobuf/*.proto
    args = ["grpc_tools.protoc", f"-I{include}",
            # Virtual paths: the files live at segue_client/_proto/*.proto, so the stubs import
            # segue_client._proto.segue_pb2 rather than a top-level segue_pb2.
            f"-I{PACKAGE}={SEGUE_PROTO_DIR}", f"-I{PACKAGE}={HEALTH_PROTO_DIR}",
            f"--python_out={OUT}", f"--pyi_out={OUT}", f"--grpc_python_out={OUT}",
            f"{PACKAGE}/segue.proto", f"{PACKAGE}/health.proto"]
    if protoc.main(args) != 0:
        sys.exit(f"segue-client: protoc failed on {SEGUE_PROTO_DIR / 'segue.proto'} / {HEALTH_PROTO_DIR / 'health.proto'}")


def requirements():
    """protobuf >= the version the classes were generated for (same major); grpcio >= the plugin's version."""
    text = (OUT / PACKAGE / "segue_pb2.py").read_text(encoding="utf-8")
    m = re.search(r"ValidateProtobufRuntimeVersion\(\s*_runtime_version\.Domain\.PUBLIC,\s*(\d+),\s*(\d+),\s*(\d+),",
                  text)
    if m:
        major, minor, patch = (int(g) for g in m.groups())
        protobuf = f"protobuf>={major}.{minor}.{patch},<{major + 1}"
    else:  # older generators write no runtime check; ask for the runtime the build ran with
        protobuf = f"protobuf>={importlib.metadata.version('protobuf')}"
    return [f"grpcio>={importlib.metadata.version('grpcio-tools')}", protobuf]


generate()
setup(install_requires=requirements())
