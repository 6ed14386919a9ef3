"""Loading and validating the semantic model YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, PrivateAttr, ValidationError, model_validator

from knowledge.warehouse_mapping import WarehouseMapping, load_mapping

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "semantic_model.yaml"

Grain = Literal["day", "week", "month", "quarter", "year"]
# negated_sum: minus the sum, for amounts stored negative but reported positive (returns).
Aggregate = Literal["sum", "negated_sum", "count", "count_distinct", "avg"]


class Bilingual(BaseModel):
    """A text in English and Chinese."""

    en: str
    zh: str

    def in_language(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class Synonyms(BaseModel):
    """Words that name a metric or dimension, per language."""

    en: list[str] = Field(default_factory=list)
    zh: list[str] = Field(default_factory=list)

    def all(self) -> list[str]:
        return [*self.en, *self.zh]


class Join(BaseModel):
    """A join from a fact to a table or derived table under an alias: `condition` = "a.x = b.y".

    (Not `on`: YAML 1.1 reads a bare `on` key as the boolean true.)
    """

    table: str | None = None
    derived: str | None = None
    condition: str
    outer: bool = False


class Fact(BaseModel):
    """A (possibly derived) table with the row conditions that define it."""

    table: str | None = None
    derived: str | None = None
    time_column: str
    where: list[str] = Field(default_factory=list)
    joins: dict[str, Join] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _join_shorthand(cls, raw: dict) -> dict:
        joins = raw.get("joins") or {}
        raw["joins"] = {
            alias: {"table": alias, "condition": spec} if isinstance(spec, str) else spec
            for alias, spec in joins.items()
        }
        return raw

    @property
    def alias(self) -> str:
        """The name the fact's own columns are qualified with."""
        return self.table or self.derived or ""


class Measure(BaseModel):
    """An aggregate of a column over a fact, optionally over rows meeting conditions."""

    fact: str
    aggregate: Aggregate
    column: str
    where: list[str] = Field(default_factory=list)


class Metric(BaseModel):
    """A metric: measures over facts, a ratio or formula of metrics, or a special computation."""

    name: str = ""
    measures: list[Measure] = Field(default_factory=list)
    ratio: tuple[str, str] | None = None
    formula: str | None = None
    special: str | None = None
    format: Literal["money", "integer", "number", "percent"] = "number"
    label: Bilingual
    description: str = ""
    synonyms: Synonyms = Field(default_factory=Synonyms)

    @model_validator(mode="after")
    def _one_definition(self) -> Metric:
        kinds = [
            bool(self.measures),
            self.ratio is not None,
            bool(self.formula),
            bool(self.special),
        ]
        if sum(kinds) != 1:
            raise ValueError("a metric needs exactly one of measures, ratio, formula or special")
        return self

    @property
    def is_base(self) -> bool:
        return bool(self.measures)


class Dimension(BaseModel):
    """A way to group: a time grain of the fact's date, a column (per fact), or a computation."""

    name: str = ""
    time_grain: Grain | None = None
    column: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    compute: Literal["age_band"] | None = None
    aliases: str | None = None
    # A column whose text describes each value (a campaign's goal): its words offer the value
    # in a question back about a value the store lacks, never pick it as a filter.
    descriptions: str | None = None
    # Columns holding each value's first and last day (a campaign's start and end date), same
    # table as its values: a question naming the value and no period takes those days.
    starts: str | None = None
    ends: str | None = None
    # The broader column dimension each value lies in, read from a column of the same table
    # (a city's province): the values of it named in a question are all of the broader one's.
    within: str | None = None
    # Other words for stored values, e.g. sms: [短信, text message].
    value_aliases: dict[str, list[str]] = Field(default_factory=dict)
    label: Bilingual
    synonyms: Synonyms = Field(default_factory=Synonyms)

    @model_validator(mode="after")
    def _one_definition(self) -> Dimension:
        kinds = [
            self.time_grain is not None,
            self.column is not None,
            bool(self.columns),
            bool(self.compute),
        ]
        if sum(kinds) != 1:
            raise ValueError(
                "a dimension needs exactly one of time_grain, column, columns or compute"
            )
        return self

    def column_for(self, fact: str) -> str | None:
        """The `alias.column` this dimension reads in a fact (None for time grains)."""
        if self.columns:
            return self.columns.get(fact)
        if self.compute == "age_band":
            return "customers.birth_year"
        return self.column


class SemanticModel(BaseModel):
    """Facts, metrics and dimensions by name."""

    facts: dict[str, Fact]
    metrics: dict[str, Metric]
    dimensions: dict[str, Dimension]
    # Where the entities live in the warehouse (COPILOT_WAREHOUSE_MAPPING); not in the YAML.
    _warehouse: WarehouseMapping = PrivateAttr(default_factory=WarehouseMapping.identity)

    @property
    def warehouse(self) -> WarehouseMapping:
        """The tables the compiler selects from: the store's own, or a warehouse's mapped ones."""
        return self._warehouse

    def with_warehouse(self, mapping: WarehouseMapping) -> SemanticModel:
        """This model reading its entities through `mapping`."""
        mapped = self.model_copy()
        mapped._warehouse = mapping
        return mapped

    @model_validator(mode="after")
    def _names_and_references(self) -> SemanticModel:
        for name, metric in self.metrics.items():
            metric.name = name
            for measure in metric.measures:
                if measure.fact not in self.facts:
                    raise ValueError(f"metric {name!r} names unknown fact {measure.fact!r}")
            for part in metric.ratio or ():
                if part not in self.metrics:
                    raise ValueError(f"metric {name!r} is a ratio of unknown metric {part!r}")
        for name, dimension in self.dimensions.items():
            dimension.name = name
        return self

    def metric(self, name: str) -> Metric:
        """The metric called `name`, or a ValueError listing the known ones."""
        try:
            return self.metrics[name]
        except KeyError:
            raise ValueError(
                f"Unknown metric {name!r}; known metrics: {', '.join(self.metrics)}"
            ) from None

    def dimension(self, name: str) -> Dimension:
        """The dimension called `name`, or a ValueError listing the known ones."""
        try:
            return self.dimensions[name]
        except KeyError:
            raise ValueError(
                f"Unknown dimension {name!r}; known dimensions: {', '.join(self.dimensions)}"
            ) from None


def load_semantic_model(
    path: Path | None = None, warehouse_mapping: Path | None = None
) -> SemanticModel:
    """Read and validate the semantic model YAML (the shipped one when `path` is None).

    `warehouse_mapping`: a YAML file placing the entities on a warehouse's own tables
    (knowledge.warehouse_mapping); a MappingError (a ValueError) names its line to fix.
    """
    path = path or DEFAULT_MODEL_PATH
    mapping = load_mapping(warehouse_mapping)
    try:
        # libyaml's safe loader when present: same result, ~6x faster than pure Python (~0.1 s).
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)
        model = SemanticModel.model_validate(raw)
        return model if mapping.is_identity else model.with_warehouse(mapping)
    except FileNotFoundError:
        raise ValueError(f"Semantic model file not found: {path}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"Invalid semantic model {path}: {exc}") from exc
