"""``tf.app.flags`` (also ``tf.flags``): command-line flags, as TF 1.x's wrapper of absl.flags works.

A script declares its flags at the top, reads them through ``FLAGS``, and
``tf.app.run()`` parses the command line before calling ``main``:

    tf.app.flags.DEFINE_integer("steps", 100, "training steps")
    FLAGS = tf.app.flags.FLAGS
    ... FLAGS.steps ...          # 100, or what ``--steps=500`` said

Reading a flag before anything parsed the command line parses ``sys.argv``
then, skipping what it does not know (TF 1.x does the same, which is why
``FLAGS`` works in a notebook whose argv belongs to Jupyter).
"""

from __future__ import annotations

import sys


class Error(Exception):
    """Base class of the flag errors (absl.flags.Error)."""


class DuplicateFlagError(Error):
    pass


class IllegalFlagValueError(Error):
    pass


class UnrecognizedFlagError(Error):
    pass


class UnparsedFlagAccessError(Error):
    pass


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "t", "1", "yes", "y"):
        return True
    if lowered in ("false", "f", "0", "no", "n"):
        return False
    raise ValueError(f"Non-boolean argument to boolean flag: {text!r}")


def _parse_list(text) -> list:
    if isinstance(text, (list, tuple)):
        return list(text)
    return [item.strip() for item in text.split(",") if item.strip()]


class Flag:
    """One flag: its name, parser, default, help text and current value."""

    def __init__(self, name: str, default, help_: str, parse, kind: str):
        self.name, self.help, self.parse, self.kind = name, help_, parse, kind
        self.default = None if default is None else self._converted(default)
        self.value = self.default
        self.present = False

    def _converted(self, value):
        if not isinstance(value, str) or self.kind == "string":
            return value
        try:
            return self.parse(value)
        except ValueError as e:
            raise IllegalFlagValueError(f"flag --{self.name}={value}: {e}") from None

    def set_from_text(self, text) -> None:
        self.value = self._converted(text)
        self.present = True


class FlagValues:
    """The registry of defined flags; ``FLAGS.name`` reads a value, ``FLAGS(argv)`` parses."""

    def __init__(self):
        object.__setattr__(self, "_flags", {})
        object.__setattr__(self, "_parsed", False)

    # -- declaring --
    def _define(self, flag: Flag) -> None:
        if flag.name in self._flags:
            raise DuplicateFlagError(f"The flag '{flag.name}' is defined twice.")
        self._flags[flag.name] = flag

    # -- reading and writing --
    def __getattr__(self, name):
        flags = object.__getattribute__(self, "_flags")
        if name not in flags:
            raise AttributeError(name)
        if not object.__getattribute__(self, "_parsed"):
            self(sys.argv, known_only=True)          # TF 1.x: parse on first read, tolerate the rest
        return flags[name].value

    def __setattr__(self, name, value):
        if name not in self._flags:
            raise AttributeError(f"Flag --{name} is not defined, so it cannot be set")
        self._flags[name].value = value
        self._flags[name].present = True

    def __contains__(self, name) -> bool:
        return name in self._flags

    def __iter__(self):
        return iter(self._flags)

    def flag_values_dict(self) -> dict:
        return {name: flag.value for name, flag in self._flags.items()}

    def is_parsed(self) -> bool:
        return self._parsed

    def mark_as_parsed(self) -> None:
        object.__setattr__(self, "_parsed", True)

    def unparse_flags(self) -> None:
        for flag in self._flags.values():
            flag.value, flag.present = flag.default, False
        object.__setattr__(self, "_parsed", False)

    # -- parsing --
    def __call__(self, argv, known_only: bool = False) -> list:
        """Set flags from ``argv`` (``argv[0]`` is the program); return argv[0] and what was not a flag."""
        argv = list(argv)
        rest, i = argv[:1], 1
        while i < len(argv):
            arg = argv[i]
            i += 1
            if arg == "--":
                rest.extend(argv[i:])
                break
            if not arg.startswith("-") or arg == "-":
                rest.append(arg)
                continue
            name, has_value, value = arg.lstrip("-").partition("=")
            flag = self._flags.get(name)
            if flag is None and name.startswith("no") and not has_value:
                negated = self._flags.get(name[2:])
                if negated is not None and negated.kind == "bool":
                    negated.set_from_text("false")
                    continue
            if flag is None:
                if not known_only:
                    raise UnrecognizedFlagError(f"Unknown command line flag '{name}'")
                rest.append(arg)
                continue
            if not has_value:
                if flag.kind == "bool":
                    value = "true"
                elif i < len(argv):
                    value, i = argv[i], i + 1
                else:
                    raise IllegalFlagValueError(f"Flag --{name} must have a value other than None.")
            flag.set_from_text(value)
        self.mark_as_parsed()
        return rest


FLAGS = FlagValues()


def _definer(kind: str, parse):
    def define(name: str, default, help: str = "", flag_values: FlagValues = FLAGS, **kwargs):  # noqa: A002
        flag_values._define(Flag(name, default, help, parse, kind))
    define.__name__ = f"DEFINE_{kind}"
    define.__doc__ = f"Declare a {kind} flag ``--name`` with its default and help text."
    return define


DEFINE_string = _definer("string", str)
DEFINE_integer = _definer("integer", int)
DEFINE_float = _definer("float", float)
DEFINE_boolean = _definer("bool", _parse_bool)
DEFINE_bool = DEFINE_boolean
DEFINE_list = _definer("list", _parse_list)
