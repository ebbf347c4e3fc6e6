#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_deploy
short_description: Make a Twilio Functions (Serverless) Environment serve exactly a source tree
version_added: "1.1.0"
description:
  - Deploys the Functions and Assets of a source tree in the Serverless Toolkit's layout into one Environment of a
    Functions Service, idempotent by content. A re-run with nothing changed sends no write; a changed file uploads
    that file alone, and every unchanged file keeps its version SID in the new build.
  - "Layout of O(source): C(functions/) and C(assets/), subfolders allowed. In C(functions/), C(name.protected.js) is a
    protected Function at C(/name), C(name.private.js) a private one, any other C(.js) file a public one; other files
    there are skipped with a warning. In C(assets/), C(x.protected.ext) is protected, C(x.private.ext) private, anything
    else public, and the path keeps the extension (C(/x.ext)). Path segments starting with C(.) (C(.env), C(.git/))
    and C(node_modules/) are never uploaded. A symbolic link is followed only while it stays inside O(source). The
    C(dependencies) of C(package.json) at the root of O(source) are declared to the build."
  - >-
    Refused before any request, naming the file and the rule, are a path Twilio refuses (more than 255 characters,
    whitespace, or one of C(# ; , ? : @ + & $ ( ) ' ")), a file over 25,000,000 bytes, two files with one path, an
    empty tree, and a symbolic link that leads outside O(source).
  - Functions and Assets are found by C(friendly_name == path), as the Toolkit does, so a project can move between the
    Toolkit and Ansible; a deploy made by another tool is noticed (the environment serves another build) and the next
    run puts the tree back.
  - "Idempotence: the API cannot read an Asset back, so the module keeps, in the environment variable
    C(CHATOPS_DEPLOY), the build it deployed and an 8-character hash per file (at most 450 bytes: up to 51 files; above
    that a hash per Asset, and for very many Assets one digest of them all). When the variable is missing or names
    another build, Functions are compared through their C(/Content) (one request each), public Assets with what the
    environment's domain serves (one unauthenticated C(GET https://{domain_name}{path}) each, no redirect followed; a
    failed read counts as changed), and private and protected Assets count as changed.
    See docs/serverless-deploy.md for the cost and our readings of Twilio's docs."
  - A failed build, or one still building after O(build_timeout), fails the task with the build SID, the runtime and
    the declared dependencies; nothing is deployed and the environment keeps serving what it served.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.serverless_target
  - chatops.twilio.serverless_target.environment
attributes:
  check_mode:
    details: Sends no write request (it reads, including C(/Content) when needed) and returns the plan.
  diff_mode:
    details: Shows every path with its visibility and short hash, the runtime and the declared dependencies, before and
      after. File bodies and variable values never appear.
options:
  source:
    description:
      - The directory to deploy (see the layout above). Exclusive with O(from_environment); one of the two is required.
    type: path
  runtime:
    description:
      - The Node.js runtime of the build, always sent (Twilio would otherwise take the runtime of the service's last
        build). A change deploys a new build.
    type: str
    default: node22
  dependencies:
    description:
      - npm dependencies of the build, name to version, merged over the C(dependencies) of C(package.json) (these win).
        Twilio adds C(twilio) and C(@twilio/runtime-handler) to every build; they are compared only when declared.
    type: dict
    default: {}
  from_environment:
    description:
      - Promote. Deploy the build that is live in this other environment of the same service (unique name or SID),
        with no upload and no build. A re-run sends no write. Exclusive with O(source).
    type: str
  build_timeout:
    description: Seconds to wait for the build to complete before the task fails (nothing is then deployed).
    type: float
    default: 600
  prune:
    description:
      - Delete the Functions and Assets whose path is not in the tree, once the new build is live, unless an environment
        of the service still serves them. Without it a removed file leaves the build but stays in Twilio.
    type: bool
    default: false
notes:
  - Private Functions and Assets have no URL; RV(functions) and RV(assets) give them C(url=null).
seealso:
  - module: chatops.twilio.serverless_variables
  - module: chatops.twilio.serverless_environment
'''

EXAMPLES = r'''
- name: A service with dev and prod environments
  chatops.twilio.serverless_service:
    unique_name: deploy-example

- name: The environments
  chatops.twilio.serverless_environment:
    service: deploy-example
    unique_name: "{{ item }}"
    domain_suffix: "{{ item }}"
  loop: [dev, prod]

- name: The app's folders, in the Toolkit's layout
  ansible.builtin.file:
    path: "/tmp/deploy-example/{{ item }}"
    state: directory
    mode: "0755"
  loop: [functions, assets]

- name: Write a small app
  ansible.builtin.copy:
    dest: "{{ item.dest }}"
    content: "{{ item.content }}"
    mode: "0644"
  loop:
    - dest: /tmp/deploy-example/functions/hello.protected.js
      content: "exports.handler = (context, event, callback) => callback(null, 'hello');\n"
    - dest: /tmp/deploy-example/assets/style.css
      content: "body { color: black; }\n"
  loop_control:
    label: "{{ item.dest }}"

- name: Deploy it to dev
  chatops.twilio.serverless_deploy:
    service: deploy-example
    environment: dev
    source: /tmp/deploy-example
    runtime: node22
    dependencies:
      lodash: 4.17.21
  register: dev_deploy

- name: Point a webhook at the protected Function
  ansible.builtin.debug:
    msg: "{{ dev_deploy.functions['/hello'].url }}"

- name: Promote what dev serves to prod (no upload, no build)
  chatops.twilio.serverless_deploy:
    service: deploy-example
    environment: prod
    from_environment: dev
'''

RETURN = r'''
build_sid:
  description: The build the environment serves after the run (null in check mode when a new build would be made).
  returned: success
  type: str
  sample: ZB0123456789abcdef0123456789abcdef
deployment_sid:
  description: The deployment made by this run, null when none was made (or its answer was lost and the environment showed it live).
  returned: success
  type: str
  sample: ZD0123456789abcdef0123456789abcdef
domain_name:
  description: The environment's domain; a Function's URL is C(https://{domain_name}{path}).
  returned: success
  type: str
  sample: deploy-example-1234-dev.twil.io
service_sid:
  description: SID of the service.
  returned: success
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment_sid:
  description: SID of the environment.
  returned: success
  type: str
  sample: ZE0123456789abcdef0123456789abcdef
functions:
  description: The Functions deployed, keyed by path, each with C(url) (null when private), C(visibility) and C(version_sid)
    (null in check mode for a file that would be uploaded). Empty in promote mode.
  returned: success
  type: dict
  sample: {"/hello": {"url": "https://deploy-example-1234-dev.twil.io/hello", "visibility": "protected", "version_sid": "ZN0123456789abcdef0123456789abcdef"}}
assets:
  description: The Assets deployed, keyed by path, as RV(functions).
  returned: success
  type: dict
  sample: {"/style.css": {"url": "https://deploy-example-1234-dev.twil.io/style.css", "visibility": "public",
                          "version_sid": "ZN0123456789abcdef0123456789abcdf0"}}
changes:
  description: The paths C(added), C(changed) and C(removed) by this run (predicted in check mode), and C(runtime) and
    C(dependencies) changes (each C([before, after])).
  returned: success
  type: dict
  sample: {"added": ["/style.css"], "changed": ["/hello"], "removed": [], "runtime": null, "dependencies": {"lodash": [null, "4.17.21"]}}
uploaded:
  description: The paths uploaded (in check mode, that would be).
  returned: success
  type: list
  elements: str
  sample: ["/hello", "/style.css"]
reused:
  description: The paths whose deployed version was kept.
  returned: success
  type: list
  elements: str
  sample: ["/index.html"]
pruned:
  description: The paths whose Function or Asset was deleted by O(prune).
  returned: success
  type: list
  elements: str
  sample: ["/old-handler"]
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _builds as bd
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy as dp
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils import _source_tree as st
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return sl.environment_target_spec(
        dict(
            source=dict(type='path'),
            runtime=dict(type='str', default=st.DEFAULT_RUNTIME),
            dependencies=dict(type='dict', default={}),
            from_environment=dict(type='str'),
            build_timeout=dict(type='float', default=600),
            prune=dict(type='bool', default=False),
        )
    )


def deploy(module: TwilioModule, params: Mapping[str, Any]) -> dict[str, Any]:
    files, package_deps, warnings = st.scan(params['source'])
    deps = dict(package_deps)
    deps.update(st.check_dependencies(params['dependencies'] or {}))
    for warning in warnings:
        module.warn(warning)
    # What the environment serves, and what CHATOPS_DEPLOY knows of it; then the plan.
    environment = sl.target_environment(module, params)
    service_sid = environment['service_sid']
    build, variables, known = dp.live_state(module, environment, params['environment'])
    the_plan = dp.plan(files, build, known, params['runtime'], deps, dp.function_content(module, service_sid), dp.asset_content(module, environment))
    changed = the_plan.needs_build
    build_sid, deployment = (environment.get('build_sid') if not changed else None), None
    version_sids = dict(the_plan.reused)
    if changed and not module.check_mode:
        version_sids.update(bd.upload_all(module, service_sid, the_plan.uploads, the_plan.parents))
        build_sid, deployment = dp.build_and_deploy(module, params, environment, files, deps, version_sids, variables)
    pruned = dp.prune(module, environment, files, build, changed) if params['prune'] else []
    shown = dp.served(files, environment.get('domain_name'), version_sids)
    result = dict(
        changed=changed or bool(pruned),
        build_sid=build_sid,
        deployment_sid=(deployment or {}).get('sid'),
        domain_name=environment.get('domain_name'),
        service_sid=service_sid,
        environment_sid=environment['sid'],
        functions=shown['function'],
        assets=shown['asset'],
        changes=dp.changes(the_plan),
        uploaded=sorted(f.path for f in the_plan.uploads),
        reused=sorted(path for (kind, path) in the_plan.reused),
        pruned=pruned,
    )
    if module._diff:
        result['diff'] = dp.deploy_diff(files, build, known, the_plan, params['runtime'], deps)
    return result


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sl.check_target(params)
    if (params['source'] is None) == (params['from_environment'] is None):
        raise OptionError('set exactly one of source (deploy a tree) and from_environment (promote the build another environment serves)')
    if params['from_environment'] is not None:
        sl.check_environment_ref(params['from_environment'], 'from_environment')
        if params['from_environment'] == params['environment']:
            raise OptionError('from_environment must name another environment than environment (%s)' % params['environment'])
        return dp.promote(module, params)
    st.check_runtime(params['runtime'])
    if not params['build_timeout'] > 0:
        raise OptionError('build_timeout must be a positive number of seconds, got %s' % params['build_timeout'])
    return deploy(module, params)


def main() -> None:
    module = TwilioModule(argument_spec=argument_spec(), resource='serverless deployment', supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
