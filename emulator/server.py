#!/usr/bin/env python3
"""The local AWS emulator: moto's server on loopback with our ECS layer (see README.md).

  python3 emulator/server.py -H 127.0.0.1 -p 4566   # serve (same API and /moto-api/* as moto_server)
  python3 emulator/server.py --check                # only check that moto is installed and supported
"""

import argparse
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ecs_emulator.compat import problem  # noqa: E402

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="moto with the ECS emulator layer, on loopback")
    parser.add_argument("-H", "--host", default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("EMULATOR_PORT", "4566")))
    parser.add_argument("--check", action="store_true", help="check the moto installation and exit")
    args = parser.parse_args(argv)

    issue = problem()
    if issue:
        print(f"error: {issue}", file=sys.stderr)
        return 1
    if args.check:
        return 0
    if args.host not in LOOPBACK:
        print(f"error: the emulator binds loopback only ({', '.join(LOOPBACK)}), not {args.host}", file=sys.stderr)
        return 2
    # moto builds some URLs that point back at itself from MOTO_PORT.
    os.environ.setdefault("MOTO_PORT", str(args.port))

    import moto
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import run_simple

    from ecs_emulator.install import install

    layer = install()
    settings = layer.settings
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    print(
        f"ECS emulator on moto {moto.__version__}: http://{args.host}:{args.port} "
        f"(rollout {settings.rollout_seconds:g} s)",
        file=sys.stderr,
        flush=True,
    )
    run_simple(args.host, args.port, layer.wrap(DomainDispatcherApplication(create_backend_app)), threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
