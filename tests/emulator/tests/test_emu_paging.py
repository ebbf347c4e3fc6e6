"""Paging behaviour of the list endpoints."""

import time

import pytest

from twilio_emulator import Emulator
from twilio_emulator.chat import new_service

LISTS = ["/chat/v1/Services", "/chat/v2/Services", "/serverless/v1/Services", "/conversations/v1/Services"]


def _create(api, path, index):
    if path.startswith("/serverless"):
        return api.create(path, {"UniqueName": "svc-%d" % index, "FriendlyName": "svc %d" % index})
    return api.create(path, {"FriendlyName": "svc %d" % index})


@pytest.mark.parametrize("path", LISTS)
def test_three_pages_by_following_next_page_url(api, base_url, path):
    # an IS listing starts with the account's default Conversations Service: 1 + 7 services
    before = [item["sid"] for item in api.get(path).json()["services"]]
    assert len(before) == (0 if path.startswith("/serverless") else 1)
    sids = before + [_create(api, path, i)["sid"] for i in range(7 - len(before))]
    seen, url, pages = [], path + "?PageSize=3", []
    while url:
        body = api.get(url).json()
        pages.append(body["meta"])
        seen += [item["sid"] for item in body["services"]]
        url = body["meta"]["next_page_url"]
    assert seen == sids
    assert [meta["page"] for meta in pages] == [0, 1, 2]
    assert all(meta["page_size"] == 3 and meta["key"] == "services" for meta in pages)
    assert pages[0]["previous_page_url"] is None
    assert pages[0]["first_page_url"] == "%s%s?PageSize=3&Page=0" % (base_url, path)
    assert pages[1]["url"] == "%s%s?PageSize=3&Page=1&PageToken=PA%s" % (base_url, path, sids[2])
    assert pages[0]["next_page_url"].endswith("&Page=1&PageToken=PA%s" % sids[2])
    assert pages[2]["previous_page_url"].endswith("&Page=1&PageToken=PB%s" % sids[6])
    previous = api.get(pages[2]["previous_page_url"]).json()
    assert [item["sid"] for item in previous["services"]] == sids[3:6]


@pytest.mark.parametrize("path", ["/chat/v2/Services", "/serverless/v1/Services"])
def test_default_page_size_and_a_fresh_account(api, base_url, default_sid, path):
    body = api.get(path).json()
    # a fresh account has its default Conversations Service (an IS service), and no Functions service
    assert [item["sid"] for item in body.pop("services")] == ([] if path.startswith("/serverless") else [default_sid])
    assert body == {
        "meta": {
            "first_page_url": base_url + path + "?PageSize=50&Page=0",
            "key": "services",
            "next_page_url": None,
            "page": 0,
            "page_size": 50,
            "previous_page_url": None,
            "url": base_url + path + "?PageSize=50&Page=0",
        },
    }


def test_page_urls_use_the_request_host_header(api, emulator):
    api.create("/chat/v2/Services", {"FriendlyName": "a"})
    body = api.get("/chat/v2/Services?PageSize=1", headers={"Host": "emu.example:1234"}).json()
    assert body["meta"]["next_page_url"].startswith("http://emu.example:1234/chat/v2/Services?PageSize=1&Page=1&PageToken=PAIS")
    assert body["services"][0]["url"].startswith("http://emu.example:1234/chat/v2/Services/IS")
    assert emulator.base_url.startswith("http://127.0.0.1:")


def test_page_token_of_a_deleted_record_still_works(api):
    sids = [api.create("/chat/v2/Services", {"FriendlyName": str(i)})["sid"] for i in range(5)]
    first = api.get("/chat/v2/Services?PageSize=2").json()
    api.delete("/chat/v2/Services/" + sids[1])
    second = api.get(first["meta"]["next_page_url"]).json()
    assert [s["sid"] for s in second["services"]] == sids[2:4]


@pytest.mark.parametrize(
    "query, code", [("PageSize=0", 20001), ("PageSize=101", 20007), ("PageSize=abc", 20001), ("Page=-1", 20001), ("PageToken=PAbogus", 20001)]
)
@pytest.mark.parametrize("path", ["/chat/v2/Services", "/conversations/v1/Services"])
def test_bad_paging_parameters(api, path, query, code):
    response = api.get(path + "?" + query)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert query.split("=", maxsplit=1)[0] in response.json()["message"] or code == 20007


def test_serverless_allows_page_size_1000(api):
    assert api.get("/serverless/v1/Services?PageSize=1000").status_code == 200
    assert api.get("/serverless/v1/Services?PageSize=1001").json()["code"] == 20007


def test_5000_services_listed_in_50_pages_quickly(api):
    emu = Emulator()
    base = emu.start()
    try:
        store_account = emu.store.accounts[next(iter(emu.store.accounts))]
        services = store_account.collection("chat")
        for index in range(4999):  # and the account's default Conversations Service
            # Bulk-load through the store: creating 5,000 services over HTTP is not what is measured here.
            record = new_service(store_account.sid, "bulk %d" % index)
            services.add(record["sid"], record)
        started = time.monotonic()
        url, pages, seen = base + "/chat/v2/Services?PageSize=100", 0, 0
        while url:
            body = api.get(url).json()
            pages += 1
            seen += len(body["services"])
            url = body["meta"]["next_page_url"]
        elapsed = time.monotonic() - started
    finally:
        emu.stop()
    assert (pages, seen) == (50, 5000)
    assert elapsed < 10, "listing 5,000 services took %.2fs" % elapsed
    print("listed 5000 services in %d pages in %.3fs" % (pages, elapsed))
