# nbgrader course configuration shared by everyone on the hub (JupyterHub puts this folder on
# JUPYTER_CONFIG_PATH). Each chapter notebook is one assignment named after it
# (01_computation_graphs ...); its autograded check cells carry the points (classroom/course.py).
import os

c = get_config()  # noqa: F821

c.CourseDirectory.course_id = "minitf"
# The exchange: release -> outbound/, submit -> inbound/ (mode 2733: students can drop files in
# but not list it, so nobody sees another student's submission), feedback -> feedback/.
c.Exchange.root = os.environ.get("MINITF_EXCHANGE", "/srv/nbgrader/exchange")
# Autograding re-executes every submission; the chapters run in seconds, a stuck one is cut off.
c.Execute.timeout = 300
