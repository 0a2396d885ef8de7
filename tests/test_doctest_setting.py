"""Which docstring examples get the fitted example corpus (and so are ``slow``): decided from the
names their code reads before defining them, not from their text."""

from __future__ import annotations

import doctest

from conftest import EXAMPLE_OBJECTS, SLOW, names_read_before_defined


def test_a_name_read_before_it_is_assigned_is_needed() -> None:
    assert names_read_before_defined(["themes.table", "corpus = 1"]) == {"themes"}


def test_names_assigned_or_imported_first_are_not_needed() -> None:
    sources = ["corpus = ll.load('corpora/examples/riverside')", "from x import themes",
               "import trends", "themes.summary(), corpus.units, trends"]
    assert names_read_before_defined(sources) == {"ll"}


def test_a_word_in_a_string_or_attribute_is_not_a_use() -> None:
    used = names_read_before_defined(["project.themes", "print('the corpus and its themes')"])
    assert used & set(EXAMPLE_OBJECTS) == set()


def test_the_slow_option_is_a_doctest_directive() -> None:
    (example,) = doctest.DocTestParser().get_examples(">>> 1 + 1  # doctest: +SLOW\n2\n")
    assert example.options == {SLOW: True}
