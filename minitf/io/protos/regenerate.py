"""Regenerate the ``*_pb2.py`` modules from the ``.proto`` files beside this one.

Run from the repository root::

    python -m minitf.io.protos.regenerate

The generated modules are kept in the repository, so users need only the
protobuf runtime, not a compiler. ``grpcio-tools`` supplies ``protoc`` (and the
``google/protobuf/*.proto`` files we import).

Why the ``-I`` is the repository root: each ``.proto`` imports the others as
``minitf/io/protos/x.proto``, so protoc writes ``from minitf.io.protos import
x_pb2`` -- imports that work wherever the ``minitf`` package is importable,
with no post-processing. The descriptor file names (``minitf/io/protos/...``)
and the proto package (``minitf.tf``) also keep our messages apart from the
real TensorFlow's (``tensorflow/core/...``, ``tensorflow``) in one process.
"""

from __future__ import annotations

import pathlib

HERE = pathlib.Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[2]


def regenerate(out_root: pathlib.Path = REPO_ROOT) -> list[pathlib.Path]:
    """Compile every ``.proto`` here into a ``_pb2.py`` module; return the modules' paths.

    By default the modules land next to the ``.proto`` files; a test passes
    another ``out_root`` to check that the committed modules are up to date.
    """
    import grpc_tools
    from grpc_tools import protoc

    well_known = pathlib.Path(grpc_tools.__file__).parent / "_proto"
    protos = sorted(p.relative_to(REPO_ROOT).as_posix() for p in HERE.glob("*.proto"))
    args = ["protoc", f"-I{REPO_ROOT}", f"-I{well_known}", f"--python_out={out_root}", *protos]
    status = protoc.main(args)
    if status != 0:
        raise RuntimeError(f"protoc failed with status {status}")
    return [pathlib.Path(out_root) / p.replace(".proto", "_pb2.py") for p in protos]


def main() -> None:
    modules = regenerate()
    print(f"generated {len(modules)} modules in {HERE.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
