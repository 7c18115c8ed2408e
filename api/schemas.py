"""The API's response shapes (pydantic, through django-ninja): the OpenAPI schema is made from
these, and every response is validated against them, so the two cannot drift apart."""

from datetime import date
from typing import Literal

from ninja import Field, Schema

Points = float  # one decimal, as stored; JSON numbers, not strings


class ErrorItem(Schema):
    field: str = Field(description="The parameter that was wrong.")
    message: str


class Error(Schema):
    detail: str
    errors: list[ErrorItem] = Field(default_factory=list)


class County(Schema):
    code: str = Field(examples=["25"])
    name: str = Field(examples=["Norrbottens län"])


class CountyWithCount(County):
    municipalities: int = Field(description="Number of municipalities in the county.")
    evaluated: int = Field(description="Municipalities with a published evaluation.")


class EvaluationRef(Schema):
    id: str = Field(description="<municipality code>/<year>", examples=["2580/2018"])
    year: int
    version: str = Field(description="Framework version (2010, 2016, 2020).")
    total: Points | None = Field(description="Of 800.")
    url: str = Field(description="This evaluation in the API.")
    web_url: str = Field(description="Its profile on the website.")


class GoodExampleMention(Schema):
    evaluation: str = Field(
        description="The mentioning evaluation, <municipality code>/<year>.",
        examples=["1885/2021"],
    )
    municipality: str = Field(description="The mentioning municipality.", examples=["Lindesberg"])
    year: int
    part: str = Field(
        description="Where in the report: summary, area_text, strength, improvement, weakness."
    )
    area: int | None = Field(description="The area's number; none in the summary.")
    sentence: str
    url: str = Field(description="The mentioning evaluation in the API.")
    web_url: str = Field(description="Where the sentence stands on its profile.")


class Municipality(Schema):
    code: str = Field(description="Official municipality code.", examples=["2580"])
    name: str = Field(examples=["Luleå"])
    official_name: str = Field(examples=["Luleå kommun"])
    slug: str = Field(examples=["lulea"])
    county: County
    url: str
    web_url: str
    evaluations: list[EvaluationRef] = Field(
        description="Published evaluations from their own report, oldest first."
    )
    good_example_mentions: list[GoodExampleMention] = Field(
        description=(
            "Sentences of other municipalities' published reports that name this one as a good "
            "example to learn from, newest report first."
        )
    )


class MunicipalityRef(Schema):
    code: str
    name: str
    county: County


class Question(Schema):
    code: str = Field(examples=["3.2"])
    text: str
    max_points: int


class Area(Schema):
    number: int = Field(ge=1, le=8)
    title: str
    max_points: int = 100
    questions: list[Question]


class FrameworkVersion(Schema):
    code: str = Field(examples=["2016"])
    name: str
    year: int
    previous: str | None = Field(description="The version this one revised.")
    evaluations: int = Field(description="Published evaluations in this version.")
    url: str
    areas: list[Area]


class QuestionScore(Schema):
    code: str
    text: str
    max_points: int
    points: Points = Field(description="Stored with one decimal (recovered from the percent).")
    percent: int = Field(description="points × 100 / max, whole percent, halves up.")
    printed_points: Points | None = Field(description="As printed in the report, if different.")
    printed_percent: int | None


class AreaResult(Schema):
    number: int
    title: str
    points: Points | None = Field(description="Of 100: the overview table's total.")
    header_points: Points | None = Field(description="The score in the area's header.")
    table_points: Points | None = Field(description="The overview table's printed total.")
    text: str = Field(description="The evaluators' text.")
    strengths: list[str]
    improvements: list[str] = Field(description="Förbättringsmöjligheter.")
    weaknesses: list[str] = Field(description="Svagheter (in some reports of version 2010).")
    questions: list[QuestionScore]


class StatedArea(Schema):
    number: int
    points: Points


class Previous(Schema):
    year: int
    origin: Literal["report", "stated", "unknown"] = Field(
        description=(
            "report: Kompass holds that evaluation (see id); stated: only what this "
            "evaluation's report says of it (not an evaluation in its own right, kept out of "
            "means, rankings and lists); unknown: Kompass holds nothing of it."
        )
    )
    id: str | None = Field(description="The previous evaluation's id, where origin is report.")
    total: Points | None
    areas: list[StatedArea] = Field(description="The area scores known of it.")
    source: str = Field(description="Where origin is stated: the report's own words.")


class Evaluation(Schema):
    id: str = Field(examples=["2580/2018"])
    url: str
    web_url: str
    municipality: MunicipalityRef
    year: int
    month: int | None
    report_date: date | None
    version: str
    ordinal: int | None = Field(description="1 for the municipality's first evaluation.")
    previous_year: int | None = Field(description="The previous evaluation's year, as reported.")
    previous: Previous | None
    kommungrupp: str = Field(description="SKR's municipality group, from the report's Kortfakta.")
    interviewed: int | None
    evaluators: str
    total: Points | None = Field(
        description="Of 800: the total printed in the report, else the sum of the areas."
    )
    printed_total: Points | None
    areas_total: Points | None = Field(description="The sum of the eight area scores.")
    summary: str
    areas: list[AreaResult]


class Note(Schema):
    kind: str = Field(
        description="total, area_header, area_rows, rounding, percent or dates: which of the "
        "report's own figures disagree."
    )
    text: str = Field(description="What a reader should know, and which figure Kompass shows.")


class EvaluationDetail(Evaluation):
    notes: list[Note] = Field(
        description="Where the report's own figures disagree (the profile's 'Om siffrorna')."
    )


class Page(Schema):
    count: int = Field(description="Items matching the filters, on all pages.")
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None


class MunicipalityPage(Page):
    items: list[Municipality]


class EvaluationPage(Page):
    items: list[Evaluation]


class AreaMean(Schema):
    number: int
    title: str
    mean: Points | None


class QuestionMean(Schema):
    code: str
    text: str
    max_points: int
    mean: Points | None
    n: int


class ReferenceMean(Schema):
    name: str
    n: int | None
    source: str
    areas: list[StatedArea]


class Means(Schema):
    version: str
    n: int = Field(description="Published evaluations the national mean covers.")
    method: str
    areas: list[AreaMean]
    questions: list[QuestionMean]
    references: list[ReferenceMean] = Field(description="Official means entered by SKR staff.")


class RankItem(Schema):
    position: int = Field(description="Ties share a position: 1, 1, 3.")
    evaluation: str = Field(description="The evaluation's id.")
    municipality: MunicipalityRef
    year: int
    score: Points
    url: str


class Ranking(Schema):
    version: str
    area: int | None = Field(description="The area ranked by; null for the total.")
    title: str
    latest_only: bool
    count: int
    items: list[RankItem]


class QuestionRankItem(RankItem):
    percent: int
    difference_to_mean: Points | None = Field(
        description=(
            "The score minus the mean of the version's other published scores on the question "
            "(without this one); null when no other exists."
        )
    )


class QuestionAcrossCountry(Schema):
    version: str
    area: int
    question: Question
    mean: Points | None
    count: int
    items: list[QuestionRankItem]
    same_code_in_other_versions: list[str] = Field(
        description="Versions with a question of the same code: a different question."
    )


class Index(Schema):
    title: str
    description: str
    licence: str
    data_version: int
    last_modified: str
    openapi: str
    docs: str
    endpoints: dict[str, str]
