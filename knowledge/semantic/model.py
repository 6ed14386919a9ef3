"""Loading and validating the semantic model YAML."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

DEFAULT_MODEL_PATH = Path(__file__).resolve().parent.parent / "semantic_model.yaml"

Grain = Literal["day", "week", "month", "quarter", "year"]


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
    """A join from a fact's table to another: `keys` = [fact column, other column]."""

    table: str
    keys: tuple[str, str]


class FactFilter(BaseModel):
    """Row conditions that define a fact (e.g. valid orders)."""

    status_not_in: list[str] = Field(default_factory=list)
    positive: str | None = None


class Fact(BaseModel):
    """A filtered table that metrics aggregate over."""

    description: str = ""
    table: str
    time_column: str
    where: FactFilter = Field(default_factory=FactFilter)
    joins: dict[str, Join] = Field(default_factory=dict)


class Metric(BaseModel):
    """An aggregate over a fact, or the ratio of two other metrics."""

    name: str = ""
    fact: str | None = None
    aggregate: Literal["sum", "count", "count_distinct", "avg"] | None = None
    column: str | None = None
    ratio: tuple[str, str] | None = None
    format: Literal["money", "integer", "number", "percent"] = "number"
    label: Bilingual
    description: str = ""
    synonyms: Synonyms = Field(default_factory=Synonyms)

    @model_validator(mode="after")
    def _aggregate_or_ratio(self) -> Metric:
        if self.ratio is None and not (self.fact and self.aggregate and self.column):
            raise ValueError("a metric needs either `ratio` or `fact` + `aggregate` + `column`")
        return self


class Dimension(BaseModel):
    """A way to group: a time grain of the fact's date, or a `table.column`."""

    name: str = ""
    time_grain: Grain | None = None
    column: str | None = None
    label: Bilingual
    synonyms: Synonyms = Field(default_factory=Synonyms)

    @model_validator(mode="after")
    def _grain_or_column(self) -> Dimension:
        if (self.time_grain is None) == (self.column is None):
            raise ValueError("a dimension needs exactly one of `time_grain` or `column`")
        return self

    @property
    def table(self) -> str | None:
        return self.column.split(".", 1)[0] if self.column else None

    @property
    def column_name(self) -> str | None:
        return self.column.split(".", 1)[1] if self.column else None


class SemanticModel(BaseModel):
    """Facts, metrics and dimensions by name."""

    facts: dict[str, Fact]
    metrics: dict[str, Metric]
    dimensions: dict[str, Dimension]

    @model_validator(mode="after")
    def _names_and_references(self) -> SemanticModel:
        for name, metric in self.metrics.items():
            metric.name = name
            if metric.fact and metric.fact not in self.facts:
                raise ValueError(f"metric {name!r} names unknown fact {metric.fact!r}")
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

    def base_metrics(self, name: str) -> list[Metric]:
        """The aggregate metrics that `name` is computed from (itself if not a ratio)."""
        metric = self.metric(name)
        if metric.ratio is None:
            return [metric]
        return [m for part in metric.ratio for m in self.base_metrics(part)]


def load_semantic_model(path: Path | None = None) -> SemanticModel:
    """Read and validate the semantic model YAML (the shipped one when `path` is None)."""
    path = path or DEFAULT_MODEL_PATH
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return SemanticModel.model_validate(raw)
    except FileNotFoundError:
        raise ValueError(f"Semantic model file not found: {path}") from None
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"Invalid semantic model {path}: {exc}") from exc
