"""psw against an independent HSMS-SS/SECS-II implementation: the npm package secs4js.

scripts/install-deps installs the package into $PSW_NPM_PREFIX (default ~/.cache/psw/npm,
never the source tree) with ``npm install --ignore-scripts secs4js@0.4.7``; the tests fail if
it is missing, and are skipped (saying why) only where there is no Node.js at all. The peer
script is tests/mes/interop/secs4js_peer.mjs. Both directions run over 127.0.0.1: psw host ⇄
secs4js equipment (the CLI host and psw.mes.Host), secs4js host ⇄ psw equipment (select,
S1F13/14, S1F1/2, linktest, S6F11 with nested lists, separate).
"""

import json
import pathlib
import os
import shutil
import socket
import subprocess

import pytest

import psw
from conftest import BUILD_DIR, SOURCE_DIR

SECS4JS_VERSION = "0.4.7"
PEER = SOURCE_DIR / "tests" / "mes" / "interop" / "secs4js_peer.mjs"


NPM_PREFIX = pathlib.Path(os.environ.get(
    "PSW_NPM_PREFIX",
    pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) / "psw" / "npm"))


@pytest.fixture(scope="module")
def secs4js_modules():
    """The node_modules folder holding secs4js, as scripts/install-deps installs it."""
    if not shutil.which("node"):
        pytest.skip("Node.js not found: the secs4js interoperability tests need it")
    modules = NPM_PREFIX / "node_modules"
    package = modules / "secs4js" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != SECS4JS_VERSION:
        pytest.fail(f"secs4js@{SECS4JS_VERSION} is not installed in {NPM_PREFIX}: "
                    "run scripts/install-deps (or set PSW_NPM_PREFIX)")
    return modules


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peer(modules, mode, port):
    return subprocess.Popen([shutil.which("node"), str(PEER), mode, str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "SECS4JS_MODULES": str(modules)})


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_psw_host_with_secs4js_equipment(psw_program, secs4js_modules, tmp_path):
    port = free_port()
    equipment = peer(secs4js_modules, "passive", port)
    try:
        assert json.loads(equipment.stdout.readline()) == {"event": "listening"}
        script = tmp_path / "host.jsonl"
        script.write_text("\n".join([
            '{"message":"S1F13","body":{}}',
            '{"wait_s":0.5}',
            '{"message":"S1F1"}',
            '{"linktest":true}',
        ]) + "\n")
        host = subprocess.run([str(psw_program), "mes", "host", "--connect",
                               f"127.0.0.1:{port}", "--script", str(script), "--timeout", "5"],
                              capture_output=True, text=True, timeout=60)
        assert host.returncode == 0, host.stderr
        lines = json_lines(host.stdout)
        replies = {x["reply"]["message"]: x["reply"]["body"] for x in lines if "reply" in x}
        # secs4js's own S1F14/S1F2, decoded by psw through the dictionary.
        assert replies["S1F14"] == {"COMMACK": 0,
                                    "DATA": {"MDLN": "SECS4JS", "SOFTREV": "0.4.7"}}
        assert replies["S1F2"] == {"MDLN": "SECS4JS", "SOFTREV": "0.4.7"}
        assert {"linktest": True} in lines
        # secs4js's S6F11 with nested lists arrives intact and psw acknowledges it.
        reports = [x["received"]["body"] for x in lines if "received" in x]
        assert reports == [{"DATAID": 7, "CEID": 1001,
                            "RPT": [{"RPTID": 2001, "V": [{"A": "JOINT-7"}, {"U4": [42]}]}]}]
        out, err = equipment.communicate(timeout=20)
        assert equipment.returncode == 0, err
        seen = json_lines(out)
        # What secs4js printed of psw's messages, read back by psw's SML parser.
        received = [psw.mes.message_from_sml(x["sml"]) for x in seen if x.get("dir") == "received"]
        assert [m["message"] for m in received] == ["S1F13", "S1F1"]
        acks = [psw.mes.message_from_sml(x["sml"]) for x in seen if x.get("dir") == "reply"]
        assert acks[0]["body"] == {"ACKC6": 0}
        assert seen[-1] == {"event": "disconnected"}  # psw's separate closed the link
    finally:
        equipment.kill()
        equipment.wait(timeout=10)


def test_secs4js_host_with_psw_equipment(psw_program, secs4js_modules):
    port = free_port()
    equipment = subprocess.Popen([str(psw_program), "mes", "equipment", "--listen",
                                  f"127.0.0.1:{port}", "--duration", "30"],
                                 stdout=subprocess.PIPE, text=True)
    try:
        assert equipment.stdout.readline().startswith("equipment listening")
        host = peer(secs4js_modules, "active", port)
        out, err = host.communicate(timeout=30)
        assert host.returncode == 0, err
        seen = json_lines(out)
        assert seen[0] == {"event": "selected"}
        assert {"event": "linktest"} in seen
        assert seen[-1] == {"event": "separated"}
        # psw's replies, as secs4js printed them, parsed back by psw.
        replies = {m["message"]: m.get("body") for m in
                   (psw.mes.message_from_sml(x["sml"]) for x in seen if x.get("dir") == "reply")}
        assert replies["S1F14"]["COMMACK"] == 0
        assert replies["S1F2"] == {"MDLN": "PSW", "SOFTREV": psw.__version__}
        assert replies["S2F34"] == {"DRACK": 0}
        assert replies["S2F36"] == {"LRACK": 0}
        assert replies["S2F38"] == {"ERACK": 0}
        assert replies["S2F42"]["HCACK"] == 4
        # Six S6F11 reach secs4js: job started, the four sites of the demo job, job done.
        events = [psw.mes.message_from_sml(x["sml"])["body"] for x in seen
                  if x.get("dir") == "received"]
        assert [e["CEID"] for e in events] == [1001, 1002, 1002, 1002, 1002, 1003]
        assert [e["RPT"][0]["V"][0]["A"] for e in events[1:5]] == ["J1", "J2", "J3", "J4"]
    finally:
        equipment.kill()
        equipment.wait(timeout=10)


def test_python_host_with_secs4js_equipment(secs4js_modules):
    # psw.mes.Host (Python) against secs4js's passive equipment: the same exchange as the CLI
    # host above, with the S6F11 arriving through the Python message handler.
    port = free_port()
    equipment = peer(secs4js_modules, "passive", port)
    try:
        assert json.loads(equipment.stdout.readline()) == {"event": "listening"}
        received = []
        with psw.mes.Host(port, timeout_s=5) as host:
            host.on_message(lambda m: received.append(m))  # default S6F12 ACKC6 0
            r = host.request({"message": "S1F13", "body": {}})
            assert r.ok and r.message["body"]["DATA"] == {"MDLN": "SECS4JS", "SOFTREV": "0.4.7"}
            for _ in range(50):
                if received:
                    break
                host.poll(0.1)
            assert [m["body"] for m in received] == [{
                "DATAID": 7, "CEID": 1001,
                "RPT": [{"RPTID": 2001, "V": [{"A": "JOINT-7"}, {"U4": [42]}]}]}]
            assert host.request({"message": "S1F1"}).message["body"] == {
                "MDLN": "SECS4JS", "SOFTREV": "0.4.7"}
            assert host.linktest()
        out, err = equipment.communicate(timeout=20)
        assert equipment.returncode == 0, err
        acks = [psw.mes.message_from_sml(x["sml"]) for x in json_lines(out)
                if x.get("dir") == "reply"]
        assert acks[0]["body"] == {"ACKC6": 0}  # secs4js received psw's default S6F12
    finally:
        equipment.kill()
        equipment.wait(timeout=10)
