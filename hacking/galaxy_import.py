"""Run galaxy-importer on the built collection tarball, as Galaxy/Automation Hub would.

Its container step (ansible-test in a container) is off: no container engine runs
here, and `make sanity` runs ansible-test locally instead. Everything else runs:
metadata and file checksums, ansible-doc on every plugin, ansible-lint, changelog,
required tags and the 1.0.0 minimum. Any warning or error from the importer fails
the build, so a clean import is what "passed" means.
"""

import logging
import os
import sys

os.environ.setdefault('GALAXY_IMPORTER_CHECK_REQUIRED_TAGS', 'true')
os.environ.setdefault('GALAXY_IMPORTER_REQUIRE_V1_OR_GREATER', 'true')
os.environ.setdefault('GALAXY_IMPORTER_RUN_ANSIBLE_TEST', 'false')

# pylint: disable=wrong-import-position
from galaxy_importer import collection, config  # noqa: E402


class Collector(logging.Handler):
    """Keeps every record so problems can be counted after the import."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.records = []

    def emit(self, record):
        self.records.append(record)
        print('%s: %s' % (record.levelname, record.getMessage()))


def main():
    path = sys.argv[1]
    logger = logging.getLogger('galaxy_import')
    logger.setLevel(logging.INFO)
    collector = Collector()
    logger.addHandler(collector)
    cfg = config.Config(config_data=config.ConfigFile.load())
    with open(path, 'rb') as handle:
        try:
            data = collection.import_collection(handle, os.path.basename(path), logger=logger, cfg=cfg)
        except Exception as ex:  # pylint: disable=broad-exception-caught
            print('galaxy-importer: import FAILED: %s' % ex)
            return 1
    problems = [r for r in collector.records if r.levelno >= logging.WARNING]
    contents = data.get('contents', [])
    print('galaxy-importer: %d content items, %d warnings/errors' % (len(contents), len(problems)))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
