#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: chat_environments_export
short_description: Read an account's services as the variables of the chatops.twilio.chat_environments role
version_added: "1.2.0"
description:
  - Reads the Chat, Conversations and Functions services of an account and returns, per application, the variables of
    the R(chatops.twilio.chat_environments,ansible_collections.chatops.twilio.docsite.chat_environments) role that
    describe them as they are, so that the role (or C(playbooks/provision.yml)) run with them changes nothing.
  - "The services of an application O(app) are those named C({app}-{env}), C({env}) without a dash: C(acme-support-prod)
    belongs to the application C(acme-support), not to C(acme) (the role's stray rule)."
  - Only settings that differ from what Twilio gives a new service are returned; settings every environment of an API
    shares go into C(chat_environments_common) (or C(chat_environments_conversations_common)) once, the rest into
    C(chat_environments_overrides). A default role setting naming the role Twilio made is left out, another role is given
    by its friendly_name.
  - "No secret is returned: the password of a webhook URL and the value of every Functions variable become a
    C({{ vault_... }}) reference, listed in RV(apps[].vault) with an empty value for the user to fill."
  - Twilio does not store which API a service is managed through. The module reads an environment as Chat C(v1) when
    its service has Chat v1 webhooks, as C(conversations) when it has a setting only the Conversations API writes
    (media notifications, webhook filters of Conversations events), else as C(v2); O(api_versions) pins an
    environment's API. This rests on our own reading.
  - Sends only GET requests. Playbook C(chatops.twilio.export) writes the result into files.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.attributes.info_module
options:
  app:
    description:
      - The application name (C(chat_environments_app)), or C(all) for every application the service names show.
    type: str
    required: true
  api_versions:
    description:
      - The API of an environment (C(v1), C(v2) or C(conversations)), keyed by environment, instead of the module's
        reading.
    type: dict
    default: {}
  functions:
    description:
      - Also read the Functions service of each application (unique name = the application name), its environments and
        their variables' keys.
    type: bool
    default: true
  functions_sources:
    description:
      - Also read what each Functions environment serves into RV(files), in the Serverless Toolkit's layout under
        C(<functions_sources>/<env>/) (C({app}) replaced by the application), each Function's source through C(/Content)
        (C(functions/<path>[.protected|.private].js)), each public Asset (C(assets/<path>)) and a C(package.json) with
        the build's dependencies.
      - The API cannot give an Asset back. A public one is read from the environment's domain
        (C(GET https://{domain_name}{path}), as anyone can), never with the credentials, only from a host under
        C(twil.io), following no redirect, and refused when larger than 25,000,000 bytes (Twilio's upload limit). With
        O(api_base_url) the domain is reached there as the product C(serverless-domains) (the emulator's convention).
      - Private and protected Assets, and a public one its domain did not give, are listed as missing (a warning naming
        the file to put where and why); an environment gets C(functions_source) (and C(functions_runtime) when it is
        not C(node22)) in its override only when its whole build was read, since deploying a partial tree would remove
        the rest.
      - Give an absolute path, since the role reads C(functions_source) relative to the playbook.
    type: str
'''

EXAMPLES = r'''
- name: Read acme-support's services as role variables
  chatops.twilio.chat_environments_export:
    app: acme-support
  register: exported

- name: Provision with them (a no-op right after the export)
  ansible.builtin.include_role:
    name: chatops.twilio.chat_environments
  vars:
    chat_environments_app: "{{ exported.apps[0].variables.chat_environments_app }}"
    chat_environments_names: "{{ exported.apps[0].variables.chat_environments_names }}"
    chat_environments_common: "{{ exported.apps[0].variables.chat_environments_common | default({}) }}"
    chat_environments_overrides: "{{ exported.apps[0].variables.chat_environments_overrides | default({}) }}"
'''

RETURN = r'''
account_sid:
  description: The account read.
  returned: always
  type: str
  sample: AC00000000000000000000000000000001
collection_version:
  description: The version of chatops.twilio that read it.
  returned: always
  type: str
  sample: 1.2.0
apps:
  description: One entry per application found (for O(app) other than C(all), that application).
  returned: always
  type: list
  elements: dict
  sample: [{"app": "acme-support", "environments": {"prod": {"sid": "IS0123456789abcdef0123456789abcdef", "api_version": "v2"}},
            "variables": {"chat_environments_app": "acme-support", "chat_environments_names": ["prod"]}, "vault": {}, "warnings": []}]
  contains:
    app:
      description: The application name.
      type: str
      sample: acme-support
    environments:
      description: Each environment's service SID and the API it is read as.
      type: dict
      sample: {"dev": {"sid": "IS0123456789abcdef0123456789abcdef", "api_version": "conversations"}}
    variables:
      description: The role's variables (C(chat_environments_*)) for the application.
      type: dict
      sample: {"chat_environments_app": "acme-support", "chat_environments_names": ["dev", "prod"],
               "chat_environments_common": {"reachability_enabled": true},
               "chat_environments_overrides": {"prod": {"limits": {"channel_members": 500}}}}
    vault:
      description: The C(vault_*) variables the references in RV(apps[].variables) name, each with an empty value.
      type: dict
      sample: {"vault_acme_support_prod_api_key": ""}
    warnings:
      description: What the variables cannot express (a Functions environment without its Chat service).
      type: list
      elements: str
      sample: []
files:
  description:
    - With O(functions_sources), the files of each environment's tree (Function sources are the user's code, not secrets).
    - A file that is UTF-8 text has C(content); any other (an image) has C(content_base64), its bytes in base64.
  returned: always
  type: list
  elements: dict
  sample: [{"app": "acme-support", "env": "dev", "path": "/srv/export/acme-support-functions/dev/functions/status.js", "content": "exports.handler = ..."}]
unmatched:
  description:
    - With O(app=all), the Chat services and Functions services whose names fit no application.
    - The default Conversations Service that Twilio makes with every account is among them when its name fits no
      application (V(Default Conversations Service) unless renamed); it is Twilio's, and no module deletes it.
  returned: always
  type: list
  elements: dict
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "name": "scratch", "kind": "chat"}]
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _export as ex
from ansible_collections.chatops.twilio.plugins.module_utils._client import COLLECTION_VERSION
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from typing import Any


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    app = ex.check_app(params['app'])
    for env, api in params['api_versions'].items():
        if api not in ex.API_VERSIONS:
            raise OptionError('api_versions.%s must be one of %s, got %r' % (env, ', '.join(ex.API_VERSIONS), api))
    account = ex.Account(module, params['functions'], params['functions_sources'])
    unmatched: list[dict[str, Any]] = []
    if app == ex.ALL:
        apps, strays = ex.recognise_apps(account.v2)
        unmatched = [dict(sid=s.get('sid'), name=s.get('friendly_name'), kind='chat') for s in strays]
        unmatched += [dict(sid=s.get('sid'), name=s.get('unique_name'), kind='functions') for s in account.functions if s.get('unique_name') not in apps]
    else:
        apps = [app]
    exported = [ex.export_app(account, name, params['api_versions']) for name in apps]
    if app != ex.ALL and not exported[0]['environments']:
        module.fail_json(msg='no service of app %s: no Chat service is named %s-{env} ({env} without a dash); app=all lists the apps found' % (app, app))
    for item in exported:
        for warning in item['warnings']:
            module.warn(warning)
    return dict(
        changed=False, account_sid=module.client.account_sid, collection_version=COLLECTION_VERSION, apps=exported, unmatched=unmatched, files=account.files
    )


def main() -> None:
    module = TwilioModule(
        resource='chat environments export',
        argument_spec=dict(
            app=dict(type='str', required=True),
            api_versions=dict(type='dict', default={}),
            functions=dict(type='bool', default=True),
            functions_sources=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == '__main__':
    main()
