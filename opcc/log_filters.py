"""Logging filters named in settings.LOGGING."""

import logging


class NoTracebackForRefusals(logging.Filter):
    """Django logs a refused request (403, 404) with the exception that refused it, which prints a whole
    traceback for something the service did on purpose. Keep the one-line warning, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
