# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """What the set modules (chatops.twilio.chat_services, chatops.twilio.conversations_services) share.

    Mirrors ``plugins/module_utils/_service_set.py`` (``argument_spec``, the flow of ``ServiceSet``);
    ``tests/unit/test_settings_sync.py`` keeps the options in step with it. The modules document their own
    O(services) (its suboptions differ by API).
    """

    DOCUMENTATION = r'''
attributes:
  check_mode:
    details: Sends no write request and returns the predicted services.
  diff_mode:
    details: One diff per service that changes, with the service name in its header.
options:
  stray_pattern:
    description:
      - Python regular expression that the whole name of an unlisted service must match to be a stray (for example
        V(acme-support-[A-Za-z0-9_.]+)). Without it, every service of the account that is not in O(services) is a stray.
      - Keep it as narrow as the names the application uses. V(acme-support-.+) would also match the services of a
        sibling application V(acme-support-bot) in the same account (V(acme-support-bot-prod)).
      - With O(purge=true), confirm strays in O(confirm_delete) by the names you mean to delete, written out; a list
        built from the module's own RV(strays) confirms whatever the pattern happens to match.
    type: str
  purge:
    description:
      - Delete the strays. Every stray's exact name must be in O(confirm_delete); when one is not, the module fails
        before any write and names it.
    type: bool
    default: false
  confirm_delete:
    description:
      - Exact service names whose deletion is confirmed (protected services, strays with O(purge=true)). A name is only
        compared whole; V(acme-support-prod) does not confirm V(acme-support).
    type: list
    elements: str
    default: []
  parallelism:
    description:
      - How many services are read and written at a time (each with its own connection), as Terraform's
        C(-parallelism) does. The listings, the namesake checks and the guards stay one run-wide step each.
      - Results, diffs, warnings and a failure are reported in the order of O(services) whatever the value. After a
        failure no further service is started, and the failure reported is that of the first failing service.
      - The workers share the retry settings. When Twilio answers one of them with HTTP 429 (or C(Retry-After)), every
        worker holds its next request as long, so a rate limit slows the whole run instead of being met once per worker.
      - V(1) converges the services one after the other, in the order of O(services), as releases before 1.2.0 did.
        At most V(32), since more connections only meet Twilio's limit of concurrent requests per account sooner.
    type: int
    default: 8
    version_added: 1.2.0
notes:
  - Each service is identified by its exact O(services[].friendly_name). Twilio does not keep friendly names unique;
    when a name matches several services the module fails before any write and lists their SIDs (after listing
    again twice, two seconds apart, so that namesakes that concurrent runs are creating resolve first).
  - Everything is checked before the first request (settings, duplicate names, delete confirmations), and every guard
    and ambiguity is checked before the first write, so a run either fails without changing anything or converges every
    listed service.
  - Services of the account that are not in O(services) and whose name fully matches O(stray_pattern) are
    B(strays). They are always reported (RV(strays)); with O(purge=true) they are deleted, but only those whose exact
    name is in O(confirm_delete). The same confirmation guards the deletion of a listed service marked
    O(services[].protected).
  - The account's default Conversations Service, which Twilio makes with every account and which Chat and
    Conversations listings show, is never a stray, and an item with O(services[].state=absent) that names it fails
    before any write. To tell which service it is, the module reads the account's Conversations configuration once,
    only when a stray candidate or a delete is in view (without O(stray_pattern), every unlisted service is a candidate).
'''
