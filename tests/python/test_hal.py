"""psw.hal from Python, and `psw hal` / `psw twin serve` end to end on loopback."""

import json
import subprocess

import pytest

import psw


def test_sim_positioner_moves_and_reports_in_metres():
    # sim://gcs: three 100 µm axes, servo off at power-on (docs/hal.md).
    c = psw.hal.connect("sim://gcs")
    p = c.positioner()
    assert c.hv() is None
    assert p.initialize().ok
    assert p.axes == ["1", "2", "3"]
    refused = p.move_to("1", 10e-6)
    assert not refused.ok and refused.kind == "safety"
    assert refused.message == "MOV on axis 1 refused: servo is off"
    assert p.set_servo("1", True).ok
    assert p.move_to("1", 10e-6).ok
    c.clock().sleep_for(0.05)  # simulated: instant; 10 µm at 10 mm/s takes 1 ms, settle 2 ms
    assert p.on_target("1").value is True
    assert abs(p.position("1").value - 10e-6) <= 10e-9  # the 10 nm on-target window


def test_sim_hv_is_behind_the_safety_policy():
    c = psw.hal.connect("sim://iseg")
    hv = c.hv()
    assert hv.set_output(True).kind == "safety"  # state not read since connecting
    assert hv.status().ok
    assert hv.set_voltage(7000).message == "refused: hv.voltage_V = 7000 is outside [0, 6000]"


def test_bad_uri_raises_value_error():
    with pytest.raises(ValueError, match="unknown protocol 'scpi'"):
        psw.hal.connect("sim://scpi")


def test_twin_server_control_port_injects_a_trip():
    # In-process emulator; a trip through the control API ends with HV off and latched.
    twin = psw.hal.TwinServer(rate=1.0)
    try:
        c = psw.hal.connect(f"tcp://127.0.0.1:{twin.hv_port}?protocol=iseg&timeout_s=1")
        hv = c.hv()
        assert hv.status().ok and not hv.assumed_on
        assert hv.set_voltage(500).ok and hv.set_output(True).ok
        assert json.loads(twin.control('{"cmd":"trip"}')) == {"ok": True}
        status = hv.status()
        assert status.ok and status.value.current_trip
        assert hv.latched and hv.set_output(True).kind == "safety"
        state = json.loads(twin.control('{"cmd":"state"}'))["state"]["hv"]
        assert state["on"] is False and state["voltage_V"] == 0.0
        bad = json.loads(twin.control('{"cmd":"explode"}'))
        assert bad["ok"] is False and "unknown cmd 'explode'" in bad["error"]
    finally:
        twin.stop()


def test_run_fixed_rate_reports_lateness():
    # 20 cycles of 2 ms on the steady clock: every cycle runs once, figures are ordered.
    seen = []
    r = psw.hal.run_fixed_rate(2e-3, 20, lambda k, t: seen.append(k))
    assert seen == list(range(20))
    assert r["cycles"] == 20 and sum(r["histogram"]) == 20
    assert 0.0 <= r["p50_s"] <= r["p99_s"] <= r["max_s"]


def test_cli_against_psw_twin_serve(psw_program):
    # The emulator on ephemeral loopback ports; every wait below has a timeout.
    server = subprocess.Popen([str(psw_program), "twin", "serve", "--gcs", "127.0.0.1:0",
                               "--hv", "127.0.0.1:0", "--control", "127.0.0.1:0",
                               "--duration", "30"],
                              stdout=subprocess.PIPE, text=True)
    try:
        gcs = server.stdout.readline().split()[-1]
        hv = server.stdout.readline().split()[-1]
        assert gcs.startswith("tcp://127.0.0.1:") and hv.startswith("tcp://127.0.0.1:")

        def hal(uri, *args):
            return subprocess.run([str(psw_program), "hal", uri, *args], capture_output=True,
                                  text=True, timeout=20)

        assert hal(gcs + "?protocol=gcs", "servo", "2", "on").returncode == 0
        moved = hal(gcs + "?protocol=gcs", "move", "2", "42.5")
        assert moved.returncode == 0, moved.stderr
        position_um = float(moved.stdout.split("position_um=")[1])
        assert abs(position_um - 42.5) <= 0.010  # within the 10 nm on-target window
        refused = hal(gcs + "?protocol=gcs", "move", "1", "5")
        assert refused.returncode == 1
        assert refused.stderr == "psw hal: safety error: MOV on axis 1 refused: servo is off\n"
        ramp = hal(hv + "?protocol=iseg", "ramp", "300", "1000")
        assert ramp.returncode == 0, ramp.stderr
        assert "voltage_V=300 " in ramp.stdout and "on=1 " in ramp.stdout
        bad = hal("tcp://127.0.0.1:50000?protocol=modbus", "status")
        assert bad.returncode == 2
        assert "unknown protocol 'modbus'" in bad.stderr
    finally:
        server.terminate()
        server.wait(timeout=10)
