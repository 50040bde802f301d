"""``tf.app``: ``tf.app.run(main)`` and ``tf.app.flags`` for TF 1.x-style scripts.

``run`` parses the command line into ``tf.app.flags.FLAGS`` (flags it does not
know are passed on to ``main``, as TF 1.x tolerates them), then calls
``main(argv)`` and exits the process with its return value, like
``sys.exit(main(argv))``.  In a notebook that exit is a ``SystemExit``, exactly
as with TensorFlow: call ``main([])`` there instead.
"""

from __future__ import annotations

import sys

from . import flags


def run(main=None, argv=None):
    """Parse flags from ``argv`` (default ``sys.argv``), then ``sys.exit(main(remaining_argv))``."""
    main = main or sys.modules["__main__"].main
    remaining = flags.FLAGS(sys.argv if argv is None else argv, known_only=True)
    sys.exit(main(remaining))
