"""minitf.autodiff."""
