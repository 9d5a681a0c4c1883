"""Run monitors (Spidermon), drift alarms and run reports.

``summary``  a run's stats → its coverage and sources (pure)
``drift``    a run's summary against the previous runs' → alarms (pure)
``history``  the JSON Lines file of past run summaries (``ATLANTICO_STATE_DIR/runs.jsonl``)
``report``   the failure report and the summary table (pure text)
``monitors`` the Spidermon monitors; ``actions`` what a run does when they pass or fail;
``suites``   the suite run when the spider closes (``SPIDERMON_SPIDER_CLOSE_MONITORS``)
"""
