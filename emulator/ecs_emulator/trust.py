"""Role trust policy evaluation for sts:AssumeRole, as IAM decides it for the common shapes:
an explicit Deny wins; otherwise an Allow whose Principal names the caller (its ARN, its account
root, its account id, or "*") and whose Condition holds. Conditions support the String* and
Null operators (with `…IfExists`) on `sts:ExternalId`, `aws:PrincipalArn`, `aws:PrincipalAccount`
and `sts:RoleSessionName`; a condition on any other key does not hold.
"""

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

ASSUME_ACTIONS = ("sts:assumerole", "sts:*", "*")


@dataclass(frozen=True)
class Caller:
    """Who calls AssumeRole: the ARN STS names (a user or an assumed-role session) and its account."""

    arn: str
    account: str

    @property
    def principal_arns(self) -> set[str]:
        """The ARNs a trust policy may name for this caller: a session also matches its role."""
        arns = {self.arn}
        session = re.match(r"^arn:([^:]+):sts::(\d{12}):assumed-role/([^/]+)/", self.arn)
        if session:
            partition, account, role = session.groups()
            arns.add(f"arn:{partition}:iam::{account}:role/{role}")
        return arns


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def parse(document: Any) -> dict[str, Any]:
    """A policy document as IAM stores it (a dict, JSON, or URL-encoded JSON)."""
    if isinstance(document, dict):
        return document
    text = str(document or "")
    try:
        return json.loads(text)
    except ValueError:
        return json.loads(unquote(text))


def _principal_matches(principal: Any, caller: Caller) -> bool:
    if principal == "*":
        return True
    if not isinstance(principal, dict):
        return False
    arns = caller.principal_arns
    for value in _list(principal.get("AWS")):
        value = str(value)
        if value == "*" or value in arns:
            return True
        if value == caller.account or re.fullmatch(rf"arn:[^:]+:iam::{caller.account}:root", value):
            return True
    return False


def _action_matches(statement: dict[str, Any]) -> bool:
    return any(str(a).lower() in ASSUME_ACTIONS for a in _list(statement.get("Action")))


def _string_test(operator: str, actual: str, expected: str) -> bool:
    if operator == "StringEquals":
        return actual == expected
    if operator == "StringEqualsIgnoreCase":
        return actual.lower() == expected.lower()
    if operator == "StringLike":
        return fnmatch.fnmatchcase(actual, expected)
    if operator == "StringNotEquals":
        return actual != expected
    if operator == "StringNotLike":
        return not fnmatch.fnmatchcase(actual, expected)
    raise KeyError(operator)


def _condition_holds(condition: dict[str, Any], context: dict[str, str | None]) -> bool:
    for raw_operator, tests in (condition or {}).items():
        if_exists = raw_operator.endswith("IfExists")
        operator = raw_operator[: -len("IfExists")] if if_exists else raw_operator
        for key, expected in (tests or {}).items():
            key = key.lower()
            if key not in context:
                return False  # a key this evaluator does not know never holds
            actual = context[key]
            if operator == "Null":
                if (actual is None) != (str(_list(expected)[0]).lower() == "true"):
                    return False
                continue
            if actual is None:
                if if_exists:
                    continue
                return False
            try:
                negated = operator.startswith("StringNot")
                results = [_string_test(operator, actual, str(e)) for e in _list(expected)]
            except KeyError:
                return False  # an operator this evaluator does not know never holds
            if not (all(results) if negated else any(results)):
                return False
    return True


def allows(document: Any, caller: Caller, external_id: str | None, session_name: str | None) -> bool:
    """Whether the trust policy lets `caller` assume the role."""
    context = {
        "sts:externalid": external_id,
        "aws:principalarn": caller.arn,
        "aws:principalaccount": caller.account,
        "sts:rolesessionname": session_name,
    }
    allowed = False
    for statement in _list(parse(document).get("Statement")):
        if not (_action_matches(statement) and _principal_matches(statement.get("Principal"), caller)):
            continue
        if not _condition_holds(statement.get("Condition") or {}, context):
            continue
        if statement.get("Effect") == "Deny":
            return False
        if statement.get("Effect") == "Allow":
            allowed = True
    return allowed
