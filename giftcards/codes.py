"""Gift card codes: 16 letters and digits without look-alikes, shown in groups of four,
typed in any case with or without spaces and dashes.

A code is never stored. The card keeps a SHA-256 hash of it (to find the card) and its last
four characters (to name it), and a random seed from which the code is derived with a key
only the running shop has (HMAC of SECRET_KEY): so the email task can still write the code to
its recipient, while a copy of the database alone hands out no usable code.
"""

import hashlib
import secrets

from django.utils.crypto import salted_hmac

# No 0/O, 1/I/L, and no U/V pair: what people misread or mistype.
ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 16
GROUP = 4
_SALT = "giftcards.code"


def seed_new() -> str:
    """A fresh random seed for a card (hex), from the operating system's CSPRNG."""
    return secrets.token_hex(16)


def code_for(seed: str) -> str:
    """The card's code, derived from its seed with the shop's secret key."""
    number = int.from_bytes(salted_hmac(_SALT, seed, algorithm="sha256").digest(), "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[index])
    return "".join(chars)


def code_normalize(text: str) -> str:
    """The code as typed, in capitals without spaces or dashes; "" when it cannot be a code."""
    code = "".join(str(text or "").split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(char not in ALPHABET for char in code):
        return ""
    return code


def code_hash(code: str) -> str:
    """What a card is found by: the SHA-256 of its normalised code."""
    return hashlib.sha256(code.encode()).hexdigest()


def code_grouped(code: str) -> str:
    """The code in groups of four, as shoppers read it: ABCD-EFGH-JKMN-PQRS."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def masked(last_four: str) -> str:
    """A card named by its last four characters, as pages, emails and staff see it."""
    return f"•••• {last_four}"


def typed_last_four(text: str) -> str:
    """The last four characters of what a shopper typed, to name a code that was not found."""
    return "".join(str(text or "").split()).replace("-", "").upper()[-GROUP:]
