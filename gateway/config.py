"""The LiteLLM config `make gateway` and the tests serve: `dn/` aliases that answer without any
provider (mock_response), every request authorized by litellm_auth.py.

    python gateway/config.py [ALIAS ...] > config.yaml

Production differs only in `model_list` (real providers and their keys); see the README.
"""

from __future__ import annotations

import sys

# seed_demo's platform models, so `make run` and `make gateway` agree out of the box.
DEMO_ALIASES = ("dn/claude-opus-4-6", "dn/gpt-5.2", "dn/gemini-3-pro")

SETTINGS = """\
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  custom_auth: litellm_auth.user_api_key_auth
  # Both this and enable_post_custom_auth_checks below: with either alone, or neither, LiteLLM
  # silently ignores the `models` litellm_auth.py returns and serves every alias to everyone.
  custom_auth_run_common_checks: true
litellm_settings:
  enable_post_custom_auth_checks: true
"""


def config_yaml(aliases: tuple[str, ...] | list[str] = DEMO_ALIASES) -> str:
    lines = ["model_list:"]
    for alias in aliases:
        lines += [
            f'  - model_name: "{alias}"',
            "    litellm_params:",
            f'      model: "openai/mock-{alias.removeprefix("dn/")}"',
            "      api_key: no-provider-needed",
            f'      mock_response: "A mock answer from {alias}."',
        ]
    return "\n".join(lines) + "\n" + SETTINGS


if __name__ == "__main__":
    sys.stdout.write(config_yaml(sys.argv[1:] or DEMO_ALIASES))
