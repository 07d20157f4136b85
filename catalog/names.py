"""Human names generated from model ids: LiteLLM's cost map and proxy carry none.

Decisions: the provider prefix and any gateway vendor segments are dropped
(`openrouter/anthropic/claude-sonnet-4` -> "Claude Sonnet 4"); Bedrock's region and vendor
prefixes too. Adjacent short numbers join into a dotted version (`4-5` -> 4.5). An 8-digit
date suffix becomes an ISO date in parentheses. OpenAI's o-series stays lower case ("o3"),
GPT joins its version with a dash ("GPT-4o"), parameter sizes are upper case ("70B").
"""

from __future__ import annotations

import re

ACRONYMS = {
    "gpt": "GPT",
    "glm": "GLM",
    "ai": "AI",
    "llm": "LLM",
    "vl": "VL",
    "oss": "OSS",
    "tts": "TTS",
    "moe": "MoE",
    "it": "IT",
    "hf": "HF",
    "fp8": "FP8",
    "fp4": "FP4",
    "r1": "R1",
    "v3": "V3",
    "qwq": "QwQ",
    "mimo": "MiMo",
    "xl": "XL",
    "api": "API",
    "cua": "CUA",
    "ocr": "OCR",
    "chatgpt": "ChatGPT",
    "deepseek": "DeepSeek",
    "minimax": "MiniMax",
    "openai": "OpenAI",
    "gpt4o": "GPT-4o",
    "medlm": "MedLM",
    "lfm": "LFM",
    "dbrx": "DBRX",
    "nemotron": "Nemotron",
}
_BEDROCK_PREFIX = re.compile(
    r"^(?:(?:us|eu|apac|global|au|jp|ca|us-gov)\.)?"
    r"(?:anthropic|amazon|meta|cohere|mistral|ai21|writer|deepseek|qwen|openai|twelvelabs|"
    r"stability|luma|moonshotai|minimax|google|nvidia|zai)\."
)
_SHORT_NUMBER = re.compile(r"^\d{1,2}$")
_DATE = re.compile(r"^(20\d\d)(\d\d)(\d\d)$")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([bmk])$")
_O_SERIES = re.compile(r"^o\d+$")
_VERSION_NUMBER = re.compile(r"(\d+(?:\.\d+)?)")


def id_parts(model_id: str) -> list[str]:
    """The parts a model id may break between on a narrow line, each kept whole: its path
    segments and Bedrock's region and vendor prefix ("bedrock/", "us.anthropic.",
    "claude-sonnet-4-5-20250929-v1:0"), never a model's name inside (`dn/claude-opus-4-` / `6`)."""
    parts = re.findall(r"[^/]*/|[^/]+$", model_id) or [model_id]
    prefix = _BEDROCK_PREFIX.match(parts[-1])
    if prefix and prefix.end() < len(parts[-1]):
        parts[-1:] = [parts[-1][: prefix.end()], parts[-1][prefix.end() :]]
    return parts


def model_tail(model_id: str) -> str:
    """The model part of an id: without provider, gateway vendor or Bedrock prefixes."""
    tail = model_id.rsplit("/", 1)[-1]
    tail = _BEDROCK_PREFIX.sub("", tail)
    return re.sub(r"[:@](?:\d+|default|latest)$", "", tail)


# What hosts spell differently in one model's id, in its normalised tail ("claude sonnet 4 5"):
# Databricks' own prefix ("databricks claude ..."), Azure AI's for Fireworks-served models
# ("fw glm 5"), Bedrock's first-version suffix with the release date before it
# ("20250514 v 1"), Vertex's "model as a service" suffix ("llama 3 3 70 b instruct maas"),
# and the older word order that puts Claude's version before its line ("claude 4 sonnet").
# A date alone stays: Claude 3.5 Sonnet's two releases differ only by theirs. So does "v 2".
_HOST_PREFIX = re.compile(r"^(?:databricks|system ai|fw) (?=.)")
_HOST_SUFFIX = re.compile(r"(?:(?: 20\d{6})? v 1| maas)$")
_CLAUDE_OLD_ORDER = re.compile(r"^claude((?: \d+)+) (opus|sonnet|haiku)\b")
# The maker's name some hosts put before the model's ("openai gpt 4 o" at Gradient,
# "meta llama 3 3 70 b instruct" at OVHcloud, "us xai grok 4 6" at Bedrock), only where the
# model's own name follows it: "deepseek r 1" and "snowflake llama 3 3 70 b" keep theirs.
_MAKER_PREFIX = re.compile(
    r"^(?:(?:us|eu|apac|global|au|jp|ca) (?=xai ))?"
    r"(?:openai (?=gpt |o \d|chatgpt )|anthropic (?=claude )|meta (?=llama )|"
    r"alibaba (?=qwen )|cohere (?=command )|xai (?=grok )|zai (?=glm )|nvidia (?=nemotron )|"
    r"moonshot(?:ai)? (?=kimi )|google (?=gemini |gemma )|gemini (?=gemma )|"
    r"open (?=mistral |mixtral |codestral ))"
)
# Llama 3.3 came out as one model, 70B Instruct: hosts that drop "Instruct" serve that one.
_INSTRUCT_ONLY = re.compile(r"^llama 3 3 70 b$")


def model_key(tail_norm: str) -> str:
    """One key for every id of the same model, whoever hosts it: `heroku/claude-4-sonnet`,
    `bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0` and `vercel_ai_gateway/anthropic/
    claude-sonnet-4` are all "claude sonnet 4", while Sonnet 4.5 stays "claude sonnet 4 5";
    `gradient_ai/openai-gpt-4o` is "gpt 4 o" like `openai/gpt-4o`, and `gpt-4o-mini` stays
    "gpt 4 o mini"."""
    key = _MAKER_PREFIX.sub("", _HOST_PREFIX.sub("", tail_norm))
    key = _HOST_SUFFIX.sub("", key)
    key = _INSTRUCT_ONLY.sub("llama 3 3 70 b instruct", key)
    return _CLAUDE_OLD_ORDER.sub(r"claude \2\1", key) or tail_norm


def _word(token: str) -> str:
    low = token.lower()
    if low in ACRONYMS:
        return ACRONYMS[low]
    if _O_SERIES.match(low):
        return low
    size = _SIZE.match(low)
    if size:
        return size.group(1) + size.group(2).upper()
    if low[:1].isdigit():
        return low
    if token != low and token != token.upper():
        return token  # already mixed case upstream (e.g. "DeepSeek"): keep it
    return low[:1].upper() + low[1:]


def display_name(model_id: str) -> str:
    tokens = [t for t in re.split(r"[-_\s]+", model_tail(model_id)) if t]
    words: list[str] = []
    date = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        rest = tokens[i + 1 : i + 3]
        if (
            re.match(r"^20\d\d$", token)
            and len(rest) == 2
            and all(re.match(r"^\d\d$", t) for t in rest)
        ):  # an ISO date split on dashes: 2025-12-15
            date = f"({token}-{rest[0]}-{rest[1]})"
            i += 3
            continue
        if (
            re.match(r"^(0[1-9]|1[0-2])$", token)
            and len(rest) == 1
            and re.match(r"^20\d\d$", rest[0])
        ):
            date = f"({rest[0]}-{token})"  # a month-year suffix: 08-2024
            i += 2
            continue
        if _SHORT_NUMBER.match(token):
            parts = [token]
            while i + 1 < len(tokens) and _SHORT_NUMBER.match(tokens[i + 1]) and len(parts) < 3:
                i += 1
                parts.append(tokens[i])
            words.append(".".join(parts))
        elif i == len(tokens) - 1 and (day := _DATE.match(token)):
            y, m, d = day.groups()
            date = f"({y}-{m}-{d})"
        else:
            words.append(_word(token))
        i += 1
    # GPT joins its version with a dash: "GPT-5.2", "GPT-4o".
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "GPT" and word[:1].isdigit():
            joined[-1] = f"GPT-{word}"
        else:
            joined.append(word)
    if date:
        joined.append(date)  # dates go last, whatever followed them
    return " ".join(joined) or model_id


def version_key(name: str) -> float:
    """First version number in a display name; used to rank newer models first."""
    for match in _VERSION_NUMBER.finditer(re.sub(r"\(.*?\)", "", name)):
        value = float(match.group(1))
        if value < 100:
            return value
    return 0.0


# Words that mark a release of a model rather than the model line it belongs to.
_RELEASE_WORDS = frozenset({"preview", "latest", "exp", "experimental", "beta", "alpha", "v"})


def family(model_id: str) -> str:
    """The model line an id belongs to: its tail's words without version numbers, dates or
    release words ("claude-opus-4-1-20250805" and "claude-3-opus" -> "claude-opus",
    "gpt-4o-2024-05-13" -> "gpt-4o", "gemini-2.5-pro-preview-03-25" -> "gemini-pro")."""
    words = re.split(r"[-_.:\s]+", model_tail(model_id).lower())
    kept = [w for w in words if w and not w.replace(".", "").isdigit() and w not in _RELEASE_WORDS]
    return "-".join(kept)
