"""The Open Referral HSDS 3.0 API of a live demo server, read as another
program would: every entry point's answer (each list's page and each kind
of object, with and without `full`) checked against the published HSDS 3.0
JSON schemas vendored in tests/hsds/schema (validated with jsonschema_rs,
which the API fuzzing's schemathesis already brings; `$ref`s resolve to the
vendored files). The points come in through the import API, signed in as
Aalto ry's coordinator; the page of the import is checked with axe."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import jsonschema_rs
import pytest

from conftest import COORDINATOR, check_page, sign_in

SCHEMAS = Path(__file__).resolve().parents[1] / "hsds" / "schema"

CSV = (
    "municipality;name;description;place;address;postal_code;city;themes;languages;access;phone;email;url;hours\r\n"
    "Oulu;HSDS-testin kirjasto;Apua puhelimen kanssa;library;Kaarlenväylä 3;90100;Oulu;device_basics,messaging;fi,en;"
    "drop_in;+358 40 123 4567;tuki@example.org;https://example.org;\"MO,TU 09:00-12:00; WE 12:00-16:00\"\r\n"
    "Oulu;HSDS-testin verkkotuki;;online;;;;safety;fi;appointment;;;https://example.org/chat;\r\n"
    "Ii;HSDS-testin kylätuki;\"Kahvila;\r\nja tuki\";clubhouse;Jokikatu 1;91100;Ii;online_services,content;fi,sv;both;;;;TH 10:00-14:00\r\n"
)


def load(name: str):
    path = SCHEMAS / name
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return json.loads(gzip.decompress((SCHEMAS / (name + ".gz")).read_bytes()).decode("utf-8"))


def resolved(value):
    """The schema with every `$ref` to a sibling file replaced by that file (resolved in turn)."""
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.endswith(".json") and "/" not in ref:
            rest = {k: v for k, v in value.items() if k != "$ref"}
            return {**resolved(load(ref)), **resolved(rest)}
        return {k: resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolved(v) for v in value]
    return value


_validators: dict[str, jsonschema_rs.Validator] = {}


def check(name: str, instance) -> None:
    if name not in _validators:
        _validators[name] = jsonschema_rs.validator_for(resolved(load(name)), validate_formats=True)
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in _validators[name].iter_errors(instance)]
    assert not errors, f"not a valid {name}: {errors[:5]}"


def check_page_envelope(answer: dict, item_schema: str) -> list:
    for key, kind in [("total_items", int), ("total_pages", int), ("page_number", int), ("size", int),
                      ("first_page", bool), ("last_page", bool), ("empty", bool), ("contents", list)]:
        assert isinstance(answer.get(key), kind), f"{key} in {answer}"
    assert answer["size"] == len(answer["contents"]) and answer["empty"] == (answer["size"] == 0)
    for item in answer["contents"]:
        check(item_schema, item)
    return answer["contents"]


@pytest.fixture(scope="module")
def api(new_context, server):
    """A coordinator's page (its request context carries the session) after importing CSV."""
    page = new_context().new_page()
    sign_in(page, server, COORDINATOR)
    answer = page.request.post(server.url + "/api/finder/import", data=CSV, headers={"Content-Type": "text/csv"})
    assert answer.status == 200, answer.text()
    assert answer.json()["saved"] == 3
    return page


@pytest.fixture(scope="module")
def new_context(browser, request):
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield make
    for c in contexts:
        c.close()


def get(api, server, path: str) -> dict:
    answer = api.request.get(server.url + path, headers={"Accept-Language": "fi"})
    assert answer.status == 200, f"{path}: {answer.status} {answer.text()}"
    assert answer.headers["content-type"].startswith("application/json")
    return answer.json()


def test_every_entry_point_answers_by_the_hsds_schemas(api, server):
    about = get(api, server, "/api/hsds/")
    assert about["version"] == "3.0"

    services = check_page_envelope(get(api, server, "/api/hsds/services?per_page=500"), "service_list.json")
    names = {s["name"] for s in services}
    assert {"HSDS-testin kirjasto", "HSDS-testin verkkotuki", "HSDS-testin kylätuki"} <= names
    full = check_page_envelope(get(api, server, "/api/hsds/services?full=true&per_page=500"), "service.json")
    assert all(s["service_at_locations"] for s in full)
    for s in services:
        check("service.json", get(api, server, f"/api/hsds/services/{s['id']}"))
    # Paging: one at a time, every page valid.
    first = get(api, server, "/api/hsds/services?per_page=1")
    assert first["total_pages"] == first["total_items"] >= 3 and first["first_page"] and not first["last_page"]
    last = get(api, server, f"/api/hsds/services?per_page=1&page={first['total_pages']}")
    check_page_envelope(last, "service_list.json")
    assert last["last_page"] and last["size"] == 1

    organizations = check_page_envelope(get(api, server, "/api/hsds/organizations"), "organization_list.json")
    assert "Aalto ry" in {o["name"] for o in organizations}
    check_page_envelope(get(api, server, "/api/hsds/organizations?full=true"), "organization.json")
    for o in organizations:
        check("organization.json", get(api, server, f"/api/hsds/organizations/{o['id']}"))
        check("organization.json", get(api, server, f"/api/hsds/organizations/{o['id']}?full_service=true"))

    sals = check_page_envelope(get(api, server, "/api/hsds/service_at_locations?per_page=500"), "service_at_location_list.json")
    check_page_envelope(get(api, server, "/api/hsds/service_at_locations?full=true&per_page=500"), "service_at_location.json")
    for sal in sals:
        check("service_at_location.json", get(api, server, f"/api/hsds/service_at_locations/{sal['id']}"))

    taxonomies = check_page_envelope(get(api, server, "/api/hsds/taxonomies"), "taxonomy.json")
    assert len(taxonomies) == 1
    check("taxonomy.json", get(api, server, f"/api/hsds/taxonomies/{taxonomies[0]['id']}"))
    terms = check_page_envelope(get(api, server, "/api/hsds/taxonomy_terms"), "taxonomy_term.json")
    assert len(terms) == 6 and all(t["taxonomy_id"] == taxonomies[0]["id"] for t in terms)
    for t in terms:
        check("taxonomy_term.json", get(api, server, f"/api/hsds/taxonomy_terms/{t['id']}"))

    # Filters, each answer valid too.
    safety = next(t["id"] for t in terms if t["code"] == "safety")
    by_term = check_page_envelope(get(api, server, f"/api/hsds/services?taxonomy_term_id={safety}&full=true"), "service.json")
    assert "HSDS-testin verkkotuki" in {s["name"] for s in by_term}
    assert all(any(a["taxonomy_term_id"] == safety for a in s["attributes"]) for s in by_term)
    found = check_page_envelope(get(api, server, "/api/hsds/services?search=kyl%C3%A4tuki"), "service_list.json")
    assert [s["name"] for s in found] == ["HSDS-testin kylätuki"]


def test_bad_parameters_are_refused_with_the_house_error(api, server):
    for query, code in [("page=0", "bad_page"), ("per_page=100000", "bad_page"), ("organization_id=nope", "bad_filter"),
                        ("modified_after=eilen", "bad_filter")]:
        answer = api.request.get(f"{server.url}/api/hsds/services?{query}")
        assert answer.status == 400 and answer.json()["code"] == code, query
        assert answer.json()["message"]
    missing = api.request.get(f"{server.url}/api/hsds/services/00000000-0000-4000-8000-000000000000")
    assert missing.status == 404 and missing.json()["code"] == "not_found"


def test_the_import_page_passes_axe_and_shows_problems_by_line_and_column(api, server):
    api.goto(server.url + "/admin/finder/import")
    check_page(api)
    api.set_input_files("#import-file", files=[{
        "name": "pisteet.csv", "mimeType": "text/csv",
        "buffer": "municipality;name;place;themes;languages;access\r\nOulu;;boat;safety;fi;drop_in\r\n".encode(),
    }])
    with api.expect_navigation():
        api.locator("form[action='/admin/finder/import'] button[type=submit]").click()
    rows = api.locator("tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(0).text_content() == "2"
    assert {rows.nth(i).locator("td").nth(1).text_content() for i in range(2)} == {"name", "place"}
    check_page(api)
