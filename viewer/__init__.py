"""The web front end: page templates and static assets."""
