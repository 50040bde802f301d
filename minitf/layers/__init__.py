"""``tf.layers``: TF 1.x's layers, thin Python over minitf's ops (one file per kind of layer).

    h = tf.layers.conv2d(images, 32, 5, padding="same", activation=tf.nn.relu)   # conv2d/kernel, conv2d/bias
    h = tf.layers.max_pooling2d(h, 2, 2)
    h = tf.layers.batch_normalization(h, training=is_training)                   # + UPDATE_OPS
    logits = tf.layers.dense(tf.layers.flatten(h), 10)                           # dense/kernel, dense/bias
"""

from .base import Layer  # noqa: F401
from .convolutional import Conv2D, Conv2DTranspose, conv2d, conv2d_transpose  # noqa: F401
from .core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from .normalization import BatchNormalization, batch_normalization  # noqa: F401
from .pooling import AveragePooling2D, MaxPooling2D, average_pooling2d, max_pooling2d  # noqa: F401

Convolution2D, Convolution2DTranspose, Deconvolution2D = Conv2D, Conv2DTranspose, Conv2DTranspose
MaxPool2D, AveragePool2D = MaxPooling2D, AveragePooling2D
