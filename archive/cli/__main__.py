"""`python -m archive.cli` runs the `qiaopi` command."""

from archive.cli.main import app

app()
