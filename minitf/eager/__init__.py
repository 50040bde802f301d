"""Eager execution (动态图): ops run the moment they are called.

``tf.enable_eager_execution()`` flips minitf from building graphs to running
ops at once, by installing ``executor.py``'s executor on the context.  The same
op registry serves both modes: ``apply_op`` hands an eager op to the executor's
``execute`` (``execute.py``), which runs the registry's shape function (for
its checks) and then the device's kernel, and wraps the result in an
``EagerTensor``.

Read the files in this order:

    mode.py            the one-way switch and the device policies
    executor.py        what the switch installs: how framework/ reaches eager mode
    eager_tensor.py    EagerTensor: a value, its dtype and the device it lives on
    execute.py         running one op now (kernel cache, device choice)
    placement.py       which device runs an eager op; copying its inputs there
    device_scope.py    ``tf.device(...)`` in eager mode
    eager_op.py        the small op-like record kernels and gradients read
    runtime.py         the one eager runtime: variable storage, random generators
    eager_random.py    random generators and ``tf.set_random_seed`` in eager mode
    eager_variable.py  tf.Variable in eager mode
    tape.py            GradientTape: recording what ran
    backprop.py        the reverse sweep over a tape (the loop of autodiff/sweep.py)
    gradient_functions.py  gradients of Python functions (optimizers, tfe helpers)
    optimizer_eager.py Optimizer.apply_gradients, run at once
"""
