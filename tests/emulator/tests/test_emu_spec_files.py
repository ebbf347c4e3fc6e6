"""The copied official specs are unmodified upstream files."""

import hashlib
import pathlib
import re

import pytest

from emulator_helpers import SPEC_DIR

SHARED = pathlib.Path(__file__).resolve().parents[3].parent / "shared" / "twilio-oai"


def _recorded_hashes():
    text = (SPEC_DIR / "SOURCE.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| (twilio_\w+\.json) \| [^|]+ \| ([0-9a-f]{64}) \|$", text, re.M))


def test_hashes_match_source_md():
    recorded = _recorded_hashes()
    assert set(recorded) == {p.name for p in SPEC_DIR.glob("*.json")}
    for name, digest in recorded.items():
        assert hashlib.sha256((SPEC_DIR / name).read_bytes()).hexdigest() == digest, name


@pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/twilio-oai beside the repository")
def test_identical_to_shared_copy():
    for path in SPEC_DIR.glob("*.json"):
        assert path.read_bytes() == (SHARED / path.name).read_bytes(), path.name
