"""Errors of the primitives layer: bad result data, bad PUB inputs."""

from __future__ import annotations

from iqp_wrapper.errors import IQPError


class ResultFormatError(IQPError, ValueError):
    """A job result does not have the layout of either wire form.

    Attributes:
        pub: index of the PUB (or executor program item) whose data is malformed; None for
            the result as a whole.
        field: the field that is malformed (a register name, ``evs``, ``metadata``...).
    """

    def __init__(
        self, message: str, *, pub: int | None = None, field: str = "", item: int | None = None
    ) -> None:
        # An executor result has items where a primitive's has PUBs: same attribute, own word.
        where = []
        if item is not None:
            pub = item
            where.append(f"item {item}")
        elif pub is not None:
            where.append(f"PUB {pub}")
        if field:
            where.append(f"field {field!r}")
        prefix = f"{', '.join(where)}: " if where else ""
        super().__init__(prefix + message)
        self.pub = pub
        self.field = field


class PubError(IQPError, ValueError):
    """A PUB (circuit, observables, parameter values, shots, precision) cannot be sent as it is.

    Raised before any request, saying what to change.

    Attributes:
        pub: index of the offending PUB in the list given; None when it was given alone.
        field: which part of the PUB is wrong (``circuit``, ``observables``...).
    """

    def __init__(self, message: str, *, pub: int | None = None, field: str = "") -> None:
        prefix = f"PUB {pub}: " if pub is not None else ""
        super().__init__(prefix + message)
        self.pub = pub
        self.field = field


class ProgramError(PubError):
    """A quantum program for the executor (its items, circuit arguments, shots, options)
    cannot be sent as it is. Raised before any request, saying what to change.

    Attributes:
        pub: index of the offending program item; None for the program as a whole.
        field: which part is wrong (``circuit``, ``circuit_arguments``, ``shots``...).
    """

    def __init__(self, message: str, *, pub: int | None = None, field: str = "") -> None:
        super().__init__(message, field=field)
        if pub is not None:
            self.args = (f"item {pub}: {message}",)
        self.pub = pub
