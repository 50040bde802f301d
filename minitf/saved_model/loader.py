"""``tf.saved_model.loader.load``: bring a SavedModel's graph and variables into a session.

It picks the MetaGraphDef whose tags are exactly the ones asked for, imports
its graph into ``sess.graph``, restores the variables from
``variables/variables``, runs the model's init op if it has one, and returns
the MetaGraphDef, whose ``signature_def`` map names the tensors to feed and
fetch.

The graph's own save/restore nodes are left out of the import: TensorFlow's
sharded Saver uses string ops minitf does not have (``ShardedFilename``,
``MergeV2Checkpoints``...), and restoring needs only the variables' names.  A
minitf ``Saver`` over the imported variables reads the same checkpoint.
"""

from __future__ import annotations

import os

from google.protobuf import message, text_format

from ..io import gfile
from ..io.graph_io import import_graph_def
from ..io.protos import meta_graph_pb2, saved_model_pb2
from ..ops.variables import global_variables
from ..train.meta_graph_import import _restore_collections
from ..train.saver import Saver
from . import constants


def maybe_saved_model_directory(export_dir) -> bool:
    """Whether ``export_dir`` holds a ``saved_model.pb`` or ``saved_model.pbtxt``."""
    export_dir = os.fspath(export_dir)
    return any(gfile.exists(os.path.join(export_dir, name))
               for name in (constants.SAVED_MODEL_FILENAME_PB, constants.SAVED_MODEL_FILENAME_PBTXT))


contains_saved_model = maybe_saved_model_directory


def parse_saved_model(export_dir) -> saved_model_pb2.SavedModel:
    """Read ``saved_model.pb`` (binary) or ``saved_model.pbtxt`` (text) from ``export_dir``."""
    export_dir = os.fspath(export_dir)
    pb = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PB)
    pbtxt = os.path.join(export_dir, constants.SAVED_MODEL_FILENAME_PBTXT)
    saved_model = saved_model_pb2.SavedModel()
    try:
        if gfile.exists(pb):
            with open(pb, "rb") as f:
                saved_model.ParseFromString(f.read())
        elif gfile.exists(pbtxt):
            with open(pbtxt, encoding="utf-8") as f:
                text_format.Merge(f.read(), saved_model)
        else:
            raise IOError(f"SavedModel file does not exist at: {export_dir}/"
                          f"{{{constants.SAVED_MODEL_FILENAME_PBTXT}|{constants.SAVED_MODEL_FILENAME_PB}}}")
    except (message.DecodeError, text_format.ParseError) as e:
        raise IOError(f"Cannot parse file {pb if gfile.exists(pb) else pbtxt}: {e}.") from None
    return saved_model


def get_meta_graph_def_from_tags(saved_model, tags) -> meta_graph_pb2.MetaGraphDef:
    """The MetaGraphDef whose tag set is exactly ``tags``."""
    tags = [tags] if isinstance(tags, str) else list(tags)
    for meta in saved_model.meta_graphs:
        if set(meta.meta_info_def.tags) == set(tags):
            return meta
    available = [list(meta.meta_info_def.tags) for meta in saved_model.meta_graphs]
    raise RuntimeError(f"MetaGraphDef associated with tags {str(tags).strip('[]')} could not be found in "
                       "SavedModel. To inspect available tag-sets in the SavedModel, please use the "
                       f"SavedModel CLI: `saved_model_cli`\navailable_tags: {available}")


def load(sess, tags, export_dir, import_scope=None, **saver_kwargs) -> meta_graph_pb2.MetaGraphDef:
    """Load the MetaGraphDef tagged ``tags`` from ``export_dir`` into ``sess``; return it."""
    export_dir = os.fspath(export_dir)
    meta = get_meta_graph_def_from_tags(parse_saved_model(export_dir), tags)
    with sess.graph.as_default():
        before = set(global_variables())
        import_graph_def(_without_saver(meta), name=import_scope or "")
        _restore_collections(_collections_without_saver(meta), import_scope)
        loaded = [v for v in global_variables() if v not in before]
        if loaded:
            _restore(sess, loaded, export_dir, import_scope)
        init_op = _init_op(sess.graph, meta, import_scope)
    if init_op is not None:
        sess.run(init_op)
    return meta


def _saver_scope(meta) -> str | None:
    """The name scope of the graph's save/restore nodes ("save/"), if it has a Saver."""
    if not meta.HasField("saver_def") or "/" not in meta.saver_def.restore_op_name:
        return None
    return meta.saver_def.restore_op_name.rsplit("/", 1)[0] + "/"


def _without_saver(meta):
    graph_def = type(meta.graph_def)()
    graph_def.CopyFrom(meta.graph_def)
    scope = _saver_scope(meta)
    if scope is not None:
        del graph_def.node[:]
        graph_def.node.extend(n for n in meta.graph_def.node if not n.name.startswith(scope))
    return graph_def


def _collections_without_saver(meta):
    """``meta`` with collection entries naming saver nodes dropped (those nodes are not imported)."""
    scope = _saver_scope(meta)
    trimmed = meta_graph_pb2.MetaGraphDef()
    for key, collection in meta.collection_def.items():
        trimmed.collection_def[key].CopyFrom(collection)
        if scope is not None and collection.WhichOneof("kind") == "node_list":
            kept = [n for n in collection.node_list.value if not n.startswith(scope)]
            del trimmed.collection_def[key].node_list.value[:]
            trimmed.collection_def[key].node_list.value.extend(kept)
    return trimmed


def _restore(sess, variables, export_dir, import_scope) -> None:
    """Restore ``variables`` from ``variables/variables``, keyed by their names as saved."""
    prefix = f"{import_scope}/" if import_scope else ""
    names = {v.op.name[len(prefix):]: v for v in variables}
    path = os.path.join(export_dir, constants.VARIABLES_DIRECTORY, constants.VARIABLES_FILENAME)
    Saver(names).restore(sess, path)


def _init_op(graph, meta, import_scope):
    prefix = f"{import_scope}/" if import_scope else ""
    for key in (constants.MAIN_OP_KEY, constants.LEGACY_INIT_OP_KEY):
        names = meta.collection_def[key].node_list.value if key in meta.collection_def else []
        if names:
            return graph.as_graph_element(prefix + names[0])
    return None
