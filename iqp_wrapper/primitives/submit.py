"""submit_sampler, submit_estimator (and async twins), least_busy.

Every job POST goes through ``paced_submission``, one flow that either driver runs
(iqp_wrapper._flow): one place to swap in another submission strategy. A submission
waits for its slot under the client-side pacing (see ``pacing``); a 429 that still
comes back (another program of the same user used the quota) is waited out for its
Retry-After and sent again, which is safe because a rejected request did not run. The
pacer is the one owner of those 429s: each wait is bounded by the client's
``max_retry_after`` and call deadline (a longer one is refused with RateLimitError,
never slept), reported to ``progress`` and logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

from iqp_api.api_version import API_VERSION, VersionShapeError
from iqp_api.models.backends_response_devices_item import BackendsResponseDevicesItem
from iqp_api.models.job_run_params import JobRunParams
from iqp_api.models.job_run_params_estimator_options import JobRunParamsEstimatorOptions
from iqp_api.models.job_run_params_sampler_options import JobRunParamsSamplerOptions
from iqp_api.resources.backends import AsyncBackends, Backends
from iqp_api.types import Unset
from iqp_wrapper._flow import Flow, Io, awaiting, blocking
from iqp_wrapper.errors import ConfigError, ConfigSource, RateLimitError
from iqp_wrapper.jobs.submit import SubmittedJob, submission
from iqp_wrapper.origin import kind_of
from iqp_wrapper.primitives.json_types import JSON, JSONObject
from iqp_wrapper.primitives.pacing import (
    Pacer,
    SubmitProgress,
    SubmitWait,
    bounds_of,
    pacer_for,
    report_wait,
    retry_after_wait,
)
from iqp_wrapper.primitives.pubs import (
    EstimatorPub,
    EstimatorPubLike,
    SamplerPub,
    SamplerPubLike,
    checked_precision,
    checked_shots,
    estimator_pubs,
    sampler_pubs,
)

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

SamplerOptions: TypeAlias = JobRunParamsSamplerOptions
"""Sampler options (dynamical decoupling, twirling, execution...); unset fields take the
service's defaults."""
EstimatorOptions: TypeAlias = JobRunParamsEstimatorOptions
"""Estimator options (resilience, twirling, dynamical decoupling...); unset fields take the
service's defaults."""

_MAX_RATE_LIMIT_RETRIES = 5


def sampler_body(
    backend: str,
    pubs: Sequence[SamplerPubLike],
    *,
    shots: int | None = None,
    options: SamplerOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
) -> JSONObject:
    """The ``POST /v1/jobs`` body of a Sampler job (checked; nothing is sent)."""
    shots = checked_shots(shots)
    return _body("sampler", backend, _wire(sampler_pubs(pubs), shots), options, session, tags)


def estimator_body(
    backend: str,
    pubs: Sequence[EstimatorPubLike],
    *,
    precision: float | None = None,
    options: EstimatorOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
) -> JSONObject:
    """The ``POST /v1/jobs`` body of an Estimator job (checked; nothing is sent)."""
    precision = checked_precision(precision)
    return _body("estimator", backend, _wire(estimator_pubs(pubs), precision), options, session, tags)


def sampler_job(
    client: AnyIQPClient,
    backend: str,
    pubs: Sequence[SamplerPubLike],
    *,
    shots: int | None = None,
    options: SamplerOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
    progress: SubmitProgress | None = None,
    pacer: Pacer | None = None,
) -> Flow[SubmittedJob]:
    """Submit a Sampler job and return it as ``jobs.submit`` does: a SubmittedJob (``.id``,
    ``.tag``, ``.recovered`` if its answer was lost and it was found by its tag).

    ``pubs`` are SamplerPubs, bare circuits or tuples ``(circuit[, parameter_values[, shots]])``;
    ``shots`` applies to PUBs that set none.
    Everything is checked before the request (PubError says what to fix). The call waits
    for a free slot under the job-submission rate limit rather than fail.
    """
    body = sampler_body(backend, pubs, shots=shots, options=options, session=session, tags=tags)
    return (yield from paced_submission(client, body, progress, pacer))


def estimator_job(
    client: AnyIQPClient,
    backend: str,
    pubs: Sequence[EstimatorPubLike],
    *,
    precision: float | None = None,
    options: EstimatorOptions | None = None,
    session: str | None = None,
    tags: Sequence[str] | None = None,
    progress: SubmitProgress | None = None,
    pacer: Pacer | None = None,
) -> Flow[SubmittedJob]:
    """Submit an Estimator job and return the created job. ``pubs`` are EstimatorPubs or
    tuples ``(circuit, observables[, parameter_values[, precision]])``; ``precision``
    applies to PUBs that set none. See ``submit_sampler`` for checking and pacing."""
    body = estimator_body(backend, pubs, precision=precision, options=options, session=session, tags=tags)
    return (yield from paced_submission(client, body, progress, pacer))


# Each helper is one flow (iqp_wrapper._flow) run by either driver.
submit_sampler = blocking(sampler_job, "submit_sampler")
async_submit_sampler = awaiting(sampler_job, "async_submit_sampler", "``submit_sampler`` for async code.")
submit_estimator = blocking(estimator_job, "submit_estimator")
async_submit_estimator = awaiting(
    estimator_job, "async_submit_estimator", "``submit_estimator`` for async code."
)


# -- the one place jobs are posted ----------------------------------------------------


def paced_submission(
    client: AnyIQPClient,
    body: JSONObject,
    progress: SubmitProgress | None,
    pacer: Pacer | None,
) -> Flow[SubmittedJob]:
    """Post the job ``body`` once its slot under the pacing is free, waiting out a 429's
    Retry-After; through ``submit_job``, so it carries an idempotency tag, and one whose
    answer is lost is found by it instead of being sent again (iqp_wrapper.jobs.submit)."""
    pacer = pacer or pacer_for(client)
    bounds = bounds_of(client)
    program = str(body["program_id"])
    for attempt in range(_MAX_RATE_LIMIT_RETRIES + 1):
        wait = pacer.reserve()
        if wait > 0:
            report_wait(SubmitWait("paced", wait, program), progress)
            yield _PAUSE(pacer, wait)
        try:
            return _created((yield from submission(client, JobRunParams.from_dict(body))), body)
        except RateLimitError as exc:
            if attempt == _MAX_RATE_LIMIT_RETRIES:
                raise
            delay = retry_after_wait(exc, bounds, pacer, program)
            report_wait(SubmitWait("retry_after", delay, program), progress)
            yield _PAUSE(pacer, delay)
    raise AssertionError("unreachable")


# The pacer's own sleep, either way (tests inject both).
_PAUSE = Io(lambda pacer, seconds: pacer.sleep(seconds), lambda pacer, seconds: pacer.async_sleep(seconds))


def _created(job: SubmittedJob, body: JSONObject) -> SubmittedJob:
    # The job as jobs.submit returns it (tag, recovered), its backend the one asked for
    # when the answer did not say.
    return job if job.backend is not None else replace(job, backend=str(body["backend"]))


# -- bodies -----------------------------------------------------------------------------


def _wire(pubs: Sequence[SamplerPub] | Sequence[EstimatorPub], default: JSON) -> list[JSON]:
    """The PUBs in REST form. Each one's last item (its shots or precision) is the call's
    ``default`` where the PUB sets none; trailing nulls are dropped: ``[qasm]`` rather
    than ``[qasm, null, null]``."""
    wire: list[JSON] = []
    for p in pubs:
        pub = p.to_json()  # a new list each time: changed in place
        if pub[-1] is None:
            pub[-1] = default
        while len(pub) > 1 and pub[-1] is None:
            pub.pop()
        wire.append(pub)
    return wire


def _body(
    program: str,
    backend: str,
    pubs: list[JSON],
    options: SamplerOptions | EstimatorOptions | None,
    session: str | None,
    tags: Sequence[str] | None,
) -> JSONObject:
    check_backend(backend)
    params: JSONObject = {"pubs": pubs, "version": 2}
    if options is not None:
        params["options"] = options.to_dict()
    return job_body(program, backend, params, session, tags)


def check_backend(backend: object) -> None:
    """A job needs a backend name: refused before anything else is built or sent."""
    if not isinstance(backend, str) or not backend:
        raise ConfigError(
            "a backend name is required (see least_busy)",
            setting="backend",
            source=ConfigSource.ARGUMENT,
            problem="missing",
        )


def job_body(
    program: str, backend: str, params: JSONObject, session: str | None, tags: Sequence[str] | None
) -> JSONObject:
    """The ``POST /v1/jobs`` body of any program: its params, the session and the tags."""
    body: JSONObject = {"program_id": program, "backend": backend, "params": params}
    if session:
        body["session_id"] = session
    if tags:
        body["tags"] = list(tags)
    return body


# -- backends ---------------------------------------------------------------------------


def least_busy(
    client: AnyIQPClient, *, min_qubits: int | None = None, operational: bool = True
) -> BackendsResponseDevicesItem:
    """The backend with the shortest queue among those with at least ``min_qubits``
    qubits (and online, unless ``operational=False``); simulators are left out.

    It needs a client that sends IBM-API-Version 2025-01-01 or later (older versions list
    backend names only, without status or queue); with an older one it raises ConfigError
    and sends nothing."""
    try:
        devices = Backends(client).list().devices
    except VersionShapeError as exc:
        raise _needs_backend_objects(client, exc) from None
    return _pick(devices, min_qubits, operational)


async def async_least_busy(
    client: AnyIQPClient, *, min_qubits: int | None = None, operational: bool = True
) -> BackendsResponseDevicesItem:
    """``least_busy`` for async code."""
    try:
        devices = (await AsyncBackends(client).list()).devices
    except VersionShapeError as exc:
        raise _needs_backend_objects(client, exc) from None
    return _pick(devices, min_qubits, operational)


def _needs_backend_objects(client: AnyIQPClient, exc: VersionShapeError) -> ConfigError:
    settings = client.settings
    sent = f"sends IBM-API-Version {exc.sent}" if exc.sent else "sends no IBM-API-Version"
    return ConfigError(
        "least_busy needs each backend's status, qubits and queue, which the backends list "
        f"gives from IBM-API-Version 2025-01-01 on; this client {sent}. Connect with a later "
        f"api_version (the default is {API_VERSION}).",
        setting="api_version",
        source=kind_of(settings.sources["api_version"]) if settings else None,
        problem="too_old",
    )


def _pick(
    devices: list[BackendsResponseDevicesItem], min_qubits: int | None, operational: bool
) -> BackendsResponseDevicesItem:
    def fits(device: BackendsResponseDevicesItem) -> bool:
        if device.is_simulator is True:
            return False
        if operational and device.status.name.value != "online":
            return False
        if min_qubits is not None:
            qubits = device.qubits
            if isinstance(qubits, Unset) or qubits is None or qubits < min_qubits:
                return False
        return True

    candidates = [d for d in devices if fits(d)]
    if not candidates:
        want = f" with at least {min_qubits} qubits" if min_qubits else ""
        state = " online" if operational else ""
        raise ConfigError(
            f"no{state} backend{want} is available to this instance ({len(devices)} listed)",
            setting="backend",
            source=ConfigSource.DEFAULT,
            problem="none_available",
        )
    return min(candidates, key=lambda d: (d.queue_length, d.name))
