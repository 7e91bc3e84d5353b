"""Image conventions: which images fail on purpose, their digests and tags.

An image reference whose repository or tag contains the word `broken` (for example
`ghcr.io/acme/api:1.4.0-broken` or `ghcr.io/acme/broken-api:1.0`) can never be pulled:
its tasks stop with CannotPullContainerError. One containing `unhealthy` starts, then
fails its container health checks. The registry host is not looked at. An image whose tag ends in `-errors` answers every request
with a 5xx, one whose tag ends in `-slow` answers slowly (over a second); both stay healthy.
"""

import hashlib


def _has_registry(image: str) -> bool:
    first, _, rest = image.partition("/")
    return bool(rest) and ("." in first or ":" in first or first == "localhost")


def _path(image: str) -> str:
    """The reference without its registry host (`ghcr.io/acme/api:1` -> `acme/api:1`)."""
    return image.partition("/")[2] if _has_registry(image) else image


def is_broken(image: str) -> bool:
    """The image cannot be pulled."""
    return "broken" in _path(image).lower()


def is_unhealthy(image: str) -> bool:
    """The image starts but fails its health checks."""
    return not is_broken(image) and "unhealthy" in _path(image).lower()


def behaviour(image: str) -> str:
    """How the image answers requests: "errors" (5xx), "slow" (> 1 s) or "ok". The tag decides,
    also when the reference is pinned to a digest (`repo:1.2.0-errors@sha256:…`, as the portal
    promotes it)."""
    version = tag(image.split("@", 1)[0]).lower()
    if version.endswith("-errors"):
        return "errors"
    if version.endswith("-slow"):
        return "slow"
    return "ok"


def digest(image: str) -> str:
    """The digest a pull resolves: the pinned one, else sha256 of the reference."""
    if "@sha256:" in image:
        return "sha256:" + image.split("@sha256:", 1)[1]
    return "sha256:" + hashlib.sha256(image.encode()).hexdigest()


def tag(image: str) -> str:
    """What a log line calls the version: the tag, a short digest, or `latest`."""
    if "@sha256:" in image:
        return "sha256:" + image.split("@sha256:", 1)[1][:12]
    last = _path(image).rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def pull_error(image: str) -> str:
    """The stopped reason ECS gives when a tag or repository does not exist."""
    if _has_registry(image):
        ref = image
    else:
        ref = f"docker.io/{image}" if "/" in image else f"docker.io/library/{image}"
    return (
        "CannotPullContainerError: pull image manifest has been retried 5 time(s): "
        f"failed to resolve ref {ref}: {ref}: not found"
    )
