import re

import pytest

from giftcards.codes import ALPHABET, code_for, code_grouped, code_hash, code_normalize
from giftcards.models import GiftCard
from giftcards.selectors import gift_card_by_code
from tests.factories import gift_card


def test_codes_are_16_unambiguous_characters_grouped_by_four_and_differ_each_time():
    codes = {code_for(f"{n:032x}") for n in range(200)}

    assert len(codes) == 200
    for code in codes:
        assert len(code) == 16 and set(code) <= set(ALPHABET)
    assert not set("01IOLUV") & set(ALPHABET)
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", code_grouped(next(iter(codes))))


@pytest.mark.parametrize(
    "typed",
    ["ABCD-EFGH-JKMN-PQRS", "abcd efgh jkmn pqrs", "abcdEFGHjkmnPQRS", " ABCD-efgh JKMN-pqrs "],
)
def test_a_code_is_typed_in_any_case_with_or_without_spaces_and_dashes(typed):
    assert code_normalize(typed) == "ABCDEFGHJKMNPQRS"


@pytest.mark.parametrize("typed", ["", "ABCD", "ABCD-EFGH-JKMN-PQR0", "ABCD-EFGH-JKMN-PQRS-T"])
def test_what_cannot_be_a_code_normalises_to_nothing(typed):
    assert code_normalize(typed) == ""


@pytest.mark.django_db
def test_the_database_keeps_a_hash_and_the_last_four_never_the_code():
    issued = gift_card("20.00")
    plain = issued.code.replace("-", "")

    row = GiftCard.objects.filter(pk=issued.card.pk).values().get()
    assert plain not in str(row)
    assert row["code_hash"] == code_hash(plain)
    assert row["last_four"] == plain[-4:]
    assert gift_card_by_code(issued.code.lower().replace("-", " ")) == issued.card
    assert str(issued.card) == f"•••• {plain[-4:]}"


@pytest.mark.django_db
def test_a_copy_of_the_database_without_the_secret_key_gives_no_codes(settings):
    issued = gift_card("20.00")
    card = GiftCard.objects.get(pk=issued.card.pk)

    settings.SECRET_KEY = "another-key"
    assert code_grouped(code_for(card.seed)) != issued.code
