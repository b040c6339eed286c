"""The Qiaopi Archive application: catalogue, blob stores, ingest, jobs, HTTP API and CLI."""
