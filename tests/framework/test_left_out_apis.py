"""High-level APIs minitf leaves out: a clear message instead of a bare missing attribute."""

from __future__ import annotations

import pytest

import minitf as tf


@pytest.mark.parametrize("name, hint", [("estimator", "tf.layers"), ("keras", "tf.layers")])
def test_left_out_api_says_what_to_use(name, hint):
    with pytest.raises(AttributeError, match=f"no attribute '{name}': .*{hint}"):
        getattr(tf, name)
    assert not hasattr(tf, name)


def test_other_missing_names_are_plain_attribute_errors():
    with pytest.raises(AttributeError, match=r"^module 'minitf' has no attribute 'no_such_api'$"):
        tf.no_such_api  # noqa: B018
