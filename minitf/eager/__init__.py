"""minitf.eager."""
