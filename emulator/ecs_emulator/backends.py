"""Looking up moto backends without creating them (indexing a BackendDict creates the account's
backends, under a lock, on every call)."""

from typing import Any


def existing(backends: Any, account: str, region: str) -> Any | None:
    """The backend of `account` and `region` if moto ever created it, else None."""
    regions = dict.get(backends, account)
    return dict.get(regions, region) if regions is not None else None
