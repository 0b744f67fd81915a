"""submit_job(): send a job exactly once, and never lose it.

Every submission carries an idempotency tag the client makes up:

    iqp-submit-<32 lowercase hex digits>        (43 characters; a random UUID4, in hex)

It goes into the job's ``tags`` next to the caller's own (the API allows 8 tags of up to 86
characters, so the caller may use 7). When a submission's outcome is unknown (the
connection broke or timed out after the request may have left, or a success or 5xx answer
could not be trusted) the client does not send it again: it looks the job up by its tag
(``GET /v1/jobs?tags=<tag>``, a few times over a few seconds, as the job may take a moment
to be listed) and returns it if it exists. If it cannot tell, it raises
SubmissionUnknownError with the tag: look the job up with ``find_job_by_tag`` before
deciding to submit again.

Errors that prove the job was not created (4xx, 429 included; a connection never made) are
raised as they are.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import attrs

from iqp_api.models.job_create_response import JobCreateResponse
from iqp_api.models.job_response_v3 import JobResponseV3
from iqp_api.models.job_run_params import JobRunParams
from iqp_api.models.job_run_params_channel_partner import JobRunParamsChannelPartner
from iqp_api.models.jobs_response import JobsResponse
from iqp_api.resources.jobs import AsyncJobs, Jobs
from iqp_wrapper._flow import SLEEP, Flow, awaiting, blocking, namespace_call
from iqp_wrapper.errors import (
    APIConnectionError,
    ConfigError,
    ConfigSource,
    IQPError,
    ServerError,
    SubmissionUnknownError,
    UnexpectedResponseError,
)

if TYPE_CHECKING:
    from iqp_wrapper.client import AnyIQPClient

TAG_PREFIX = "iqp-submit-"
MAX_TAGS = 8  # the API's limit on a job's tags
# Looked up at once, then again after these pauses: a job created as its request timed out
# may be listed a moment later.
DEFAULT_LOOKUP_PAUSES: tuple[float, ...] = (0.0, 1.0, 2.0)

JobBody = JobRunParams | JobRunParamsChannelPartner

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmittedJob:
    """A job the API has, whether its creation was answered or found afterwards.

    Attributes:
        id: the job's ID.
        tag: the idempotency tag it carries.
        backend: its backend, if known.
        session_id: its session, if any.
        recovered: True if the submission's answer was lost and the job found by its tag.
    """

    id: str
    tag: str
    backend: str | None = None
    session_id: str | None = None
    recovered: bool = False


def new_tag() -> str:
    """A fresh idempotency tag: ``iqp-submit-`` and a random UUID4 in hex."""
    return TAG_PREFIX + uuid.uuid4().hex


def submission(
    client: AnyIQPClient,
    body: JobBody,
    *,
    tag: str | None = None,
    lookup_pauses: Sequence[float] = DEFAULT_LOOKUP_PAUSES,
    sleep: Callable[[float], object] | None = None,
) -> Flow[SubmittedJob]:
    """Create the job ``body`` describes, once; find it by its tag if the answer is lost.

    Args:
        client: from ``connect()``.
        body: the job; its tags are kept, and the idempotency tag added to them.
        tag: the idempotency tag to use (a fresh one by default; see ``new_tag``).
        lookup_pauses: the pauses before each lookup when the outcome is unknown.
        sleep: for tests (``time.sleep``, or ``asyncio.sleep`` for the async twin, by default).

    Raises:
        SubmissionUnknownError: the job may exist and could not be found; ``.tag`` says
            what to look for.
        APIError (and subclasses), APIConnectionError, ConfigError: the job was not created.
    """
    tagged, tag = _tagged(body, tag)
    try:
        created: JobCreateResponse = yield _CREATE(client, body=tagged)
    except IQPError as exc:
        if not _outcome_unknown(exc):
            raise
        uncertain = exc
    else:
        return _from_created(created, tag)
    _log.warning("job submission %s: outcome unknown (%s); looking the job up by its tag", tag, uncertain)
    for pause in lookup_pauses:
        if pause > 0:
            yield SLEEP(sleep, pause)
        try:
            found: JobResponseV3 | None = yield from _finding(client, tag)
        except IQPError as lookup_error:
            _log.warning("looking up job %s failed: %s", tag, lookup_error)
            continue
        if found is not None:
            return _from_found(found, tag)
    raise _unknown(tag, uncertain) from uncertain


submit_job = blocking(submission, "submit_job")
async_submit_job = awaiting(submission, "async_submit_job", "The async twin of ``submit_job``.")

_CREATE = namespace_call(lambda c: Jobs(c).create, lambda c: AsyncJobs(c).create)
_LIST = namespace_call(lambda c: Jobs(c).list, lambda c: AsyncJobs(c).list)


def _finding(client: AnyIQPClient, tag: str) -> Flow[JobResponseV3 | None]:
    """The job carrying ``tag``, or None if the API lists none. Raises if it cannot ask."""
    listed: JobsResponse = yield _LIST(client, tags=[tag], limit=_LOOKUP_LIMIT)
    return _pick(tag, listed)


find_job_by_tag = blocking(_finding, "find_job_by_tag")
async_find_job_by_tag = awaiting(_finding, "async_find_job_by_tag", "The async twin of ``find_job_by_tag``.")


# Two, so that a duplicate (which this module exists to prevent) would be noticed.
_LOOKUP_LIMIT = 2


def _pick(tag: str, listed: JobsResponse) -> JobResponseV3 | None:
    jobs = [job for job in listed.jobs if isinstance(job.tags, list) and tag in job.tags]
    if len(jobs) > 1:
        _log.error("%d jobs carry the idempotency tag %s: %s", len(jobs), tag, [job.id for job in jobs])
    # The API lists newest first: the first one created is the last.
    return jobs[-1] if jobs else None


def _tagged(body: JobBody, tag: str | None) -> tuple[JobBody, str]:
    tag = tag or new_tag()
    existing = list(body.tags) if isinstance(body.tags, list) else []
    if tag in existing:
        return body, tag
    if len(existing) >= MAX_TAGS:
        raise ConfigError(
            f"The job already has {len(existing)} tags; the API allows {MAX_TAGS} and the "
            f"client adds one to find the job if its answer is lost. Use at most {MAX_TAGS - 1}.",
            setting="tags",
            source=ConfigSource.ARGUMENT,
            problem="too_many_tags",
        )
    return attrs.evolve(body, tags=[*existing, tag]), tag


def _outcome_unknown(exc: IQPError) -> bool:
    """True if the job may have been created although the call failed."""
    if isinstance(exc, APIConnectionError):
        return exc.may_have_reached_server
    return isinstance(exc, (UnexpectedResponseError, ServerError))


def _from_created(created: JobCreateResponse, tag: str) -> SubmittedJob:
    return SubmittedJob(
        id=created.id,
        tag=tag,
        backend=_text(created.backend),
        session_id=_text(created.session_id),
    )


def _from_found(found: JobResponseV3, tag: str) -> SubmittedJob:
    _log.info("job submission %s: found job %s by its tag", tag, found.id)
    return SubmittedJob(
        id=found.id,
        tag=tag,
        backend=_text(found.backend),
        session_id=_text(found.session_id),
        recovered=True,
    )


def _text(value: object) -> str | None:
    """A text field as it came, or None when absent or null (never the text 'None')."""
    return value if isinstance(value, str) and value else None


def _unknown(tag: str, cause: IQPError) -> SubmissionUnknownError:
    return SubmissionUnknownError(
        f"The job submission may or may not have created a job ({cause}), and no job with "
        f"its tag {tag!r} could be found. Look it up (find_job_by_tag, or GET "
        f"/v1/jobs?tags={tag}) before submitting again.",
        tag=tag,
    )
