# The instructor's course directory (source/, release/, submitted/, autograded/, feedback/,
# gradebook.db); `python classroom/course.py build` fills source/ with one folder per chapter.
import os

c = get_config()  # noqa: F821

c.CourseDirectory.root = os.path.expanduser(os.environ.get("MINITF_COURSE_DIR", "~/minitf-course"))
