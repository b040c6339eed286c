"""Every setting and every command is documented (a new one without docs fails here)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from archive.cli.main import app
from archive.settings import Settings

REPO = Path(__file__).resolve().parents[2]


def test_every_setting_is_in_docs_settings() -> None:
    documented = (REPO / "docs/settings.md").read_text()
    missing = [
        name for name in Settings.model_fields if f"`QIAOPI_{name.upper()}`" not in documented
    ]
    assert missing == []


def _commands(group: Any, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(prefix + name)
    return names


def test_every_command_is_in_the_docs() -> None:
    group = typer.main.get_command(app)
    docs = (REPO / "README.md").read_text() + "".join(
        p.read_text() for p in (REPO / "docs").glob("*.md")
    )
    missing = [name for name in _commands(group) if f"qiaopi {name}" not in docs]
    assert missing == []
