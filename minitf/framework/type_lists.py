"""TensorFlow's allowed-dtype lists, for ``OpDef.type_constraints``.

Each op in TF's registry says which dtypes its type attrs take (``attr("T: {half,
float, double}")`` in ``tensorflow/core/ops/*.cc``).  When a Python op function
gets a tensor of another dtype, TF raises at graph-build time::

    TypeError: Value passed to parameter 'x' has DataType int32 not in list of
    allowed values: bfloat16, float16, float32, float64, complex64, complex128

and prints the op's list in the op's own order, dtypes minitf does not have
(complex64, bfloat16, qint8, ...) included.  So the lists are kept here as TF
prints them, by dtype name.  Recorded from TensorFlow 2.21's op registry
(``op_def_registry.get(op_type)``, ``allowed_values`` of each input's type
attr); tests/ops/test_type_constraints.py checks them against TF when it is
installed.  Many ops spell the same set in a different order, hence lists
named after the ops that use them.
"""

# Axes, shapes, paddings, permutations, class labels: TF's {int32, int64}.
INDEX = ("int32", "int64")
INDEX_WITH_INT16 = ("int16", "int32", "int64")          # ArgMax's dimension, gather indices
SPLIT_SIZES = ("int8", "int32", "int64")                # SplitV's size_splits

# TF's ``numbertypes``: reductions Sum/Mean/Prod, BiasAdd.
NUMBER = ("float32", "float64", "int32", "uint8", "int16", "int8", "complex64", "int64", "qint8",
          "quint8", "qint32", "bfloat16", "qint16", "quint16", "uint16", "complex128", "float16",
          "uint32", "uint64")
# AddN also sums variants (TensorList); Where also takes bool.
ADD_N = NUMBER + ("variant",)
WHERE = NUMBER + ("bool",)

# TF's ``realnumbertypes``: comparisons, Relu6.
REAL_NUMBER = ("float32", "float64", "int32", "uint8", "int16", "int8", "int64", "bfloat16", "uint16",
               "float16", "uint32", "uint64")
RELU = REAL_NUMBER + ("qint8",)
REDUCE_MIN_MAX = REAL_NUMBER + ("qint8", "quint8", "qint32", "qint16", "quint16")
ARG_MIN_MAX = REDUCE_MIN_MAX + ("bool",)

# Floating point only: softmax, the xent ops, softplus, elu, L2Loss (TF's ``floatingpointtypes``).
FLOAT = ("float16", "bfloat16", "float32", "float64")
# The same set in the order Floor, Ceil, IsNan, IsInf, IsFinite list it.
FLOAT_ROUNDING = ("bfloat16", "float16", "float32", "float64")
# Transcendental functions: Exp, Log, Sqrt, Sigmoid, Tanh, Sin, Cos, and their gradients.
FLOAT_COMPLEX = ("bfloat16", "float16", "float32", "float64", "complex64", "complex128")
DIV_NO_NAN = ("float16", "float32", "bfloat16", "float64", "complex64", "complex128")

# Signed numbers: Neg, Reciprocal, Round, Sign.
SIGNED = ("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "complex64",
          "complex128")
POW = ("bfloat16", "float32", "float16", "float64", "int8", "int16", "int32", "int64", "complex64",
       "complex128")
ABS = ("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64")
SQUARED_DIFFERENCE = ("bfloat16", "float16", "float32", "float64", "int32", "int64", "complex64",
                      "complex128")

# The arithmetic ops, each with its own order.
ADD_V2 = ("bfloat16", "float16", "float32", "float64", "uint8", "uint16", "uint32", "uint64", "int8",
          "int16", "int32", "int64", "complex64", "complex128")
SUB = ("bfloat16", "float16", "float32", "float64", "uint8", "int8", "uint16", "int16", "int32", "int64",
       "complex64", "complex128", "uint32", "uint64")
MUL_DIV = ("bfloat16", "float16", "float32", "float64", "uint8", "int8", "uint16", "int16", "int32",
           "uint32", "uint64", "int64", "complex64", "complex128")
SQUARE = ("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8",
          "uint16", "uint32", "uint64", "complex64", "complex128")
FLOOR_MOD = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "bfloat16",
             "float16", "float32", "float64")
MIN_MAX = ("bfloat16", "float16", "float32", "float64", "int8", "uint8", "int16", "uint16", "int32",
           "uint32", "int64", "uint64")

# Matrix products.
MATMUL = ("bfloat16", "float16", "float32", "float64", "int32", "int64", "uint8", "uint16", "uint32",
          "uint64", "complex64", "complex128")
BATCH_MATMUL = ("bfloat16", "float16", "float32", "float64", "int16", "int32", "int64", "uint8", "uint16",
                "uint32", "uint64", "complex64", "complex128")

# Array ops.
ONES_LIKE = ("bfloat16", "float16", "float32", "float64", "int8", "uint8", "int16", "uint16", "int32",
             "uint32", "int64", "uint64", "complex64", "complex128", "bool")
ONE_HOT_INDICES = ("uint8", "int8", "int32", "int64")

# Convolution and pooling: Conv2D also takes int32; AvgPool and the filter gradient only floats (FLOAT).
CONV2D = ("float16", "bfloat16", "float32", "float64", "int32")
MAX_POOL = ("float16", "bfloat16", "float32", "float64", "int32", "int64", "uint8", "int16", "int8",
            "uint16", "qint8")

# Fused batch norm: V1 is float32 only; V2/V3 take half-precision images with float32 statistics
# (V3's statistics may also be bfloat16).
FLOAT32_ONLY = ("float32",)
BATCH_NORM_X = ("float16", "bfloat16", "float32")
BATCH_NORM_V3_STATS = ("bfloat16", "float32")

# Linear algebra and the n-d index ops.
QR = ("float64", "float32", "float16", "complex64", "complex128")
DIAG_PART = ("bfloat16", "float16", "float32", "float64", "int32", "int64", "complex64", "complex128")
REVERSE = ("uint8", "int8", "uint16", "int16", "int32", "uint32", "int64", "uint64", "bool", "bfloat16",
           "float16", "float32", "float64", "complex64", "complex128", "string")

# Range: numbers but no complex, no uint8 (its start, limit and delta share attr Tidx).
RANGE = ("bfloat16", "float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint16", "uint32",
         "uint64")
