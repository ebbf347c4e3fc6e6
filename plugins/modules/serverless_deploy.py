#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

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
    another build, Functions are compared through their C(/Content) (one request each) and Assets count as changed.
    See docs/serverless-deploy.md for the cost and our readings of Twilio's docs."
  - A failed build, or one still building after O(build_timeout), fails the task with the build SID, the runtime and
    the declared dependencies; nothing is deployed and the environment keeps serving what it served.
author:
  - chatops.twilio maintainers (@chatops)
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.attributes.action_group
  - chatops.twilio.attributes.platform
attributes:
  check_mode:
    support: full
    details: Sends no write request (it reads, including C(/Content) when needed) and returns the plan.
  diff_mode:
    support: full
    details: Shows every path with its visibility and short hash, the runtime and the declared dependencies, before and
      after. File bodies and variable values never appear.
options:
  service:
    description: The Functions Service, by SID (V(ZS) and 32 hexadecimal digits) or unique name. It must exist.
    type: str
    required: true
  environment:
    description:
      - The Environment to deploy to, by unique name (such as V(dev)) or SID (V(ZE) and 32 hexadecimal digits), never
        its domain suffix. It must exist.
    type: str
    required: true
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
domain_name:
  description: The environment's domain; a Function's URL is C(https://{domain_name}{path}).
  returned: success
  type: str
  sample: deploy-example-1234-dev.twil.io
service_sid:
  description: SID of the service.
  returned: success
  type: str
environment_sid:
  description: SID of the environment.
  returned: success
  type: str
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
changes:
  description: The paths C(added), C(changed) and C(removed) by this run (predicted in check mode), and C(runtime) and
    C(dependencies) changes (each C([before, after])).
  returned: success
  type: dict
uploaded:
  description: The paths uploaded (in check mode, that would be).
  returned: success
  type: list
  elements: str
reused:
  description: The paths whose deployed version was kept.
  returned: success
  type: list
  elements: str
pruned:
  description: The paths whose Function or Asset was deleted by O(prune).
  returned: success
  type: list
  elements: str
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
'''

from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy as dp
from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError


def argument_spec():
    return dict(
        service=dict(type='str', required=True),
        environment=dict(type='str', required=True),
        source=dict(type='path'),
        runtime=dict(type='str', default=dp.DEFAULT_RUNTIME),
        dependencies=dict(type='dict', default={}),
        from_environment=dict(type='str'),
        build_timeout=dict(type='float', default=600),
        prune=dict(type='bool', default=False),
    )


def resources(service_sid, kind):
    """The Functions or Assets of a service, found by friendly_name (the path, as the Toolkit sets it)."""
    plural = 'Functions' if kind == 'function' else 'Assets'
    return rl.Collection(
        sl.PRODUCT,
        sl.VERSION,
        dp.service_path(service_sid, plural),
        'serverless %s' % kind,
        'ZH',
        rl.Field(('friendly_name',), 'str'),
        list_key=plural.lower(),
        page_size=sl.PAGE_SIZE,
    )


def read_build(module, service_sid, build_sid):
    if not build_sid:
        return None
    with module.context('read', 'build %s' % build_sid):
        return module.client.fetch(sl.PRODUCT, sl.VERSION, dp.service_path(service_sid, 'Builds', build_sid))


def promote(module, params):
    environments = fn.environments_of(module, params['service'])
    target = fn.find_environment(module, params['service'], params['environment'], environments)
    origin = fn.find_environment(module, params['service'], params['from_environment'], environments)
    build_sid = origin.get('build_sid')
    if not build_sid:
        module.fail_json(msg='from_environment %s serves no build yet; deploy a source to it first' % params['from_environment'])
    changed = target.get('build_sid') != build_sid
    deployment = None
    if changed and not module.check_mode:
        with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
            deployment, dummy = dp.deploy_build(module.client, target['service_sid'], target['sid'], build_sid)
    result = dict(
        changed=changed,
        build_sid=build_sid,
        deployment_sid=(deployment or {}).get('sid'),
        domain_name=target.get('domain_name'),
        service_sid=target.get('service_sid'),
        environment_sid=target.get('sid'),
        functions={},
        assets={},
        changes=dict(added=[], changed=[], removed=[]),
        uploaded=[],
        reused=[],
        pruned=[],
    )
    if module._diff:
        result['diff'] = dict(before={'build_sid': target.get('build_sid')}, after={'build_sid': build_sid})
    return result


def function_content(module, service_sid):
    def read(version):
        path = dp.service_path(service_sid, 'Functions', version.get('function_sid') or '', 'Versions', version.get('sid') or '', 'Content')
        with module.context('read', 'the source of function %s' % version.get('path')):
            answer = module.client.get(sl.PRODUCT, sl.VERSION, path)
        content = answer.get('content') if isinstance(answer, dict) else None
        return dp.normalised_text(content) if isinstance(content, str) else None

    return read


def upload_all(module, service_sid, uploads, parents):
    """Upload each changed file: {(kind, path): ZN}.

    A changed file's version goes to the Function or Asset of its deployed version (``parents``); an added one to the
    Function or Asset whose friendly_name is its path, created when missing. Those are created first, without a pause
    each; one settle of the client then makes the namesakes of concurrent runs converge (one wait, one listing).
    """
    sids = {}
    client = module.client
    for kind in ('function', 'asset'):
        todo = [f for f in uploads if f.kind == kind]
        if not todo:
            continue
        collection = resources(service_sid, kind)
        by_name = dict((f.path, {'sid': parents[f.key]}) for f in todo if f.key in parents)
        if any(f.path not in by_name for f in todo):
            for record in rl.listing(module, collection, 'service %s' % service_sid):
                by_name.setdefault(record.get('friendly_name'), record)
        created = []
        with module.context('create', '%ss of service %s' % (collection.label, service_sid)):
            for item in todo:
                if item.path not in by_name:
                    record, dummy = creates.create_unique(
                        client,
                        sl.PRODUCT,
                        sl.VERSION,
                        collection.path,
                        [('FriendlyName', item.path)],
                        match={'friendly_name': item.path},
                        key=collection.list_key,
                        known_sids=set(),
                        settle=False,
                    )
                    created.append((record, {'friendly_name': item.path}))
            for record in creates.resolve_namesakes(client, sl.PRODUCT, sl.VERSION, collection.path, created, key=collection.list_key):
                by_name[record.get('friendly_name')] = record
        for item in todo:
            with module.context('upload', '%s (%s)' % (item.local, item.path)):
                sids[item.key] = dp.upload(client, service_sid, by_name[item.path]['sid'], item)['sid']
    return sids


def fail_build(module, build_sid, outcome, params, deps, environment):
    what = 'failed' if outcome == 'failed' else 'was still building after build_timeout (%ss)' % params['build_timeout']
    module.fail_json(
        msg='build %s %s (runtime %s, dependencies %s); nothing was deployed and environment %s keeps serving %s. Twilio gives no reason for a failed '
        'build: check the runtime, that @twilio/runtime-handler is an exact version, and the dependencies'
        % (
            build_sid,
            what,
            params['runtime'],
            ', '.join('%s@%s' % kv for kv in sorted(deps.items())) or 'none',
            params['environment'],
            environment.get('build_sid') or 'nothing',
        ),
        changed=True,
        build_sid=build_sid,
        build_status=outcome,
    )


def write_reserved(module, service_sid, environment, variables, value):
    """Record the deployed build and the hashes in CHATOPS_DEPLOY, when the 3 KB budget allows it."""
    collection = fn.variables(service_sid, environment['sid'])
    current = fn.by_key(variables)
    values = dict((k, r.get('value') or '') for k, r in current.items())
    values[fn.RESERVED_KEY] = value
    if fn.context_bytes(values) > fn.CONTEXT_MAX_BYTES:
        module.warn(
            'the variables of environment %s leave no room for %s (3 KB context budget); the next run compares Functions '
            'through /Content and re-uploads the Assets' % (environment.get('unique_name'), fn.RESERVED_KEY)
        )
        return
    record = current.get(fn.RESERVED_KEY)
    label = '%s of environment %s' % (fn.RESERVED_KEY, environment.get('unique_name'))
    if record is None:
        rl.create(module, collection, [('Key', fn.RESERVED_KEY), ('Value', value)], fn.RESERVED_KEY, label=label)
    elif record.get('value') != value:
        with module.context('update', 'serverless variable %s' % label):
            module.client.update(sl.PRODUCT, sl.VERSION, collection.item_path(record['sid']), [('Value', value)])


def prune(module, service_sid, environments, files, live_sids):
    """Delete Functions and Assets whose path left the tree and that no environment's live build holds."""
    keep = set(live_sids)
    builds = set(e.get('build_sid') for e in environments if e.get('build_sid'))
    for build_sid in sorted(builds):
        for version in dp.deployed_files(read_build(module, service_sid, build_sid)).values():
            keep.add(version.get('function_sid') or version.get('asset_sid'))
    wanted = set(f.key for f in files)
    pruned = []
    for kind in ('function', 'asset'):
        collection = resources(service_sid, kind)
        for record in rl.listing(module, collection, 'service %s' % service_sid):
            if (kind, record.get('friendly_name')) in wanted or record.get('sid') in keep:
                continue
            pruned.append(record.get('friendly_name'))
            if not module.check_mode:
                rl.delete(module, collection, record['sid'], record.get('friendly_name'))
    return sorted(pruned)


def deploy(module, params):
    files, package_deps, warnings = dp.scan(params['source'])
    deps = dict(package_deps)
    deps.update(dp.check_dependencies(params['dependencies'] or {}))
    for warning in warnings:
        module.warn(warning)
    environment = fn.find_environment(module, params['service'], params['environment'])
    service_sid = environment['service_sid']
    build = read_build(module, service_sid, environment.get('build_sid'))
    variables = rl.listing(module, fn.variables(service_sid, environment['sid']), 'environment %s' % params['environment'])
    reserved = fn.by_key(variables).get(fn.RESERVED_KEY)
    known = dp.decode_reserved((reserved or {}).get('value'), build)
    the_plan = dp.plan(files, build, known, params['runtime'], deps, function_content(module, service_sid))
    changed = the_plan.needs_build
    build_sid, deployment = (environment.get('build_sid') if not changed else None), None
    version_sids = dict(the_plan.reused)
    if changed and not module.check_mode:
        version_sids.update(upload_all(module, service_sid, the_plan.uploads, the_plan.parents))
        function_sids = [version_sids[f.key] for f in files if f.kind == 'function']
        asset_sids = [version_sids[f.key] for f in files if f.kind == 'asset']
        with module.context('create', 'a build of %d files for environment %s' % (len(files), params['environment'])):
            new_build, adopted = dp.create_build(module.client, service_sid, function_sids, asset_sids, params['runtime'], deps)
            if not adopted:
                dp.check_build_answer(new_build, function_sids, asset_sids, params['runtime'])
            build_sid = new_build['sid']
            outcome = dp.wait_for_build(module.client, service_sid, build_sid, params['build_timeout'])
        if outcome != 'completed':
            fail_build(module, build_sid, outcome, params, deps, environment)
        with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
            deployment, dummy = dp.deploy_build(module.client, service_sid, environment['sid'], build_sid)
            write_reserved(module, service_sid, environment, variables, dp.encode_reserved(build_sid, files))
    pruned = []
    if params['prune']:
        others = [e for e in fn.environments_of(module, service_sid) if e.get('sid') != environment['sid']]
        # Unchanged, this environment keeps its build; changed, it serves the tree, whose paths are kept by name.
        live = set() if changed else set(v.get('function_sid') or v.get('asset_sid') for v in dp.deployed_files(build).values())
        pruned = prune(module, service_sid, others, files, live)
    domain = environment.get('domain_name')
    shown = dict(function={}, asset={})
    for item in files:
        shown[item.kind][item.path] = dict(
            url=None if item.visibility == 'private' else 'https://%s%s' % (domain, item.path),
            visibility=item.visibility,
            version_sid=version_sids.get(item.key),
        )
    result = dict(
        changed=changed or bool(pruned),
        build_sid=build_sid,
        deployment_sid=(deployment or {}).get('sid'),
        domain_name=domain,
        service_sid=service_sid,
        environment_sid=environment['sid'],
        functions=shown['function'],
        assets=shown['asset'],
        changes=dict(
            added=the_plan.added,
            changed=the_plan.changed,
            removed=the_plan.removed,
            runtime=list(the_plan.runtime_change) if the_plan.runtime_change else None,
            dependencies=dict((k, list(v)) for k, v in the_plan.dependency_changes.items()),
        ),
        uploaded=sorted(f.path for f in the_plan.uploads),
        reused=sorted(path for (kind, path) in the_plan.reused),
        pruned=pruned,
    )
    if module._diff:
        hashes = dict(known) if isinstance(known, dict) else {}
        hashes.update(dict((k, v) for k, v in the_plan.before_hashes.items() if v))
        live_deps = dict((k, v) for k, v in dp.build_dependencies(build).items() if k in deps or k not in dp.INJECTED_DEPENDENCIES)
        before = dp.diff_view(None, build, hashes, (build or {}).get('runtime'), live_deps) if build is not None else {}
        result['diff'] = dict(before=before, after=dp.diff_view(files, None, {}, params['runtime'], deps))
    return result


def run(module):
    params = module.params
    sl.check_service_ref(params['service'])
    fn.check_environment_ref(params['environment'])
    if (params['source'] is None) == (params['from_environment'] is None):
        raise OptionError('set exactly one of source (deploy a tree) and from_environment (promote the build another environment serves)')
    if params['from_environment'] is not None:
        fn.check_environment_ref(params['from_environment'], 'from_environment')
        if params['from_environment'] == params['environment']:
            raise OptionError('from_environment must name another environment than environment (%s)' % params['environment'])
        return promote(module, params)
    dp.check_runtime(params['runtime'])
    if not params['build_timeout'] > 0:
        raise OptionError('build_timeout must be a positive number of seconds, got %s' % params['build_timeout'])
    return deploy(module, params)


def main():
    module = TwilioModule(argument_spec=argument_spec(), supports_check_mode=True)
    module.resource = 'serverless deployment'
    module.run(run)


if __name__ == '__main__':
    main()
