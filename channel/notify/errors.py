"""What a channel answers when it did not send: refused for good, try later, or out of order.

The engine (channel.notify.engine) falls back to the next channel on ``Refused`` and ``Down``
and retries the same channel on ``Later``. Messages are for the delivery log: they never carry
a token or a key.
"""


class SendError(Exception):
    """A channel did not send the notice; ``str()`` says why, for the delivery log."""


class Refused(SendError):
    """This channel cannot carry this notice (no number, no approved template, not a follower,
    quota reached, the provider refused the number): the next channel is tried."""


class Down(SendError):
    """The channel is out of order for every notice (Zalo's tokens cannot be refreshed): the
    next channel is tried, and the channel is not tried again until an administrator acts."""


class Later(SendError):
    """A transient failure (timeout, the provider's server error, a rate limit): the same
    channel is tried again after ``retry_after`` seconds (None: the task's backoff)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after
