"""File I/O that needs no graph: TF's protobuf messages and checkpoint files.

* ``protos/``            TF's messages (GraphDef, MetaGraphDef, ...) under the package ``minitf.tf``
* ``tensor_proto``       numpy arrays <-> TensorProto, shapes <-> TensorShapeProto
* ``crc32c``             the checksum TF's files use
* ``varint``             LevelDB's integer encodings
* ``table``              sorted string tables (a checkpoint's ``.index``)
* ``tensor_bundle``      V2 checkpoints (``.index`` + ``.data-00000-of-00001``)
* ``checkpoint_state``   the ``checkpoint`` file naming the latest checkpoints
* ``atomic``, ``gfile``  crash-safe writes and TF's ``tf.gfile`` API
"""
