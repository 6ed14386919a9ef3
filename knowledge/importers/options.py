"""What the user tells an import beyond the column mapping (MARKETING.md, "How real logs are read")."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from knowledge.importers.errors import ImportFileError

DateOrder = Literal["day-first", "month-first"]
DATE_ORDERS: tuple[str, ...] = ("day-first", "month-first")
DEFAULT_TIMEZONE = "Asia/Shanghai"


@dataclass(frozen=True)
class ImportOptions:
    """Reading rules a file cannot state itself.

    date_order: how to read dates such as 03/04/2024 (None: from the data, and an
      ambiguous column is refused); timezone: the store's IANA timezone, that
      timestamps with an offset are converted to; keep_duplicates: keep exact
      duplicate lines instead of dropping them; non_merchandise: extra product
      codes (case-insensitive) that are postage, fees or adjustments, not products;
      currency: the store's fixed ISO 4217 currency (None: set by the first import);
      encoding: the text encoding of a CSV/TSV file, a Python codec name such as gbk
      (None: detected, and a file whose encoding cannot be told is refused).
    """

    date_order: DateOrder | None = None
    timezone: str = DEFAULT_TIMEZONE
    keep_duplicates: bool = False
    non_merchandise: tuple[str, ...] = ()
    currency: str | None = None
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ImportFileError(
                    f"Unknown encoding '{self.encoding}'; use a name such as utf-8, gbk, big5, "
                    "shift_jis or cp1252."
                ) from None
        if self.date_order is not None and self.date_order not in DATE_ORDERS:
            raise ImportFileError(
                f"Unknown date order '{self.date_order}'; use day-first or month-first."
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ImportFileError(
                f"Unknown timezone '{self.timezone}'; use an IANA name such as Asia/Shanghai "
                "or Europe/London."
            ) from None
