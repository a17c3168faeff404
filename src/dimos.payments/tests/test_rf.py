"""RF payment codes (ISO 11649, DIAS-style layout), checked against python-stdnum; no Plone."""

from dimos.payments.rf import format_rf
from dimos.payments.rf import internal_check
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import make_rf
from dimos.payments.rf import MAX_SEQUENCE
from dimos.payments.rf import normalise_rf
from dimos.payments.rf import parse_rf
from dimos.payments.rf import RFError
from stdnum import iso11649

import pytest
import random


SEQUENCES = [1, 2, 9, 10, 97, 98, 142, 9999, 123456, 7654321, MAX_SEQUENCE]
BENEFICIARIES = ["9912", "1", "0001", "55", "123456789"]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def generated():
    return [make_rf(sequence, code) for code in BENEFICIARIES for sequence in SEQUENCES]


def test_every_generated_code_is_valid_for_stdnum_and_for_us():
    rng = random.Random(11649)
    codes = generated() + [make_rf(rng.randint(1, MAX_SEQUENCE), "9912") for _ in range(500)]
    for code in codes:
        assert iso11649.is_valid(code), code
        assert iso11649.compact(code) == code
        assert is_valid_rf(code), code


def test_layout_beneficiary_sequence_and_internal_check():
    code = make_rf(142, "9912")
    assert code.startswith("RF") and code[2:4].isdigit()
    reference = code[4:]
    assert reference[:14] == "99120000000142"
    assert reference[14:] == internal_check("99120000000142")
    assert int(reference) % 97 == 1  # the reference checks itself without "RF"
    assert len(code) == 20
    assert len(make_rf(1, "123456789")) == 25  # the longest ISO 11649 allows


def test_our_check_digits_agree_with_stdnum_on_foreign_codes():
    rng = random.Random(7)
    for _ in range(300):
        reference = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 21)))
        candidates = [f"RF{check:02d}{reference}" for check in range(100)]
        ours = [code for code in candidates if is_valid_rf(code)]
        theirs = [code for code in candidates if iso11649.is_valid(code)]
        assert ours == theirs and ours, reference  # 00/97, 01/98, 02/99 are the same modulo 97


def test_every_single_digit_error_is_rejected():
    for code in generated():
        for position in range(2, len(code)):
            for digit in "0123456789":
                if digit == code[position]:
                    continue
                wrong = code[:position] + digit + code[position + 1 :]
                assert not is_valid_rf(wrong), (code, wrong)
                assert not iso11649.is_valid(wrong), (code, wrong)


def test_every_single_character_error_is_rejected_as_not_ours():
    """A letter for a digit can keep ISO 11649's sum (it becomes two digits); our layout
    is digits only with its own check, so parse_rf refuses every single-character error."""
    for beneficiary in BENEFICIARIES:
        code = make_rf(7654321, beneficiary)
        for position in range(len(code)):
            for char in ALPHABET:
                if char == code[position]:
                    continue
                wrong = code[:position] + char + code[position + 1 :]
                with pytest.raises(RFError):
                    parse_rf(wrong, beneficiary)


def test_generated_check_digits_are_between_02_and_98():
    assert all(2 <= int(code[2:4]) <= 98 for code in generated())


def test_every_adjacent_transposition_is_rejected():
    for code in generated():
        for position in range(len(code) - 1):
            a, b = code[position], code[position + 1]
            if a == b:
                continue
            wrong = code[:position] + b + a + code[position + 2 :]
            assert not is_valid_rf(wrong), (code, wrong)
            assert not iso11649.is_valid(wrong) or not wrong.startswith("RF"), wrong


def test_a_dropped_or_added_digit_is_rejected():
    code = make_rf(4242, "9912")
    assert not is_valid_rf(code[:-1])
    assert not is_valid_rf(code + "0")
    assert not is_valid_rf(code[:10] + code[11:])


def test_printed_groups_spaces_and_case_are_accepted():
    code = make_rf(142, "9912")
    printed = format_rf(code)
    assert printed.split(" ")[0] == code[:4]
    assert all(len(group) == 4 for group in printed.split(" ")[:-1])
    for written in (printed, printed.lower(), f"  {printed}\n", printed.replace(" ", "-")):
        assert normalise_rf(written) == code
        assert is_valid_rf(written)
    assert iso11649.format(code) == printed


def test_malformed_codes_are_not_valid():
    for text in ("", "RF", "RF12", "XX" + make_rf(5, "9912")[2:], "RF1A9912", "RF12 99.12", None):
        assert not is_valid_rf(text)
    assert not is_valid_rf("RF" + "0" * 24)  # reference too long


def test_parse_gives_back_the_sequence_of_our_codes_only():
    code = make_rf(98765, "9912")
    assert parse_rf(format_rf(code), "9912") == 98765
    with pytest.raises(RFError) as caught:
        parse_rf(code, "9913")
    assert caught.value.code == "foreign-rf"
    assert "Δήμο" in caught.value.message_el and "municipality" in caught.value.message_en
    foreign = "RF18539007547034"  # valid ISO 11649, someone else's
    assert iso11649.is_valid(foreign)
    with pytest.raises(RFError) as caught:
        parse_rf(foreign, "9912")
    assert caught.value.code == "foreign-rf"
    with pytest.raises(RFError) as caught:
        parse_rf(code[:-1] + str((int(code[-1]) + 1) % 10), "9912")
    assert caught.value.code == "bad-rf"
    assert "έγκυρος" in caught.value.message("el") and "valid" in caught.value.message("en")


def test_bad_beneficiary_codes_and_sequences_are_refused():
    for code in ("", "12a4", "1234567890", " ", "١٢"):
        with pytest.raises(RFError) as caught:
            make_rf(1, code)
        assert caught.value.code == "bad-beneficiary-code"
    for sequence in (0, -1, MAX_SEQUENCE + 1):
        with pytest.raises(ValueError):
            make_rf(sequence, "9912")
    with pytest.raises(TypeError):
        make_rf("7", "9912")
