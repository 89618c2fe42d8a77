"""Every page in et, fi, nb and en: Babel catalogues compiled at start-up, and the reader's language.

English is the source language (the message ids); `locales/<lang>/LC_MESSAGES/messages.po` hold the others and
are compiled in memory when the web starts, so nothing is built beforehand. `python -m koos_web.i18n update`
merges new messages from the templates and the code into the catalogues.
"""

import sys
from collections.abc import Iterable, Iterator
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

LANGUAGES = ("et", "fi", "nb", "en")
FALLBACK = "en"
NAMES = {"et": "eesti", "fi": "suomi", "nb": "norsk bokmål", "en": "English"}
PACKAGE = Path(__file__).parent
LOCALES = PACKAGE / "locales"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def N_(message: str) -> str:
    """Marks a message for translation where it is defined; it is translated where it is shown."""
    return message


def catalogue_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def load_all() -> dict[str, NullTranslations]:
    """The translations of every language, compiled from the catalogues now."""
    found: dict[str, NullTranslations] = {FALLBACK: NullTranslations()}
    for language in LANGUAGES:
        if language != FALLBACK:
            found[language] = compile_catalogue(catalogue_path(language))
    return found


def compile_catalogue(path: Path) -> Translations:
    with path.open("rb") as source:
        catalogue = read_po(source)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled)


def negotiate(accept_language: str | None) -> str:
    """The best of our languages for an Accept-Language header; English when none fits."""
    wanted = [part.split(";")[0].strip().replace("-", "_") for part in (accept_language or "").split(",")]
    for tag in (w for w in wanted if w and w != "*"):
        language = _language_of(tag)
        if language in LANGUAGES:
            return language
    return FALLBACK


def _language_of(tag: str) -> str:
    if tag.lower() in ("no", "nn", "no_no", "nn_no"):
        return "nb"
    try:
        return Locale.parse(tag).language
    except (ValueError, UnknownLocaleError):
        return tag.split("_")[0].lower()


def extracted() -> Catalog:
    """Every message the templates and the code use."""
    catalogue = Catalog(project="koos-web", locale=None)
    for filename, line, message, comments, context in _messages():
        catalogue.add(message, locations=[(filename, line)], auto_comments=comments, context=context)
    return catalogue


def _messages() -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}
    yield from extract_from_dir(PACKAGE, METHODS, keywords=KEYWORDS, options_map=options,
                                strip_comment_tags=True)


def update(languages: Iterable[str] = ("et", "fi", "nb")) -> None:
    """Merge new messages into each catalogue, keeping the translations it has."""
    template = extracted()
    for language in languages:
        path = catalogue_path(language)
        if path.exists():
            with path.open("rb") as source:
                catalogue = read_po(source, locale=language)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=language, project="koos-web")
        catalogue.update(template, update_header_comment=False)
        with path.open("wb") as target:
            write_po(target, catalogue, width=120, omit_header=False, sort_output=True, ignore_obsolete=True,
                     include_previous=False)


if __name__ == "__main__":
    if sys.argv[1:] == ["update"]:
        update()
