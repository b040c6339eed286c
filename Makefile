# Shortcuts for the scripts under scripts/ (they hold the logic; this only names it).
.PHONY: setup demo test lint services-start services-stop

setup:
	bash scripts/setup.sh

demo:
	bash scripts/demo.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

services-start:
	bash scripts/services.sh start

services-stop:
	bash scripts/services.sh stop
