"""A real SMTP server (aiosmtpd) in the test process, receiving what the app sends."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


class RecordingHandler:
    """Stores every accepted message; refuses the first ``refuse`` deliveries with a temporary error."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.messages: list[email.message.EmailMessage] = []
        self.refused = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            if self.refused < self.refuse:
                self.refused += 1
                return "451 4.3.0 Tillfälligt fel, försök igen senare"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.messages.append(message)
        return "250 OK"

    def recipients(self):
        return sorted(address for m in self.messages for address in m["To"].split(", "))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """Start a real SMTP server on loopback and point Django's mail at it."""
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    handler.url = f"smtp://127.0.0.1:{controller.port}"
    try:
        yield handler
    finally:
        controller.stop()
