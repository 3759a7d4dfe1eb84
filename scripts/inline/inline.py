"""Runs a Python Pulumi program in-process through the Automation API (no language host).

    <program venv>/bin/python inline.py <command> [pulumi arguments...]

run in the program's directory, with <command> one of preview, up, refresh, destroy.
The program is the directory's own `__main__.py`, run unchanged as the inline program
(what the python language host would run). The Automation API serves it over the
engine's `client` runtime and calls the CLI; that call gets exactly the arguments given
here, plus the Automation API's `--client`/`--exec-kind` (where its program server
listens), so the output is what `pulumi <command> [arguments...]` prints in the directory
when a host exists. The exit code is the CLI's.
"""

from __future__ import annotations

import os
import runpy
import sys
from collections.abc import Callable, Mapping
from typing import Any

from pulumi import automation as auto

OPERATIONS = ("preview", "up", "refresh", "destroy")
FROM_AUTOMATION = ("--client", "--exec-kind", "--event-log")


class Passthrough(auto.PulumiCommand):
    """The CLI, with the caller's arguments for the one operation the Automation API runs."""

    def __init__(self, operation_args: list[str]) -> None:
        super().__init__(skip_version_check=True)
        self.operation_args = operation_args
        self.code: int | None = None

    def run(
        self,
        args: list[str],
        cwd: str,
        additional_env: Mapping[str, str],
        on_output: Any = None,
        on_error: Any = None,
    ) -> auto.CommandResult:
        if self.operation_args[0] not in args:
            return super().run(args, cwd, additional_env, on_output, on_error)
        wiring = _wiring(args)
        try:
            result = super().run(
                [*self.operation_args, *wiring], cwd, additional_env, _echo(sys.stdout), _echo(sys.stderr)
            )
            self.code = result.code
            return result
        except auto.CommandError as err:
            self.code = _exit_code(err)
            raise


def _wiring(args: list[str]) -> list[str]:
    """The Automation API's own flags (`--flag=value` or `--flag value`) from its arguments."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg.startswith(tuple(f"{flag}=" for flag in FROM_AUTOMATION)):
            out.append(arg)
        elif arg in FROM_AUTOMATION and i + 1 < len(args):
            out.extend((arg, args[i + 1]))
    return out


def _echo(stream: Any) -> Any:
    def write(line: str) -> None:
        print(line, file=stream, flush=True)

    return write


def _exit_code(err: auto.CommandError) -> int:
    for line in str(err).splitlines():
        if line.strip().startswith("code:"):
            return int(line.split(":", 1)[1])
    return 1


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in OPERATIONS:
        print(f"usage: inline.py {{{','.join(OPERATIONS)}}} [pulumi arguments...]", file=sys.stderr)
        return 2
    stack_name = argv[argv.index("--stack") + 1]
    work_dir = os.getcwd()
    sys.path.insert(0, work_dir)

    def program() -> None:
        runpy.run_path(os.path.join(work_dir, "__main__.py"), run_name="__main__")

    command = Passthrough(argv)
    workspace = auto.LocalWorkspace(work_dir=work_dir, program=program, pulumi_command=command)
    stack = auto.Stack.select(stack_name, workspace)
    operation: dict[str, Callable[[], object]] = {
        "preview": stack.preview,
        "up": stack.up,
        "refresh": stack.refresh,
        "destroy": stack.destroy,
    }
    try:
        operation[argv[0]]()
    except auto.CommandError:
        pass  # the CLI printed why; its exit code is the answer
    except Exception as err:  # the Automation API's reading of an output it did not ask for
        if command.code is None:
            raise
        print(f"inline.py: {type(err).__name__} after the CLI finished: {err}", file=sys.stderr)
    return command.code if command.code is not None else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
