"""Serverless Functions, Assets, uploads, Builds, Deployments and Variables, over plain HTTP."""

import time

import pytest
import requests

SVC = "/serverless/v1/Services"
UPLOAD = "/serverless-upload/v1/Services"


@pytest.fixture
def service(api):
    return api.create(SVC, {"UniqueName": "code-app", "FriendlyName": "Code"})


@pytest.fixture
def env(api, service):
    return api.create("%s/%s/Environments" % (SVC, service["sid"]), {"UniqueName": "dev-environment", "DomainSuffix": "dev"})


@pytest.fixture
def fast_builds(emulator):
    emulator.serverless.configure({"build_delay_ms": 0})


def upload(api, service, kind, parent, path="/hello", visibility="public", data=b"exports.handler = (c, e, cb) => cb(null, 'hi');\n", **kwargs):
    """POST a version to the upload product (multipart: Path, Visibility, Content as a file part)."""
    files = kwargs.pop("files", {"Content": ("hello.js", data, "application/javascript")})
    form = kwargs.pop("form", {"Path": path, "Visibility": visibility})
    return api.post("%s/%s/%s/%s/Versions" % (UPLOAD, service["sid"], kind, parent["sid"]), form, files=files, **kwargs)


def function_version(api, service, path="/hello", visibility="public", data=None):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": path})
    response = upload(api, service, "Functions", fn, path, visibility, **({"data": data} if data is not None else {}))
    assert response.status_code == 201, response.text
    return fn, response.json()


def asset_version(api, service, path="/logo.txt", visibility="public"):
    asset = api.create("%s/%s/Assets" % (SVC, service["sid"]), {"FriendlyName": path})
    response = upload(api, service, "Assets", asset, path, visibility, files={"Content": ("logo.txt", b"\x00\x01binary\r\n", "text/plain")})
    assert response.status_code == 201, response.text
    return asset, response.json()


def build(api, service, **form):
    return api.post("%s/%s/Builds" % (SVC, service["sid"]), form)


# -- Functions and Assets --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["Functions", "Assets"])
def test_functions_and_assets_crud(api, service, kind):
    base = "%s/%s/%s" % (SVC, service["sid"], kind)
    created = api.create(base, {"FriendlyName": "/a"})
    assert created["sid"].startswith("ZH") and created["friendly_name"] == "/a"
    assert api.get(base).json()[kind.lower()] == [created]
    renamed = api.post(base + "/" + created["sid"], {"FriendlyName": "/b"})
    assert renamed.status_code == 200 and renamed.json()["friendly_name"] == "/b"
    assert api.post(base, {"FriendlyName": "x" * 256}).status_code == 400
    assert api.post(base, {}).json()["code"] == 20001
    assert api.delete(base + "/" + created["sid"]).status_code == 204
    assert api.get(base + "/" + created["sid"]).status_code == 404


# -- uploads ---------------------------------------------------------------------------------------
def test_upload_creates_an_immutable_version_and_adds_the_leading_slash(api, service):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": "/hello"})
    response = upload(api, service, "Functions", fn, path="hello", visibility="protected")
    assert response.status_code == 201, response.text
    version = response.json()
    assert version["sid"].startswith("ZN") and (version["path"], version["visibility"], version["function_sid"]) == ("/hello", "protected", fn["sid"])
    listed = api.get("%s/%s/Functions/%s/Versions" % (SVC, service["sid"], fn["sid"])).json()["function_versions"]
    assert listed == [version]
    assert api.get(version["url"]).json() == version
    assert api.post(version["url"], {"Path": "/x"}).status_code == 405, "versions are immutable"


@pytest.mark.parametrize(
    "form, status, fragment",
    [
        ({"Path": "/a b", "Visibility": "public"}, 400, "Path"),
        ({"Path": "/a#b", "Visibility": "public"}, 400, "Path"),
        ({"Path": "/a?b", "Visibility": "public"}, 400, "Path"),
        ({"Path": "/" + "a" * 255, "Visibility": "public"}, 400, "Path"),
        ({"Path": "/a", "Visibility": "secret"}, 400, "Visibility"),
        ({"Path": "/a", "Visibility": "PUBLIC"}, 400, "Visibility"),
        ({"Visibility": "public"}, 400, "Path"),
        ({"Path": "/a"}, 400, "Visibility"),
    ],
)
def test_upload_path_and_visibility_rules(api, service, form, status, fragment):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": "/a"})
    response = upload(api, service, "Functions", fn, form=form)
    assert response.status_code == status and fragment in response.json()["message"]
    assert api.get("%s/%s/Functions/%s/Versions" % (SVC, service["sid"], fn["sid"])).json()["function_versions"] == []


def test_upload_needs_a_multipart_file_part(api, service):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": "/a"})
    url = "%s/%s/Functions/%s/Versions" % (UPLOAD, service["sid"], fn["sid"])
    as_form = api.post(url, {"Path": "/a", "Visibility": "public", "Content": "x"})
    assert as_form.status_code == 400 and "multipart/form-data" in as_form.json()["message"]
    no_file = upload(api, service, "Functions", fn, files={"Other": ("a.js", b"x")})
    assert no_file.status_code == 400 and "Content" in no_file.json()["message"]
    plain_field = upload(api, service, "Functions", fn, files={"Content": (None, b"x")})
    assert plain_field.status_code == 400 and "file part" in plain_field.json()["message"]


def test_upload_size_limit_is_configurable(api, service, emulator):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": "/a"})
    assert emulator.serverless["upload_max_bytes"] == 25_000_000
    emulator.serverless.configure({"upload_max_bytes": 10})
    assert upload(api, service, "Functions", fn, data=b"x" * 10).status_code == 201
    too_big = upload(api, service, "Functions", fn, data=b"x" * 11)
    assert too_big.status_code == 413 and "at most 10" in too_big.json()["message"]


def test_versions_are_created_on_the_upload_product_only(api, service):
    fn = api.create("%s/%s/Functions" % (SVC, service["sid"]), {"FriendlyName": "/a"})
    response = api.post("%s/%s/Functions/%s/Versions" % (SVC, service["sid"], fn["sid"]), files={"Content": ("a.js", b"x")}, data={"Path": "/a"})
    assert response.status_code == 405 and "serverless-upload" in response.json()["detail"]
    assert upload(api, service, "Functions", {"sid": "ZH" + "0" * 32}).status_code == 404


def test_content_is_normalized_by_default_and_exact_on_request(api, service, emulator):
    source = b"\xef\xbb\xbfexports.a = 1;\r\nexports.b = '\xc3\xa9';\r\n"
    dummy, version = function_version(api, service, data=source)
    content_url = version["links"]["function_version_content"]
    body = api.get(content_url).json()
    assert body["content"] == "exports.a = 1;\nexports.b = '\u00e9';\n"
    assert (body["sid"], body["function_sid"], body["url"]) == (version["sid"], version["function_sid"], content_url)
    emulator.serverless.configure({"function_content": "exact"})
    assert api.get(content_url).json()["content"] == source.decode("utf-8")
    asset, asset_ver = asset_version(api, service)
    assert api.get(asset_ver["url"] + "/Content").status_code == 404, "asset versions have no content endpoint"


# -- builds ----------------------------------------------------------------------------------------
def test_a_build_needs_a_version(api, service):
    response = build(api, service, Runtime="node22")
    assert response.status_code == 400
    assert response.json()["message"] == "At least one Function Version or Asset Version is required for Build"


def test_a_build_moves_from_building_to_completed_after_the_delay(api, service, emulator):
    emulator.serverless.configure({"build_delay_ms": 300})
    dummy, fn_ver = function_version(api, service)
    dummy, asset_ver = asset_version(api, service, visibility="private")
    response = build(api, service, FunctionVersions=[fn_ver["sid"]], AssetVersions=[asset_ver["sid"]], Runtime="node22")
    assert response.status_code == 201, response.text
    created = response.json()
    status_url = created["links"]["build_status"]
    assert created["status"] == "building" and api.get(status_url).json()["status"] == "building"
    assert [v["sid"] for v in created["function_versions"]] == [fn_ver["sid"]]
    assert [(v["sid"], v["path"], v["visibility"]) for v in created["asset_versions"]] == [(asset_ver["sid"], "/logo.txt", "PRIVATE")]
    time.sleep(0.35)
    assert api.get(status_url).json() == {
        "sid": created["sid"],
        "account_sid": created["account_sid"],
        "service_sid": service["sid"],
        "status": "completed",
        "url": status_url,
    }
    assert api.get(created["url"]).json()["status"] == "completed"
    emulator.serverless.configure({"build_visibility_case": "lower"})
    assert api.get(created["url"]).json()["asset_versions"][0]["visibility"] == "private"


def test_twilio_adds_its_dependencies_and_the_toolkits_quoted_form_is_accepted(api, service, fast_builds):
    dummy, version = function_version(api, service)
    quoted = '"[{"name":"lodash","version":"4.17.21"},{"name":"twilio","version":"4.0.0"}]"'
    created = build(api, service, FunctionVersions=version["sid"], Dependencies=quoted, Runtime="node22").json()
    assert created["dependencies"] == [
        {"name": "lodash", "version": "4.17.21"},
        {"name": "twilio", "version": "4.0.0"},
        {"name": "@twilio/runtime-handler", "version": "2.1.2"},
    ], "declared versions win; the missing default dependency is added"
    raw = build(api, service, FunctionVersions=version["sid"], Dependencies='[{"name":"axios","version":"1.7.0"}]', Runtime="node22").json()
    assert [dep["name"] for dep in raw["dependencies"]] == ["axios", "twilio", "@twilio/runtime-handler"]
    bad = build(api, service, FunctionVersions=version["sid"], Dependencies="lodash@4", Runtime="node22")
    assert bad.status_code == 400 and "Dependencies" in bad.json()["message"]


def test_build_version_rules(api, service, fast_builds):
    fn, first = function_version(api, service)
    second = upload(api, service, "Functions", fn).json()
    conflicting = build(api, service, FunctionVersions=[first["sid"], second["sid"]], Runtime="node22")
    assert conflicting.status_code == 400 and conflicting.json()["message"].startswith("Different Function Versions for same Function")
    unknown = build(api, service, FunctionVersions=["ZN" + "0" * 32], Runtime="node22")
    assert unknown.status_code == 400 and "not found" in unknown.json()["message"]
    dummy, other = function_version(api, service, path="/hello")
    same_path = build(api, service, FunctionVersions=[first["sid"], other["sid"]], Runtime="node22")
    assert same_path.status_code == 400 and "/hello" in same_path.json()["message"]


def test_versions_per_build_are_limited(api, service, emulator, fast_builds):
    emulator.serverless.configure({"build_max_functions": 1, "build_max_private_assets": 1, "build_max_assets": 1})
    dummy, one = function_version(api, service, path="/one")
    dummy, two = function_version(api, service, path="/two")
    response = build(api, service, FunctionVersions=[one["sid"], two["sid"]], Runtime="node22")
    assert response.status_code == 400 and "at most 1 Function Versions" in response.json()["message"]
    dummy, public = asset_version(api, service, path="/a.txt")
    dummy, private = asset_version(api, service, path="/b.txt", visibility="private")
    assert build(api, service, FunctionVersions=one["sid"], AssetVersions=[public["sid"], private["sid"]], Runtime="node22").status_code == 201
    dummy, private2 = asset_version(api, service, path="/c.txt", visibility="private")
    response = build(api, service, AssetVersions=[private["sid"], private2["sid"]], Runtime="node22")
    assert response.status_code == 400 and "private Asset Versions" in response.json()["message"]


def test_runtime_rules(api, service, emulator, fast_builds):
    dummy, version = function_version(api, service)
    unsupported = build(api, service, FunctionVersions=version["sid"], Runtime="node18")
    assert unsupported.status_code == 400 and unsupported.json()["code"] == 82007
    assert build(api, service, FunctionVersions=version["sid"]).json()["runtime"] == "node22", "the default without a completed build"
    build(api, service, FunctionVersions=version["sid"], Runtime="node20")
    assert build(api, service, FunctionVersions=version["sid"]).json()["runtime"] == "node20", "the runtime of the last completed build"
    emulator.serverless.configure({"runtimes": ["node18"]})
    assert build(api, service, FunctionVersions=version["sid"], Runtime="node18").status_code == 201


@pytest.mark.parametrize("fault, settled", [("failed", "failed"), ("stall", "building")])
def test_build_faults_fail_or_stall_the_next_builds(api, service, emulator, fast_builds, fault, settled):
    dummy, version = function_version(api, service)
    emulator.serverless.configure({"build_fault": fault, "build_fault_next": 1})
    faulty = build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()
    healthy = build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()
    time.sleep(0.05)
    assert api.get(faulty["links"]["build_status"]).json()["status"] == settled
    assert api.get(healthy["links"]["build_status"]).json()["status"] == "completed"
    emulator.serverless.configure({"build_fault": fault})
    for dummy in range(2):  # build_fault_next 0: every build while set
        assert api.get(build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()["links"]["build_status"]).json()["status"] == settled
    emulator.clear_faults()
    assert api.get(build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()["links"]["build_status"]).json()["status"] == "completed"


# -- deployments -----------------------------------------------------------------------------------
def test_a_deployment_sets_the_live_build_and_cannot_repeat_it(api, service, env, emulator):
    emulator.serverless.configure({"build_delay_ms": 200})
    dummy, version = function_version(api, service)
    created = build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()
    deployments = "%s/%s/Environments/%s/Deployments" % (SVC, service["sid"], env["sid"])
    early = api.post(deployments, {"BuildSid": created["sid"]})
    assert early.status_code == 400 and "building" in early.json()["message"]
    time.sleep(0.25)
    deployment = api.create(deployments, {"BuildSid": created["sid"]})
    assert deployment["sid"].startswith("ZD") and deployment["build_sid"] == created["sid"]
    assert api.get("%s/%s/Environments/%s" % (SVC, service["sid"], env["sid"])).json()["build_sid"] == created["sid"]
    again = api.post(deployments, {"BuildSid": created["sid"]})
    assert again.status_code == 409 and "already requested deployment" in again.json()["message"]
    assert api.get(deployments).json()["deployments"] == [deployment]
    assert api.get(deployment["url"]).json() == deployment
    assert api.delete(deployment["url"]).status_code == 405, "deployments have no delete"
    assert api.post(deployments, {"BuildSid": "ZB" + "0" * 32}).status_code == 400
    # What is live stays: its build and the resources its versions belong to.
    assert api.delete(created["url"]).status_code == 409
    assert api.delete("%s/%s/Functions/%s" % (SVC, service["sid"], version["function_sid"])).status_code == 409


def test_the_domain_serves_the_live_builds_public_assets_without_authentication(api, service, env, emulator, base_url, fast_builds):
    """``{product}=serverless-domains/{domain_name}{path}``: a public Asset's bytes, 403 protected, 404 private or unknown."""
    versions = [
        asset_version(api, service, path, visibility)[1]["sid"]
        for path, visibility in (("/logo.txt", "public"), ("/p.txt", "protected"), ("/x.txt", "private"))
    ]
    created = build(api, service, AssetVersions=versions, Runtime="node22").json()
    api.create("%s/%s/Environments/%s/Deployments" % (SVC, service["sid"], env["sid"]), {"BuildSid": created["sid"]})
    domain = "%s/serverless-domains/%s" % (base_url, env["domain_name"])
    emulator.request_log(clear=True)
    served = requests.get(domain + "/logo.txt", timeout=10)
    assert served.status_code == 200 and served.content == b"\x00\x01binary\r\n" and served.headers["Content-Type"] == "text/plain"
    assert [requests.get(domain + path, timeout=10).status_code for path in ("/p.txt", "/x.txt", "/none.txt")] == [403, 404, 404]
    assert requests.get("%s/serverless-domains/nobody-1234.twil.io/logo.txt" % base_url, timeout=10).status_code == 404
    assert requests.post(domain + "/logo.txt", timeout=10).status_code == 405
    assert requests.get(domain + "/logo.txt", auth=("AC" + "0" * 32, "x"), timeout=10).status_code == 200, "credentials are not looked at"
    log = emulator.request_log()
    assert [entry["authorization"] for entry in log] == [False] * 6 + [True]
    assert all(entry["account_sid"] is None for entry in log)


def test_a_failed_build_never_deploys(api, service, env, emulator, fast_builds):
    dummy, version = function_version(api, service)
    emulator.serverless.configure({"build_fault": "failed", "build_fault_next": 1})
    failed = build(api, service, FunctionVersions=version["sid"], Runtime="node22").json()
    response = api.post("%s/%s/Environments/%s/Deployments" % (SVC, service["sid"], env["sid"]), {"BuildSid": failed["sid"]})
    assert response.status_code == 400 and "failed" in response.json()["message"]
    assert api.get("%s/%s/Environments/%s" % (SVC, service["sid"], env["sid"])).json()["build_sid"] is None


def test_deleting_the_service_drops_what_it_held(api, service, env, emulator, fast_builds):
    dummy, version = function_version(api, service)
    build(api, service, FunctionVersions=version["sid"], Runtime="node22")
    api.create("%s/%s/Environments/%s/Variables" % (SVC, service["sid"], env["sid"]), {"Key": "A", "Value": "1"})
    assert api.delete("%s/%s" % (SVC, service["sid"])).status_code == 204
    account = next(iter(emulator.store.accounts.values()))
    assert [name for name in account.collections if name.startswith("serverless-")] == []


# -- variables -------------------------------------------------------------------------------------
def test_variables_crud(api, service, env):
    base = "%s/%s/Environments/%s/Variables" % (SVC, service["sid"], env["sid"])
    created = api.create(base, {"Key": "API_URL", "Value": "https://example.com"})
    assert created["sid"].startswith("ZV") and (created["key"], created["value"]) == ("API_URL", "https://example.com")
    assert api.post(base, {"Key": "API_URL", "Value": "x"}).status_code == 409
    updated = api.post(created["url"], {"Value": "https://example.org"}).json()
    assert (updated["key"], updated["value"]) == ("API_URL", "https://example.org")
    assert api.get(base).json()["variables"] == [updated]
    assert api.delete(created["url"]).status_code == 204
    assert api.get(created["url"]).status_code == 404


def test_variable_limits(api, service, env, emulator):
    base = "%s/%s/Environments/%s/Variables" % (SVC, service["sid"], env["sid"])
    assert api.post(base, {"Key": "K" * 129, "Value": "x"}).json()["code"] == 20001
    assert api.post(base, {"Key": "K" * 128, "Value": "x"}).status_code == 201
    assert api.post(base, {"Key": "BYTES", "Value": "\u00e9" * 225}).status_code == 201, "450 bytes"
    too_long = api.post(base, {"Key": "BYTES2", "Value": "\u00e9" * 225 + "x"})
    assert too_long.status_code == 400 and "450 bytes" in too_long.json()["message"], "451 bytes in 226 characters"
    for index in range(5):  # about 2,850 bytes of the 3,000 in all
        assert api.post(base, {"Key": "V%d" % index, "Value": "v" * 440}).status_code == 201
    over = api.post(base, {"Key": "LAST", "Value": "v" * 440})
    assert (over.status_code, over.json()["code"]) == (400, 82006)
    assert "LAST" not in [v["key"] for v in api.get(base).json()["variables"]], "a refused write stores nothing"
    first = api.get(base).json()["variables"][0]
    grown = api.post(first["url"], {"Value": "v" * 440})
    assert grown.json()["code"] == 82006, "an update is held to the same budget"
    emulator.serverless.configure({"variables_max_bytes": 100_000})
    assert api.post(base, {"Key": "LAST", "Value": "v" * 440}).status_code == 201


# -- unknown parameters ----------------------------------------------------------------------------
def test_unknown_parameters_are_ignored_and_logged_as_twilio_does(api, service, emulator, base_url):
    requests.post(base_url + "/__emulator/config", json={"strict_params": False}, timeout=5)
    emulator.clear_request_log()
    envs = "%s/%s/Environments" % (SVC, service["sid"])
    created = api.post(envs, {"UniqueName": "dev-environment", "DomainSuffix": "dev", "FriendlyName": "dev Environment (Created by CLI)"})
    assert created.status_code == 201 and "friendly_name" not in created.json()
    assert emulator.request_log()[-1]["unknown_params"] == ["FriendlyName"]
    v1 = api.create("/chat/v1/Services", {"FriendlyName": "v1"})
    ignored = api.post("/chat/v1/Services/" + v1["sid"], {"FriendlyName": "renamed", "Media.CompatibilityMessage": "hi"})
    assert ignored.status_code == 200 and ignored.json()["friendly_name"] == "renamed", "a v2-only parameter is unknown to v1"
    assert emulator.request_log()[-1]["unknown_params"] == ["Media.CompatibilityMessage"]
    assert "unknown_params" not in emulator.request_log()[-2], "only requests with one are marked"


def test_strict_params_answers_400_for_an_unknown_parameter(api, service, emulator, base_url):
    assert requests.get(base_url + "/__emulator/config", timeout=5).json()["strict_params"] is True, "the emulator tests run strict"
    envs = "%s/%s/Environments" % (SVC, service["sid"])
    refused = api.post(envs, {"UniqueName": "dev-environment", "FriendlyName": "x"})
    assert refused.status_code == 400 and "FriendlyName" in refused.json()["message"]
    assert emulator.request_log()[-1]["unknown_params"] == ["FriendlyName"]
    assert api.get(envs).json()["environments"] == []
    assert requests.post(base_url + "/__emulator/config", json={"strict_params": "yes"}, timeout=5).status_code == 400


# -- the control endpoint --------------------------------------------------------------------------
def test_serverless_settings_endpoint(base_url, emulator):
    url = base_url + "/__emulator/serverless"
    assert requests.get(url, timeout=5).json()["build_delay_ms"] == 500
    changed = requests.post(url, json={"build_delay_ms": 0, "build_fault": "stall", "build_fault_next": 2}, timeout=5).json()
    assert (changed["build_delay_ms"], changed["build_fault"], changed["build_fault_next"]) == (0, "stall", 2)
    for bad in ({"build_delay_ms": -1}, {"build_fault": "explode"}, {"function_content": "raw"}, {"nonsense": 1}, {"runtimes": "node22"}):
        assert requests.post(url, json=bad, timeout=5).status_code == 400, bad
    requests.post(base_url + "/__emulator/reset", json={"faults": True}, timeout=5)
    after_faults = requests.get(url, timeout=5).json()
    assert (after_faults["build_fault"], after_faults["build_delay_ms"]) == (None, 0), "reset faults clears build faults only"
    requests.post(base_url + "/__emulator/reset", json={"config": True}, timeout=5)
    assert requests.get(url, timeout=5).json()["build_delay_ms"] == 500
