"""Logging filters named in settings.LOGGING."""

import logging

from opcc.client_ip import client_address


class NoTracebackForRefusals(logging.Filter):
    """Django logs a refused request (403, 404) with the exception that refused it, which prints a whole
    traceback for something the service did on purpose. Keep the one-line warning, drop the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True


class WithClientAddress(logging.Filter):
    """A record about a request (Django's request and security loggers attach it) names the client's address,
    resolved as the lock-out and the rate limits resolve it, so a forged X-Forwarded-For is not what is logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        if meta is None:
            record.client = ""
        else:
            record.client = f" (client {client_address(request) or 'unknown'})"
        return True
