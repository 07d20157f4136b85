"""/api/v1/docs renders the OpenAPI document on the server: every operation and every schema
is on the page, readable without JavaScript."""

from __future__ import annotations

import re

import pytest

from settings_app.api_reference import type_of

pytestmark = pytest.mark.django_db


def test_every_operation_and_schema_is_on_the_page(client):
    document = client.get("/api/v1/openapi.json").json()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html.split("</head>", 1)[1]  # nothing drawn by a script
    shown = set(
        re.findall(r'<span class="badge api-method">(\w+)</span> <code[^>]*>([^<]+)</code>', html)
    )
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    assert shown == documented
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html


@pytest.mark.parametrize(
    ("schema", "phrase"),
    [
        ({"type": "string"}, "string"),
        ({"type": "string", "format": "uuid"}, "uuid"),
        ({"$ref": "#/components/schemas/ModelIdIn"}, "ModelIdIn"),
        ({"type": "array", "items": {"type": "string"}}, "list of string"),
        (
            {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "null"}]},
            "list of string or null",
        ),
        ({"enum": ["owner", "reader"]}, "owner | reader"),
        ({}, "any"),
    ],
)
def test_a_schema_reads_as_one_phrase(schema, phrase):
    assert type_of(schema) == phrase
