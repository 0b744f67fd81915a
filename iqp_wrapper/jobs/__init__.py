"""Helpers for jobs, sync and async: list every page, wait for the end, read the result.

>>> from iqp_wrapper import connect
>>> from iqp_wrapper.jobs import iter_jobs, job_results, wait_for_job
>>> with connect() as client:
...     for job in iter_jobs(client, pending=True, limit=50):
...         print(job.id, job.status)
...     job = wait_for_job(client, "<job id>", timeout=600)
...     result = job_results(client, job.id)
...     submitted = submit_job(client, body)  # once, and found by its tag if the answer is lost
"""

from iqp_wrapper.jobs.paging import MAX_PAGE_SIZE, aiter_jobs, async_iter_jobs, iter_jobs
from iqp_wrapper.jobs.results import JobResult, async_job_results, job_results, result_data
from iqp_wrapper.jobs.states import FINAL_STATUSES, is_final, reason_of, status_of
from iqp_wrapper.jobs.submit import (
    SubmittedJob,
    async_find_job_by_tag,
    async_submit_job,
    find_job_by_tag,
    submit_job,
)
from iqp_wrapper.jobs.waiting import ProgressCallback, WaitProgress, async_wait_for_job, wait_for_job

__all__ = [
    "FINAL_STATUSES",
    "MAX_PAGE_SIZE",
    "JobResult",
    "ProgressCallback",
    "SubmittedJob",
    "WaitProgress",
    "aiter_jobs",
    "async_find_job_by_tag",
    "async_iter_jobs",
    "async_job_results",
    "async_submit_job",
    "async_wait_for_job",
    "find_job_by_tag",
    "is_final",
    "iter_jobs",
    "job_results",
    "reason_of",
    "result_data",
    "status_of",
    "submit_job",
    "wait_for_job",
]
