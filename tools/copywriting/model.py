"""The data of copy generation: briefs, fact sheets, drafts, check results, brand rules."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# The brand's rules are parsed from its guidelines in the knowledge base; one type for both.
from knowledge.documents.brand import BrandRules

Channel = Literal["email", "sms", "push", "social", "search_ad"]
CHANNELS: tuple[str, ...] = ("email", "sms", "push", "social", "search_ad")

# The parts each channel's draft has, in display order.
CHANNEL_PARTS: dict[str, tuple[str, ...]] = {
    "sms": ("text",),
    "push": ("title", "body"),
    "email": ("subject", "preheader", "body"),
    "social": ("text",),
    "search_ad": ("headline", "description"),
}


@dataclass
class CopyDraft:
    """One piece of copy: its parts per channel (e.g. subject / preheader / body for email)."""

    channel: str
    language: str
    parts: dict[str, str]
    segment: str | None = None
    variant: int = 1
    strategy: str | None = None

    def text(self) -> str:
        """Every part, one per line (what the checks read)."""
        return "\n".join(v for v in self.parts.values() if v)

    def replace(self, **parts: str) -> CopyDraft:
        """A copy of the draft with some parts changed."""
        return CopyDraft(
            channel=self.channel,
            language=self.language,
            parts={**self.parts, **parts},
            segment=self.segment,
            variant=self.variant,
            strategy=self.strategy,
        )


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check; a failed `warning` is shown but does not fail the draft."""

    name: str
    passed: bool
    detail: str = ""
    severity: Literal["error", "warning"] = "error"

    @property
    def blocking(self) -> bool:
        """Whether this result makes the draft fail."""
        return not self.passed and self.severity == "error"


def draft_passes(results: list[CheckResult]) -> bool:
    """A draft passes when no error-level check failed (warnings allowed)."""
    return not any(r.blocking for r in results)


@dataclass
class FactSheet:
    """What copy may state (and, from a brief, what it must state).

    Built from the store (catalogue, segment facts) and the brief (offer, goal,
    event, promo code, deadline); nothing else may appear in a draft.
    `proven_claims` lifts a banned claim ("#1") when the brief proves it.

    A fact sheet built from a brief also says what a reviewer expects to read:
    `must_say` maps each brief element ("offer", "event", "promo_code",
    "deadline") to the spellings that count (either language); `offer_claims`
    are the offer's numbers as claims ("percent", (20.0,)), so "8折" counts for
    "20% off"; `require_cta` asks for a call to action; `category` is the
    category the brief is about. `categories` maps product names to their
    catalogue category (for the category-fit check); `unsafe_names` are store
    texts that read like instructions and may never be copied into a draft.
    """

    products: dict[str, float] = field(default_factory=dict)  # name (en or zh) -> price
    amounts: set[float] = field(default_factory=set)  # money amounts allowed besides prices
    percents: set[float] = field(default_factory=set)  # "20%" and discounts as percent off
    dates: set[str] = field(default_factory=set)  # ISO dates
    numbers: set[float] = field(default_factory=set)  # other bare numbers
    names: set[str] = field(default_factory=set)  # brand / category names that may hold digits
    proven_claims: set[str] = field(default_factory=set)
    max_sms_segments: int = 1
    categories: dict[str, str] = field(default_factory=dict)  # product name -> category key
    must_say: dict[str, tuple[str, ...]] = field(default_factory=dict)
    offer_claims: tuple[tuple[str, tuple[float, ...]], ...] = ()
    require_cta: bool = False
    call_to_action: str | None = None  # the brief's own call to action, if the marketer gave one
    category: str | None = None
    unsafe_names: set[str] = field(default_factory=set)
    brief_words: str = ""  # the marketer's own words (goal, offer, occasion, CTA): perks they grant
    # Catalogue products the store says are new (None: unknown, not checked); copy calls
    # no other product new.
    new_products: set[str] | None = None

    def merge(self, other: FactSheet) -> FactSheet:
        """The union of two fact sheets."""
        return FactSheet(
            products={**self.products, **other.products},
            amounts=self.amounts | other.amounts,
            percents=self.percents | other.percents,
            dates=self.dates | other.dates,
            numbers=self.numbers | other.numbers,
            names=self.names | other.names,
            proven_claims=self.proven_claims | other.proven_claims,
            max_sms_segments=max(self.max_sms_segments, other.max_sms_segments),
            categories={**self.categories, **other.categories},
            must_say={**self.must_say, **other.must_say},
            offer_claims=self.offer_claims or other.offer_claims,
            require_cta=self.require_cta or other.require_cta,
            call_to_action=self.call_to_action or other.call_to_action,
            category=self.category or other.category,
            unsafe_names=self.unsafe_names | other.unsafe_names,
            brief_words=" ".join(w for w in (self.brief_words, other.brief_words) if w),
            new_products=(
                None
                if self.new_products is None and other.new_products is None
                else (self.new_products or set()) | (other.new_products or set())
            ),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly form (sets as sorted lists), without `unsafe_names`: the brief
        goes to a remote model, and instruction-like store text must never reach it."""
        data = asdict(self)
        data.pop("unsafe_names")
        return {k: sorted(v) if isinstance(v, set) else v for k, v in data.items()}


@dataclass(frozen=True)
class ProductFact:
    """A catalogue product named in a brief."""

    sku: str
    name: str
    category: str
    price: float


@dataclass
class SegmentFacts:
    """Aggregate facts about a segment: never a customer's own data."""

    name: str
    kind: str  # "rfm" or the saved segment's kind
    size: int
    avg_spend: float | None = None  # mean lifetime revenue per member
    aov: float | None = None
    top_categories: list[str] = field(default_factory=list)
    action: str | None = None
    strategy: str = "general"


@dataclass
class CopyBrief:
    """Everything a writer may use for one segment's copy; holds no personal data."""

    segment: SegmentFacts
    channel: str
    goal: str
    language: str
    tone: str | None
    variants: int
    products: list[ProductFact]
    offer: str | None
    offer_text: str | None  # the offer as written in the copy's language
    category: str | None  # the category named in the request, in the copy's language
    rules: BrandRules
    facts: FactSheet
    guidelines: list[str] = field(default_factory=list)
    event: str | None = None  # the occasion, in the copy's language ("双11", "Autumn Tea Festival")
    promo_code: str | None = None  # exactly as given ("TEAFEST15")
    deadline: str | None = (
        None  # when the offer ends, as copy writes it ("11 November", "11月11日")
    )
    call_to_action: str | None = None  # the marketer's own call to action, if given
    category_key: str | None = None  # the catalogue key of the copy's category ("skincare")
    top_category: str | None = None  # the segment's favourite category, in the copy's language
    announcement: str | None = None  # the new thing the brief announces, in its own words

    def to_json(self) -> dict[str, Any]:
        """The brief as stored in `copy_drafts.brief` and sent to a remote model."""
        return {
            "segment": asdict(self.segment),
            "channel": self.channel,
            "goal": self.goal,
            "language": self.language,
            "tone": self.tone,
            "variants": self.variants,
            "products": [asdict(p) for p in self.products],
            "offer": self.offer,
            "offer_text": self.offer_text,
            "category": self.category,
            "event": self.event,
            "promo_code": self.promo_code,
            "deadline": self.deadline,
            "call_to_action": self.call_to_action,
            "announcement": self.announcement,
            "brand": asdict(self.rules),
            "facts": self.facts.to_json(),
            "guidelines": list(self.guidelines),
        }
