"""``tf.train.Saver``: checkpoints in TensorFlow's own V2 format (ckpt 模式).

A Saver adds TF 1.x's ``save/...`` ops to the graph (``SaveV2``, ``RestoreV2``
and one ``Assign`` per variable).  ``save`` runs them, then writes the
``.meta`` graph and the ``checkpoint`` state file; ``restore`` runs the
restore op.  Every file is written atomically and the state file last, so a
crash at any moment leaves the previous checkpoint complete and pointed at.
"""

from __future__ import annotations

import os
import re
import time

import numpy as np

from .. import tf_logging
from ..framework import dtypes, errors
from ..framework.graph import get_default_graph
from ..framework.scopes import control_dependencies, name_scope
from ..io import checkpoint_state as state, gfile
from ..io.meta_graph import export_meta_graph, write_meta_graph_file
from ..io.protos import saver_pb2
from ..io.tensor_bundle import data_filename, index_filename
from ..ops import io_ops
from ..ops.array_ops import identity, placeholder_with_default
from ..ops.constant_op import constant, convert_to_tensor
from ..ops.control_flow_ops import group
from ..ops.state_ops import assign
from ..ops.variables import Variable, global_variables


class Saver:
    """Saves and restores variables (``var_list``: a list, or a dict name → variable)."""

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=saver_pb2.SaverDef.V2, pad_step_number=False,
                 save_relative_paths=False, filename=None):
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._pad_step_number = pad_step_number
        self._next_keep_time = time.time() + keep_checkpoint_every_n_hours * 3600
        self._last_checkpoints: list = []
        self._graph = get_default_graph()
        if saver_def is not None:
            self.saver_def = saver_def
            self._is_empty = False
            return
        names_to_vars = _names_to_variables(var_list)
        self._is_empty = not names_to_vars
        if self._is_empty:
            if not allow_empty:
                raise ValueError("No variables to save")
            self.saver_def = None
            return
        self.saver_def = self._build(names_to_vars, name, reshape, filename)
        self.saver_def.max_to_keep = max_to_keep or 0
        self.saver_def.keep_checkpoint_every_n_hours = keep_checkpoint_every_n_hours

    # --- building the save/restore ops ----------------------------------------
    def _build(self, names_to_vars: dict, name, reshape, filename) -> saver_pb2.SaverDef:
        names = sorted(names_to_vars)
        refs = [convert_to_tensor(names_to_vars[n], as_ref=True) for n in names]
        with name_scope(name, "save") as scope:
            prefix = placeholder_with_default(constant(filename or "model", dtype=dtypes.string),
                                              shape=[], name="filename")
            prefix = placeholder_with_default(prefix, shape=[], name="Const")
            with name_scope("SaveV2"):
                tensor_names = constant(np.array(names, dtype=object), dtype=dtypes.string,
                                        name="tensor_names")
                slices = constant(np.array([""] * len(names), dtype=object), dtype=dtypes.string,
                                  name="shape_and_slices")
            save_op = io_ops.save_v2(prefix, tensor_names, slices, refs)
            with control_dependencies([save_op]):
                save_tensor = identity(prefix, name="control_dependency")
            with name_scope("RestoreV2"):
                r_names = constant(np.array(names, dtype=object), dtype=dtypes.string, name="tensor_names")
                r_slices = constant(np.array([""] * len(names), dtype=object), dtype=dtypes.string,
                                    name="shape_and_slices")
            restored = io_ops.restore_v2(prefix, r_names, r_slices, [r.dtype.base_dtype for r in refs])
            assigns = [assign(ref, value, validate_shape=not reshape) for ref, value in zip(refs, restored)]
            restore_op = group(*assigns, name="restore_all")
        return saver_pb2.SaverDef(filename_tensor_name=prefix.name, save_tensor_name=save_tensor.name,
                                  restore_op_name=restore_op.name, sharded=False,
                                  version=saver_pb2.SaverDef.V2)

    # --- saving -------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        """Write a checkpoint at ``save_path[-step]``; return its prefix."""
        latest_filename = latest_filename or "checkpoint"
        if os.path.split(latest_filename)[0]:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        prefix = self._prefix(sess, save_path, global_step)
        save_dir = os.path.dirname(save_path)
        if save_dir and not os.path.isdir(save_dir):
            raise ValueError(f"Parent directory of {save_path} doesn't exist, can't save.")
        if not self._is_empty:
            sess.run(self.saver_def.save_tensor_name, {self.saver_def.filename_tensor_name: prefix})
        if write_meta_graph:
            self.export_meta_graph(_meta_filename(prefix, meta_graph_suffix))
        if write_state:
            self._record(prefix, meta_graph_suffix)
            state.update_checkpoint_state(save_dir or ".", prefix,
                                          all_model_checkpoint_paths=self.last_checkpoints,
                                          latest_filename=latest_filename)
            self._delete_old(meta_graph_suffix)
        return prefix

    def _prefix(self, sess, save_path: str, global_step) -> str:
        if global_step is None:
            return save_path
        if not isinstance(global_step, (int, np.integer)):
            global_step = int(sess.run(global_step))
        if self._pad_step_number:
            return f"{save_path}-{global_step:08d}"
        return f"{save_path}-{int(global_step)}"

    def _record(self, prefix: str, suffix: str) -> None:
        """Remember ``prefix`` as the newest checkpoint (re-saving moves it to the end)."""
        if not self._max_to_keep:
            return
        self._last_checkpoints = [p for p in self._last_checkpoints if p[0] != prefix]
        self._last_checkpoints.append((prefix, time.time()))
        self._pending_delete = []
        while len(self._last_checkpoints) > self._max_to_keep:
            oldest = self._last_checkpoints.pop(0)
            if oldest[1] > self._next_keep_time:       # kept for keep_checkpoint_every_n_hours
                self._next_keep_time += self._keep_hours * 3600
                continue
            self._pending_delete.append(oldest[0])

    def _delete_old(self, suffix: str) -> None:
        """Remove checkpoints that fell off the list (after the state file stopped naming them)."""
        for prefix in getattr(self, "_pending_delete", []):
            for path in (index_filename(prefix), _meta_filename(prefix, suffix)):
                if os.path.exists(path):
                    os.remove(path)
            for path in gfile.glob(re.sub(r"([\[\]*?])", r"[\1]", prefix) + ".data-?????-of-?????"):
                os.remove(path)
        self._pending_delete = []

    @property
    def last_checkpoints(self) -> list:
        return [p for p, _ in self._last_checkpoints]

    def set_last_checkpoints(self, last_checkpoints) -> None:
        self._last_checkpoints = [(p, time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time) -> None:
        self._last_checkpoints = list(last_checkpoints_with_time)

    def recover_last_checkpoints(self, checkpoint_paths) -> None:
        self.set_last_checkpoints([p for p in checkpoint_paths if checkpoint_exists(p)])

    def as_saver_def(self):
        return self.saver_def

    def to_proto(self, export_scope=None):
        return self.saver_def

    def export_meta_graph(self, filename=None, collection_list=None, as_text=False, export_scope=None,
                          clear_devices=False, clear_extraneous_savers=False, strip_default_attrs=False,
                          save_debug_info=False):
        meta = export_meta_graph(self._graph, saver_def=self.saver_def, collection_list=collection_list,
                                 clear_devices=clear_devices)
        if filename:
            write_meta_graph_file(meta, filename, as_text)
        return meta

    # --- restoring ----------------------------------------------------------------
    def restore(self, sess, save_path) -> None:
        """Load every variable's value from the checkpoint ``save_path``."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        if self._is_empty:
            return
        tf_logging.info("Restoring parameters from %s", save_path)
        try:
            sess.run(self.saver_def.restore_op_name, {self.saver_def.filename_tensor_name: save_path})
        except errors.NotFoundError as e:
            raise errors.NotFoundError(None, None, (
                "Restoring from checkpoint failed. This is most likely due to a Variable name or other "
                "graph key that is missing from the checkpoint. Please ensure that you have not altered "
                "the graph expected based on the checkpoint. Original error:\n\n" + str(e))) from None
        except errors.InvalidArgumentError as e:
            raise errors.InvalidArgumentError(None, None, (
                "Restoring from checkpoint failed. This is most likely due to a mismatch between the "
                "current graph and the graph from the checkpoint. Please ensure that you have not altered "
                "the graph expected based on the checkpoint. Original error:\n\n" + str(e))) from None


def _names_to_variables(var_list) -> dict:
    if var_list is None:
        var_list = global_variables()
    if isinstance(var_list, dict):
        return dict(var_list)
    out = {}
    for v in var_list:
        if isinstance(v, Variable):
            key = v.op.name
        elif hasattr(v, "op") and v.op.type == "VariableV2":
            key = v.op.name
        else:
            raise TypeError(f"Variable to save is not a Variable: {v}")
        if key in out:
            raise ValueError(f"At least two variables have the same name: {key}")
        out[key] = v
    return out


def _meta_filename(prefix: str, suffix: str = "meta") -> str:
    base = re.sub(r"-[\d\?]+-of-\d+$", "", prefix)
    return f"{base}.{suffix}"


def checkpoint_exists(prefix) -> bool:
    """True when a V2 checkpoint (its ``.index``) exists at ``prefix``."""
    prefix = os.fspath(prefix)
    return os.path.exists(index_filename(prefix)) or os.path.exists(prefix)


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint named by ``checkpoint_dir/checkpoint``, or None."""
    ckpt = state.get_checkpoint_state(os.fspath(checkpoint_dir), latest_filename)
    if ckpt is None or not ckpt.model_checkpoint_path:
        return None
    path = ckpt.model_checkpoint_path
    if os.path.exists(index_filename(path)) or os.path.exists(data_filename(path)):
        return path
    print(f"Couldn't match files for checkpoint {path}")
    return None


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    return state.get_checkpoint_state(os.fspath(checkpoint_dir), latest_filename)
