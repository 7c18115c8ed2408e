"""Files built once per data version (kompass_site/prebuilt.py): what a build leaves on disk."""

import pytest

from evaluations import dataversion
from kompass_site.prebuilt import path_for, prebuilt

pytestmark = pytest.mark.django_db


def write(text: str):
    def build(path, _version):
        path.write_text(text)

    return build


def test_a_build_says_whether_it_made_the_file_or_found_it(settings):
    first = prebuilt("test", write("a"), suffix=".txt")
    again = prebuilt("test", write("b"), suffix=".txt")
    assert first is not None and first.made
    assert again is not None and not again.made and again.path == first.path
    assert first.path.read_text() == "a"
    assert first.path == path_for(
        "test", dataversion.current(), suffix=".txt", root=settings.DOWNLOADS_ROOT
    )


def test_a_build_removes_what_a_dead_build_of_the_same_file_left(settings):
    root = settings.DOWNLOADS_ROOT
    orphan = root / ".test-0123456789ab.part.txt"  # the partial file of a killed process
    other = root / ".other-0123456789ab.part.txt"
    for path in (orphan, other):
        path.write_text("half")
    built = prebuilt("test", write("whole"), suffix=".txt")
    assert built is not None and built.path.read_text() == "whole"
    assert not orphan.exists()
    assert other.exists()  # another name's: its own build may be writing it
