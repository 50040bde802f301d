"""``tf.saved_model.signature_def_utils``: SignatureDefs, the named inputs and outputs of a model.

A SignatureDef says "feed a tensor of this dtype and shape as ``x``, read
``y``": TensorFlow Serving (and anyone loading the model) finds the tensors
by these keys instead of by graph node names.
"""

from __future__ import annotations

from ..io.protos import meta_graph_pb2
from . import signature_constants
from .utils import build_tensor_info


def build_signature_def(inputs=None, outputs=None, method_name=None) -> meta_graph_pb2.SignatureDef:
    """A SignatureDef from dicts of key → TensorInfo and a method name."""
    signature_def = meta_graph_pb2.SignatureDef()
    for key, info in (inputs or {}).items():
        signature_def.inputs[key].CopyFrom(info)
    for key, info in (outputs or {}).items():
        signature_def.outputs[key].CopyFrom(info)
    if method_name is not None:
        signature_def.method_name = method_name
    return signature_def


def predict_signature_def(inputs, outputs) -> meta_graph_pb2.SignatureDef:
    """The Predict signature: dicts of key → Tensor for inputs and outputs."""
    if not inputs:
        raise ValueError("Prediction inputs cannot be None or empty.")
    if not outputs:
        raise ValueError("Prediction outputs cannot be None or empty.")
    return build_signature_def({k: build_tensor_info(t) for k, t in inputs.items()},
                               {k: build_tensor_info(t) for k, t in outputs.items()},
                               signature_constants.PREDICT_METHOD_NAME)


def regression_signature_def(examples, predictions) -> meta_graph_pb2.SignatureDef:
    """The Regress signature: one input (serialized examples) and one output."""
    if examples is None:
        raise ValueError("Regression examples cannot be None.")
    if predictions is None:
        raise ValueError("Regression predictions cannot be None.")
    return build_signature_def({signature_constants.REGRESS_INPUTS: build_tensor_info(examples)},
                               {signature_constants.REGRESS_OUTPUTS: build_tensor_info(predictions)},
                               signature_constants.REGRESS_METHOD_NAME)


def is_valid_signature(signature_def) -> bool:
    """Whether ``signature_def`` has a method name, and inputs and outputs that name tensors."""
    if not signature_def.method_name or not signature_def.inputs or not signature_def.outputs:
        return False
    infos = list(signature_def.inputs.values()) + list(signature_def.outputs.values())
    return all(info.WhichOneof("encoding") is not None and info.dtype != 0 for info in infos)
