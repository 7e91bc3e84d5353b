"""Checks that the installed moto is one this layer patches safely."""

import importlib
import importlib.metadata
import sys

SUPPORTED = ((5, 1), (5, 2))  # oldest and newest minor version; developed on 5.2.1
INSTALL = "pip install 'moto[server]>=5.1,<5.3'"


def problem() -> str | None:
    """One line naming what is missing or incompatible, or None when all is well."""
    python = sys.executable or "python3"
    try:
        version = importlib.metadata.version("moto")
    except importlib.metadata.PackageNotFoundError:
        return f"the Python module 'moto' is not installed for {python}; install it with: {INSTALL}"
    try:
        minor = tuple(int(part) for part in version.split(".")[:2])
    except ValueError:
        return f"cannot read the moto version {version!r}; install a release with: {INSTALL}"
    oldest, newest = SUPPORTED
    if not oldest <= minor <= newest:
        return (
            f"moto {version} is outside the versions the ECS emulator supports "
            f"({oldest[0]}.{oldest[1]}-{newest[0]}.{newest[1]}); install one with: {INSTALL}"
        )
    for module in ("flask", "flask_cors", "werkzeug"):
        try:
            importlib.import_module(module)
        except ImportError:
            return f"the Python module '{module}' (part of moto[server]) is not installed for {python}; install it with: {INSTALL}"
    return None
