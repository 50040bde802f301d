"""``tf.saved_model``: the SavedModel directory format (TF 1.x's API; re-exports only).

    builder.py              SavedModelBuilder: write saved_model.pb and variables/
    loader.py               load: pick a MetaGraphDef by tags, import it, restore its variables
    simple_save.py          simple_save: one call for a serving model
    signature_def_utils.py  SignatureDefs (named inputs and outputs)
    utils.py                TensorInfo of a tensor
"""

from . import (builder, constants, loader, signature_constants, signature_def_utils,  # noqa: F401
               tag_constants, utils)
from .builder import SavedModelBuilder as Builder  # noqa: F401
from .loader import contains_saved_model, load, maybe_saved_model_directory  # noqa: F401
from .signature_constants import (CLASSIFY_METHOD_NAME, DEFAULT_SERVING_SIGNATURE_DEF_KEY,  # noqa: F401
                                  PREDICT_INPUTS, PREDICT_METHOD_NAME, PREDICT_OUTPUTS,
                                  REGRESS_METHOD_NAME)
from .signature_def_utils import (build_signature_def, is_valid_signature,  # noqa: F401
                                  predict_signature_def, regression_signature_def)
from .simple_save import simple_save  # noqa: F401
from .tag_constants import EVAL, GPU, SERVING, TPU, TRAINING  # noqa: F401
from .utils import build_tensor_info, get_tensor_from_tensor_info  # noqa: F401
