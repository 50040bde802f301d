"""Mirrors of the ``tensorflow.python.*`` import paths TF 1.x tutorials use.

``from tensorflow.python.framework import graph_util`` becomes
``from minitf.python.framework import graph_util``.
"""
