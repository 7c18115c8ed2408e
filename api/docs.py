"""The API's documentation page, made from the same OpenAPI schema that /api/v1/openapi.json
serves (so the two always agree): plain HTML from our own templates, no script, no CDN."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.urls import reverse

from .main import api

EXAMPLE_VALUES = {"code": "2580", "year": "2018", "version": "2016"}
QUESTION_EXAMPLE = "1.4"
LONGEST_ENUM = 25  # the 290 municipality codes are summed up, not listed


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass(frozen=True)
class Operation:
    path: str
    summary: str
    description: str
    example: str
    parameters: list[Parameter]
    response: str
    anchor: str


@dataclass(frozen=True)
class Model:
    name: str
    fields: list[Parameter] = field(default_factory=list)


def _type(schema: dict) -> str:
    """A short human description of a JSON schema: "heltal 2002–2100", "lista av Area"."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        kinds = [_type(s) for s in schema["anyOf"] if s.get("type") != "null"]
        nullable = any(s.get("type") == "null" for s in schema["anyOf"])
        return " | ".join(kinds) + (" | null" if nullable else "")
    kind = schema.get("type", "")
    if kind == "array":
        return f"[{_type(schema.get('items', {}))}]"
    if "enum" in schema:
        values = [str(v) for v in schema["enum"]]
        if len(values) > LONGEST_ENUM:
            return f"{values[0]} … {values[-1]} ({len(values)})"
        return " | ".join(values)
    text = {"integer": "integer", "string": "string", "number": "number", "boolean": "boolean"}
    text_kind = text.get(kind, kind or "object")
    limits = []
    if "minimum" in schema or "maximum" in schema:
        limits.append(f"{schema.get('minimum', '')}–{schema.get('maximum', '')}")
    if "pattern" in schema:
        limits.append(schema["pattern"])
    if "format" in schema:
        limits.append(schema["format"])
    return f"{text_kind} ({', '.join(limits)})" if limits else text_kind


def _example(path: str, prefix: str) -> str:
    example = path
    for name, value in EXAMPLE_VALUES.items():
        example = example.replace("{" + name + "}", value)
    if "/questions/" in path:
        example = example.replace("{code}", QUESTION_EXAMPLE)
    return prefix.rstrip("/") + example


def operations(schema: dict, prefix: str) -> list[Operation]:
    found = []
    for path, methods in schema["paths"].items():
        details = methods.get("get")
        if not details:
            continue
        response = details["responses"].get("200", {})
        content = response.get("content", {}).get("application/json", {}).get("schema", {})
        found.append(
            Operation(
                path=path,
                summary=details.get("summary", ""),
                description=details.get("description", ""),
                example=_example(path, prefix),
                parameters=[
                    Parameter(
                        name=p["name"],
                        location=p["in"],
                        required=p.get("required", False),
                        type=_type(p.get("schema", {})),
                        description=p.get("description", "")
                        or p.get("schema", {}).get("description", ""),
                    )
                    for p in details.get("parameters", [])
                ],
                response=_type(content),
                anchor=details.get("operationId", path),
            )
        )
    return found


def models(schema: dict) -> list[Model]:
    return [
        Model(
            name=name,
            fields=[
                Parameter(
                    name=field_name,
                    location="",
                    required=field_name in definition.get("required", []),
                    type=_type(field_schema),
                    description=field_schema.get("description", ""),
                )
                for field_name, field_schema in definition.get("properties", {}).items()
            ],
        )
        for name, definition in schema.get("components", {}).get("schemas", {}).items()
    ]


def docs(request):
    schema = api.get_openapi_schema()
    prefix = reverse("api-v1:index")
    return render(
        request,
        "api/docs.html",
        {
            "info": schema["info"],
            "openapi_url": reverse("api-v1:openapi-json"),
            "base_url": request.build_absolute_uri(prefix),
            "operations": operations(schema, prefix),
            "models": models(schema),
        },
    )
