"""Serverless v1 Services and Environments behaviour."""

import re

import pytest

SVC = "/serverless/v1/Services"


@pytest.fixture
def service(api):
    return api.create(SVC, {"UniqueName": "my-app", "FriendlyName": "My App"})


def test_create_defaults_and_fetch_by_sid_or_unique_name(api, base_url, service):
    assert service["include_credentials"] is True and service["ui_editable"] is False
    assert re.match(r"^my-app-[0-9]{4}$", service["domain_base"])
    assert service["url"] == "%s%s/%s" % (base_url, SVC, service["sid"])
    assert service["links"]["environments"] == service["url"] + "/Environments"
    assert set(service["links"]) == {"environments", "functions", "assets", "builds"}
    assert api.get(SVC + "/my-app").json() == service
    assert api.get("%s/%s" % (SVC, service["sid"])).json() == service


def test_update_only_three_parameters(api, service):
    body = api.post(SVC + "/my-app", {"FriendlyName": "Renamed", "IncludeCredentials": "false", "UiEditable": "true"}).json()
    assert (body["friendly_name"], body["include_credentials"], body["ui_editable"]) == ("Renamed", False, True)
    response = api.post(SVC + "/my-app", {"UniqueName": "other"})
    assert response.status_code == 400 and "UniqueName" in response.json()["message"]


@pytest.mark.parametrize(
    "form, name",
    [
        ({"FriendlyName": "x"}, "UniqueName"),
        ({"UniqueName": "x"}, "FriendlyName"),
        ({"UniqueName": "a" * 51, "FriendlyName": "x"}, "UniqueName"),
        ({"UniqueName": "bad name", "FriendlyName": "x"}, "UniqueName"),
        ({"UniqueName": "bad_name", "FriendlyName": "x"}, "UniqueName"),
        ({"UniqueName": "ok", "FriendlyName": "x" * 256}, "FriendlyName"),
        ({"UniqueName": "ok", "FriendlyName": "x", "IncludeCredentials": "maybe"}, "IncludeCredentials"),
        ({"UniqueName": "ZS" + "a" * 32, "FriendlyName": "x"}, "UniqueName"),
    ],
)
def test_create_validation(api, form, name):
    response = api.post(SVC, form)
    assert response.status_code == 400
    assert response.json()["code"] == 20001 and name in response.json()["message"]


def test_duplicate_unique_name_is_409(api, service):
    response = api.post(SVC, {"UniqueName": "my-app", "FriendlyName": "again"})
    assert response.status_code == 409
    assert response.json()["code"] == 20409
    assert service["sid"] in [s["sid"] for s in api.get(SVC).json()["services"]]


def test_environments_crud(api, base_url, service):
    envs = "%s/%s/Environments" % (SVC, service["sid"])
    prod = api.create(envs, {"UniqueName": "production"})
    stage = api.create(SVC + "/my-app/Environments", {"UniqueName": "staging", "DomainSuffix": "stage"})
    assert prod["domain_name"] == service["domain_base"] + ".twil.io"
    assert stage["domain_name"] == service["domain_base"] + "-stage.twil.io"
    assert stage["build_sid"] is None and stage["service_sid"] == service["sid"]
    assert stage["url"] == "%s%s/%s" % (base_url, envs, stage["sid"])
    assert set(stage["links"]) == {"variables", "deployments", "logs"}
    listing = api.get(envs + "?PageSize=1").json()
    assert listing["meta"]["key"] == "environments" and len(listing["environments"]) == 1
    assert [e["sid"] for e in api.get(listing["meta"]["next_page_url"]).json()["environments"]] == [stage["sid"]]
    assert api.get("%s/%s" % (envs, stage["sid"])).json() == stage
    assert api.post("%s/%s" % (envs, stage["sid"]), {"UniqueName": "x"}).status_code == 405
    assert api.delete("%s/%s" % (envs, stage["sid"])).status_code == 204
    assert api.get("%s/%s" % (envs, stage["sid"])).status_code == 404
    assert api.get(envs + "/not-a-sid").status_code == 404


@pytest.mark.parametrize(
    "form, status, name",
    [
        ({}, 400, "UniqueName"),
        ({"UniqueName": "x" * 101}, 400, "UniqueName"),
        ({"UniqueName": "x", "DomainSuffix": "x" * 17}, 400, "DomainSuffix"),
        ({"UniqueName": "x", "DomainSuffix": "not/url friendly"}, 400, "DomainSuffix"),
        ({"UniqueName": "x", "Bogus": "1"}, 400, "Bogus"),
        ({"UniqueName": "staging"}, 409, None),
        ({"UniqueName": "other", "DomainSuffix": "stage"}, 409, None),
    ],
)
def test_environment_validation(api, service, form, status, name):
    envs = "%s/%s/Environments" % (SVC, service["sid"])
    api.create(envs, {"UniqueName": "staging", "DomainSuffix": "stage"})
    response = api.post(envs, form)
    assert response.status_code == status
    assert response.json()["code"] == (20001 if status == 400 else 20409)
    if name:
        assert name in response.json()["message"]


def test_deleting_a_service_deletes_its_environments(api, service):
    env = api.create(SVC + "/my-app/Environments", {"UniqueName": "dev", "DomainSuffix": "dev"})
    assert api.delete(SVC + "/my-app").status_code == 204
    assert api.get("%s/%s/Environments/%s" % (SVC, service["sid"], env["sid"])).status_code == 404
    again = api.create(SVC, {"UniqueName": "my-app", "FriendlyName": "again"})
    assert api.get("%s/%s/Environments" % (SVC, again["sid"])).json()["environments"] == []


def test_environments_of_unknown_service_are_404(api):
    response = api.get(SVC + "/ZS" + "0" * 32 + "/Environments")
    assert response.status_code == 404
    assert response.json()["code"] == 20404


def test_unique_names_ignore_case(api, service):
    # The unique name forms the service's domain, and domain names ignore case: MY-APP is my-app.
    response = api.post(SVC, {"UniqueName": "MY-APP", "FriendlyName": "shouty"})
    assert response.status_code == 409
    assert response.json()["code"] == 20409
    assert [s["sid"] for s in api.get(SVC).json()["services"]] == [service["sid"]]
    assert api.get(SVC + "/My-App").json() == service
    env = api.create(SVC + "/MY-APP/Environments", {"UniqueName": "dev", "DomainSuffix": "dev"})
    assert env["service_sid"] == service["sid"]
    assert api.delete(SVC + "/My-App").status_code == 204
    assert api.get(SVC + "/my-app").status_code == 404


def test_mixed_case_unique_name_keeps_its_case(api):
    created = api.create(SVC, {"UniqueName": "MyApp", "FriendlyName": "x"})
    assert created["unique_name"] == "MyApp"
    assert re.match(r"^myapp-[0-9]{4}$", created["domain_base"])
    assert api.get(SVC + "/myapp").json()["sid"] == created["sid"]


@pytest.mark.parametrize("first, second", [("stage", "STAGE"), ("Stage", "stage"), (None, ""), ("", None)])
def test_domain_suffix_conflict_ignores_case(api, service, first, second):
    envs = "%s/%s/Environments" % (SVC, service["sid"])
    one = api.create(envs, dict({"UniqueName": "a"}, **({"DomainSuffix": first} if first is not None else {})))
    response = api.post(envs, dict({"UniqueName": "b"}, **({"DomainSuffix": second} if second is not None else {})))
    assert response.status_code == 409, response.json()
    assert response.json()["code"] == 20409
    assert [e["domain_name"] for e in api.get(envs).json()["environments"]] == [one["domain_name"]]
