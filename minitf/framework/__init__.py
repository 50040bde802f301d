"""minitf.framework."""
