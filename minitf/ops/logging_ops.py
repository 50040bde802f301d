"""Printing from inside a graph: ``tf.Print`` (op Print) and ``tf.print`` (ops StringFormat + PrintV2).

A ``print()`` in graph-building code runs once, when the graph is built, and
shows a symbolic Tensor.  To see *values* you need an op that prints when it
runs.  ``tf.Print(x, data)`` returns ``x`` unchanged and prints ``data`` each
time it is evaluated (so use its result, or nothing prints); ``tf.print``
returns an op you run (or put in ``control_dependencies``).  Both write to
standard error like TF, and format values the way TF's C++ does
(``Tensor::SummarizeValue``): floats at the shortest precision that reads
back the same, ``summarize`` entries per dimension.
"""

from __future__ import annotations

import sys

import numpy as np

from ..framework import dtypes
from ..framework.op_builder import apply_op
from ..framework.registry import register_op
from ..framework.scopes import name_scope
from ..framework.tensor import Tensor
from ..framework.tensor_shape import TensorShape
from .constant_op import convert_to_tensor


# --- one element as TF writes it -----------------------------------------------------------------
def format_element(value, quote_strings: bool = False) -> str:
    """TF's PrintOneElement: %g at FLT_DIG/DBL_DIG digits, more only when needed to read back the same."""
    if isinstance(value, (bytes, str)):
        text = value.decode("utf-8", "backslashreplace") if isinstance(value, bytes) else value
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"' \
            if quote_strings else text
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, np.floating):
        short, long_ = (6, 9) if value.dtype.itemsize <= 4 else (15, 17)
        text = f"{float(value):.{short}g}"
        if value.dtype.type(float(text)) != value and np.isfinite(value):
            text = f"{float(value):.{long_}g}"
        return text
    return str(value)


# --- tf.Print's format: the first ``limit`` entries, nested, then "..." -------------------------------
def summarize_legacy(array: np.ndarray, limit: int) -> str:
    """``Tensor::SummarizeValue(limit)`` as tf.Print shows it: ``[1.5 2][3.25...]...``."""
    flat = array.reshape(-1)
    limit = flat.size if limit < 0 else min(limit, flat.size)
    if array.ndim == 0:
        text = " ".join(format_element(v) for v in flat[:limit])
    else:
        parts, count = [], [0]
        _one_dim_legacy(0, array.shape, limit, flat, count, parts)
        text = "".join(parts)
    return text + ("..." if flat.size > limit else "")


def _one_dim_legacy(dim, shape, limit, flat, count, out):
    if count[0] >= limit:
        return
    if dim == len(shape) - 1:
        for i in range(shape[dim]):
            if count[0] >= limit:
                if dim != 0:
                    out.append("...")
                return
            out.append((" " if i else "") + format_element(flat[count[0]]))
            count[0] += 1
        return
    for _ in range(shape[dim]):
        opened = count[0] < limit
        if opened:
            out.append("[")
        _one_dim_legacy(dim + 1, shape, limit, flat, count, out)
        if count[0] < limit or opened:
            out.append("]")


# --- tf.print's format: numpy-like, with ``summarize`` entries at each end of every dimension -----------
def summarize(array: np.ndarray, summarize_: int) -> str:
    """``Tensor::SummarizeValue(summarize, print_v2=true)``: ``[0 1 2 ... 7 8 9]``."""
    flat = array.reshape(-1)
    ends = flat.size if summarize_ < 0 else min(summarize_, flat.size)
    if array.ndim == 0:
        return format_element(flat[0], quote_strings=True) if flat.size else ""
    out = []
    _one_dim(0, array.shape, ends, flat, 0, out)
    return "".join(out)


def _spacing(dim, ndims) -> str:
    return " " if dim == ndims - 1 else "\n" * (ndims - dim - 1) + " " * (dim + 1)


def _one_dim(dim, shape, ends, flat, start, out):
    if dim == len(shape):
        out.append(format_element(flat[start], quote_strings=True))
        return
    out.append("[")
    count = shape[dim]
    step = int(np.prod(shape[dim + 1:], dtype=np.int64))
    head = list(range(min(ends, count)))
    for i in head:
        if i:
            out.append(_spacing(dim, len(shape)))
        _one_dim(dim + 1, shape, ends, flat, start + step * i, out)
    if count > 2 * ends:
        out.append(_spacing(dim, len(shape)) + "...")
    for i in range(max(ends, count - ends), count):
        out.append(_spacing(dim, len(shape)))
        _one_dim(dim + 1, shape, ends, flat, start + step * i, out)
    out.append("]")


def _as_text(value) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


# --- Print ---------------------------------------------------------------------------------------------
def _print_kernel(op, runtime):
    message, first_n, limit = op.get_attr("message"), op.get_attr("first_n"), op.get_attr("summarize")
    printed = [0]           # per plan: TF counts per kernel instance too

    def print_fn(x, *data):
        if first_n < 0 or printed[0] < first_n:
            printed[0] += 1
            text = _as_text(message) + "".join(f"[{summarize_legacy(np.asarray(d), limit)}]" for d in data)
            print(text, file=sys.stderr, flush=True)
        return x
    return print_fn


register_op("Print", lambda ctx: (ctx.shape(0), ctx.dtype(0)), kernel=_print_kernel,
            grad=lambda op, g: [g] + [None] * (len(op.inputs) - 1),
            attrs=("T", "U", "message", "first_n", "summarize"), stateful=True)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802 - TF's name
    """``input_``, unchanged; running it prints ``message`` and the values of ``data`` to stderr."""
    input_ = convert_to_tensor(input_, name="input_")
    data = [convert_to_tensor(d) for d in (data or [])]
    attrs = {"T": input_.dtype.base_dtype, "U": [d.dtype.base_dtype for d in data],
             "message": message or "", "first_n": -1 if first_n is None else int(first_n),
             "summarize": 3 if summarize is None else int(summarize)}
    return apply_op("Print", [input_] + data, attrs, name=name or "Print")


# --- StringFormat and PrintV2 -----------------------------------------------------------------------------
def _string_format_kernel(op, runtime):
    pieces = _as_text(op.get_attr("template")).split(_as_text(op.get_attr("placeholder")))
    limit = op.get_attr("summarize")

    def string_format(*values):
        text = pieces[0]
        for value, piece in zip(values, pieces[1:]):
            text += summarize(np.asarray(value), limit) + piece
        return np.array(text.encode("utf-8"), dtype=object)
    return string_format


def _string_format_infer(ctx):
    template, placeholder = _as_text(ctx.attr("template")), _as_text(ctx.attr("placeholder"))
    if template.count(placeholder) != len(ctx.shapes):
        raise ValueError(f"num placeholders in template and num inputs must match: "
                         f"{template.count(placeholder)} vs. {len(ctx.shapes)}")
    return TensorShape([]), dtypes.string


register_op("StringFormat", _string_format_infer, kernel=_string_format_kernel,
            attrs=("T", "template", "placeholder", "summarize"), differentiable=False)

_STREAMS = {"stderr": lambda: sys.stderr, "stdout": lambda: sys.stdout,
            "log(info)": lambda: sys.stderr, "log(warning)": lambda: sys.stderr,
            "log(error)": lambda: sys.stderr}


def _print_v2_kernel(op, runtime):
    stream, end = _as_text(op.get_attr("output_stream")), _as_text(op.get_attr("end"))

    def print_v2(text):
        _STREAMS[stream]().write(_as_text(np.asarray(text).item()) + end)
        _STREAMS[stream]().flush()
    return print_v2


def _print_v2_infer(ctx):
    if _as_text(ctx.attr("output_stream")) not in _STREAMS:
        raise ValueError(f"{ctx.attr('output_stream')} is not a supported output stream for PrintV2; "
                         f"use one of {sorted(_STREAMS)}")
    return []


register_op("PrintV2", _print_v2_infer, kernel=_print_v2_kernel, attrs=("output_stream", "end"),
            stateful=True, differentiable=False, num_inputs=1)


def _stream_name(output_stream) -> str:
    if output_stream is None or output_stream in (sys.stderr, sys.__stderr__):
        return "stderr"
    if output_stream in (sys.stdout, sys.__stdout__):
        return "stdout"
    if callable(output_stream) and getattr(output_stream, "__module__", "").endswith("logging") \
            and output_stream.__name__ in ("info", "warning", "error"):
        return f"log({output_stream.__name__})"         # tf.logging.info, as TF accepts
    if isinstance(output_stream, str) and output_stream in _STREAMS:
        return output_stream
    raise ValueError(f"Unsupported output stream, logging level, or file.{output_stream}. "
                     "Supported streams are sys.stdout, sys.stderr, tf.logging.info, "
                     "tf.logging.warning, tf.logging.error.")


def _template_for(value, tensors: list) -> str:
    """The text of one argument, with "{}" where a tensor's value goes (lists and dicts kept)."""
    if isinstance(value, Tensor) or hasattr(value, "_is_eager_tensor"):
        tensors.append(value)
        return "{}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {_template_for(v, tensors)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)) and any(isinstance(v, Tensor) for v in value):
        inner = ", ".join(_template_for(v, tensors) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return str(value)


def print_v2(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print``: an op that prints its inputs (tensors' values, other things as str) when run.

    ``output_stream``: ``sys.stderr`` (the default), ``sys.stdout``, or ``tf.logging.info`` /
    ``warning`` / ``error`` (written to stderr).
    """
    stream = _stream_name(output_stream)
    with name_scope(name, "PrintV2"):
        tensors: list = []
        template = sep.join(_template_for(v, tensors) for v in inputs)
        formatted = apply_op("StringFormat", tensors,
                             {"T": [t.dtype.base_dtype for t in tensors], "template": template,
                              "placeholder": "{}", "summarize": int(summarize)}, name="StringFormat")
        return apply_op("PrintV2", [formatted], {"output_stream": stream, "end": end}, name="PrintV2")
