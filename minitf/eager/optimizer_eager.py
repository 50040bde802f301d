"""``Optimizer.apply_gradients`` in eager mode: update the variables now.

The optimizer's own methods do the work, exactly as in graph mode:
``_create_slots`` makes the slot variables (eager variables now), ``_prepare``
converts the hyperparameters, ``_apply_dense`` calls the registry's
``Apply*`` op for each variable, and ``_finish`` runs what follows (Adam's
beta powers).  The only difference is that each op runs as it is called, so
there is no train op to return.
"""

from __future__ import annotations

from ..ops.constant_op import convert_to_tensor


def apply_gradients_eagerly(optimizer, pairs, global_step=None):
    """Apply each (gradient, variable) update at once; bump ``global_step``; return None.

    ``pairs`` are the (gradient, variable) pairs with a gradient, already checked.
    """
    optimizer._create_slots([v for _, v in pairs])
    optimizer._prepare()
    updates = [optimizer._apply_dense(convert_to_tensor(g, dtype=v.dtype.base_dtype), v)
               for g, v in pairs]
    optimizer._finish(updates, optimizer.get_name())
    if global_step is not None:
        global_step.assign_add(1)
    return None
