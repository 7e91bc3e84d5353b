"""DescribeAlarmHistory, which moto lacks: every state change the alarm evaluator makes is kept
per alarm (the newest 100), in AWS's shape: `HistoryItemType` StateUpdate, `HistorySummary`
`Alarm updated from OK to ALARM`, `HistoryData` JSON with `oldState` and `newState` (each
`stateValue`, `stateReason`, and `stateReasonData` for the new one). Filters: `AlarmName`,
`AlarmTypes` (MetricAlarm), `HistoryItemType`, `StartDate`, `EndDate`, `ScanBy`, `MaxRecords`
(1-100, default 100) and `NextToken`.
"""

import base64
import json
from collections import deque
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.exceptions import InvalidParameterValue
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

KEPT = 100


def _history(alarm: Any) -> deque:
    history = getattr(alarm, "_emulator_history", None)
    if history is None:
        history = alarm._emulator_history = deque(maxlen=KEPT)
    return history


def record(alarm: Any, old: tuple[str, str], new: tuple[str, str, str], at: datetime) -> None:
    """Keeps one state change: `old` (value, reason), `new` (value, reason, reason data JSON)."""
    data = {
        "version": "1.0",
        "oldState": {"stateValue": old[0], "stateReason": old[1]},
        "newState": {"stateValue": new[0], "stateReason": new[1], "stateReasonData": json.loads(new[2] or "{}")},
    }
    _history(alarm).append({
        "AlarmName": alarm.name,
        "AlarmType": "MetricAlarm",
        "Timestamp": at,
        "HistoryItemType": "StateUpdate",
        "HistorySummary": f"Alarm updated from {old[0]} to {new[0]}",
        "HistoryData": json.dumps(data),
    })


def _aware(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(float(value), tz=timezone.utc)


def describe_alarm_history(self: CloudWatchResponse) -> ActionResult:
    name = self._get_param("AlarmName")
    types = self._get_param("AlarmTypes") or []
    kind = self._get_param("HistoryItemType")
    start, end = _aware(self._get_param("StartDate")), _aware(self._get_param("EndDate"))
    newest_first = (self._get_param("ScanBy") or "TimestampDescending") == "TimestampDescending"
    given = self._get_param("MaxRecords")
    limit = KEPT if given is None or given == "" else int(given)
    if not 1 <= limit <= 100:
        raise InvalidParameterValue("MaxRecords must be between 1 and 100.")
    backend = self.cloudwatch_backend
    alarms = [backend.alarms[name]] if name in backend.alarms else [] if name else list(backend.alarms.values())
    items = [
        item for alarm in alarms for item in getattr(alarm, "_emulator_history", ())
        if (not types or "MetricAlarm" in types) and (not kind or item["HistoryItemType"] == kind)
        and (start is None or _aware(item["Timestamp"]) >= start) and (end is None or _aware(item["Timestamp"]) <= end)
    ]
    items.sort(key=lambda i: i["Timestamp"], reverse=newest_first)
    token = self._get_param("NextToken")
    try:
        first = int(base64.b64decode(token).decode()) if token else 0
    except ValueError:
        raise InvalidParameterValue("The NextToken is not valid.") from None
    result: dict[str, Any] = {"AlarmHistoryItems": items[first:first + limit]}
    if first + limit < len(items):
        result["NextToken"] = base64.b64encode(str(first + limit).encode()).decode()
    return ActionResult(result)


def install() -> None:
    """Adds the action to moto's CloudWatch responses (they dispatch by the snake_case name)."""
    CloudWatchResponse.describe_alarm_history = describe_alarm_history
