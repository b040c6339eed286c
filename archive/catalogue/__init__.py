"""The catalogue: the system of record for items, pages, authorities, users and the audit log."""
