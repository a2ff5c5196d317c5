"""psw.mes and `psw mes`: SECS-II items between bytes, tagged JSON and SML.

Expected bytes come from SEMI E5's item header (format code << 2 | length-byte count) as the
C++ golden tests document: U4 → 0xB1, A → 0x41, L → 0x01.
"""

import subprocess

import pytest

import psw

# <L [2] <U4 1001> <A "ok">>: 01 02 | B1 04 000003E9 | 41 02 6F 6B
ITEM = {"L": [{"U4": [1001]}, {"A": "ok"}]}
HEX = "0102b104000003e941026f6b"


def run(program, *args, stdin=""):
    return subprocess.run([str(program), *args], input=stdin, capture_output=True, text=True,
                          timeout=60)


def test_encode_and_decode_are_inverse():
    data = psw.mes.encode(ITEM)
    assert data.hex() == HEX
    assert psw.mes.decode(data) == ITEM
    assert psw.mes.decode(HEX) == ITEM


def test_sml_round_trip():
    text = psw.mes.to_sml(ITEM, indent=-1)
    assert text == '<L [2] <U4 1001> <A "ok">>'
    assert psw.mes.parse_sml(text) == ITEM


def test_64_bit_integers_keep_every_bit():
    # 2**64 - 1 does not fit a float; it comes back as a decimal string (docs/mes.md).
    item = {"U8": [2**64 - 1, 5]}
    assert psw.mes.decode(psw.mes.encode(item)) == {"U8": ["18446744073709551615", 5]}


def test_errors_name_the_place_and_the_reason():
    with pytest.raises(ValueError, match=r"^\$\.L\[0\]\.U1\[0\] = 256 is outside \[0, 255\]$"):
        psw.mes.encode({"L": [{"U1": [256]}]})
    with pytest.raises(ValueError, match="SECS-II item at byte 0: U4 length 3 is not a multiple"):
        psw.mes.decode(bytes.fromhex("b103000001"))
    with pytest.raises(ValueError, match=r"^job\.sml:1:5: I1 value 300"):
        psw.mes.parse_sml("<I1 300>", source="job.sml")


def test_cli_encode_decode_matches_python(psw_program):
    result = run(psw_program, "mes", "encode", stdin='{"L":[{"U4":[1001]},{"A":"ok"}]}')
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == HEX
    result = run(psw_program, "mes", "encode", "--from", "sml", stdin='<L <U4 1001> <A "ok">>')
    assert result.stdout.strip() == HEX
    result = run(psw_program, "mes", "decode", "--to", "sml", stdin=HEX + "\n")
    assert result.stdout.strip() == '<L [2] <U4 1001> <A "ok">>'
    result = run(psw_program, "mes", "decode", stdin=HEX)
    assert psw.mes.parse_sml(psw.mes.to_sml(result.stdout)) == ITEM


def test_cli_bad_bytes_exit_2_with_one_line(psw_program):
    result = run(psw_program, "mes", "decode", stdin="a5 01 07 00")
    assert result.returncode == 2
    assert result.stderr == ("psw: error: SECS-II item at byte 3: 1 trailing byte(s) after the "
                             "item\n")
