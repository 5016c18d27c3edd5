"""Authoring errors: every one names the file, line and column, says what is wrong and how to fix it.

Messages are Danish by default (the users are Danish legal officers) with an English twin;
``AuthoringError.render("en")`` or ``.message_en``/``.fix_en`` give the English text. Each error
has a stable ``code`` so tests and tools need not match on prose.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Loc", "AuthoringError", "AuthoringErrors", "MESSAGES", "make_error"]


@dataclass(frozen=True)
class Loc:
    """A place in a source file; line and column are 1-based (as editors show them)."""

    path: Path
    line: int | None = None
    column: int | None = None

    def display_path(self) -> str:
        """The path relative to the working directory when it lies below it."""
        try:
            relative = os.path.relpath(self.path)
        except ValueError:  # another drive on Windows
            return str(self.path)
        return str(self.path) if relative.startswith("..") else relative

    def __str__(self) -> str:
        parts = [self.display_path()] + [str(n) for n in (self.line, self.column) if n is not None]
        return ":".join(parts)


# code → (Danish message, Danish fix, English message, English fix); str.format fields.
MESSAGES: dict[str, tuple[str, str, str, str]] = {
    "file-missing": ("findes ikke", "angiv en YAML-fil eller en mappe med YAML-filer",
                     "does not exist", "give a YAML file or a folder of YAML files"),
    "no-files": ("mappen indeholder ingen *.yaml-filer", "læg kildefilerne (*.yaml) i mappen eller angiv filerne direkte",
                 "the folder holds no *.yaml files", "put the source files (*.yaml) there or name the files directly"),
    "not-yaml": ("er ikke en YAML-fil", "kildefiler skal hedde *.yaml",
                 "is not a YAML file", "source files must be named *.yaml"),
    "yaml-syntax": ("ugyldig YAML: {problem}", "ret syntaksen: indryk med mellemrum, skriv »nøgle: værdi« og lister med »- «; sæt tekst med kolon i anførselstegn",
                    "malformed YAML: {problem}", "fix the syntax: indent with spaces, write 'key: value' and lists with '- '; quote text containing a colon"),
    "empty-file": ("filen er tom", "skriv mindst »kind: …« med en af: {kinds}",
                   "the file is empty", "write at least 'kind: …' with one of: {kinds}"),
    "not-mapping": ("{where} skal være en samling af nøgler (»nøgle: værdi«), ikke {got}", "skriv {where} som »nøgle: værdi«-linjer",
                    "{where_en} must be a mapping ('key: value'), not {got_en}", "write {where_en} as 'key: value' lines"),
    "missing-kind": ("filen mangler »kind«", "tilføj en første linje »kind: …« med en af: {kinds}",
                     "the file has no 'kind'", "add a first line 'kind: …' with one of: {kinds}"),
    "unknown-kind": ("ukendt kind »{kind}«", "brug en af: {kinds}", "unknown kind '{kind}'", "use one of: {kinds}"),
    "unknown-key": ("ukendt nøgle »{key}« i {where}", "{hint}tilladte nøgler: {allowed}",
                    "unknown key '{key}' in {where}", "{hint_en}allowed keys: {allowed}"),
    "missing-key": ("{where} mangler »{key}«", "tilføj »{key}: …« ({doc})", "{where} lacks '{key}'", "add '{key}: …' ({doc})"),
    "missing-source": ("{where} mangler en kilde (»source«)", "tilføj »source: https://…« med adressen på den kilde, oplysningen stammer fra",
                       "{where} has no source ('source')", "add 'source: https://…' with the address of the source the statement comes from"),
    "wrong-type": ("»{key}« skal være {expected}, ikke {got}", "skriv {example}",
                   "'{key}' must be {expected_en}, not {got}", "write {example}"),
    "bad-url": ("»{value}« er ikke en URL", "skriv hele adressen med http:// eller https://, fx https://www.retsinformation.dk/eli/lta/2021/880",
                "'{value}' is not a URL", "write the full address with http:// or https://, e.g. https://www.retsinformation.dk/eli/lta/2021/880"),
    "bad-date": ("»{value}« er ikke en dato på formen ÅÅÅÅ-MM-DD", "skriv datoen som år-måned-dag, fx 2021-05-12",
                 "'{value}' is not a date in YYYY-MM-DD form", "write the date as year-month-day, e.g. 2021-05-12"),
    "bad-certainty": ("ukendt sikkerhed »{value}«", "brug en af: certain (sikker), inferred (udledt), unverified (ubekræftet)",
                      "unknown certainty '{value}'", "use one of: certain, inferred, unverified"),
    "bad-code": ("ukendt {what} »{value}«", "{hint}brug en af: {allowed}", "unknown {what_en} '{value}'", "{hint_en}use one of: {allowed}"),
    "bad-citation": ("kan ikke læse henvisningen »{text}«: {detail}", "{fix}", "cannot read the citation '{text}': {detail_en}", "{fix_en}"),
    "no-law-in-citation": ("henvisningen »{text}« nævner ingen lov", "skriv lovens navn foran, fx »serviceloven {text}«",
                           "the citation '{text}' names no law", "put the law's name in front, e.g. 'serviceloven {text}'"),
    "foreign-law-in-cite": ("»{text}« hører til {other}, men filen erklærer {law}", "skriv kun stedet (»{path}«) eller flyt bestemmelsen til filen for {other}",
                            "'{text}' belongs to {other} but the file declares {law}", "write only the place ('{path}') or move the provision to the file for {other}"),
    "unknown-law": ("ukendt lov »{name}«", "{hint}eller erklær loven i en fil med »kind: law«",
                    "unknown law '{name}'", "{hint_en}or declare the law in a file with 'kind: law'"),
    "unknown-provision": ("ukendt bestemmelse »{text}«", "{hint}eller tilføj den under »provisions« i filen for {law}",
                          "unknown provision '{text}'", "{hint_en}or add it under 'provisions' in the file for {law}"),
    "unknown-municipality": ("ukendt kommune »{name}«", "{hint}eller tilføj kommunen i en fil med »kind: municipalities«",
                             "unknown municipality '{name}'", "{hint_en}or add the municipality in a file with 'kind: municipalities'"),
    "unknown-document": ("ukendt dokument »{text}«", "{hint}eller erklær dokumentet (under »documents« i en lovfil, eller som »kind: act« / »kind: executive-order«)",
                         "unknown document '{text}'", "{hint_en}or declare the document (under 'documents' in a law file, or as 'kind: act' / 'kind: executive-order')"),
    "unknown-bill": ("ukendt lovforslag »{text}«", "{hint}eller erklær det under »bills« i en lovfil",
                     "unknown bill '{text}'", "{hint_en}or declare it under 'bills' in a law file"),
    "unknown-possibility": ("ukendt fravigelsesadgang »{text}«", "{hint}eller erklær den under »possibilities« i en fil med »kind: exemption-scheme«",
                            "unknown exemption possibility '{text}'", "{hint_en}or declare it under 'possibilities' in a file with 'kind: exemption-scheme'"),
    "wrong-ref-kind": ("»{text}« er {got}, men her skal stå {expected}", "henvis til {expected}", "'{text}' is {got_en}, but {expected_en} is needed here", "refer to {expected_en}"),
    "doc-type-mismatch": ("»{text}« er erklæret som {declared}, ikke {given}", "skriv {declared} {number}/{year}",
                          "'{text}' is declared as {declared}, not {given}", "write {declared} {number}/{year}"),
    "doc-date-mismatch": ("»{text}« har datoen {declared}, ikke {given}", "ret datoen i henvisningen til {declared_text}",
                          "'{text}' is dated {declared}, not {given}", "correct the date in the reference to {declared_text}"),
    "duplicate": ("{what} »{name}« er erklæret to gange (første gang i {first})", "fjern den ene, eller giv dem forskellige navne",
                  "{what_en} '{name}' is declared twice (first in {first})", "remove one, or give them different names"),
    "alias-clash": ("navnet »{name}« bruges allerede for loven »{other}«", "fjern navnet fra »aliases« eller giv det kun til én lov",
                    "the name '{name}' already means the law '{other}'", "remove the name from 'aliases' or give it to one law only"),
    "date-order": ("{start_key} ({start}) ligger ikke før {end_key} ({end})", "ret datoerne, så perioden begynder før den slutter",
                   "{start_key} ({start}) is not before {end_key} ({end})", "correct the dates so that the period starts before it ends"),
    "outside-period": ("beslutningen gælder fra {date}, uden for aftalens periode {start} – {end}", "ret »effective_from« eller aftalens periode",
                       "the decision applies from {date}, outside the agreement's period {start} – {end}", "correct 'effective_from' or the agreement's period"),
    "protected": ("{text} må ikke fraviges: hegnspælen »{fence}« ({where}) beskytter {protected}", "fjern bestemmelsen her, eller ret hegnspælen hvis den er forkert",
                  "{text} may not be set aside: the hegnspæl '{fence}' ({where}) protects {protected}", "remove the provision here, or correct the hegnspæl if it is wrong"),
    "extension-mismatch": ("aftalens »valid_until« ({until}) er ikke den seneste forlængelses »new_end« ({new_end})", "ret »valid_until« til den nuværende slutdato ({new_end})",
                           "the agreement's 'valid_until' ({until}) is not the last extension's 'new_end' ({new_end})", "set 'valid_until' to the current end ({new_end})"),
    "bad-slug": ("»{value}« kan ikke bruges som id", "brug små bogstaver, tal og bindestreg, fx »helsingoer-dagtilbud«",
                 "'{value}' cannot be used as an id", "use lower-case letters, digits and hyphens, e.g. 'helsingoer-dagtilbud'"),
    "duplicate-stem": ("filnavnet »{stem}« bruges også af {other}", "giv filerne forskellige navne; hver fil bliver sin egen navngivne graf",
                       "the file name '{stem}' is also used by {other}", "give the files different names; each file becomes its own named graph"),
    "municipality-mismatch": ("beslutningen hører til {agreement_municipality}s aftale, men fravigelsesadgangen »{possibility}« gælder ikke {agreement_municipality}",
                              "henvis til en fravigelsesadgang, der omfatter kommunen", "the decision belongs to {agreement_municipality}'s agreement, but the possibility '{possibility}' does not cover {agreement_municipality}",
                              "refer to a possibility that covers the municipality"),
}


class AuthoringError(Exception):
    """One problem in a source file, with its place and fix (Danish; ``render("en")`` for English)."""

    def __init__(self, path: Path | str, line: int | None, column: int | None, message: str, fix: str, *,
                 code: str = "", message_en: str = "", fix_en: str = ""):
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        self.fix = fix
        self.code = code
        self.message_en = message_en or message
        self.fix_en = fix_en or fix
        super().__init__(self.render())

    @property
    def loc(self) -> Loc:
        return Loc(self.path, self.line, self.column)

    def render(self, lang: str = "da") -> str:
        """``file:line:column: message — fix`` in Danish (``da``) or English (``en``)."""
        message, fix = (self.message, self.fix) if lang == "da" else (self.message_en, self.fix_en)
        return f"{self.loc}: {message} — {fix}"

    def __str__(self) -> str:
        return self.render()


class AuthoringErrors(Exception):
    """All problems of one compile run; nothing was compiled."""

    def __init__(self, errors: Iterable[AuthoringError]):
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line or 0, e.column or 0))
        super().__init__(self.render())

    def render(self, lang: str = "da") -> str:
        """One header line and one line per error."""
        count = len(self.errors)
        head = (f"{count} fejl i kildefilerne; intet blev bygget:" if lang == "da"
                else f"{count} error(s) in the source files; nothing was built:")
        return "\n".join([head, *(e.render(lang) for e in self.errors)])

    def __str__(self) -> str:
        return self.render()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)


def _suggestion_hint(params: dict[str, object]) -> None:
    """Fill ``hint``/``hint_en`` from a ``suggestions`` list ("ret til en af: …")."""
    suggestions = params.pop("suggestions", None)
    if "hint" in params:
        return
    if suggestions:
        listed = ", ".join(f"»{s}«" for s in suggestions)
        params["hint"] = f"ret til en af: {listed} — "
        params["hint_en"] = f"change to one of: {', '.join(repr(s) for s in suggestions)} — "
    else:
        params["hint"] = params["hint_en"] = ""


def make_error(loc: Loc, code: str, **params: object) -> AuthoringError:
    """An AuthoringError from the message catalogue; missing English fields fall back to Danish."""
    _suggestion_hint(params)
    da_message, da_fix, en_message, en_fix = MESSAGES[code]

    class _Fallback(dict):  # English templates may name *_en fields that only some callers give
        def __missing__(self, key: str) -> object:
            return self.get(key.removesuffix("_en"), "{" + key + "}")

    values = _Fallback(params)
    return AuthoringError(
        loc.path, loc.line, loc.column,
        da_message.format_map(values), da_fix.format_map(values),
        code=code, message_en=en_message.format_map(values), fix_en=en_fix.format_map(values),
    )
