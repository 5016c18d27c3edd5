"""The generated parts of docs/authoring.md: key tables per file kind and the error catalogue.

``python -m graph.authoring.docs`` rewrites the marked blocks; tests/test_authoring.py fails
when the file differs from what this module generates, so the docs cannot drift from the schema.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from graph.authoring.errors import MESSAGES
from graph.authoring.schema import KINDS, SPECS, Spec

__all__ = ["DOC_PATH", "render", "blocks"]

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
_TYPES = {
    "text": "text", "number": "number (digits; quote leading zeros)", "slug": "id (a-z, 0-9, -)",
    "date": "date YYYY-MM-DD", "url": "URL", "urls": "URL or list of URLs", "certainty": "certain / inferred / unverified",
    "langtext": "{da: …, en: …}", "citation": "citation", "ref": "reference",
}


def _type(type_: str) -> str:
    if type_.startswith("list:spec:"):
        return f"list of *{type_.removeprefix('list:spec:')}* items"
    if type_.startswith("list:"):
        return f"list of {_type(type_.removeprefix('list:'))}s"
    if type_.startswith("code:"):
        return f"code ({type_.removeprefix('code:')})"
    return _TYPES.get(type_, type_)


def key_table(spec: Spec) -> str:
    """A markdown table of a spec's keys."""
    rows = ["| key | type | required | may be qualified | meaning |", "|---|---|---|---|---|"]
    for field in spec.all_fields():
        rows.append(f"| `{field.name}` | {_type(field.type)} | {'yes' if field.required else ''} | "
                    f"{'yes' if field.qualifiable else ''} | {field.doc} |")
    return "\n".join(rows)


def error_table() -> str:
    """A markdown table of every error code with its Danish and English message."""
    rows = ["| code | message (da) | message (en) |", "|---|---|---|"]
    for code, (da_message, _da_fix, en_message, _en_fix) in MESSAGES.items():
        rows.append(f"| `{code}` | {da_message} | {en_message} |")
    return "\n".join(rows).replace("_en}", "}").replace("{", "‹").replace("}", "›").replace("*", "\\*")


def blocks() -> dict[str, str]:
    """Every generated block by marker name."""
    generated = {f"keys:{name}": key_table(spec) for name, spec in {**KINDS, **SPECS}.items()}
    generated["errors"] = error_table()
    return generated


def render(text: str) -> str:
    """``text`` with every ``<!-- NAME:start -->…<!-- NAME:end -->`` block regenerated."""
    for name, content in blocks().items():
        pattern = re.compile(rf"(<!-- {re.escape(name)}:start -->).*?(<!-- {re.escape(name)}:end -->)", re.S)
        text = pattern.sub(lambda m: f"{m.group(1)}\n{content}\n{m.group(2)}", text)
    return text


def main() -> None:
    """Rewrite docs/authoring.md in place."""
    text = DOC_PATH.read_text(encoding="utf-8")
    DOC_PATH.write_text(render(text), encoding="utf-8")
    sys.stdout.write(f"updated {DOC_PATH}\n")


if __name__ == "__main__":
    main()
