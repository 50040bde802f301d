# Students fetch, work on and submit assignments (nbgrader's assignment list); the formgrader and
# the course list are the instructor's tools, so their server extensions stay off here (and their
# JupyterLab panels: labconfig/page_config.json next to this file).
c = get_config()  # noqa: F821

c.ServerApp.jpserver_extensions = {
    "nbgrader.server_extensions.formgrader": False,
    "nbgrader.server_extensions.course_list": False,
}
