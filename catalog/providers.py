"""Providers: labels, the env vars their models need, and LiteLLM's provider names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class KeyRequirement:
    """Env vars a provider needs: all of them, or (any=True) any one of them."""

    names: tuple[str, ...]
    any: bool = False

    def satisfied_by(self, saved: set[str] | frozenset[str]) -> bool:
        if not self.names:
            return True
        hits = [name in saved for name in self.names]
        return any(hits) if self.any else all(hits)

    def missing(self, saved: set[str] | frozenset[str]) -> list[str]:
        if self.satisfied_by(saved):
            return []
        return list(self.names) if self.any else [n for n in self.names if n not in saved]

    @property
    def summary(self) -> str:
        return " or ".join(self.names) if self.any else " + ".join(self.names)


@dataclass(frozen=True)
class Provider:
    slug: str
    label: str
    keys: KeyRequirement


def _p(slug: str, label: str, *keys: str, any_of: bool = False) -> Provider:
    names = keys or (default_env_var(slug),)
    return Provider(slug, label, KeyRequirement(tuple(names), any=any_of))


def default_env_var(slug: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in slug).upper() + "_API_KEY"


_AWS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
_OCI = ("OCI_USER", "OCI_FINGERPRINT", "OCI_TENANCY", "OCI_REGION", "OCI_KEY")

# Every provider that occurs in the shipped catalog, plus common gateways. Providers whose
# LiteLLM env var follows the <PROVIDER>_API_KEY convention list no key explicitly.
PROVIDERS: dict[str, Provider] = {
    p.slug: p
    for p in [
        _p("openai", "OpenAI", "OPENAI_API_KEY"),
        _p("anthropic", "Anthropic", "ANTHROPIC_API_KEY"),
        _p("openrouter", "OpenRouter", "OPENROUTER_API_KEY"),
        _p("gemini", "Google Gemini", "GEMINI_API_KEY", "GOOGLE_API_KEY", any_of=True),
        _p("mistral", "Mistral", "MISTRAL_API_KEY"),
        _p("codestral", "Codestral", "CODESTRAL_API_KEY"),
        _p("groq", "Groq", "GROQ_API_KEY"),
        _p("together_ai", "Together AI", "TOGETHERAI_API_KEY"),
        _p("xai", "xAI", "XAI_API_KEY"),
        _p("deepseek", "DeepSeek", "DEEPSEEK_API_KEY"),
        _p("azure", "Azure OpenAI", "AZURE_API_KEY", "AZURE_API_BASE", "AZURE_API_VERSION"),
        _p("azure_ai", "Azure AI Foundry", "AZURE_AI_API_KEY", "AZURE_AI_API_BASE"),
        _p("bedrock", "AWS Bedrock", *_AWS),
        _p("bedrock_mantle", "AWS Bedrock Mantle", *_AWS),
        _p("sagemaker", "AWS SageMaker", *_AWS),
        _p("amazon_nova", "Amazon Nova", "AMAZON_NOVA_API_KEY"),
        _p("vertex_ai", "Google Vertex AI", "VERTEXAI_PROJECT", "VERTEXAI_LOCATION"),
        _p("ollama", "Ollama", "OLLAMA_API_BASE"),
        _p("fireworks_ai", "Fireworks AI", "FIREWORKS_AI_API_KEY"),
        _p("deepinfra", "DeepInfra", "DEEPINFRA_API_KEY"),
        _p("novita", "Novita AI", "NOVITA_API_KEY"),
        _p("perplexity", "Perplexity", "PERPLEXITYAI_API_KEY"),
        _p("databricks", "Databricks", "DATABRICKS_API_KEY", "DATABRICKS_API_BASE"),
        _p("cohere_chat", "Cohere", "COHERE_API_KEY"),
        _p("replicate", "Replicate", "REPLICATE_API_KEY"),
        _p("cloudflare", "Cloudflare Workers AI", "CLOUDFLARE_API_KEY", "CLOUDFLARE_ACCOUNT_ID"),
        _p("watsonx", "IBM watsonx", "WATSONX_URL", "WATSONX_APIKEY", "WATSONX_PROJECT_ID"),
        _p("snowflake", "Snowflake Cortex", "SNOWFLAKE_JWT", "SNOWFLAKE_ACCOUNT_ID"),
        _p("oci", "Oracle Cloud (OCI)", *_OCI),
        _p("github_copilot", "GitHub Copilot", "GITHUB_COPILOT_API_KEY"),
        _p("chatgpt", "ChatGPT subscription", "CHATGPT_API_KEY"),
        _p("friendliai", "FriendliAI", "FRIENDLI_TOKEN"),
        _p("lambda_ai", "Lambda", "LAMBDA_API_KEY"),
        _p("meta_llama", "Meta Llama API", "LLAMA_API_KEY"),
        _p("heroku", "Heroku", "HEROKU_API_KEY", "HEROKU_API_BASE"),
        _p("scaleway", "Scaleway", "SCW_SECRET_KEY"),
        _p("gigachat", "GigaChat", "GIGACHAT_CREDENTIALS"),
        _p("vercel_ai_gateway", "Vercel AI Gateway"),
        _p("kyma", "Kyma"),
        _p("aihubmix", "AIHubMix"),
        _p("nebius", "Nebius AI Studio"),
        _p("dashscope", "Alibaba DashScope"),
        _p("qwen_ai_platform", "Qwen AI Platform"),
        _p("qwencloud", "Qwen Cloud"),
        _p("inferenceapis", "InferenceAPIs"),
        _p("wandb", "Weights & Biases"),
        _p("baseten", "Baseten"),
        _p("opencode_go", "OpenCode Go"),
        _p("streamlake", "StreamLake"),
        _p("zai", "Z.ai"),
        _p("gmi", "GMI Cloud"),
        _p("hyperbolic", "Hyperbolic"),
        _p("ovhcloud", "OVHcloud"),
        _p("aiand", "AI&"),
        _p("nscale", "Nscale"),
        _p("llamagate", "LlamaGate"),
        _p("gradient_ai", "DigitalOcean Gradient AI"),
        _p("tencent", "Tencent"),
        _p("zerogpu", "ZeroGPU"),
        _p("anyscale", "Anyscale"),
        _p("sail", "Sail"),
        _p("moonshot", "Moonshot AI"),
        _p("volcengine", "Volcengine"),
        _p("libertai", "LibertAI"),
        _p("morph", "Morph"),
        _p("tensormesh", "TensorMesh"),
        _p("clf_ai_gateway", "CLF AI Gateway"),
        _p("cerebras", "Cerebras"),
        _p("ai21", "AI21"),
        _p("publicai", "PublicAI"),
        _p("sambanova", "SambaNova"),
        _p("crusoe", "Crusoe"),
        _p("meta", "Meta"),
        _p("coralbricks", "CoralBricks"),
        _p("minimax", "MiniMax"),
        _p("pinstripes", "Pinstripes"),
        _p("lemonade", "Lemonade"),
        _p("scx-ai", "SCX.ai"),
        _p("scaledown", "ScaleDown"),
        _p("refuseless", "Refuseless"),
        _p("abliteration", "Abliteration"),
        _p("v0", "v0"),
        _p("cognition", "Cognition"),
        _p("openinfer", "OpenInfer"),
        _p("bigmodel", "BigModel"),
        _p("featherless_ai", "Featherless AI"),
        _p("hostinger_router", "Hostinger Router"),
        _p("inception", "Inception"),
        _p("darkbloom", "Darkbloom"),
        _p("xiaomi_mimo", "Xiaomi MiMo"),
        _p("prism", "Prism"),
        _p("nlp_cloud", "NLP Cloud"),
        _p("fal_ai", "fal.ai"),
        _p("sarvam", "Sarvam AI"),
        _p("microsoft_365_copilot", "Microsoft 365 Copilot"),
    ]
}

# Providers whose own models we rank ahead of resellers when search results tie.
FIRST_PARTY = frozenset(
    {
        "openai",
        "anthropic",
        "gemini",
        "xai",
        "mistral",
        "deepseek",
        "groq",
        "cohere_chat",
        "moonshot",
        "zai",
        "minimax",
        "perplexity",
    }
)

PLATFORM_PROVIDER_LABEL = "Dreadnode"


def provider_of(model_id: str) -> str:
    """The LiteLLM provider of a model id: its first path segment."""
    return model_id.split("/", 1)[0].strip().lower()


def get_provider(slug: str) -> Provider:
    return PROVIDERS.get(slug) or _p(slug, slug.replace("_", " ").title())


def required_keys(model_id: str) -> KeyRequirement:
    return get_provider(provider_of(model_id)).keys


def routable_provider(litellm_provider: str) -> str:
    """LiteLLM's internal provider groupings map onto the prefix LiteLLM routes."""
    if litellm_provider.startswith("vertex_ai"):
        return "vertex_ai"
    if litellm_provider == "bedrock_converse":
        return "bedrock"
    return litellm_provider


@cache
def litellm_providers() -> frozenset[str]:
    """The provider names LiteLLM knows (shipped copy of litellm's provider list)."""
    text = (DATA_DIR / "litellm_providers.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip()) | PROVIDERS.keys()
