"""Every message of every page is translated into et, fi and nb, with the same placeholders as the English."""

import re

import pytest
from babel.messages.pofile import read_po

from koos_web.i18n import catalogue_path, extracted, load_all, negotiate

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return (message_id,) if isinstance(message_id, str) else tuple(message_id)


@pytest.mark.parametrize("language", ["et", "fi", "nb"])
def test_every_message_the_pages_use_is_translated_with_its_placeholders(language: str) -> None:
    with catalogue_path(language).open("rb") as source:
        catalogue = read_po(source, locale=language)
    used = {m.id for m in extracted() if m.id}

    untranslated = []
    for message_id in used:
        message = catalogue.get(message_id)
        strings = ids(message.string) if message else ()
        if message is None or "fuzzy" in message.flags or not all(strings):
            untranslated.append(message_id)
            continue
        wanted = set(PLACEHOLDER.findall(ids(message_id)[-1]))
        assert all(set(PLACEHOLDER.findall(s)) == wanted for s in strings), (message_id, strings)
    assert untranslated == []


def test_the_catalogues_compile_and_translate_when_the_web_starts() -> None:
    translations = load_all()

    assert translations["nb"].gettext("Sign up") == "Meld deg på"
    plural = translations["fi"].ngettext("%(count)s seat left.", "%(count)s seats left.", 3)
    assert plural == "%(count)s paikkaa jäljellä."
    assert translations["en"].gettext("Sign up") == "Sign up"


@pytest.mark.parametrize(("header", "language"), [
    ("nb-NO,nb;q=0.9,en;q=0.8", "nb"), ("no", "nb"), ("fi-FI", "fi"), ("et", "et"), ("de-DE,de", "en"),
    ("sv-SE,fi;q=0.5", "fi"), ("", "en"), (None, "en")])
def test_the_browsers_language_is_understood(header: str | None, language: str) -> None:
    assert negotiate(header) == language
