"""``tf.saved_model.builder.SavedModelBuilder``: write a model directory that TensorFlow Serving loads.

A SavedModel is a directory, laid out exactly as TensorFlow lays it out::

    export_dir/
        saved_model.pb                              a SavedModel proto: MetaGraphDefs, each with tags
        variables/variables.index                   the variables' values: a V2 checkpoint
        variables/variables.data-00000-of-00001     (the same tensor bundle ``tf.train.Saver`` writes)

Unlike a checkpoint, it carries *signatures*: named inputs and outputs, so
whoever loads it can feed ``"x"`` and fetch ``"y"`` without knowing node
names.  One directory may hold several MetaGraphDefs (one for serving, one for
training...) sharing one set of variables; ``tags`` tell them apart.
"""

from __future__ import annotations

import os

from .. import tf_logging
from ..framework.graph import get_default_graph
from ..io import gfile
from ..io.atomic import atomic_write_bytes
from ..io.graph_io import refuse_python_functions
from ..io.meta_graph import export_meta_graph
from ..io.protos import saved_model_pb2
from ..train.saver import Saver
from . import constants


def _variables_prefix(export_dir: str) -> str:
    return os.path.join(export_dir, constants.VARIABLES_DIRECTORY, constants.VARIABLES_FILENAME)


class SavedModelBuilder:
    """Builds a SavedModel in ``export_dir``, which must not exist or be empty."""

    def __init__(self, export_dir):
        self._export_dir = os.fspath(export_dir)
        if gfile.exists(self._export_dir):
            if os.listdir(self._export_dir):
                raise AssertionError(
                    "Export directory already exists, and isn't empty. Please choose a different export "
                    f"directory, or delete all the contents of the specified directory: {self._export_dir}")
        else:
            os.makedirs(self._export_dir)
        self._saved_model = saved_model_pb2.SavedModel(
            saved_model_schema_version=constants.SAVED_MODEL_SCHEMA_VERSION)
        self._has_saved_variables = False

    # --- the first MetaGraphDef: the graph and the variables' values ------------------------------
    def add_meta_graph_and_variables(self, sess, tags, signature_def_map=None, assets_collection=None,
                                     legacy_init_op=None, clear_devices=False, main_op=None,
                                     strip_default_attrs=False, saver=None):
        """Save ``sess``'s variables under ``variables/`` and add its graph, tagged ``tags``."""
        if self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has already been saved. "
                                 "Please invoke `add_meta_graph()` instead.")
        self._check_signatures(signature_def_map)
        self._add_init_op(sess.graph, main_op, legacy_init_op)
        os.makedirs(os.path.dirname(_variables_prefix(self._export_dir)), exist_ok=True)
        with sess.graph.as_default():
            saver = saver or Saver(allow_empty=True)
        tf_logging.info("No assets to save.")         # (minitf writes no assets/ directory, as TF without assets)
        tf_logging.info("No assets to write.")
        if saver.saver_def is not None:
            saver.save(sess, _variables_prefix(self._export_dir), write_meta_graph=False, write_state=False)
        self._add_meta_graph(sess.graph, saver, tags, signature_def_map, clear_devices)
        self._has_saved_variables = True

    # --- more MetaGraphDefs of the same variables ------------------------------------------------------
    def add_meta_graph(self, tags, signature_def_map=None, assets_collection=None, legacy_init_op=None,
                       clear_devices=False, main_op=None, strip_default_attrs=False, saver=None):
        """Add the default graph, tagged ``tags``, restoring the variables saved by the first call."""
        if not self._has_saved_variables:
            raise AssertionError("Graph state including variables and assets has not been saved yet. "
                                 "Please invoke `add_meta_graph_and_variables()` first.")
        self._check_signatures(signature_def_map)
        graph = get_default_graph()
        self._add_init_op(graph, main_op, legacy_init_op)
        with graph.as_default():
            saver = saver or Saver(allow_empty=True)
        self._add_meta_graph(graph, saver, tags, signature_def_map, clear_devices)

    def save(self, as_text=False) -> bytes:
        """Write ``saved_model.pb`` (or ``.pbtxt``); return its path (bytes, as TF does)."""
        from google.protobuf import text_format
        name = constants.SAVED_MODEL_FILENAME_PBTXT if as_text else constants.SAVED_MODEL_FILENAME_PB
        path = os.path.join(self._export_dir, name)
        data = (text_format.MessageToString(self._saved_model).encode("utf-8") if as_text
                else self._saved_model.SerializeToString())
        atomic_write_bytes(path, data)
        tf_logging.info("SavedModel written to: %s", path)
        return path.encode("utf-8")

    # --- helpers -----------------------------------------------------------------------------------------
    def _add_meta_graph(self, graph, saver, tags, signature_def_map, clear_devices) -> None:
        meta = export_meta_graph(graph, saver_def=saver.saver_def, clear_devices=clear_devices)
        refuse_python_functions(meta.graph_def, "save the SavedModel")
        meta.meta_info_def.tags.extend([tags] if isinstance(tags, str) else list(tags))
        for key, signature_def in (signature_def_map or {}).items():
            meta.signature_def[key].CopyFrom(signature_def)
        self._saved_model.meta_graphs.add().CopyFrom(meta)

    @staticmethod
    def _check_signatures(signature_def_map) -> None:
        for key, signature_def in (signature_def_map or {}).items():
            if key in (constants.INIT_OP_SIGNATURE_KEY, constants.TRAIN_OP_SIGNATURE_KEY):
                raise KeyError(f"SignatureDef map key \"{key}\" is reserved for the init or train op.")
            for info in list(signature_def.inputs.values()) + list(signature_def.outputs.values()):
                if info.WhichOneof("encoding") is None:
                    raise AssertionError("All TensorInfo protos used in the SignatureDefs must have one of "
                                         f"the 'encoding' fields (e.g., name or coo_sparse) set: {info}")
                if info.dtype == 0:
                    raise AssertionError("All TensorInfo protos used in the SignatureDefs must have the "
                                         f"dtype field set: {info}")

    @staticmethod
    def _add_init_op(graph, main_op, legacy_init_op) -> None:
        """The op the loader runs after restoring (TF keeps it in a collection of the graph)."""
        if main_op is not None and legacy_init_op is not None:
            raise ValueError("Both main_op and legacy_init_op are set; use only one.")
        op, key = (main_op, constants.MAIN_OP_KEY) if main_op is not None else \
            (legacy_init_op, constants.LEGACY_INIT_OP_KEY)
        if op is not None:
            op = getattr(op, "op", op)
            collection = graph.get_collection_ref(key)
            collection[:] = [op]


Builder = SavedModelBuilder
