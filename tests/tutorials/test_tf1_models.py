"""The CNN, tf.layers CNN, GAN and VAE tutorial programs (``tf1_model_programs.py``) match TensorFlow.

Expected numbers: printed by ``record_tf1_models.py``, which runs the same
program code under TensorFlow 2.21's ``tensorflow.compat.v1`` with
``disable_v2_behavior()`` (and the legacy Keras ``tf_keras`` 2.21 for
``tf.layers``).  Both engines start from the same numpy-seeded weights.
"""

from __future__ import annotations

import numpy as np

import minitf as tf

import tf1_model_programs as programs

# --- recorded with TensorFlow (see the module docstring) ----------------------------------------------
TF_DEEP_MNIST = {
    "losses": [4.56943416595459, 2.8099212646484375, 2.2036285400390625, 1.754454255104065],
    "accuracies": [0.0, 0.125, 0.5],
    "logits_row0": [2.716055393218994, -2.3065078258514404, -6.158247470855713, -2.287675142288208,
                    -4.51702356338501, 3.361994504928589, -1.7343716621398926, 0.7277180552482605,
                    1.522497534751892, 2.088731050491333]}
TF_LAYERS_CNN = {
    "train_losses": [3.1550512313842773, 2.470634937286377, 1.7142198085784912, 1.2422544956207275],
    "eval_loss": 2.455508232116699,
    "moving_names": ["batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0",
                     "batch_normalization_1/moving_mean:0", "batch_normalization_1/moving_variance:0"],
    "moving_sums": [0.013198768720030785, 7.695377826690674, -5.041135787963867, 26.15239715576172]}
TF_GAN = {
    "d_losses": [1.189833641052246, 1.148041009902954, 1.1108829975128174, 1.0795323848724365,
                 1.0539281368255615],
    "g_losses": [0.7307541370391846, 0.7287796139717102, 0.7277973294258118, 0.7271691560745239,
                 0.7252138257026672],
    "sample": [0.12473122030496597, 0.20395177602767944, 0.2075914889574051, 0.21833711862564087],
    "d_vars": ["discriminator/dense/kernel:0", "discriminator/dense/bias:0", "discriminator/dense_1/kernel:0",
               "discriminator/dense_1/bias:0"],
    "g_vars": ["generator/dense/kernel:0", "generator/dense/bias:0", "generator/dense_1/kernel:0",
               "generator/dense_1/bias:0"]}
TF_VAE = {
    "losses": [12.877753257751465, 12.343676567077637, 11.92642593383789, 11.605210304260254,
               11.358393669128418],
    "reconstruction": 10.957191467285156,
    "kl": 0.21654658019542694,
    "variables": ["encoder/dense/kernel:0", "encoder/dense/bias:0", "encoder/z_mean/kernel:0",
                  "encoder/z_mean/bias:0", "encoder/z_log_var/kernel:0", "encoder/z_log_var/bias:0",
                  "decoder/dense/kernel:0", "decoder/dense/bias:0", "decoder/dense_1/kernel:0",
                  "decoder/dense_1/bias:0"]}


def assert_matches(got: dict, want: dict, rtol=1e-4, atol=1e-5):
    assert got.keys() == want.keys()
    for key, expected in want.items():
        if isinstance(expected, list) and expected and isinstance(expected[0], str):
            assert got[key] == expected, key
        else:
            np.testing.assert_allclose(got[key], expected, rtol=rtol, atol=atol, err_msg=key)


def test_deep_mnist_cnn_trains_like_tensorflow():
    assert_matches(programs.run_deep_mnist(), TF_DEEP_MNIST)


def test_deep_mnist_graph_is_the_tutorials():
    with tf.Graph().as_default() as g:
        m = programs.build_deep_mnist()
        types = [op.type for op in g.get_operations()]
        assert types.count("Conv2D") == 2 and types.count("MaxPool") == 2
        assert m["y_conv"].shape.as_list() == [None, 10]
        assert [v.shape.as_list() for v in tf.trainable_variables()] == [
            [5, 5, 1, 32], [32], [5, 5, 32, 64], [64], [3136, 1024], [1024], [1024, 10], [10]]
        grad_types = {op.type for op in g.get_operations() if op.name.startswith("gradients/")}
        assert {"Conv2DBackpropFilter", "Conv2DBackpropInput", "MaxPoolGrad"} <= grad_types


def test_layers_cnn_with_batch_norm_trains_like_tensorflow():
    assert_matches(programs.run_layers_cnn(), TF_LAYERS_CNN)


def test_gan_trains_each_network_with_its_own_var_list_like_tensorflow():
    assert_matches(programs.run_gan(), TF_GAN)


def test_vae_trains_like_tensorflow():
    assert_matches(programs.run_vae(), TF_VAE)

