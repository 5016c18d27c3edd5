"""Keeps the README's generated tables (named queries, settings) in step with the code.

``python -m graph.readme`` rewrites the blocks between ``<!-- name:start -->`` and
``<!-- name:end -->``; ``tests/test_readme.py`` fails when they have drifted.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from graph.settings import REPO_ROOT, SETTINGS_TABLE

README = REPO_ROOT / "README.md"


def queries_table() -> str:
    from graph.queries import Catalogue

    lines = ["| query | what it answers | parameters |", "|---|---|---|"]
    for query in Catalogue.load():
        params = ", ".join(f"`{p.name}`" + ("" if p.required else " (optional)") for p in query.params) or "—"
        lines.append(f"| `{query.name}` | {query.summary} | {params} |")
    return "\n".join(lines)


def settings_table() -> str:
    lines = ["| setting | environment | default | meaning |", "|---|---|---|---|"]
    for setting in SETTINGS_TABLE:
        lines.append(f"| {setting.name} | `REGELGRAF_{setting.name.upper()}` | `{setting.default}` | {setting.description} |")
    return "\n".join(lines)


def web_settings_table() -> str:
    from webui import CONFIG_KEYS

    lines = ["| key | default | meaning |", "|---|---|---|"]
    for key in CONFIG_KEYS:
        default = "—" if key.default is None else f"`{key.default}`"
        lines.append(f"| `{key.name}` | {default} | {key.description} |")
    return "\n".join(lines)


BLOCKS = {"queries": queries_table, "settings": settings_table, "web-settings": web_settings_table}


def synced(text: str) -> str:
    """The README text with every generated block replaced by its current rendering."""
    for name, render in BLOCKS.items():
        pattern = re.compile(rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)", re.S)
        if not pattern.search(text):
            raise ValueError(f"README.md lacks the markers <!-- {name}:start --> … <!-- {name}:end -->")
        text = pattern.sub(lambda m: m.group(1) + render() + "\n" + m.group(2), text)
    return text


def main(path: Path = README) -> int:
    text = path.read_text(encoding="utf-8")
    new = synced(text)
    if new != text:
        path.write_text(new, encoding="utf-8")
        print(f"updated {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
