"""Good examples the reports recommend: sentences in an evaluation's narrative texts that name
another municipality as one to learn from ("Nässjö är ett gott exempel på arbete med
medarbetarskap", Lindesberg 2021).

``find_mentions`` is pure (texts and names in, mentions out); ``refresh`` stores what it finds
for one evaluation, and is called wherever an evaluation's texts are written. Precision over
recall: a sentence counts only when it names a municipality *and* uses one of the recommending
phrasings below, which are the ones evaluators use in the real reports.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction

from . import dataversion
from .models import AreaListItem, AreaResult, Evaluation, GoodExampleMention, Municipality

Part = GoodExampleMention.Part

# How evaluators recommend another municipality. Each is tested on the real sentence it comes
# from (tests/test_mentions.py); the first five are also the phrasings the issue names.
RECOMMENDING = re.compile(
    r"\b(?:"
    r"(?:gott|goda|bra|utmärkt|utmärkta)\s+exempel"  # "Nässjö är ett gott exempel på …"
    r"|exempel\s+på\s+en\s+(?:kommun|stad)\s+som"  # "Lidingö är ett exempel på en kommun som …"
    r"|förebild\w*"
    r"|inspiration\w*"  # "Tyresös modell … kan vara inspirationskällor"
    r"|lära\s+(?:sig\s+)?(?:av|från)"
    r"|kommit\s+långt"
    r"|titta\s+(?:vidare\s+|närmare\s+)?på"  # "Piteå, Sunne och Ängelholm … kan titta vidare på"
    r"|att\s+studera"  # "Vaxholms arbete … kan vara något för Lindesberg att studera"
    r")\b",
    re.IGNORECASE,
)
# "En kommun som arbetar strategiskt med ledarskapet … är Tomelilla": the example named last.
PRESENTING = re.compile(r"^(?:En|Ett\s+exempel\s+på\s+en)\s+(?:kommun|stad)\s+som\b")
PRESENTED = re.compile(r"\bär\s+")
NEGATED = re.compile(r"\b(?:inte|ej|inget|inga|aldrig)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)

# Names that are also common Swedish words ("vara", "mark", "berg"): capitalised only at the
# start of a sentence, so there they count only as "Vara kommun".
COMMON_WORDS = frozenset({"Berg", "Boden", "Kil", "Lund", "Mark", "Vara"})
# "Region Örebro", "Luleå tekniska universitet", "Norrbottens län" are not the municipality.
NOT_THE_MUNICIPALITY_BEFORE = re.compile(r"\bRegion\s+$")
NOT_THE_MUNICIPALITY_AFTER = re.compile(
    r"^\s+(?:tekniska\s+)?(?:universitet|högskola|län|läns|stift)\w*\b", re.IGNORECASE
)
REGION_MUNICIPALITY = "Gotland"  # "Region Gotland" is the municipality itself

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"”'(«A-ZÅÄÖÉÜ0-9])")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Passage:
    """One narrative text of an evaluation and where in the report it stands."""

    part: str  # a GoodExampleMention.Part
    text: str
    area_number: int | None = None
    position: int | None = None  # a list item's place in its list


@dataclass(frozen=True)
class Mention:
    municipality_code: str
    sentence: str
    part: str
    area_number: int | None
    position: int | None


def sentences(text: str) -> list[str]:
    """The text's sentences, whitespace collapsed. A sentence broken by a page break of the
    PDF ("… en stad som arbetat\\n\\ngenomgripande med …") is joined again; a heading (a
    paragraph without a full stop, followed by one that starts in upper case) stands alone."""
    paragraphs: list[str] = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        if paragraphs and paragraph[0].islower() and paragraphs[-1][-1] not in ".!?:":
            paragraphs[-1] += " " + paragraph
        else:
            paragraphs.append(paragraph)
    return [s for paragraph in paragraphs for s in SENTENCE_END.split(paragraph) if s]


@lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern:
    # Longest first, so "Upplands Väsby" wins over any shorter name at the same place; no
    # letter or hyphen on either side, so "Kalix" is not found in "Överkalix" nor "Luleå" in
    # "Luleåregionen". An optional genitive s ("Vaxholms arbete", "Tyresös modell").
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?P<name>{alternatives})(?::?s)?(?![\w-])")


def _named(sentence: str, *, pattern: re.Pattern) -> Iterable[re.Match]:
    for match in pattern.finditer(sentence):
        name = match.group("name")
        before, after = sentence[: match.start()], sentence[match.end() :]
        if name != REGION_MUNICIPALITY and NOT_THE_MUNICIPALITY_BEFORE.search(before):
            continue
        if NOT_THE_MUNICIPALITY_AFTER.match(after):
            continue
        if name in COMMON_WORDS and not before.strip() and not re.match(r"\s+kommun", after):
            continue
        yield match


def _recommends(sentence: str, match: re.Match) -> bool:
    for cue in RECOMMENDING.finditer(sentence):
        if not NEGATED.search(sentence[: cue.start()]):
            return True
    if PRESENTING.match(sentence):
        presented = [m.end() for m in PRESENTED.finditer(sentence)]
        return bool(presented) and match.start() >= presented[-1]
    return False


def find_mentions(
    *, passages: Sequence[Passage], municipalities: Sequence[tuple[str, str]], own_code: str
) -> list[Mention]:
    """The sentences of `passages` that recommend one of `municipalities` ((code, short name)
    pairs) as a good example, one per municipality and sentence, in the report's order. The
    evaluated municipality (`own_code`) naming itself ("Luleå är ett gott exempel inom detta
    område") is no mention of a good example."""
    codes = {name: code for code, name in municipalities if code != own_code}
    if not codes:
        return []
    pattern = _names_pattern(tuple(sorted(codes)))
    found = []
    for passage in passages:
        for sentence in sentences(passage.text):
            seen = set()
            for match in _named(sentence, pattern=pattern):
                code = codes[match.group("name")]
                if code in seen or not _recommends(sentence, match):
                    continue
                seen.add(code)
                found.append(
                    Mention(
                        municipality_code=code,
                        sentence=sentence,
                        part=passage.part,
                        area_number=passage.area_number,
                        position=passage.position,
                    )
                )
    return found


LIST_PARTS: dict[str, str] = {
    AreaListItem.Kind.STRENGTH: Part.STRENGTH,
    AreaListItem.Kind.IMPROVEMENT: Part.IMPROVEMENT,
    AreaListItem.Kind.WEAKNESS: Part.WEAKNESS,
}


def passages_of(evaluation: Evaluation) -> list[Passage]:
    """The evaluation's narrative texts in the report's order (two queries)."""
    passages = [Passage(part=Part.SUMMARY, text=evaluation.summary)]
    results = (
        AreaResult.objects.filter(evaluation=evaluation)
        .select_related("area")
        .order_by("area__number")
    )
    items: dict[int, list[AreaListItem]] = {}
    for item in AreaListItem.objects.filter(area_result__evaluation=evaluation).order_by(
        "area_result", "kind", "position"
    ):
        items.setdefault(item.area_result_id, []).append(item)
    order = list(LIST_PARTS)
    for result in results:
        passages.append(
            Passage(part=Part.AREA_TEXT, text=result.text, area_number=result.area.number)
        )
        for item in sorted(
            items.get(result.pk, []), key=lambda i: (order.index(i.kind), i.position)
        ):
            passages.append(
                Passage(
                    part=LIST_PARTS[item.kind],
                    text=item.text,
                    area_number=result.area.number,
                    position=item.position,
                )
            )
    return passages


def refresh(*, evaluation: Evaluation) -> int:
    """Find the evaluation's mentions again and store them; raises the data version when they
    changed (mentions of published evaluations are public). Returns how many there are."""
    found = find_mentions(
        passages=passages_of(evaluation),
        municipalities=list(Municipality.objects.values_list("code", "short_name")),
        own_code=evaluation.municipality.code,
    )
    ids = dict(
        Municipality.objects.filter(code__in={m.municipality_code for m in found}).values_list(
            "code", "pk"
        )
    )
    areas = dict(evaluation.framework.areas.values_list("number", "pk"))
    rows = [
        GoodExampleMention(
            evaluation=evaluation,
            municipality_id=ids[mention.municipality_code],
            order=order,
            sentence=mention.sentence,
            part=mention.part,
            area_id=areas.get(mention.area_number) if mention.area_number else None,
            position=mention.position,
        )
        for order, mention in enumerate(found, start=1)
    ]
    stored = list(
        GoodExampleMention.objects.filter(evaluation=evaluation)
        .order_by("order")
        .values_list("municipality_id", "sentence", "part", "area_id", "position")
    )
    if stored == [(r.municipality_id, r.sentence, r.part, r.area_id, r.position) for r in rows]:
        return len(rows)
    with transaction.atomic():
        GoodExampleMention.objects.filter(evaluation=evaluation).delete()
        GoodExampleMention.objects.bulk_create(rows)
        dataversion.bump()  # bulk_create sends no signals
    return len(rows)
