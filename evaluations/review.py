"""What a change would make public: an evaluation's header, areas, scores and list items
compared with another state of it (what is public now, or an earlier version), grouped by area.

Shown on the page that confirms a publication, an edit of a published evaluation and a revert;
read from the write service's own shapes (``writing.Content``), so it shows what will be saved.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _

from . import writing
from .history import changed_passage
from .models import AreaListItem, AreaResult, Evaluation, QuestionScore

HEADER_FIELDS = (
    "month",
    "report_date",
    "ordinal",
    "previous_year",
    "interviewed",
    "evaluators",
    "printed_total",
    "summary",
)
AREA_FIELDS = ("points", "header_points", "table_points", "text")
PASSAGE = 300


@dataclass(frozen=True)
class Line:
    what: str
    old: str
    new: str


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class State:
    """An evaluation's header fields and rows at one moment."""

    header: dict
    content: writing.Content


def state_of(evaluation: Evaluation) -> State:
    return State(
        header={name: getattr(evaluation, name) for name in HEADER_FIELDS},
        content=writing.content_of(evaluation),
    )


def state_at(evaluation: Evaluation, when) -> State:
    """The evaluation as it was at `when` (from its historical records)."""
    old = evaluation.history.as_of(when)
    results = list(_as_of(AreaResult, when, evaluation_id=evaluation.pk))
    items = _as_of(AreaListItem, when, area_result_id__in=[r.pk for r in results])
    by_result: dict[int, list] = {}
    for item in sorted(items, key=lambda i: i.position):
        by_result.setdefault(item.area_result_id, []).append(item)
    numbers = dict(evaluation.framework.areas.values_list("pk", "number"))
    codes = dict(evaluation.framework.areas.values_list("questions__pk", "questions__code"))
    areas = sorted(
        (writing.area_data(r, by_result.get(r.pk, []), number=numbers[r.area_id]) for r in results),
        key=lambda a: a.number,
    )
    scores = sorted(
        (
            writing.ScoreData(codes[s.question_id], s.points, s.printed_points, s.printed_percent)
            for s in _as_of(QuestionScore, when, evaluation_id=evaluation.pk)
        ),
        key=lambda s: [int(p) if p.isdigit() else p for p in s.code.split(".")],
    )
    return State(
        header={name: getattr(old, name) for name in HEADER_FIELDS},
        content=writing.Content(areas=tuple(areas), scores=tuple(scores)),
    )


def _as_of(model, when, **filters):
    return model.history.as_of(when).filter(**filters)


def last_public(evaluation: Evaluation) -> State | None:
    """What the public saw of the evaluation last: now if it is published, else the state it
    was in when it was unpublished (None if it never was published)."""
    if evaluation.is_published:
        return state_of(evaluation)
    records = evaluation.history.order_by("-history_date", "-history_id")
    published = records.filter(status=Evaluation.Status.PUBLISHED).first()
    if published is None:
        return None
    # Unpublishing changes the status alone: the rows are still as the public saw them.
    unpublished = records.filter(history_date__gt=published.history_date).last()
    return state_at(evaluation, unpublished.history_date if unpublished else timezone.now())


def differences(old: State | None, new: State) -> list[Section]:
    """Sections (the evaluation, then each area) with a line per changed value; everything is
    new when `old` is None."""
    old = old or State(header={}, content=writing.Content())
    header = Section(_("Utvärderingen"))
    for name in HEADER_FIELDS:
        _compare(header, _label(Evaluation, name), old.header.get(name), new.header.get(name))
    sections = [header] + _area_sections(old.content, new.content)
    return [section for section in sections if section.lines]


def _area_sections(old: writing.Content, new: writing.Content) -> list[Section]:
    old_areas = {a.number: a for a in old.areas}
    new_areas = {a.number: a for a in new.areas}
    old_scores = {s.code: s.points for s in old.scores}
    new_scores = {s.code: s.points for s in new.scores}
    sections = []
    for number in sorted(old_areas.keys() | new_areas.keys()):
        section = Section(_("Område %(n)s") % {"n": number})
        before = old_areas.get(number) or writing.AreaData(number)
        after = new_areas.get(number) or writing.AreaData(number)
        for name in AREA_FIELDS:
            label = _label(AreaResult, name)
            _compare(section, label, getattr(before, name), getattr(after, name))
        for code in sorted(old_scores.keys() | new_scores.keys()):
            if code.split(".")[0] == str(number):
                what = _("Delfråga %(code)s") % {"code": code}
                _compare(section, what, old_scores.get(code), new_scores.get(code))
        _compare_lists(section, before, after)
        sections.append(section)
    return sections


def _compare_lists(section: Section, before: writing.AreaData, after: writing.AreaData) -> None:
    labels = {
        "strength": _("Styrka"),
        "improvement": _("Förbättringsmöjlighet"),
        "weakness": _("Svaghet"),
    }
    for kind, texts in after.lists.items():
        old = before.lists[kind]
        for text in old:
            if text not in texts:
                section.lines.append(Line(labels[kind], _short(text), _("(borttagen)")))
        for text in texts:
            if text not in old:
                section.lines.append(Line(labels[kind], _("(ny)"), _short(text)))


def _compare(section: Section, what: str, old, new) -> None:
    if (old if old not in ("", None) else None) == (new if new not in ("", None) else None):
        return
    if isinstance(old, str) and isinstance(new, str) and max(len(old), len(new)) > PASSAGE:
        section.lines.append(Line(what, *changed_passage(old, new)))
    else:
        section.lines.append(Line(what, _shown(old), _shown(new)))


def _shown(value) -> str:
    if value in (None, ""):
        return "–"
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f").replace(".", ",")
    return _short(str(value))


def _short(text: str) -> str:
    return Truncator(text).chars(PASSAGE)


def _label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))
