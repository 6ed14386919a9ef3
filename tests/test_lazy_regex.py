"""knowledge.lazy_regex: a pattern compiled on first use behaves as the compiled one."""

from __future__ import annotations

import copy
import re

import pytest

from knowledge.lazy_regex import LazyPattern, lazy_compile


def test_nothing_is_compiled_until_the_pattern_is_used() -> None:
    pattern = lazy_compile(r"(?P<n>\d+)\s*orders?", re.I)
    assert isinstance(pattern, LazyPattern)
    assert pattern._compiled is None
    assert pattern.search("We had 12 ORDERS").group("n") == "12"
    assert pattern.compiled is re.compile(r"(?P<n>\d+)\s*orders?", re.I)  # re's own cache
    assert pattern.sub("#", "3 orders, 4 order") == "#, #"
    assert [m.span() for m in pattern.finditer("1 order 22 orders")] == [(0, 7), (8, 17)]
    assert (pattern.pattern, pattern.groups, pattern.flags & re.I) == (
        r"(?P<n>\d+)\s*orders?",
        1,
        re.I,
    )


def test_an_invalid_pattern_fails_when_first_used() -> None:
    pattern = lazy_compile(r"(unclosed")
    with pytest.raises(re.error):
        pattern.search("x")


def test_a_copy_is_a_working_pattern() -> None:
    pattern = copy.deepcopy(lazy_compile(r"a+"))
    assert pattern.fullmatch("aaa") is not None
