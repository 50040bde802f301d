"""``tf.saved_model.simple_save``: the one-call SavedModel for serving (TF 1.x's convenience)."""

from __future__ import annotations

from . import signature_constants, tag_constants
from .builder import SavedModelBuilder
from .signature_def_utils import predict_signature_def


def simple_save(session, export_dir, inputs, outputs, legacy_init_op=None) -> None:
    """Save ``session``'s graph and variables to ``export_dir``, tagged "serve", with one Predict signature.

    ``inputs`` and ``outputs`` map keys to Tensors (``{"x": x}``, ``{"y": y}``);
    the signature is stored under "serving_default". Devices are cleared.
    """
    signature_def_map = {
        signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: predict_signature_def(inputs, outputs)}
    builder = SavedModelBuilder(export_dir)
    builder.add_meta_graph_and_variables(
        session, tags=[tag_constants.SERVING], signature_def_map=signature_def_map,
        main_op=legacy_init_op, clear_devices=True)
    builder.save()
