"""The shipped lexicon (ontology/lexicon/*.tsv) and the loader that reads it and users' files."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from kg.errors import InputError, LexiconError
from kg.lexicon import ENTITY_TYPES, LexiconEntry, default_lexicon_files, load_lexicon, read_lexicon_file

# file -> the one leaf type its entries have, and a floor on how many it ships
SHIPPED = {
    "companies.tsv": ("Company", 300),
    "media.tsv": ("MediaOrganization", 40),
    "organizations.tsv": ("Organization", 25),
    "platforms.tsv": ("Platform", 30),
    "products.tsv": ("Product", 80),
    "technologies.tsv": ("Technology", 60),
    "places.tsv": ("Place", 150),
}
HEADER = "label\ttype\taliases\ttickers\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped() -> dict[str, list[LexiconEntry]]:
    return {f.name: read_lexicon_file(f) for f in default_lexicon_files()}


def test_the_shipped_files_are_the_seven_kinds(shipped: dict[str, list[LexiconEntry]]) -> None:
    assert set(shipped) == set(SHIPPED)


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_every_shipped_file_loads_with_one_type_and_enough_entries(
    shipped: dict[str, list[LexiconEntry]], name: str
) -> None:
    type_, floor = SHIPPED[name]
    entries = shipped[name]
    assert len(entries) >= floor
    assert {e.type for e in entries} == {type_}


def test_no_surface_form_names_two_entries(shipped: dict[str, list[LexiconEntry]]) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for name, entries in shipped.items():
        for entry in entries:
            for form in entry.names():
                owners[form.casefold()].add(f"{name}:{entry.label}")
    clashes = {form: sorted(where) for form, where in owners.items() if len(where) > 1}
    assert clashes == {}


def test_within_an_entry_aliases_are_distinct_and_differ_from_the_label(
    shipped: dict[str, list[LexiconEntry]],
) -> None:
    for entry in (e for entries in shipped.values() for e in entries):
        assert entry.label not in entry.aliases, entry
        assert len(set(entry.aliases)) == len(entry.aliases), entry
        assert all(name == name.strip() and "\t" not in name for name in entry.names()), entry


def test_the_whole_shipped_lexicon_indexes_every_name(shipped: dict[str, list[LexiconEntry]]) -> None:
    lexicon = load_lexicon()
    assert len(lexicon) == sum(len(entries) for entries in shipped.values())
    index = lexicon.by_name()
    assert index["microsoft corporation"].label == "Microsoft"
    assert index["msft"].label == "Microsoft"
    assert index["nasdaq"].label == "NASDAQ"


@pytest.mark.parametrize(
    ("label", "type_", "names"),
    [
        ("Stellantis", "Company", {"Stellantis N.V."}),
        ("Microsoft", "Company", {"Microsoft Corporation", "MSFT"}),
        ("Amazon", "Company", {"AMZN"}),
        ("Toyota", "Company", {"Toyota Motor Corporation", "TM"}),
        ("Azure", "Platform", {"Microsoft Azure"}),
        ("Amazon Web Services", "Platform", {"AWS"}),
        ("Microsoft 365 Copilot", "Product", set()),
        ("Reuters", "MediaOrganization", set()),
        ("Financial Times", "MediaOrganization", set()),
        ("NASDAQ", "Organization", {"Nasdaq"}),
        ("New York Stock Exchange", "Organization", {"NYSE"}),
        ("artificial intelligence", "Technology", {"AI"}),
        ("cybersecurity", "Technology", {"cyber security"}),
        ("software-defined vehicles", "Technology", {"software-defined vehicle"}),
        ("electric vehicles", "Technology", {"EV", "EVs"}),
        ("engineering", "Technology", set()),
        ("Silicon Valley", "Place", set()),
        ("China", "Place", set()),
        ("Amsterdam", "Place", set()),
    ],
)
def test_well_known_names_are_known_with_their_type_and_aliases(label: str, type_: str, names: set[str]) -> None:
    entry = load_lexicon().get(label)
    assert entry is not None, label
    assert entry.type == type_
    assert names <= set(entry.names())


def test_article_specific_names_are_not_shipped() -> None:
    index = load_lexicon().by_name()
    for name in ("NewsTrackerToday", "News Tracker Today", "Sophie Leclerc", "Ethan Cole"):
        assert name.casefold() not in index


def test_places_have_no_demonyms_as_aliases() -> None:
    index = load_lexicon().by_name()
    for demonym in ("Chinese", "American", "German", "French", "Japanese", "British", "Dutch", "European"):
        assert demonym.casefold() not in index


def test_technology_labels_are_lower_case_apart_from_acronyms() -> None:
    for entry in load_lexicon():
        if entry.type == "Technology":
            for word in entry.label.split():
                assert word.islower() or word.isupper() or not word[0].isupper(), entry.label


def test_every_type_a_lexicon_may_use_is_a_leaf_class_of_the_ontology() -> None:
    from kg import ontology

    assert ENTITY_TYPES <= ontology.classes()


def test_a_user_file_overrides_a_shipped_entry_and_adds_new_ones(tmp_path: Path) -> None:
    user = _write(tmp_path / "mine.tsv", HEADER + "Microsoft\tCompany\tMSFT Corp\tMSFT\nAcme Rockets\tCompany\t\t\n")
    lexicon = load_lexicon([user])
    assert lexicon.get("Microsoft") == LexiconEntry("Microsoft", "Company", ("MSFT Corp",), ("MSFT",))
    assert lexicon.get("Acme Rockets") == LexiconEntry("Acme Rockets", "Company")
    assert len(lexicon) == len(load_lexicon()) + 1


def test_a_later_user_file_wins_over_an_earlier_one(tmp_path: Path) -> None:
    first = _write(tmp_path / "a.tsv", HEADER + "Acme\tCompany\tAcme Inc.\t\n")
    second = _write(tmp_path / "b.tsv", HEADER + "Acme\tProduct\t\t\n")
    assert load_lexicon([first, second], include_default=False).get("Acme") == LexiconEntry("Acme", "Product")


def test_comments_and_blank_lines_are_skipped_and_lists_split_on_bars(tmp_path: Path) -> None:
    user = _write(tmp_path / "x.tsv", "# mine\n" + HEADER + "\n# a comment\nAcme\tCompany\t Acme Inc. | Acme Corp \tACME|ACM\n")
    assert read_lexicon_file(user) == [LexiconEntry("Acme", "Company", ("Acme Inc.", "Acme Corp"), ("ACME", "ACM"))]


@pytest.mark.parametrize(
    ("text", "where", "problem"),
    [
        ("name\ttype\n" + "Acme\tCompany\n", ":1:", "header must start with 'label<TAB>type'"),
        ("# leading comment\n" + "type\tlabel\n", ":2:", "header"),
        (HEADER + "Acme\tCompany\t\t\n" + "Beta\tCompani\t\t\n", ":3:", "unknown type 'Compani'"),
        (HEADER + "# comment\n" + "\tCompany\tAcme Inc.\t\n", ":3:", "empty label"),
    ],
)
def test_a_malformed_line_raises_lexicon_error_naming_file_and_line(
    tmp_path: Path, text: str, where: str, problem: str
) -> None:
    path = _write(tmp_path / "bad.tsv", text)
    with pytest.raises(LexiconError, match=problem) as caught:
        read_lexicon_file(path)
    assert f"{path}{where}" in str(caught.value)


def test_a_file_that_is_not_utf8_raises_lexicon_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "latin1.tsv"
    path.write_bytes(HEADER.encode() + "Société Générale\tCompany\t\t\n".encode("latin-1"))
    with pytest.raises(LexiconError, match="not UTF-8") as caught:
        read_lexicon_file(path)
    assert str(caught.value).startswith(f"{path}:")


def test_a_missing_file_raises_lexicon_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.tsv"
    with pytest.raises(LexiconError, match="not found") as caught:
        load_lexicon([path])
    assert str(caught.value).startswith(f"{path}:")


def test_lexicon_errors_are_input_errors() -> None:
    assert issubclass(LexiconError, InputError) and issubclass(LexiconError, ValueError)
