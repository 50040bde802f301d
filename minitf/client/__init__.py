"""minitf.client."""
