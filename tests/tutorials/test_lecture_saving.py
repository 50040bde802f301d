"""The lecture's model-storage blocks (ckpt 模式 and PB 模式), unchanged but for the import."""

import os
import sys
import textwrap

import numpy as np
import pytest

import minitf


@pytest.fixture
def run_block(capsys, monkeypatch, tmp_path):
    import minitf.python.framework.graph_util
    import minitf.python.platform.gfile
    for name, module in [("tensorflow", minitf), ("tensorflow.python", minitf.python),
                         ("tensorflow.python.framework", minitf.python.framework),
                         ("tensorflow.python.framework.graph_util", minitf.python.framework.graph_util),
                         ("tensorflow.python.platform", minitf.python.platform),
                         ("tensorflow.python.platform.gfile", minitf.python.platform.gfile)]:
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.chdir(tmp_path)

    def run(source, env=None):
        env = dict(env or {})
        with minitf.Graph().as_default():
            exec(textwrap.dedent(source), env)
        return capsys.readouterr().out, env
    return run


SAVE = """
    import tensorflow as tf
    x = tf.Variable(tf.random_uniform([3]))
    y = tf.Variable(tf.random_uniform([3]))
    z = tf.add(x, y)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        print(sess.run(x))
        print(sess.run(y))
        print(sess.run(z))
        save_path = saver.save(sess,save_file)
"""

RESTORE = """
    import tensorflow as tf
    x = tf.Variable(tf.random_uniform([3]))
    y = tf.Variable(tf.random_uniform([3]))
    z = tf.add(x, y)
    saver = tf.train.Saver()
    with tf.Session() as sess:
        saver.restore(sess, save_file)
        print(sess.run(x))
        print(sess.run(y))
        print(sess.run(z))
"""


def test_ckpt_save_then_restore_into_redeclared_graph(run_block, tmp_path):
    save_file = str(tmp_path / "save" / "model.ckpt")
    os.makedirs(tmp_path / "save")
    out1, env = run_block(SAVE, {"save_file": save_file})
    out2, _ = run_block(RESTORE, {"save_file": save_file})
    assert out1 == out2 and len(out1.splitlines()) == 3
    assert sorted(os.listdir(tmp_path / "save")) == [
        "checkpoint", "model.ckpt.data-00000-of-00001", "model.ckpt.index", "model.ckpt.meta"]
    assert env["save_path"] == save_file


def test_restore_via_import_meta_graph_and_latest_checkpoint(run_block, tmp_path):
    save_file = str(tmp_path / "model.ckpt")
    out1, _ = run_block(SAVE, {"save_file": save_file})
    out2, env = run_block("""
        import tensorflow as tf
        saver = tf.train.import_meta_graph(save_file + '.meta')
        with tf.Session() as sess:
            saver.restore(sess, tf.train.latest_checkpoint(ckpt_dir))
            z = tf.get_default_graph().get_tensor_by_name('Add:0')
            print(sess.run(z))
    """, {"save_file": save_file, "ckpt_dir": str(tmp_path)})
    assert out2.strip() == out1.splitlines()[2].strip()


def test_global_step_naming_max_to_keep_and_no_meta(run_block, tmp_path):
    _, env = run_block("""
        import tensorflow as tf
        w = tf.Variable(1.0, name='w')
        saver = tf.train.Saver(max_to_keep=2, keep_checkpoint_every_n_hours=2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for step in (1000, 2000, 3000):
                saver.save(sess, 'my_test_model', global_step=step)
            saver.save(sess, 'my_test_model', global_step=4000, write_meta_graph=False)
        latest = tf.train.latest_checkpoint('.')
    """)
    files = sorted(os.listdir(tmp_path))
    assert env["latest"] == "./my_test_model-4000" or env["latest"].endswith("my_test_model-4000")
    assert "my_test_model-3000.index" in files and "my_test_model-4000.index" in files
    assert "my_test_model-2000.index" not in files and "my_test_model-1000.meta" not in files
    assert "my_test_model-4000.meta" not in files and "my_test_model-3000.meta" in files
    state = (tmp_path / "checkpoint").read_text()
    assert state == ('model_checkpoint_path: "my_test_model-4000"\n'
                     'all_model_checkpoint_paths: "my_test_model-3000"\n'
                     'all_model_checkpoint_paths: "my_test_model-4000"\n')


def test_pb_freeze_and_import(run_block, tmp_path):
    save_file = str(tmp_path / "model.pb")
    out1, _ = run_block("""
        import tensorflow as tf
        from tensorflow.python.framework import graph_util
        x = tf.Variable(tf.random_uniform([3]))
        y = tf.Variable(tf.random_uniform([3]))
        z = tf.add(x, y, name='op_to_store')
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(x))
            print(sess.run(y))
            print(sess.run(z))
            constant_graph = graph_util.convert_variables_to_constants(sess, sess.graph_def, ['op_to_store'])
            with tf.gfile.FastGFile(save_file, mode='wb') as f:
                f.write(constant_graph.SerializeToString())
    """, {"save_file": save_file})
    assert out1.splitlines()[3] == "Converted 2 variables to const ops."
    out2, _ = run_block("""
        import tensorflow as tf
        from tensorflow.python.platform import gfile
        with tf.Session() as sess:
            with gfile.FastGFile(save_file, 'rb') as f:
                graph_def = tf.GraphDef()
                graph_def.ParseFromString(f.read())
                sess.graph.as_default()
                tf.import_graph_def(graph_def, name='')
            sess.run(tf.global_variables_initializer())
            z = sess.graph.get_tensor_by_name('op_to_store:0')
            print(sess.run(z))
    """, {"save_file": save_file})
    assert out2.strip() == out1.splitlines()[2].strip()


def test_restore_errors(run_block, tmp_path):
    save_file = str(tmp_path / "model.ckpt")
    run_block(SAVE, {"save_file": save_file})
    with pytest.raises(minitf.errors.NotFoundError, match="Key q not found in checkpoint"):
        run_block("""
            import tensorflow as tf
            q = tf.Variable([1.0, 2.0, 3.0], name='q')
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, save_file)
        """, {"save_file": save_file})
    with pytest.raises(minitf.errors.InvalidArgumentError, match="mismatch between the current graph"):
        run_block("""
            import tensorflow as tf
            x = tf.Variable([1.0, 2.0], name='Variable')
            y = tf.Variable([1.0, 2.0, 3.0], name='Variable_1')
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, save_file)
        """, {"save_file": save_file})
    with pytest.raises(ValueError, match="The passed save_path is not a valid checkpoint"):
        run_block("""
            import tensorflow as tf
            x = tf.Variable(1.0)
            with tf.Session() as sess:
                tf.train.Saver().restore(sess, save_file + '-missing')
        """, {"save_file": save_file})
    with pytest.raises(ValueError, match="Parent directory of .* doesn't exist, can't save."):
        run_block(SAVE, {"save_file": str(tmp_path / "nope" / "model.ckpt")})
    with pytest.raises(ValueError, match="No variables to save"):
        run_block("import tensorflow as tf\ntf.train.Saver()")


def test_export_meta_graph_text_and_binary_round_trip(tmp_path):
    for as_text in (False, True):
        path = str(tmp_path / f"graph{int(as_text)}.meta")
        with minitf.Graph().as_default():
            w = minitf.Variable([1.0, 2.0], name="w")
            minitf.identity(w * 3.0, name="out")
            minitf.train.export_meta_graph(path, as_text=as_text)
        with minitf.Graph().as_default() as g:
            saver = minitf.train.import_meta_graph(path)
            assert saver is not None and [v.op.name for v in minitf.global_variables()] == ["w"]
            with minitf.Session() as sess:
                sess.run(minitf.global_variables_initializer())
                assert sess.run("out:0").tolist() == [3.0, 6.0]
