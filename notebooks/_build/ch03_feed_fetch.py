"""Chapter 3: feed and fetch."""

from nbkit import check, code, error, md, notes, setup, solution

FILE = "03_feed_fetch.ipynb"

CELLS = [
    md("""
    # 3 · Feed and fetch 喂 / 取

    **Goals**
    - define inputs with placeholders (占位符), with `None` for "any size";
    - **feed** (喂) data in with `feed_dict` and **fetch** (取) results out with `sess.run`;
    - see that a run computes only what the fetches need, and every run computes it again;
    - read the errors a wrong feed gives.
    """, slide="slide"),
    setup("""
    import inspect

    import numpy as np
    import minitf as tf
    from minitf import viz

    np.set_printoptions(precision=4, suppress=True, legacy="1.25")  # scalars print as 1.0, as in TF 1.x days
    %xmode Minimal
    """),
    md("""
    ## Feed and fetch: how a graph talks to the world  (1 创建数据，定义输入输出)

    - **Feed**: put data into the graph, into placeholder nodes: `feed_dict={placeholder: value}`.
    - **Fetch**: take data out of the graph: `sess.run([c, ...], feed_dict=...)`.
      You fetch a node's output, and **only the part of the graph that output needs is computed**.
      *Fetch once and the graph computes once* (Fetch 一下，计算图就算一次).
    """, slide="slide"),
    notes("""
    The picture to draw on the board: data enters at the placeholders (feed), leaves at the fetched
    tensors; sess.run is one trip through the needed part of the graph.
    """),
    md("""
    ## Placeholders 占位符

    *Placeholder = hold the place* (占坑): it fixes some properties of the data (dtype, shape) but holds
    no data.  `None` means this dimension adapts to the data fed in.  The lecture's two inputs:
    """, slide="slide"),
    code("""
    data = tf.placeholder(tf.float32, [None, 4])        # any number of rows, 4 columns
    real_label = tf.placeholder(tf.float32, [None, 1])
    print(data)
    print(real_label)
    """),
    md("A computation on the placeholder: the sum of each row.", slide="subslide"),
    code("""
    row_sums = tf.reduce_sum(data, axis=1)
    print(row_sums)
    """),
    md("Feeding two rows, then three rows, to the same graph:", slide="fragment"),
    code("""
    with tf.Session() as sess:
        print(sess.run(row_sums, feed_dict={data: [[1, 2, 3, 4], [5, 6, 7, 8]]}))
        print(sess.run(row_sums, feed_dict={data: np.ones((3, 4))}))
    """),
    md("Several inputs are fed together, and several outputs fetched together:", slide="subslide"),
    code("""
    error = tf.reduce_mean(tf.square(real_label - tf.reduce_sum(data, axis=1, keepdims=True)))
    batch = np.array([[1, 2, 3, 4], [0, 1, 0, 1]], dtype=np.float32)
    labels = np.array([[10], [3]], dtype=np.float32)
    with tf.Session() as sess:
        sums, err = sess.run([row_sums, error], feed_dict={data: batch, real_label: labels})
    print(sums, err)
    """),
    md("""
    Any tensor can be fed, not only placeholders: the fed value replaces what the graph would have
    computed there.
    """, slide="fragment"),
    code("""
    doubled = row_sums * 2
    with tf.Session() as sess:
        print(sess.run(doubled, feed_dict={row_sums: [100.0, 200.0]}))   # `data` is not needed now
    """),
    md("""
    ## A run computes only what the fetches need

    minitf can show the plan a session made for a fetch: `sess.explain(fetch)` lists every kernel call,
    and which ops were folded into constants while planning (a minitf extra, not a TensorFlow API).
    The graph is pinned to the CPU so the plan is the same on every machine (with a GPU, the plan would
    also copy the fed values to the GPU and back).
    """, slide="slide"),
    code("""
    tf.reset_default_graph()
    with tf.device("/CPU:0"):
        a = tf.placeholder(tf.float32, [None], name="a")
        b = tf.multiply(a, 2.0, name="b")
        c = tf.add(b, 1.0, name="c")
        d = tf.reduce_sum(tf.square(c), name="d")
        unrelated = tf.matmul(tf.ones([100, 100]), tf.ones([100, 100]), name="unrelated")
    sess = tf.Session()
    """),
    code("""
    print(sess.explain(b, feed_dict={a: [1.0, 2.0]}))
    """),
    code("""
    print(sess.explain(d, feed_dict={a: [1.0, 2.0]}))
    """),
    md("""
    Fetching `b` runs one kernel; fetching `d` runs four.  The `unrelated` matrix product is never computed.
    Feeding `b` itself prunes even more: `a` is not needed any more.
    """, slide="fragment"),
    code("""
    print(sess.explain(d, feed_dict={b: [1.0, 2.0]}))
    """),
    md("""
    ## Every run computes again

    A counter variable makes it visible (variables are chapter 4): fetching `tick` runs the `assign_add`,
    fetching `counter` only reads it.
    """, slide="slide"),
    code("""
    counter = tf.Variable(0, name="counter")
    tick = tf.assign_add(counter, 1)
    sess.run(counter.initializer)
    for _ in range(3):
        print("tick ->", sess.run(tick))
    print("counter is still", sess.run(counter))
    """),
    md("""
    ## What a wrong feed says

    A value whose shape does not fit the placeholder is refused before anything runs
    (TensorFlow's own message):
    """, slide="slide"),
    error("""
    sess.run(d, feed_dict={a: [[1.0, 2.0]]})
    """),
    md("Forgetting to feed a placeholder that the fetch needs:", slide="fragment"),
    error("""
    sess.run(d)
    """),
    md("Feeding a tensor instead of a value (a common slip):", slide="fragment"),
    error("""
    sess.run(d, feed_dict={a: tf.constant([1.0])})
    """),
    code("""
    sess.close()
    """),
    notes("""
    Read the messages aloud: they name the tensor, what it expects and what it got. The missing-feed error
    comes from the run itself and names the node (`[[{{node a}}]]`), as in TensorFlow.
    """),
    md("""
    ## A look underneath: pruning

    To plan a run, minitf walks *backwards* from the fetched ops through their inputs and stops at fed
    tensors, so only the needed ops are visited.  The order it returns (inputs first) is the order the
    kernels run in.  An explicit stack instead of recursion, so deep graphs are fine:
    """, slide="slide"),
    code("""
    from minitf.client import plan
    print(inspect.getsource(plan._topological_order))
    """),
    md("""
    ## Exercises 练习

    **Exercise 1.** Feed the batch `[[1, 2, 3, 4], [4, 3, 2, 1], [0, 0, 0, 1]]` into a new placeholder
    `inp` of shape `[None, 4]` and fetch, **in one run**, the row sums and the mean of all entries.  Store
    the results in `sums1` and `mean1`.
    """, slide="slide"),
    solution("""
    tf.reset_default_graph()
    inp = tf.placeholder(tf.float32, [None, 4])
    with tf.Session() as sess:
        sums1, mean1 = sess.run([tf.reduce_sum(inp, axis=1), tf.reduce_mean(inp)],
                                feed_dict={inp: [[1, 2, 3, 4], [4, 3, 2, 1], [0, 0, 0, 1]]})
    """),
    check("""
    assert sums1.tolist() == [10.0, 10.0, 1.0], sums1
    assert abs(mean1 - 21 / 12) < 1e-6, mean1
    print("exercise 1 ok")
    """),
    md("""
    **Exercise 2.** One row `[5, 6, 7, 8]` stored as a 1-d numpy array `row` does not fit a `[None, 4]`
    placeholder.  Fix the **value** (not the graph) so that the run works, and store the row sum in `sum2`.
    """, slide="subslide"),
    code("""
    row = np.array([5.0, 6.0, 7.0, 8.0])
    """),
    solution("""
    with tf.Session() as sess:
        sum2 = sess.run(tf.reduce_sum(inp, axis=1), feed_dict={inp: row.reshape(1, 4)})   # or row[None, :]
    """),
    check("""
    assert np.asarray(sum2).tolist() == [26.0], sum2
    print("exercise 2 ok")
    """),
    md("""
    **Exercise 3.** For `y = (x + 1) * 3` with a placeholder `x`, use `sess.explain` to find how many kernel
    calls a run of `y` makes when you feed `x`, and store it in `calls`.  Then feed the intermediate
    `x + 1` instead and store that count in `calls_fed`.  (Build the graph on `/CPU:0`, as above.)
    """, slide="subslide"),
    solution("""
    tf.reset_default_graph()
    with tf.device("/CPU:0"):
        x = tf.placeholder(tf.float32, [None])
        x1 = x + 1
        y = x1 * 3
    with tf.Session() as sess:
        print(sess.explain(y, {x: [1.0]}))
        calls = int(sess.explain(y, {x: [1.0]}).split()[0])
        calls_fed = int(sess.explain(y, {x1: [1.0]}).split()[0])
    """),
    check("""
    assert (calls, calls_fed) == (2, 1), (calls, calls_fed)
    print("exercise 3 ok")
    """),
    md("""
    ## Summary 小结

    - Placeholders (占位符) declare inputs: dtype and shape, `None` for any size; they hold no data.
    - `sess.run(fetches, feed_dict={...})`: feed (喂) values in, fetch (取) tensors out.
    - A run computes only the part of the graph the fetches need, and computes it again at every run.
    - Wrong feeds fail early with a message naming the tensor, the expected and the given shape.

    Next: [04 · variables](04_variables.ipynb).
    """, slide="slide"),
]
