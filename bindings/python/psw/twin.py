"""Repair jobs and the weld cell (``psw::twin``); ``run()`` is the twin of ``psw run``."""

from ._psw import twin as _twin
from .core import Config, load_config

RepairJob = _twin.RepairJob
RepairSite = _twin.RepairSite
JobSummary = _twin.JobSummary
run_job = _twin.run_job
demo_job_yaml = _twin.demo_job_yaml

__all__ = ["JobSummary", "RepairJob", "RepairSite", "demo_job_yaml", "load_job", "run",
           "run_job"]


def load_job(source=None):
    """A :class:`RepairJob` from a job file path, a dict, or the built-in demo when None."""
    if source is None:
        return RepairJob.from_config(Config.parse(demo_job_yaml(), "<built-in demo job>"))
    return RepairJob.from_config(load_config(source))


def run(job=None):
    """Run a repair job (path, dict, RepairJob, or None for the demo); returns a JobSummary."""
    if not isinstance(job, RepairJob):
        job = load_job(job)
    return run_job(job)
