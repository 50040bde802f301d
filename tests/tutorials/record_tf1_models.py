"""Print what real TensorFlow 1.x computes for the programs in ``tf1_model_programs.py``.

    TF_USE_LEGACY_KERAS=1 PYTHONPATH=<tf_keras dir> /tmp/tfvenv/bin/python tests/tutorials/record_tf1_models.py

Runs TF 2.21's ``tensorflow.compat.v1`` with ``disable_v2_behavior()`` (``tf.layers``
needs the legacy Keras package ``tf_keras``) in place of minitf; the printed
numbers are the constants in ``test_tf1_models.py``.
"""

import pathlib
import sys

import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()
sys.modules["minitf"] = tf
sys.path.insert(0, str(pathlib.Path(__file__).parent))

import tf1_model_programs as programs  # noqa: E402

for name in ("deep_mnist", "layers_cnn", "gan", "vae"):
    print(name, repr(getattr(programs, "run_" + name)()))
