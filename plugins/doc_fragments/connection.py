# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """What every chatops.twilio module shares: its authors, the connection options and the attributes every module has.

    The attributes: what check and diff mode mean, the action group, the platform. Whether a module supports check and
    diff mode comes from ``chatops.twilio.attributes`` (a module that changes resources) or
    ``chatops.twilio.attributes.info_module``; each module adds only its C(details).
    """

    DOCUMENTATION = r'''
author:
  - chatops.twilio maintainers (@chatops)
attributes:
  check_mode:
    description: Can run in check mode and return the predicted changed status and result without changing anything at Twilio.
  diff_mode:
    description: Returns the before and after state of the managed settings when run in diff mode.
  action_group:
    description: Use C(group/chatops.twilio.twilio) in C(module_defaults) to set the connection options of all modules at once.
    support: full
    membership:
      - chatops.twilio.twilio
  platform:
    description: The module talks to Twilio's HTTPS API from the host it runs on; it manages no host.
    support: N/A
    platforms: twilio
options:
  account_sid:
    description:
      - The Twilio Account SID, V(AC) followed by 32 hexadecimal digits.
      - Used as the user name together with O(auth_token). With O(api_key) it is optional.
      - See O(api_key) for which credentials are used when both pairs are set.
      - If not set, the E(TWILIO_ACCOUNT_SID) environment variable is used.
    type: str
  auth_token:
    description:
      - The Auth Token of O(account_sid).
      - If not set, the E(TWILIO_AUTH_TOKEN) environment variable is used.
      - Not used when O(api_key) and O(api_secret) are both set (see O(api_key)).
    type: str
  api_key:
    description:
      - The SID of a Twilio API key, V(SK) followed by 32 hexadecimal digits, used instead of the Auth Token
        (recommended for production). Needs O(api_secret).
      - If not set, the E(TWILIO_API_KEY) environment variable is used.
      - B(Precedence:) options given in the task (or through C(module_defaults)) always win over the environment.
        When the task gives either option of one pair (O(account_sid)/O(auth_token) or O(api_key)/O(api_secret))
        and none of the other, the other pair's E(TWILIO_*) variables are not used. When both pairs are complete at
        the same level (both in the task, or both in the environment), O(api_key) and O(api_secret) win, with a
        warning saying so.
      - Credentials that name two different accounts are refused before any request. That is an O(account_sid)
        given in the task while E(TWILIO_ACCOUNT_SID) names another account and the secret in use (O(auth_token),
        or the API key pair) comes from the environment, where it belongs to that other account.
      - If only one of O(api_key) and O(api_secret) is set (as an option or an environment variable), the module
        fails naming the missing one; it never falls back to O(auth_token).
    type: str
  api_secret:
    description:
      - The secret of O(api_key).
      - If not set, the E(TWILIO_API_SECRET) environment variable is used.
    type: str
  api_base_url:
    description:
      - Base URL of the Twilio API, for a proxy or a local emulator. V({product}) is replaced by the API product
        (V(chat), V(conversations), V(serverless)), for example V(http://127.0.0.1:8080/{product}).
      - A URL without V({product}) is refused for the products whose paths another product serves too (Chat v1,
        Conversations v1 and Serverless v1 all have C(/v1/Services)), as it would send them all to one place.
      - Must not carry C(user:password@), a C(?query) or a C(#fragment). Plain C(http://) to a host that is not
        loopback sends the credentials in clear text and gets a warning.
      - Redirects are never followed (the credentials would go along); a 3xx answer is an error naming its target.
      - If not set, the E(TWILIO_API_BASE_URL) environment variable is used, else V(https://{product}.twilio.com),
        or the regional host built from O(region) and O(edge).
      - Takes precedence over O(region) and O(edge).
    type: str
  region:
    description:
      - Twilio Region to send requests to, for example V(ie1) or V(au1). Builds C(https://{product}.{edge}.{region}.twilio.com).
      - If not set, the E(TWILIO_REGION) environment variable is used.
      - API keys and Auth Tokens are valid in one Region only.
    type: str
  edge:
    description:
      - Twilio Edge Location to send requests through, for example V(dublin) or V(sydney). Without O(region) the
        region is V(us1).
      - If not set, the E(TWILIO_EDGE) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API. Only set to V(false) for a trusted test endpoint; the module
        warns when it is V(false).
    type: bool
    default: true
  timeout:
    description:
      - Seconds one request may take in total, from connecting to the last byte of the answer, however slowly the
        server sends it.
      - Answers larger than 5 MiB are refused while they are read.
    type: float
    default: 30
  retries:
    description:
      - How many times one request may be sent again after a transient failure.
      - HTTP 429 is always retried (Twilio did not process the request). HTTP 5xx and connection failures are retried
        for reads, updates and deletes.
      - A create is never blindly re-sent. Any 5xx, read timeout or dropped connection leaves its outcome unknown, and
        the module looks for what it may have made (up to O(retries) times, from half a second apart and doubling)
        before anything else, and adopts it. If nothing appears after Twilio's own JSON 500 or 503, it sends the
        create again; after a read timeout, a dropped connection or a gateway's 502 or 504, Twilio may still carry it
        out later, so it is never sent again in the same run and the module fails saying so. The next run adopts it
        if Twilio made it.
      - A TLS certificate that fails verification, and a host name that does not resolve (DNS), are never retried, as
        sending again cannot help.
      - Waits grow exponentially with random jitter, or follow the C(Retry-After) header when Twilio sends one.
      - V(0) disables retries.
    type: int
    default: 4
  retry_timeout:
    description:
      - Seconds after a request's first attempt past which it is not retried again, so each request with its retries
        ends within O(retry_timeout) plus one O(timeout), however the server behaves (slow answers, endless paging).
        The bound is per request (and per wait for a record to appear), not per run, so a run of many healthy
        requests, such as a set of hundreds of services behind a slow link, is never cut short.
      - A failure after this bound names the request and says that O(retry_timeout) ended its retries.
    type: float
    default: 60
notes:
  - Credentials are read from the options first (including C(module_defaults), see the C(twilio) action group), then
    from the environment variables of the host the module runs on. That is the controller when the play runs on
    C(localhost) or the task is delegated to it, otherwise the target host.
  - With O(api_key) and O(api_secret), the API key SID and secret authenticate (also when O(account_sid) and
    O(auth_token) are set at the same level, with a warning); otherwise O(account_sid) and O(auth_token).
  - Secrets never reach the output. Besides O(auth_token) and O(api_secret) (and their encodings in an answer that
    echoes them), the password of any URL written as C(scheme://user:password@host/...), such as a webhook URL
    with credentials, is shown as C(********) in every result, diff, warning and the facts built from them, while
    the module compares and sends the real value (a re-run stays a no-op).
  - Requires the Python C(requests) library on the host the module runs on.
requirements:
  - requests
'''
