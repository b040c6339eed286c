"""Exit codes that mean something (sysexits.h), so scripts can tell failures apart."""

OK = 0
FAILURE = 1  # the work ran and found problems (e.g. a fixity mismatch, failed jobs)
USAGE = 2  # wrong options (Typer/Click's own code)
DATA_ERROR = 65  # the input files or CSV were refused; nothing was changed
NO_INPUT = 66  # a named file or item does not exist
UNAVAILABLE = 69  # a backend (database, blob store, search engine) cannot be reached
