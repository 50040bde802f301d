"""Tags that tell the MetaGraphDefs of one SavedModel apart (TF's ``tag_constants``)."""

SERVING = "serve"
TRAINING = "train"
EVAL = "eval"
GPU = "gpu"
TPU = "tpu"
