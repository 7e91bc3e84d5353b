"""sts:AssumeRole as AWS decides it, and the first role of a fresh account.

moto hands out credentials for any role ARN (they map to the ARN's account, which isolates every
resource per account). The layer checks the call first, like AWS: the role must exist in the
target account's IAM and its trust policy must let the caller assume it, an `sts:ExternalId`
condition included; otherwise AccessDenied (HTTP 403) naming the caller and the role.

Bootstrap: AWS Organizations creates `OrganizationAccountAccessRole` in each member account,
trusting the management account. The emulator stands in for it: that role exists in every
account other than the main one (ECS_EMULATOR_MAIN_ACCOUNT), trusts the main account's root and
allows everything; it is created in the target account's IAM the first time it is assumed.
"""

import json
import re
import uuid
from typing import Any
from xml.sax.saxutils import escape

from moto.iam.models import iam_backends
from moto.sts.models import sts_backends
from moto.sts.responses import TokenResponse
from moto.utilities.utils import get_partition

from . import trust

ORGANIZATION_ROLE = "OrganizationAccountAccessRole"
_ROLE_ARN = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/(?:[^/]+/)*([^/]+)$")


def organization_role_documents(main_account: str, partition: str) -> tuple[str, str]:
    """The trust policy and inline policy of the emulator's OrganizationAccountAccessRole."""
    trust_policy = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:{partition}:iam::{main_account}:root"},
            "Action": "sts:AssumeRole",
        }],
    }
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    return json.dumps(trust_policy), json.dumps(admin)


def _find_role(account: str, partition: str, name: str) -> Any | None:
    backend = iam_backends[account][partition]
    return next((r for r in backend.get_roles() if r.name == name), None)


def _ensure_organization_role(account: str, partition: str, main_account: str) -> Any:
    role = _find_role(account, partition, ORGANIZATION_ROLE)
    if role is None:
        backend = iam_backends[account][partition]
        trust_policy, admin = organization_role_documents(main_account, partition)
        role = backend.create_role(
            ORGANIZATION_ROLE, trust_policy, "/", None,
            "The emulator's stand-in for the role AWS Organizations creates in member accounts",
            [], None,
        )
        backend.put_role_policy(ORGANIZATION_ROLE, "AdministratorAccess", admin)
    return role


def refusal(response: TokenResponse, main_account: str) -> str | None:
    """Why AWS would refuse this AssumeRole call (the AccessDenied message), or None."""
    role_arn = response._get_param("RoleArn") or ""
    region = response.region
    partition = get_partition(region)
    _user_id, caller_arn, caller_account = sts_backends[response.current_account][partition].get_caller_identity(
        response.get_access_key(), region
    )
    denied = f"User: {caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"
    match = _ROLE_ARN.match(role_arn)
    if not match:
        return denied
    role_partition, account, name = match.groups()
    if name == ORGANIZATION_ROLE and account != main_account:
        role = _ensure_organization_role(account, role_partition, main_account)
    else:
        role = _find_role(account, role_partition, name)
    if role is None:
        return denied
    caller = trust.Caller(arn=caller_arn, account=caller_account)
    external_id = response._get_param("ExternalId")
    session_name = response._get_param("RoleSessionName")
    try:
        allowed = trust.allows(role.assume_role_policy_document, caller, external_id, session_name)
    except ValueError:  # a trust policy that is not JSON trusts no one
        allowed = False
    return None if allowed else denied


def _access_denied(message: str) -> tuple[str, dict[str, Any]]:
    body = (
        '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
        f"<Error><Type>Sender</Type><Code>AccessDenied</Code><Message>{escape(message)}</Message></Error>"
        f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
    return body, {"status": 403, "Content-Type": "text/xml"}


def install(main_account: str) -> None:
    """Checks every AssumeRole call before moto answers it."""
    assume_role = TokenResponse.assume_role

    def checked_assume_role(self: TokenResponse) -> Any:
        message = refusal(self, main_account)
        if message is not None:
            return _access_denied(message)
        return assume_role(self)

    TokenResponse.assume_role = checked_assume_role
