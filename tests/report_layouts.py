"""Report layouts that the repository has no file of, built from the three real reports.

Each function transforms a real report's text the way another evaluator's layout or another
PDF extraction tool prints it; the figures and list items stay those of the real report.
"""

import re
from pathlib import Path

REPORTS_DIR = Path(__file__).resolve().parents[1] / "evaluations" / "data" / "reports"
REPORT_NAMES = {
    "kalix": "kalix-2012.txt",
    "lulea": "lulea-2018.txt",
    "lindesberg": "lindesberg-2021.txt",
}
UL = '<ul style="list-style-type: none">'
TWO_COLUMN_LISTS = re.compile(
    r"Styrkor\tFörbättringsmöjligheter\n(?P<strengths>[^\t\n]*)\t(?P<improvements>[^\n]*)\n"
)


def report_text(name: str) -> str:
    return (REPORTS_DIR / REPORT_NAMES[name]).read_text(encoding="utf-8")


def split_improvements(items: list[str]) -> tuple[list[str], list[str]]:
    """The improvement points that stay, and the later ones moved to the weaknesses column."""
    half = (len(items) + 1) // 2
    return items[:half], items[half:]


def _bullets(column: str) -> list[str]:
    return [item.strip() for item in column.replace(UL, "").split("•") if item.strip()]


def _ul(items: list[str]) -> str:
    return UL + "".join(f" • {item}" for item in items) + " "


def three_columns(text: str, *, repeat_header_in_area: int | None = None) -> str:
    """Each area's two <ul> columns as the 2010 version's three: the header line
    Styrkor/Förbättringsmöjligheter/Svagheter ruled with dashes, the later half of the
    improvement points moved to a Svagheter column, and the closing row of dashes.

    `repeat_header_in_area`: that area's strengths continue after a repeated header row, as
    where a page break falls inside the table."""
    area = 0

    def columns(match: re.Match[str]) -> str:
        nonlocal area
        area += 1
        strengths = _bullets(match["strengths"])
        kept, moved = split_improvements(_bullets(match["improvements"]))
        first = _ul(strengths)
        if area == repeat_header_in_area:
            first = (
                _ul(strengths[:1])
                + "Styrkor Förbättringsmöjligheter Svagheter "
                + "".join(f"• {item} " for item in strengths[1:])
            )
        return (
            "Styrkor\tFörbättringsmöjligheter\tSvagheter\n"
            "----------------\t------------------------\t---------\n"
            f"{first}\t{_ul(kept)}\t{_ul(moved)}\n"
            "--\t---\t--\n"
        )

    transformed, count = TWO_COLUMN_LISTS.subn(columns, text)
    assert count == 8, count
    return transformed


def truncated(text: str) -> str:
    """The report cut before its overview tables (the table of contents names them too)."""
    return text[: text.rindex("4. Översikt av poängfördelning")]


def undecided_kalix() -> str:
    """Kalix 2012 truncated, area 7's title lost and dated 2009: nothing decides the version
    (the titles fit 2010 and 2016, the 2010 revision is later, no version was in use)."""
    return (
        truncated(report_text("kalix"))
        .replace("Område 7 Verksamhetsutveckling\n", "Område 7 X\n")
        .replace("genomfördes i november 2012", "genomfördes i november 2009")
    )


def flat(text: str) -> str:
    """Every line break and tab lost (page headers are added by the tests that need them)."""
    return " ".join(text.split())


def with_sentences(
    text: str, sentences: str, *, after: str = "Sammanfattande kommentarer\n\n"
) -> str:
    """The report with sentences added after its last `after` (by default at the start of its
    summary comments)."""
    at = text.rindex(after) + len(after)
    return f"{text[:at]}{sentences}\n\n{text[at:]}"


HEADER = re.compile(
    r"(?P<title>Område [1-8] [^\n]+)\n\nRubriker\tPoäng\n(?P<headings>[^\n]*?)[ \t]*"
    r"(?:<(?:h1|p)\b[^>]*>)?(?P<score>\d+)(?:</(?:h1|p)>)?[ \t]*\n"
)
LIST_BLOCK = re.compile(
    r"Styrkor\tFörbättringsmöjligheter\n(?P<body>.*?)(?=\nOmråde [1-8] |\n\d\.? ?Översikt)",
    re.DOTALL,
)
BULLET_OR_PARAGRAPH = re.compile(r"\s*(?:[•●]|</?p>|<ul[^>]*>)\s*")


def _plain_items(column: str) -> list[str]:
    return [item.strip() for item in BULLET_OR_PARAGRAPH.split(column) if item.strip()]


def _plain_columns(body: str) -> tuple[list[str], list[str]]:
    lines = [line for line in body.splitlines() if line.strip()]
    if len(lines) > 1 and all("\t" in line for line in lines):
        pairs = [line.split("\t", 1) for line in lines]
        return [left.strip() for left, _ in pairs], [right.strip() for _, right in pairs]
    left, right = body.split("\t", 1)
    return _plain_items(left), _plain_items(right)


def headings_in_header(text: str, *, rubriker: bool = True) -> str:
    """Each area's header as flattened reports print it: title, "Rubriker", the headings one
    after the other, "Poäng" and the score; its lists as plain runs, each column after its
    header and no bullets ("Styrkor Ny styrmodell … Förbättringsmöjligheter Implementera …").

    `rubriker=False`: without the word "Rubriker", so that the title runs on into the headings.
    """

    def header(match: re.Match[str]) -> str:
        headings = " ".join(_plain_items(match["headings"]))
        label = "Rubriker " if rubriker else ""
        return f"{match['title']} {label}{headings} Poäng {match['score']}\n"

    def lists(match: re.Match[str]) -> str:
        strengths, improvements = _plain_columns(match["body"])
        return f"Styrkor {' '.join(strengths)} Förbättringsmöjligheter {' '.join(improvements)}\n"

    text, headers = HEADER.subn(header, text)
    text, blocks = LIST_BLOCK.subn(lists, text)
    assert (headers, blocks) == (8, 8), (headers, blocks)
    return text


def with_page_headers(text: str, every: int = 400) -> str:
    """All line breaks and tabs lost, a page header after about every `every` characters."""
    words, run, page = [], 0, 1
    for word in text.split():
        words.append(word)
        run += len(word) + 1
        if run >= every:
            words.append(f"Sveriges Kommuner och Landsting 2018-06-19 {page} (34)")
            page, run = page + 1, 0
    return " ".join(words)


def _section_bounds(text: str, number: int) -> tuple[int, int]:
    start = text.index(f"\nOmråde {number} ", text.index("Detaljerad genomgång", 2000)) + 1
    following = re.compile(rf"\n(?:Område {number + 1} |\d\.? ?Översikt av poängfördelning)")
    return start, following.search(text, start).start() + 1


def without_section(text: str, number: int) -> str:
    """The report with one area's section (heading, header, text and lists) left out."""
    start, end = _section_bounds(text, number)
    return text[:start] + text[end:]


def with_section_twice(text: str, number: int) -> str:
    """The report with one area's section printed a second time right after itself."""
    start, end = _section_bounds(text, number)
    return text[:end] + text[start:end] + text[end:]


def with_token(text: str, size: int, *, after: str = "Allmänt") -> str:
    """The report with one token of `size` characters (no space, no line break) after the
    first `after` in an area's section, as a broken PDF extraction leaves one."""
    at = text.index(after, text.index("Detaljerad genomgång", 2000)) + len(after)
    return f"{text[:at]} {'x' * size} {text[at:]}"


def with_filler(text: str, filler: str, size: int, *, where: str = "summary") -> str:
    """The report grown to `size` bytes by one filler printed again and again, after the first
    "Allmänt" of an area's section (where="area") or at the start of the summary comments."""
    count = (size - len(text.encode())) // len(filler.encode())
    if where == "summary":
        return with_sentences(text, filler * count)
    at = text.index("Allmänt", text.index("Detaljerad genomgång", 2000)) + len("Allmänt")
    return f"{text[:at]} {filler * count} {text[at:]}"
