"""Record TF's input and output argument names for minitf's ops (run with TensorFlow installed).

A FunctionDef body names tensors as ``node:output_arg:index`` (``MatMul:product:0``),
so writing and reading functions needs each op's output argument names from TF's
op registry.  This prints ``minitf/io/op_args.py``:

    PYTHONPATH=. python -c "import minitf; from minitf.framework.registry import registered_ops; \
        print(' '.join(registered_ops()))" > /tmp/ops.txt
    /tmp/tfvenv/bin/python tools/record_op_args.py /tmp/ops.txt > minitf/io/op_args.py
"""

import sys

from tensorflow.python.framework import op_def_registry

names = open(sys.argv[1]).read().split()
print('"""TF\'s output argument names per op type (recorded by tools/record_op_args.py; do not edit).')
print()
print("Each entry: (name, count) per output argument; count is None for one tensor, or the attr")
print('that says how many (a number attr like "num_split", or a type-list attr like "Tout").')
print('"""')
print()
print("OUTPUT_ARGS = {")
for name in names:
    op_def = op_def_registry.get(name)
    if op_def is None:
        continue
    args = []
    for a in op_def.output_arg:
        count = a.number_attr or a.type_list_attr or None
        args.append((a.name, count))
    print(f"    {name!r}: {tuple(args)!r},")
print("}")
