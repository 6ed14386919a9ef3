"""Personal data that copy and briefs must never carry: email addresses and phone numbers.

Customer names cannot be told from other words without the customer table, so
briefs are built from aggregates only and copy greets with `{first_name}`.
"""

from __future__ import annotations

import re

from knowledge.presentation.messages import N_
from tools.base import ToolError, in_language, quoted

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:"
    r"\+?86[\s-]?1[3-9]\d(?:[\s-]?\d{4}){2}"  # Chinese mobile with country code
    r"|1[3-9]\d(?:[\s-]?\d{4}){2}"  # Chinese mobile
    r"|0\d{2,3}[\s-]?\d{7,8}"  # Chinese landline
    r"|\+\d{1,3}[\s-]?\(?\d{1,4}\)?(?:[\s-]?\d{2,4}){2,4}"  # international
    r"|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}"  # North American
    r")(?![0-9A-Za-z])"
)


def personal_spans(text: str) -> list[tuple[int, int, str]]:
    """Where emails and phone numbers occur: (start, end, the text)."""
    found = [(*m.span(), m.group(0)) for p in (EMAIL, PHONE) for m in p.finditer(text)]
    return sorted(found)


class PersonalDataError(ToolError):
    """Personal data was about to go where it must not (a brief, a prompt); the user can fix it."""


def assert_no_personal_data(text: str, where: str = "brief") -> None:
    """Raise PersonalDataError if `text` holds an email address or a phone number."""
    found = personal_spans(text)
    if found:
        raise PersonalDataError.of(
            "The {where} would carry personal data: {found}",
            where=in_language(_PLACES.get(where, where)),
            found=quoted(found[0][2]),
        )


# Where personal data must not go, as words of the message catalogue.
_PLACES = {"brief": N_("brief"), "prompt": N_("prompt")}
