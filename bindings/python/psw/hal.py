"""Instruments and their twins (``psw::hal``): one device URI picks the real instrument, the
simulated device in process, or the twin over TCP.

``connect(uri)`` returns a :class:`Connection`; its ``positioner()`` (PI GCS) or ``hv()``
(iseg, always behind psw's HV safety policy) answer every call with a :class:`Result`:
``ok``, ``value``, and for an error its ``kind`` (transport, protocol, device, safety),
``code`` and ``message``. Positions are in metres, voltages in volts. ``TwinServer`` runs
the emulator of ``psw twin serve`` (with its JSON control port) in process;
``run_fixed_rate`` is the hardware-in-the-loop runner on the steady clock. See docs/hal.md.
"""

from ._psw import hal as _hal

Clock = _hal.Clock
Connection = _hal.Connection
HvStatus = _hal.HvStatus
HvSupply = _hal.HvSupply
Positioner = _hal.Positioner
Result = _hal.Result
TravelLimits = _hal.TravelLimits
TwinServer = _hal.TwinServer
connect = _hal.connect
run_fixed_rate = _hal.run_fixed_rate

__all__ = ["Clock", "Connection", "HvStatus", "HvSupply", "Positioner", "Result",
           "TravelLimits", "TwinServer", "connect", "run_fixed_rate"]
