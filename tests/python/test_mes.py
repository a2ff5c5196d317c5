"""psw.mes and `psw mes`: SECS-II items between bytes, tagged JSON and SML.

Expected bytes come from SEMI E5's item header (format code << 2 | length-byte count) as the
C++ golden tests document: U4 → 0xB1, A → 0x41, L → 0x01.
"""

import json
import socket
import subprocess
import time

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


def test_named_messages_through_sml():
    # S6F11 by name: DATAID and CEID take U4, the first format the dictionary allows.
    named = {"message": "S6F11", "body": {"DATAID": 1, "CEID": 1001, "RPT": []}}
    sml = psw.mes.message_to_sml(named, indent=-1)
    assert sml == "S6F11 W <L [3] <U4 1> <U4 1001> <L [0]>>."
    back = psw.mes.message_from_sml(sml)
    assert back["body"] == named["body"]
    assert back["name"] == "Event Report Send"
    with pytest.raises(ValueError, match="S5F1 body.ALCD = 256 fits none"):
        psw.mes.message_to_sml({"message": "S5F1",
                                "body": {"ALCD": 256, "ALID": 1, "ALTX": "x"}})


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_host_drives_cli_equipment_over_loopback(psw_program, tmp_path):
    port = free_port()
    equipment = subprocess.Popen([str(psw_program), "mes", "equipment", "--listen",
                                  f"127.0.0.1:{port}", "--duration", "20"],
                                 stdout=subprocess.PIPE, text=True)
    try:
        assert equipment.stdout.readline().strip() == f"equipment listening on 127.0.0.1:{port}"
        script = tmp_path / "host.jsonl"
        script.write_text("\n".join(json.dumps(m) for m in [
            {"message": "S1F13", "body": {}},
            {"message": "S2F33", "body": {"DATAID": 1, "RPT": [{"RPTID": 10, "VID": [2]}]}},
            {"message": "S2F35", "body": {"DATAID": 2, "LINK": [{"CEID": 1002, "RPTID": [10]}]}},
            {"message": "S2F37", "body": {"CEED": True, "CEID": [1002]}},
            {"message": "S2F41", "body": {"RCMD": "START", "CP": []}},
            {"wait_s": 1.0},
        ]) + "\n")
        result = run(psw_program, "mes", "host", "--connect", f"127.0.0.1:{port}", "--script",
                     str(script))
        assert result.returncode == 0, result.stderr
        lines = [json.loads(line) for line in result.stdout.splitlines()]
        replies = {r["reply"]["message"]: r["reply"]["body"] for r in lines if "reply" in r}
        # COMMACK 0, DRACK/LRACK/ERACK 0 (accepted); HCACK 4: START acknowledged, runs on.
        assert replies["S1F14"]["COMMACK"] == 0
        assert replies["S2F34"] == {"DRACK": 0}
        assert replies["S2F36"] == {"LRACK": 0}
        assert replies["S2F38"] == {"ERACK": 0}
        assert replies["S2F42"]["HCACK"] == 4
        # One S6F11 per site of the demo job (data/jobs/demo.yaml has J1..J4).
        sites = [r["received"]["body"]["RPT"][0]["V"][0]["A"] for r in lines
                 if "received" in r and r["received"]["message"] == "S6F11"]
        assert sites == ["J1", "J2", "J3", "J4"]
    finally:
        equipment.kill()
        equipment.wait(timeout=10)


def test_cli_listen_address_is_checked_and_honoured(psw_program):
    # Not a numeric IPv4 address, no port, a port out of range: exit 2 naming the option.
    for bad, says in (("localhost:5000", "not a numeric IPv4 address"),
                      ("127.0.0.1", "is not HOST:PORT"), ("127.0.0.1:70000", "port not in"),
                      ("127.0.0.1:0", "port not in [1, 65535]")):
        result = run(psw_program, "mes", "equipment", "--listen", bad)
        assert result.returncode == 2, bad
        assert "--listen" in result.stderr and says in result.stderr, result.stderr
    # Told another loopback address (all of 127/8 is loopback on Linux), the equipment binds
    # that one: the host reaches it there and not on 127.0.0.1.
    port = free_port()
    equipment = subprocess.Popen([str(psw_program), "mes", "equipment", "--listen",
                                  f"127.0.0.2:{port}", "--duration", "20"],
                                 stdout=subprocess.PIPE, text=True)
    try:
        assert equipment.stdout.readline().strip() == f"equipment listening on 127.0.0.2:{port}"
        with socket.create_connection(("127.0.0.2", port), timeout=5):
            pass
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        equipment.kill()
        equipment.wait(timeout=10)


def test_cli_host_reconnects_after_the_equipment_goes_away_and_comes_back(psw_program,
                                                                          tmp_path):
    # The first equipment answers S1F1, then dies; a second one appears on the same port
    # 0.5 s later. The host notices during its wait, waits T5 (0.2 s), then 0.4 s, 0.8 s, …
    # (capped at 0.5 s here), reconnects, selects and goes on with the script.
    port = free_port()

    def equipment():
        p = subprocess.Popen([str(psw_program), "mes", "equipment", "--listen",
                              f"127.0.0.1:{port}", "--duration", "30"],
                             stdout=subprocess.PIPE, text=True)
        assert p.stdout.readline().startswith("equipment listening")
        return p

    first = equipment()
    second = None
    script = tmp_path / "host.jsonl"
    script.write_text("\n".join(json.dumps(m) for m in [
        {"message": "S1F13", "body": {}},
        {"message": "S1F1"},
        {"wait_s": 3.0},
        {"message": "S1F13", "body": {}},
        {"message": "S1F3", "body": {"SVID": [11, 999]}},
    ]) + "\n")
    host = subprocess.Popen([str(psw_program), "mes", "host", "--connect", f"127.0.0.1:{port}",
                             "--script", str(script), "--t5", "0.2", "--max-backoff", "0.5",
                             "--reconnect-for", "20", "--timeout", "5"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for raw in host.stdout:
            lines.append(json.loads(raw))
            if "reply" in lines[-1] and lines[-1]["reply"]["message"] == "S1F2":
                break
        first.kill()
        first.wait(timeout=10)
        time.sleep(0.5)
        second = equipment()
        out, err = host.communicate(timeout=30)
        assert host.returncode == 0, err
        lines += [json.loads(x) for x in out.splitlines()]
        links = [x["link"] for x in lines if "link" in x]
        assert links == ["lost", "reconnected"]
        assert "reconnected to 127.0.0.1" in err and "lost" in err
        # After the reconnection the second equipment serves S1F3: ProcessState (SVID 11) is
        # IDLE, and the unknown SVID 999 comes back as a zero-length item (SEMI E5 S1F4).
        replies = [x["reply"] for x in lines if "reply" in x]
        assert replies[-1]["message"] == "S1F4"
        assert replies[-1]["body"] == {"SV": [{"A": "IDLE"}, {"L": []}]}
    finally:
        host.kill()
        for p in (first, second):
            if p is not None:
                p.kill()
                p.wait(timeout=10)


def test_cli_host_without_reconnection_says_the_link_is_lost(psw_program, tmp_path):
    port = free_port()
    equipment = subprocess.Popen([str(psw_program), "mes", "equipment", "--listen",
                                  f"127.0.0.1:{port}", "--duration", "1"],
                                 stdout=subprocess.PIPE, text=True)
    try:
        assert equipment.stdout.readline().startswith("equipment listening")
        script = tmp_path / "host.jsonl"
        script.write_text('{"wait_s": 3}\n{"message": "S1F1"}\n')
        result = run(psw_program, "mes", "host", "--connect", f"127.0.0.1:{port}", "--script",
                     str(script), "--reconnect-for", "0")
        assert result.returncode != 0
        assert "lost" in result.stderr and "--reconnect-for is 0" in result.stderr
    finally:
        equipment.kill()
        equipment.wait(timeout=10)


def weld_cell():
    """A Python equipment with the weld cell's variables (values chosen here, so the host's
    readings can be checked against them) and START/STOP commands."""
    eq = psw.mes.Equipment(model="PSW-PY", software_revision="9.9")
    state = {"process": "IDLE", "commands": []}
    eq.add_status_variable(11, "ProcessState", "", lambda: {"A": state["process"]})
    eq.add_status_variable(12, "HvSetpoint", "V", lambda: {"F8": [1200.0]})
    eq.add_status_variable(13, "StageX", "m", lambda: {"F8": [2.5e-6]})
    eq.add_equipment_constant(101, "SpraySetpoint", "V", lambda: {"F8": [1200.0]})
    eq.add_variable(1, lambda: {"A": "JOINT-7"})
    eq.add_event(1001)

    @eq.on_command("START")
    def start(params):
        state["commands"].append(("START", params))
        state["process"] = "RUNNING"
        eq.report_event(1001)  # from the serving thread: queued, sent after the S2F42
        return 4

    eq.on_command("STOP", lambda params: state["commands"].append(("STOP", params)))
    return eq, state


def test_python_host_drives_python_equipment_over_loopback():
    eq, state = weld_cell()
    received = []
    with eq:
        with psw.mes.Host(eq.port, timeout_s=5) as host:
            assert host.state == "SELECTED"
            host.on_message(lambda m: received.append(m))  # None: the default S6F12 ACKC6 0

            # S1F1 before S1F13: E30 aborts with S1F0 while not communicating.
            assert host.request({"message": "S1F1"}).message["message"] == "S1F0"
            r = host.request({"message": "S1F13", "body": {}})
            assert r.ok and r.message["body"]["COMMACK"] == 0
            assert r.message["body"]["DATA"] == {"MDLN": "PSW-PY", "SOFTREV": "9.9"}
            assert eq.comm_state == "COMMUNICATING"
            assert host.request({"message": "S1F1"}).message["body"] == {"MDLN": "PSW-PY",
                                                                         "SOFTREV": "9.9"}
            # S1F3: the values the readers return, in the order asked; SVID 77 is unknown
            # and comes back as a zero-length item (SEMI E5 S1F4).
            sv = host.request({"message": "S1F3", "body": {"SVID": [12, 77, 11]}}).message
            assert sv["body"]["SV"] == [{"F8": [1200.0]}, {"L": []}, {"A": "IDLE"}]
            every = host.request({"message": "S1F3", "body": {"SVID": []}}).message
            assert every["body"]["SV"] == [{"A": "IDLE"}, {"F8": [1200.0]}, {"F8": [2.5e-6]}]
            ec = host.request({"message": "S2F13", "body": {"ECID": [101, 5]}}).message
            assert ec["body"]["ECV"] == [{"F8": [1200.0]}, {"L": []}]

            # Reports, then START with a parameter: HCACK 4 and the event report follows.
            for m in [
                {"message": "S2F33", "body": {"DATAID": 1, "RPT": [{"RPTID": 9, "VID": [1]}]}},
                {"message": "S2F35", "body": {"DATAID": 2, "LINK": [{"CEID": 1001,
                                                                     "RPTID": [9]}]}},
                {"message": "S2F37", "body": {"CEED": True, "CEID": []}},
            ]:
                assert host.request(m).ok
            r = host.request({"message": "S2F41", "body": {
                "RCMD": "START", "CP": [{"CPNAME": "JOB", "CPVAL": {"A": "demo"}}]}})
            assert r.message["body"]["HCACK"] == 4
            for _ in range(50):
                if received:
                    break
                host.poll(0.1)
            assert [m["message"] for m in received] == ["S6F11"]
            assert received[0]["body"]["RPT"] == [{"RPTID": 9, "V": [{"A": "JOINT-7"}]}]
            assert host.request({"message": "S1F3", "body": {"SVID": [11]}}).message[
                "body"]["SV"] == [{"A": "RUNNING"}]
            assert host.linktest()

            # An alarm from another thread: S5F1 with ALCD = 0x80 (set) | category 2 (SEMI E5).
            eq.report_alarm(7, True, 2, "HV arc")
            for _ in range(50):
                if len(received) > 1:
                    break
                host.poll(0.1)
            assert received[1]["message"] == "S5F1"
            assert received[1]["body"] == {"ALCD": 0x82, "ALID": 7, "ALTX": "HV arc"}
    assert state["commands"] == [("START", {"JOB": {"A": "demo"}})]
    with pytest.raises(ValueError, match="category = 200"):
        eq.report_alarm(7, True, 200, "x")


def test_python_host_outcomes_are_values_and_handler_errors_surface():
    eq, _ = weld_cell()
    with eq:
        # A host that addresses device 3 while the equipment is device 0: the equipment
        # does not serve the message (the host's T3 runs out: a status, not an exception)
        # and sends S9F1, which carries device 0 and so reaches this host as another
        # device's message (event unknown_device).
        host = psw.mes.Host(eq.port, device_id=3, timeout_s=5, timers={"t3_s": 0.5})
        events = []
        host.on_event(lambda kind, message, text: events.append((kind, message, text)))
        r = host.request({"message": "S1F1"})
        assert r.status == "timeout" and "T3: no reply to S1F1" in r.text
        host.poll(0.2)
        assert ("unknown_device", {"message": "S9F1", "W": False},
                "device id 0 is not this session's (3)") in events
        host.separate()

        # A message handler that raises: the error comes back from the waiting call.
        host = psw.mes.Host(eq.port, timeout_s=5)
        host.on_message(lambda m: 1 / 0)
        host.request({"message": "S1F13", "body": {}})
        for m in [{"message": "S2F35", "body": {"DATAID": 2, "LINK": []}},
                  {"message": "S2F37", "body": {"CEED": True, "CEID": []}}]:
            assert host.request(m).ok
        eq.report_event(1001)
        with pytest.raises(ZeroDivisionError):
            for _ in range(50):
                host.poll(0.1)
        host.separate()
    with pytest.raises(ValueError, match="timers key 'T3'"):
        psw.mes.Host(1, timers={"T3": 1})
    with pytest.raises(RuntimeError, match="HSMS connect to 127.0.0.1"):
        psw.mes.Host(free_port(), timeout_s=1)


def test_python_equipment_handler_error_is_raised_by_stop():
    eq, _ = weld_cell()
    eq.on_command("PAUSE", lambda params: 1 / 0)
    eq.start()
    try:
        with psw.mes.Host(eq.port, timeout_s=5) as host:
            host.request({"message": "S1F13", "body": {}})
            # HCACK 2 (cannot perform now) for a handler that failed.
            r = host.request({"message": "S2F41", "body": {"RCMD": "PAUSE", "CP": []}})
            assert r.message["body"]["HCACK"] == 2
    finally:
        with pytest.raises(ZeroDivisionError):
            eq.stop()
