"""The problems a data file can have, said where they are found (:class:`~bot.i18n.Said`).

A :class:`DataFileError` names the file, the line and the problem; an operator's ``/reload``
gives it in the chat's language, and ``str()`` is the English of the log and the command line.
A file's name, its line, its columns and what it holds are values of the message, never part
of its words. The messages several loaders share (a number that is not one, a column
missing…) are made here.
"""

from __future__ import annotations

from pathlib import Path

from bot.i18n import Said, said


class DataFileError(ValueError):
    """A data file that breaks a rule; the message names file, line and problem.

    :attr:`said` is the whole message in any language (``str()`` its English, one line),
    :attr:`reason` the problem alone, :attr:`problem` its English."""

    def __init__(self, path: Path, line: int | None, problem: Said) -> None:
        self.path = path
        self.line = line
        self.reason = one_line(problem)
        self.problem = " ".join(str(problem).split())  # one line, whatever the cause said
        where = f"{path.name}, line {line}" if line else path.name
        super().__init__(f"{where}: {self.problem}")

    @property
    def said(self) -> Said:
        """``bad.csv, line 7: …`` / ``bad.csv，第7行：…``."""
        if self.line:
            return said(
                "{file}, line {line}: {problem}",
                file=self.path.name,
                line=self.line,
                problem=self.reason,
            )
        return said("{file}: {problem}", file=self.path.name, problem=self.reason)


def one_line(message: Said) -> Said:
    """``message`` with every text in it on one line, spaces single (a library's error may
    span lines)."""

    def flat(value: object) -> object:
        if isinstance(value, Said):
            return one_line(value)
        if type(value) is str:
            return " ".join(value.split())
        return value

    return Said(message.message, **{name: flat(value) for name, value in message.values})


def quoted(text: str) -> str:
    """Text as the file has it, in quotes that show its spaces: ``'2025-6 '``."""
    return repr(text)


def not_a_number(column: str, value: str) -> Said:
    """``value 'n/a' is not a number`` (``value`` as the message shows it)."""
    return said("{column} {value} is not a number", column=column, value=value)


def not_finite(column: str, value: str) -> Said:
    return said("{column} {value} is not a finite number", column=column, value=value)


def negative(column: str, value: str) -> Said:
    return said("{column} {value} is negative", column=column, value=value)


def empty(column: str) -> Said:
    return said("{column} is empty", column=column)


def not_a_partner_code(value: str) -> Said:
    return said("{column} {value} is not an ISO 2 code", column="partner", value=quoted(value))


def not_a_web_address(url: str) -> Said:
    return said(
        "{column} {value} is not an http(s) address", column="source_url", value=quoted(url)
    )


def missing_columns(columns: list[str]) -> Said:
    return said("missing column(s): {columns}", columns=tuple(columns))


def not_one_of(column: str, value: str, allowed: tuple[str, ...]) -> Said:
    """``status 'guess' is not one of reported, derived``."""
    return said(
        "{column} {value} is not one of {allowed}",
        column=column,
        value=quoted(value),
        allowed=allowed,
    )
