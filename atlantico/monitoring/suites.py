"""The monitor suite run when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)."""

from __future__ import annotations

from spidermon import MonitorSuite
from spidermon.contrib.scrapy.monitors.monitors import FinishReasonMonitor

from atlantico.monitoring.actions import FailRun, PassRun, RecordRun
from atlantico.monitoring.monitors import (
    DriftMonitor,
    FieldCoverageMonitor,
    LogCountMonitor,
    RejectedItemsMonitor,
    SectionItemCountMonitor,
    UnwantedHTTPCodes,
)
from atlantico.monitoring.notify import NotifyFailure


class CloseSpiderSuite(MonitorSuite):
    monitors = [
        SectionItemCountMonitor,
        FieldCoverageMonitor,
        RejectedItemsMonitor,
        DriftMonitor,
        LogCountMonitor,  # SPIDERMON_MAX_ERRORS, SPIDERMON_MAX_WARNINGS
        FinishReasonMonitor,  # SPIDERMON_EXPECTED_FINISH_REASONS
        UnwantedHTTPCodes,  # SPIDERMON_UNWANTED_HTTP_CODES, less listing pages asked ahead
    ]
    monitors_finished_actions = [RecordRun]
    monitors_passed_actions = [PassRun]
    monitors_failed_actions = [FailRun, NotifyFailure]  # ATLANTICO_NOTIFY_*: off by default
