"""`flowguard demo` and `flowguard up`: the whole pipeline in one process on the embedded set."""
