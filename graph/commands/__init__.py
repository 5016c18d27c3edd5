"""Verbs that live in their own modules: each module here defines ``command`` (a click command).

Keeps graph/cli.py small and lets a capability bring its verb with it. ``register`` adds every
module's command to the group, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil

import click


def register(group: click.Group) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        command = getattr(module, "command", None)
        if not isinstance(command, click.Command):
            raise TypeError(f"graph/commands/{module_info.name}.py must define `command`, a click command")
        group.add_command(command)
