"""SECS-II items (``psw::mes``): bytes, the tagged JSON form and SML.

An item is the tagged JSON form as Python objects: ``{"U4": [1, 2]}``, ``{"A": "text"}``,
``{"L": [...]}`` (see docs/mes.md). Python ints of any size go in; 64-bit values beyond 2**53 - 1
come back as decimal strings, exactly as the C++ and CLI forms write them.

- :func:`encode` item → bytes          (``psw mes encode``)
- :func:`decode` bytes → item          (``psw mes decode``)
- :func:`to_sml` item → SML text       (``psw mes decode --to sml``)
- :func:`parse_sml` SML text → item    (``psw mes encode --from sml``)
- :func:`message_to_sml` / :func:`message_from_sml`: whole messages in the named JSON view of
  the message dictionary (``{"message": "S6F11", "body": {"CEID": 1001, ...}}``), the form
  ``psw mes host`` scripts use.

Endpoints over HSMS-SS (SEMI E37) on 127.0.0.1:

- :class:`Host`: an active host; connect, select, send primaries and read their replies,
  handle what the equipment sends unprompted (``psw mes host``).
- :class:`Equipment`: a passive GEM equipment with status variables (S1F3), equipment
  constants (S2F13), events (S6F11) and remote commands (S2F41), served in a background thread
  (``psw mes equipment``).

Calls that wait on the network release the GIL; handlers run with it held, on the thread that
is waiting (the caller's for a Host, the serving thread for an Equipment).

Bad input raises ``ValueError`` with the C++ message (a byte offset, a JSON path, or
``source:line:column``).
"""

import json as _json
import threading as _threading

from ._psw import mes as _mes

__all__ = ["Equipment", "Host", "Reply", "decode", "encode", "message_from_sml",
           "message_to_sml", "parse_sml", "to_sml"]


def _text(item):
    return item if isinstance(item, str) else _json.dumps(item)


def encode(item):
    """SECS-II bytes of ``item`` (a tagged-JSON dict, or its JSON text)."""
    return _mes.encode_json(_text(item))


def decode(data, max_bytes=16 << 20, max_depth=64):
    """The item (tagged-JSON dict) that fills ``data`` (bytes, bytearray or a hex string)."""
    if isinstance(data, str):
        data = bytes.fromhex(data)
    return _json.loads(_mes.decode_json(bytes(data), max_bytes, max_depth))


def to_sml(item, indent=2):
    """SML text of ``item``; one line when ``indent`` is negative."""
    return _mes.json_to_sml(_text(item), indent)


def parse_sml(text, source="<sml>"):
    """The item (tagged-JSON dict) written in SML ``text``."""
    return _json.loads(_mes.sml_to_json(text, source))


def message_to_sml(message, indent=2):
    """SML of a message in the named JSON view (dict or JSON text)."""
    return _mes.named_json_to_sml(_text(message), indent)


def message_from_sml(text, source="<sml>"):
    """The named JSON view (dict) of a message written in SML."""
    return _json.loads(_mes.sml_to_named_json(text, source))


class Reply:
    """The outcome of :meth:`Host.request`: ``status`` is ``"ok"``, ``"timeout"`` (T3 or the
    caller's timeout), ``"rejected"`` or ``"closed"``; ``message`` is the reply in the named
    view (``None`` unless ok with a W-bit primary); ``text`` says why otherwise."""

    __slots__ = ("status", "message", "text")

    def __init__(self, status, message, text):
        self.status, self.message, self.text = status, message, text

    @property
    def ok(self):
        return self.status == "ok"

    def __repr__(self):
        return f"Reply(status={self.status!r}, message={self.message!r}, text={self.text!r})"


class Host:
    """An active HSMS-SS host connected to ``host``:``port``.

    ``timers`` overrides HSMS timers in seconds (``{"t3_s": 45, "t6_s": 5, ...}``; keys
    t3_s, t5_s, t6_s, t7_s, t8_s, linktest_s). With ``select=True`` (default) the constructor
    also selects; RuntimeError when the connection or the select fails.

    Unsolicited primaries (S6F11, S5F1, ...) arrive while the host waits in :meth:`request`,
    :meth:`poll` or :meth:`linktest`; :meth:`on_message` registers a handler. Without one, or
    when it returns ``None``, S5F1/S6F11/S10F1 are acknowledged with code 0 and other requests
    are aborted (SxF0).

    Example::

        with psw.mes.Host(5000) as host:
            host.request({"message": "S1F13", "body": {}})
            print(host.request({"message": "S1F3", "body": {"SVID": []}}).message)
    """

    def __init__(self, port, host="127.0.0.1", device_id=0, timeout_s=10.0, timers=None,
                 select=True):
        self.timeout_s = float(timeout_s)
        self._link = _mes.Host(host, int(port), self.timeout_s, int(device_id), dict(timers or {}))
        self._on_message = None
        self._on_event = None
        self._link.set_handler(self._dispatch)
        if select and not self.select():
            self._link.close()
            raise RuntimeError(f"HSMS select to {host}:{port} was not accepted")

    def _dispatch(self, kind, message, system_bytes, text):
        if kind == "primary_received":
            if self._on_message is None:
                return None
            reply = self._on_message(_json.loads(message))
            return None if reply is None else _text(reply)
        if self._on_event is not None:
            self._on_event(kind, None if message is None else _json.loads(message), text)
        return None

    def on_message(self, handler):
        """``handler(message) -> reply or None`` for each primary the equipment sends;
        ``message`` and the reply are in the named view. Returns ``handler`` (a decorator)."""
        self._on_message = handler
        return handler

    def on_event(self, handler):
        """``handler(kind, message, text)`` for the other session events: ``"disconnected"``,
        ``"separated"``, ``"reply_timeout"``, ``"illegal_data"``, ... Returns ``handler``."""
        self._on_event = handler
        return handler

    def select(self, timeout_s=None):
        """Sends select.req; True once selected (T6 bounds the wait)."""
        return self._link.select(self.timeout_s if timeout_s is None else timeout_s)

    def request(self, message, timeout_s=None):
        """Sends ``message`` (named view: dict or JSON text) and, with the W-bit, waits for the
        reply. Returns a :class:`Reply`; a timeout or a closed link is a status, not an error."""
        status, reply, text = self._link.request(
            _text(message), self.timeout_s if timeout_s is None else timeout_s)
        return Reply(status, None if reply is None else _json.loads(reply), text)

    def poll(self, wait_s=0.1):
        """Waits up to ``wait_s`` for unsolicited messages, calling the handlers."""
        return self._link.poll(wait_s)

    def linktest(self, timeout_s=None):
        """Sends linktest.req; True when answered."""
        return self._link.linktest(self.timeout_s if timeout_s is None else timeout_s)

    def separate(self):
        """Sends separate.req and closes the connection."""
        self._link.separate()

    def close(self):
        self._link.close()

    @property
    def state(self):
        """``"NOT CONNECTED"``, ``"NOT SELECTED"`` or ``"SELECTED"``."""
        return self._link.state

    @property
    def open(self):
        return self._link.open

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._link.open:
            self._link.separate()


def _reader(read):
    # A reader returns a tagged item ({"F8": [1200.0]}) or its JSON text.
    return lambda: _text(read())


class Equipment:
    """A passive GEM equipment listening on ``host``:``port`` (127.0.0.1 unless told another
    numeric IPv4 address, 0.0.0.0 for every interface; port 0: a free port, see :attr:`port`),
    serving one host connection at a time.

    Declare what it has before serving: status variables (S1F3), equipment constants (S2F13),
    report variables and events (S2F33/S2F35/S6F11), remote commands (S2F41). Readers return
    a tagged item, e.g. ``lambda: {"F8": [1200.0]}``; a command handler gets ``{CPNAME: item}``
    and returns HCACK (0 done, 2 cannot perform now, 3 invalid parameter, 4 will finish later;
    ``None`` means 0).

    :meth:`start` serves in a background thread (or use ``with``); :meth:`serve` blocks.
    :meth:`report_event` and :meth:`report_alarm` may be called from any thread. An exception in
    a reader or handler stops the equipment and is raised again by :meth:`stop` /
    :meth:`serve`.

    Example::

        eq = psw.mes.Equipment()
        eq.add_status_variable(12, "HvSetpoint", "V", lambda: {"F8": [1200.0]})
        eq.on_command("START", lambda params: 4)
        with eq:
            ...  # a host connects to eq.port
    """

    def __init__(self, model="PSW", software_revision=None, port=0, device_id=0, timers=None,
                 host="127.0.0.1"):
        if software_revision is None:
            from . import __version__ as software_revision
        self._eq = _mes.Equipment(model, software_revision, int(port), int(device_id),
                                  dict(timers or {}), str(host))
        self._thread = None
        self._error = None

    @property
    def port(self):
        return self._eq.port

    def add_status_variable(self, svid, name, units, read):
        self._eq.add_status_variable(int(svid), name, units, _reader(read))

    def add_equipment_constant(self, ecid, name, units, read):
        self._eq.add_equipment_constant(int(ecid), name, units, _reader(read))

    def add_variable(self, vid, read):
        self._eq.add_variable(int(vid), _reader(read))

    def add_event(self, ceid):
        self._eq.add_event(int(ceid))

    def on_command(self, rcmd, handler=None):
        """Routes remote command ``rcmd`` to ``handler``; without ``handler``, a decorator."""
        if handler is None:
            return lambda h: self.on_command(rcmd, h)

        def call(params):
            result = handler({name: _json.loads(value) for name, value in params})
            return 0 if result is None else int(result)
        self._eq.on_command(rcmd, call)
        return handler

    def report_event(self, ceid):
        """Queues S6F11 for ``ceid``; sent once a host is selected, if the event is enabled."""
        self._eq.report_event(int(ceid))

    def report_alarm(self, alid, set, category, text):
        """Queues S5F1 for alarm ``alid``: ``set`` True when it starts, False when it clears;
        ``category`` 1–127 (SEMI E5 ALCD bits 1–7, e.g. 2 equipment safety); ``text`` (ALTX)
        is cut to 120 characters. Sent once a host is selected, unless disabled by S5F3."""
        if not 0 <= int(category) <= 127:
            raise ValueError(f"alarm category = {category} is outside [0, 127]")
        self._eq.report_alarm(int(alid), bool(set), int(category), str(text))

    def serve(self, duration_s=0.0):
        """Serves until :meth:`stop` or ``duration_s`` seconds (0: no limit), blocking."""
        self._eq.rearm()
        self._eq.serve(float(duration_s))

    def start(self):
        """Serves in a daemon thread until :meth:`stop`."""
        if self._thread is not None:
            raise RuntimeError("psw.mes.Equipment is already serving")

        def run():
            try:
                self._eq.serve(0.0)
            except BaseException as e:  # handed to stop()
                self._error = e
        self._eq.rearm()
        self._thread = _threading.Thread(target=run, name=f"psw-equipment-{self.port}",
                                         daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout_s=10.0):
        """Stops serving (separating from a connected host) and raises what a handler raised."""
        self._eq.stop()
        if self._thread is not None:
            self._thread.join(timeout_s)
            self._thread = None
        error, self._error = self._error, None
        if error is not None:
            raise error

    @property
    def comm_state(self):
        """``"COMMUNICATING"`` once S1F13/S1F14 succeeded, else ``"NOT COMMUNICATING"``."""
        return self._eq.comm_state

    @property
    def control_state(self):
        """``"ON-LINE REMOTE"``, ``"ON-LINE LOCAL"`` or ``"HOST OFF-LINE"``."""
        return self._eq.control_state

    @property
    def connected(self):
        return self._eq.connected

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
