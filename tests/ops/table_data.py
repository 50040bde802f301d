"""tf.data's iterator ops: they hold per-Session state and produce no values from inputs, so each is
tested by name in tests/ops/test_iterator_ops.py (the pipelines themselves: tests/data/)."""

CASES: list = []

ELSEWHERE = {
    "IteratorV2": "test_iterator_ops.py::test_initializable_iterator_restarts_when_initialized_again",
    "MakeIterator": "test_iterator_ops.py::test_initializable_iterator_restarts_when_initialized_again",
    "OneShotIterator": "test_iterator_ops.py::test_one_shot_iterator_runs_once_per_session",
    "IteratorGetNext": "test_iterator_ops.py::test_get_next_reports_end_of_sequence",
    "IteratorToStringHandle": "test_iterator_ops.py::test_feedable_iterator_reads_the_fed_handle",
    "IteratorFromStringHandleV2": "test_iterator_ops.py::test_feedable_iterator_reads_the_fed_handle",
}
