"""CloudWatch metric alarm evaluation, which moto lacks (it stores alarms but never moves them).

Each metric alarm is evaluated as each of its periods ends (a period of P seconds lasts P/60
emulated minutes, ECS_EMULATOR_MINUTE_SECONDS real seconds each; periods are aligned to the epoch,
as CloudWatch aligns them) over its last `EvaluationPeriods` complete periods: the
statistic (Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p95) of the
datapoints in each period is compared with the threshold; `DatapointsToAlarm` (default: all)
breaching periods make it ALARM, else OK. Periods without data follow `TreatMissingData`:
missing (default: all missing → INSUFFICIENT_DATA), ignore (state kept), breaching,
notBreaching. Metric math alarms (`Metrics`) evaluate their MetricStat queries per period and the
returned expression (+ - * /, comparisons, parentheses, numbers, FILL(m, value),
IF(condition, then, else)). Composite alarms are left
alone. A new alarm starts INSUFFICIENT_DATA, as on AWS. Each change of state sets the
alarm's StateReasonData (recentDatapoints, threshold, evaluatedDatapoints, as AWS writes it) and is
kept for DescribeAlarmHistory (alarm_history.py).
"""

import ast
import json
import math
import operator
from datetime import datetime, timezone
from typing import Any

from moto.cloudwatch.models import Alarm, CloudWatchBackend, MetricAggregatedDatum, cloudwatch_backends

from . import alarm_history
from .metrics import dimension_key, percentile, series
from .settings import Settings

COMPARISONS = {
    "GreaterThanThreshold": (operator.gt, "greater than"),
    "GreaterThanOrEqualToThreshold": (operator.ge, "greater than or equal to"),
    "LessThanThreshold": (operator.lt, "less than"),
    "LessThanOrEqualToThreshold": (operator.le, "less than or equal to"),
}
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}
# Comparisons give 1 or 0, as in CloudWatch metric math (IF's condition).
_COMPARE = {ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Eq: operator.eq, ast.NotEq: operator.ne}


def _naive(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def statistic(datums: list[Any], stat: str) -> float | None:
    """A CloudWatch statistic of single values and statistic sets."""
    if not datums:
        return None
    values = [d.value for d in datums if not isinstance(d, MetricAggregatedDatum)]
    sets = [d for d in datums if isinstance(d, MetricAggregatedDatum)]
    count = len(values) + sum(s.sample_count for s in sets)
    total = sum(values) + sum(s.sum for s in sets)
    if stat == "Sum":
        return total
    if stat == "SampleCount":
        return count
    if stat == "Average":
        return total / count if count else None
    if stat == "Minimum":
        return min(values + [s.min for s in sets])
    if stat == "Maximum":
        return max(values + [s.max for s in sets])
    if stat.startswith("p"):
        return percentile(values, stat)
    return None


def datapoints(backend: CloudWatchBackend, namespace: str, name: str, dimensions: list[Any],
               start: datetime, end: datetime) -> list[Any]:
    """Datapoints of one metric (exactly these dimensions) with start <= timestamp < end."""
    key = (namespace, name, dimension_key(dimensions))
    found = []
    for datum in reversed(series(backend).get(key, ())):
        if datum.timestamp < start:
            break
        if datum.timestamp < end:
            found.append(datum)
    found += [
        d for d in backend.metric_data
        if d.namespace == namespace and d.name == name and start <= d.timestamp < end
        and dimension_key(d.dimensions) == key[2]
    ]
    return found


def _expression(text: str, values: dict[str, float | None]) -> float | None:
    def walk(node: ast.AST) -> float | None:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            inner = walk(node.operand)
            return None if inner is None else -inner
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            left, right = walk(node.left), walk(node.right)
            if left is None or right is None or (isinstance(node.op, ast.Div) and right == 0):
                return None
            return _OPERATORS[type(node.op)](left, right)
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARE:
            left, right = walk(node.left), walk(node.comparators[0])
            if left is None or right is None:
                return None
            return 1.0 if _COMPARE[type(node.ops[0])](left, right) else 0.0
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "IF" and len(node.args) == 3:
            condition = walk(node.args[0])
            if condition is None:
                return None
            return walk(node.args[1] if condition != 0 else node.args[2])
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "FILL" and len(node.args) == 2:
            value = walk(node.args[0])
            return walk(node.args[1]) if value is None else value
        raise ValueError(f"unsupported metric math: {text}")

    return walk(ast.parse(text, mode="eval"))


class AlarmEvaluator:
    """A ticker job: evaluates every metric alarm of every account and region when due."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def __call__(self, now: float) -> None:
        for _account, _region, backend in list(cloudwatch_backends.iter_backends()):
            for alarm in list(backend.alarms.values()):
                if alarm.rule:
                    continue
                period = self.settings.period(int(alarm.period or 60))
                end = math.floor(now / period) * period
                if end <= getattr(alarm, "_emulator_evaluated", -math.inf):
                    continue
                alarm._emulator_evaluated = end
                self.evaluate(backend, alarm, end, period)

    def value(self, backend: CloudWatchBackend, alarm: Alarm, start: datetime, end: datetime) -> float | None:
        if not alarm.metric_data_queries:
            stat = alarm.extended_statistic or alarm.statistic or "Average"
            return statistic(datapoints(backend, alarm.namespace, alarm.metric_name, alarm.dimensions, start, end), stat)
        values: dict[str, float | None] = {}
        for query in alarm.metric_data_queries:
            if query.metric_stat is not None:
                metric = query.metric_stat.metric
                found = datapoints(backend, metric.namespace, metric.metric_name, metric.dimensions, start, end)
                values[query.id] = statistic(found, query.metric_stat.stat)
        returned = None
        for query in alarm.metric_data_queries:
            if query.expression:
                values[query.id] = _expression(query.expression, values)
            if str(query.return_data).lower() in ("true", "none"):
                returned = query.id
        return values.get(returned or alarm.metric_data_queries[-1].id)

    def evaluate(self, backend: CloudWatchBackend, alarm: Alarm, end: float, period: float) -> None:
        """Evaluates the `EvaluationPeriods` periods before `end` and sets the alarm's state."""
        periods = int(alarm.evaluation_periods or 1)
        needed = int(alarm.datapoints_to_alarm or periods)
        compare, words = COMPARISONS.get(alarm.comparison_operator, COMPARISONS["GreaterThanThreshold"])
        threshold = float(alarm.threshold or 0)
        try:
            values = [self.value(backend, alarm, _naive(end - (i + 1) * period), _naive(end - i * period))
                      for i in range(periods)]
        except ValueError as error:
            self._set(alarm, "INSUFFICIENT_DATA", f"Unchecked: {error}")
            return
        present = [v for v in values if v is not None]
        missing = len(values) - len(present)
        # AWS's StateReasonData: the datapoints oldest first, the threshold, when it was evaluated.
        data = json.dumps({
            "version": "1.0",
            "queryDate": _naive(end).isoformat() + "Z",
            "startDate": _naive(end - periods * period).isoformat() + "Z",
            "period": int(alarm.period or 60),
            "recentDatapoints": list(reversed(present)),
            "threshold": threshold,
            "evaluatedDatapoints": [
                {"timestamp": _naive(end - (i + 1) * period).isoformat() + "Z", "value": v}
                for i, v in enumerate(values) if v is not None
            ],
        })
        treat = alarm.treat_missing_data or "missing"
        breaching = sum(1 for v in present if compare(v, threshold)) + (missing if treat == "breaching" else 0)
        if not present and treat in ("missing", "ignore"):
            if treat == "missing":
                self._set(alarm, "INSUFFICIENT_DATA", f"Insufficient Data: {periods} datapoints were unknown.", data)
            return
        shown = ", ".join(f"{v:g}" for v in present[:5])
        state = "ALARM" if breaching >= needed else "OK"
        count = breaching if state == "ALARM" else len(present) - breaching
        phrase = ("was" if count == 1 else "were") + ("" if state == "ALARM" else " not") + f" {words}"
        reason = (f"Threshold Crossed: {count} out of the last {periods} datapoints [{shown}] {phrase} the "
                  f"threshold ({threshold:g}) (minimum {needed} datapoint{'s' if needed > 1 else ''} "
                  "for OK -> ALARM transition).")
        self._set(alarm, state, reason, data)

    @staticmethod
    def _set(alarm: Alarm, state: str, reason: str, data: str = "{}") -> None:
        if alarm.state_value != state:
            old = (alarm.state_value, alarm.state_reason)
            alarm.update_state(reason, data, state)
            alarm_history.record(alarm, old, (state, reason, data), datetime.now(timezone.utc))


def install() -> None:
    """New alarms start INSUFFICIENT_DATA; a changed alarm keeps its state until evaluated again."""
    put_metric_alarm = CloudWatchBackend.put_metric_alarm

    def put(self: CloudWatchBackend, name: str, *args: Any, **kwargs: Any) -> Alarm:
        previous = self.alarms.get(name)
        alarm = put_metric_alarm(self, name, *args, **kwargs)
        if previous is None:
            alarm.state_value = "INSUFFICIENT_DATA"
            alarm.state_reason = "Unchecked: Initial alarm creation"
        else:
            alarm.state_value, alarm.state_reason = previous.state_value, previous.state_reason
            alarm.state_updated_timestamp = previous.state_updated_timestamp
            alarm.history = previous.history
        return alarm

    CloudWatchBackend.put_metric_alarm = put
