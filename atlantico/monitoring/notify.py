"""Notifications of a failed run: e-mail, Slack and a webhook, each switched on by a setting.

A Spidermon action of the close suite's failed actions, after :class:`FailRun`; it sends the
same failure report (``atlantico/monitoring/report.py``: what failed, with its figures, and
where the evidence is) on every channel that is configured:

- e-mail: ``ATLANTICO_NOTIFY_EMAIL_TO`` (comma-separated addresses), through
  ``ATLANTICO_NOTIFY_SMTP_HOST``/``_PORT`` (default localhost:25), with ``_SMTP_USER`` and
  ``_SMTP_PASSWORD`` when the relay wants them and ``_SMTP_STARTTLS`` for TLS, from
  ``ATLANTICO_NOTIFY_EMAIL_FROM``;
- Slack: ``ATLANTICO_NOTIFY_SLACK_WEBHOOK``, an incoming-webhook URL (``{"text": report}``);
- any other service: ``ATLANTICO_NOTIFY_WEBHOOK``, a URL that receives a JSON POST
  ``{"event": "run_failed", "spider", "finish_reason", "failures", "report", "counts"}``.

Spidermon's own e-mail and Slack actions are not used: they need its extras (Jinja2,
premailer, slack_sdk), its SMTP action insists on a user and a password and sends in the
background without waiting, so a crawl that ends at once may exit before the mail is out.
These send synchronously, with a timeout, while the spider closes. A channel that fails logs one
error and counts ``atlantico/notify/failed/<channel>``; one that worked counts
``atlantico/notify/sent/<channel>``. Nothing is sent for a run that passed.
"""

from __future__ import annotations

import json
import logging
import smtplib
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from scrapy.crawler import Crawler
from scrapy.settings import BaseSettings
from spidermon.core.actions import Action

from atlantico import stats as names
from atlantico.monitoring.actions import failure_text

logger = logging.getLogger(__name__)

TIMEOUT = 30.0  # seconds for each channel: a dead relay must not hold the run for long


def subject(spider: str, failures: list[str], host: str | None = None) -> str:
    """The e-mail's subject line.

    >>> subject("atlantico", ["Drift", "LogCount"], "crawler-1")
    'atlantico run FAILED on crawler-1: Drift, LogCount'
    """
    return f"{spider} run FAILED on {host or socket.gethostname()}: {', '.join(failures)}"


def send_email(settings: BaseSettings, title: str, report: str) -> None:
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = settings.get("ATLANTICO_NOTIFY_EMAIL_FROM")
    recipients = [a.strip() for a in settings.getlist("ATLANTICO_NOTIFY_EMAIL_TO") if a.strip()]
    message["To"] = ", ".join(recipients)
    message.set_content(report)
    host = settings.get("ATLANTICO_NOTIFY_SMTP_HOST")
    port = settings.getint("ATLANTICO_NOTIFY_SMTP_PORT")
    with smtplib.SMTP(host, port, timeout=TIMEOUT) as smtp:
        if settings.getbool("ATLANTICO_NOTIFY_SMTP_STARTTLS"):
            smtp.starttls()
        user = settings.get("ATLANTICO_NOTIFY_SMTP_USER")
        if user:
            smtp.login(user, settings.get("ATLANTICO_NOTIFY_SMTP_PASSWORD") or "")
        smtp.send_message(message, to_addrs=recipients)


def post_json(url: str, payload: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
        answer.read()


class NotifyFailure(Action):
    def run_action(self) -> None:
        crawler: Crawler = self.data.crawler
        settings = crawler.settings
        report, failed = failure_text(self)
        spider = crawler.spider.name if crawler.spider else "atlantico"
        stats = self.data.stats
        channels: dict[str, Callable[[], None]] = {}
        if settings.getlist("ATLANTICO_NOTIFY_EMAIL_TO"):
            title = subject(spider, failed)
            channels["email"] = lambda: send_email(settings, title, report)
        slack = settings.get("ATLANTICO_NOTIFY_SLACK_WEBHOOK")
        if slack:
            channels["slack"] = lambda: post_json(slack, {"text": report})
        webhook = settings.get("ATLANTICO_NOTIFY_WEBHOOK")
        if webhook:
            payload = {
                "event": "run_failed",
                "spider": spider,
                "finish_reason": stats.get("finish_reason"),
                "failures": failed,
                "report": report,
                "counts": {
                    "exported": stats.get("item_scraped_count", 0),
                    "dropped": stats.get("item_dropped_count", 0),
                    "errors": stats.get("log_count/ERROR", 0),
                },
            }
            channels["webhook"] = lambda: post_json(webhook, payload)
        assert crawler.stats is not None
        for channel, send in channels.items():
            try:
                send()
            except (OSError, smtplib.SMTPException, urllib.error.URLError) as error:
                crawler.stats.inc_value(names.NOTIFY_FAILED.format(channel=channel))
                logger.error("Could not send the failure notification by %s: %s", channel, error)
            else:
                crawler.stats.inc_value(names.NOTIFY_SENT.format(channel=channel))
                logger.info("Failure notification sent by %s", channel)
