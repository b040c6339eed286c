"""The `qiaopi` command line."""
