"""Writes online_retail_sample.csv: a small, hand-made sales log in the UCI "Online Retail" format.

Deterministic (fixed seed), nothing downloaded. It has the traits the importer
must handle: several lines per invoice, "C" cancellation invoices with negative
quantities, lines without a CustomerID, and a few countries.

    python tests/data/make_online_retail_sample.py
"""

from __future__ import annotations

import csv
import random
from datetime import datetime, timedelta
from pathlib import Path

PRODUCTS = [
    ("85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2.55),
    ("71053", "WHITE METAL LANTERN", 3.39),
    ("84406B", "CREAM CUPID HEARTS COAT HANGER", 2.75),
    ("84029G", "KNITTED UNION FLAG HOT WATER BOTTLE", 3.39),
    ("84029E", "RED WOOLLY HOTTIE WHITE HEART.", 3.39),
    ("22752", "SET 7 BABUSHKA NESTING BOXES", 7.65),
    ("21730", "GLASS STAR FROSTED T-LIGHT HOLDER", 4.25),
    ("22633", "HAND WARMER UNION JACK", 1.85),
    ("22632", "HAND WARMER RED POLKA DOT", 1.85),
    ("84879", "ASSORTED COLOUR BIRD ORNAMENT", 1.69),
    ("22745", "POPPY'S PLAYHOUSE BEDROOM", 2.10),
    ("22748", "POPPY'S PLAYHOUSE KITCHEN", 2.10),
    ("22749", "FELTCRAFT PRINCESS CHARLOTTE DOLL", 3.75),
    ("22310", "IVORY KNITTED MUG COSY", 1.65),
    ("84969", "BOX OF 6 ASSORTED COLOUR TEASPOONS", 4.25),
    ("22623", "BOX OF VINTAGE JIGSAW BLOCKS", 4.95),
    ("22622", "BOX OF VINTAGE ALPHABET BLOCKS", 9.95),
    ("21754", "HOME BUILDING BLOCK WORD", 5.95),
    ("21755", "LOVE BUILDING BLOCK WORD", 5.95),
    ("21777", "RECIPE BOX WITH METAL HEART", 7.95),
    ("48187", "DOORMAT NEW ENGLAND", 7.95),
    ("22960", "JAM MAKING SET WITH JARS", 4.25),
    ("22913", "RED COAT RACK PARIS FASHION", 4.95),
    ("POST", "POSTAGE", 18.00),
]
CUSTOMERS = [
    ("17850", "United Kingdom"),
    ("13047", "United Kingdom"),
    ("12583", "France"),
    ("13748", "United Kingdom"),
    ("15100", "United Kingdom"),
    ("15291", "United Kingdom"),
    ("14688", "United Kingdom"),
    ("12431", "Australia"),
    ("12662", "Germany"),
    ("17511", "United Kingdom"),
    ("12472", "Germany"),
    ("16029", "United Kingdom"),
]
HEADER = [
    "InvoiceNo",
    "StockCode",
    "Description",
    "Quantity",
    "InvoiceDate",
    "UnitPrice",
    "CustomerID",
    "Country",
]


def uci_date(moment: datetime) -> str:
    """UCI's US-style timestamp: month/day/year hour:minute, no leading zeros."""
    return f"{moment.month}/{moment.day}/{moment.year} {moment.hour}:{moment.minute:02d}"


def make_rows(seed: int = 20101201) -> list[list[str]]:
    rng = random.Random(seed)
    rows: list[list[str]] = []
    moment = datetime(2010, 12, 1, 8, 26)
    invoice = 536365
    bought: list[tuple[str, str, str, int, float]] = []  # customer, code, name, qty, price
    while len(rows) < 196:
        moment += timedelta(minutes=rng.randint(20, 600))
        anonymous = rng.random() < 0.12
        customer, country = rng.choice(CUSTOMERS)
        if anonymous:
            customer, country = "", "United Kingdom"
        for code, name, price in rng.sample(PRODUCTS, rng.randint(2, 7)):
            qty = rng.choice([1, 2, 3, 4, 6, 6, 8, 12, 24])
            rows.append(
                [
                    str(invoice),
                    code,
                    name,
                    str(qty),
                    uci_date(moment),
                    f"{price:.2f}",
                    customer,
                    country,
                ]
            )
            if customer:
                bought.append((customer, code, name, qty, price))
        invoice += 1
        # Now and then a customer cancels part of an earlier purchase.
        if bought and rng.random() < 0.15:
            c_customer, code, name, qty, price = rng.choice(bought)
            c_country = dict(CUSTOMERS)[c_customer]
            moment += timedelta(minutes=rng.randint(5, 90))
            rows.append(
                [
                    f"C{invoice}",
                    code,
                    name,
                    str(-qty),
                    uci_date(moment),
                    f"{price:.2f}",
                    c_customer,
                    c_country,
                ]
            )
            invoice += 1
    return rows


def main() -> None:
    target = Path(__file__).with_name("online_retail_sample.csv")
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(make_rows())


if __name__ == "__main__":
    main()
