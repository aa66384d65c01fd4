"""What happens when a background job fails (Huey's signals, connected at start-up).

A failure with tries left is logged and the job comes back after a growing wait; the last failure
is logged and recorded as a FailedJob, which the admin lists and can enqueue again.
"""

import logging
import traceback

from django.conf import settings
from huey.contrib.djhuey import HUEY, signal
from huey.signals import SIGNAL_ERROR

from .models import FailedJob

logger = logging.getLogger("storefront.jobs")


@signal(SIGNAL_ERROR)
def job_failed(signal_name, task, exc=None):
    if task.retries:
        logger.warning("Job %s failed (%s tries left): %r", task.name, task.retries, exc)
        return
    logger.error("Job %s failed for good: %r", task.name, exc)
    FailedJob.objects.create(
        name=HUEY._registry.task_to_string(type(task)),
        arguments={"args": list(task.args or ()), "kwargs": dict(task.kwargs or {})},
        tries=settings.JOB_RETRIES + 1,
        error="".join(traceback.format_exception(exc))[-4000:] if exc else "",
    )


def job_enqueue_again(*, job: FailedJob) -> None:
    """Put a failed job back on the queue with a full set of tries."""
    task_class = HUEY._registry.string_to_task(job.name)
    HUEY.enqueue(
        task_class(args=tuple(job.arguments.get("args", ())), kwargs=job.arguments.get("kwargs", {}))
    )
